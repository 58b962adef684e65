"""Staff of each role, signed in to an in-process central through its real sign-in form."""

from __future__ import annotations

from pathlib import Path

from httpx2 import Response
from starlette.testclient import TestClient

from sync.central import staff
from tests.sync.conftest import PASSWORD, csrf_token


def email(role: str) -> str:
    return f"{role}@example.org"


def add(data: Path, role: str) -> staff.User:
    return staff.add_user(data, email(role), PASSWORD, role)


def sign_in(client: TestClient, role: str) -> TestClient:
    """``client`` signed in as the ``role`` user that :func:`add` made."""
    token = csrf_token(client.get("/sign-in").text)
    response = client.post(
        "/sign-in",
        data={"csrftoken": token, "email": email(role), "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def token(client: TestClient) -> str:
    """A CSRF token for ``client``'s next POST (any page that has a form gives one)."""
    return csrf_token(client.get("/sign-in").text)


def signed_in(client: TestClient, data: Path, role: str) -> TestClient:
    """A new ``role`` user, and ``client`` signed in as them."""
    add(data, role)
    return sign_in(client, role)


def post(client: TestClient, path: str, **fields: str) -> Response:
    """A staff form sent as the browser sends it: with its CSRF token, not following the
    redirect (so the test sees the 303 or the 4xx)."""
    return client.post(path, data={"csrftoken": token(client), **fields}, follow_redirects=False)
