"""A central staff member signed in over HTTP, for tests that read central's API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx2

from tests import servers
from tests.citizen import csrf_token

EMAIL = "reviewer@example.org"
PASSWORD = "correct horse battery staple"


def add(
    central_data: str, email: str = EMAIL, password: str = PASSWORD, role: str = "reviewer"
) -> None:
    """``central add-user EMAIL --role ROLE``, the password from the environment."""
    result = servers.run(
        ["central", "add-user", email, "--role", role, "--data", central_data],
        FIELDKIOSK_PASSWORD=password,
    )
    assert result.returncode == 0, result.stderr


@contextmanager
def signed_in(
    central_url: str, email: str = EMAIL, password: str = PASSWORD
) -> Iterator[httpx2.Client]:
    with httpx2.Client(base_url=central_url, follow_redirects=True, timeout=10) as client:
        page = client.get("/sign-in")
        response = client.post(
            "/sign-in",
            data={"csrftoken": csrf_token(page.text), "email": email, "password": password},
        )
        assert response.status_code == 200 and "/sign-in" not in str(response.url), response.text
        yield client


def submissions(client: httpx2.Client) -> list[dict]:
    response = client.get("/api/v1/submissions", params={"limit": 500})
    response.raise_for_status()
    body = response.json()
    return body["submissions"] if isinstance(body, dict) else body
