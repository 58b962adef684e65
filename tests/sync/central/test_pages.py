"""The staff pages: sign in, the list, one submission."""

from __future__ import annotations

import re

import pytest

from sync.central import staff
from sync.central.access import safe_next
from tests.sync.conftest import EMAIL, PASSWORD, csrf_token, wire_change


def test_home_goes_to_the_list(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/submissions"


@pytest.mark.parametrize("path", ["/submissions", "/submissions/K01-00001-X"])
def test_pages_need_sign_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=/submissions")


def test_sign_in_then_back_where_you_were(client, central_settings):
    staff.add_user(central_settings.data, EMAIL, PASSWORD, "supervisor")
    page = client.get("/submissions?offset=0", follow_redirects=True)
    assert page.url.path == "/sign-in"
    data = {
        "csrftoken": csrf_token(page.text),
        "email": EMAIL,
        "password": PASSWORD,
        "next": "/submissions?offset=0",
    }
    response = client.post("/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/submissions?offset=0"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert client.get("/submissions").status_code == 200


def test_wrong_password_says_so(client, central_settings):
    staff.add_user(central_settings.data, EMAIL, PASSWORD, "reviewer")
    page = client.get("/sign-in")
    data = {"csrftoken": csrf_token(page.text), "email": EMAIL, "password": "not it at all"}
    response = client.post("/sign-in", data=data)
    assert response.status_code == 401
    assert "do not match" in response.text
    assert 'value="reviewer@example.org"' in response.text


def test_sign_in_without_csrf_token_is_403(client, central_settings):
    staff.add_user(central_settings.data, EMAIL, PASSWORD, "reviewer")
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 403
    assert "<h1>" in response.text and "csrf_failed" in response.text
    client.get("/sign-in")  # now with a CSRF cookie, still no token in the form
    response = client.post("/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code == 403


def test_sign_out_needs_csrf_and_ends_the_session(staff_client):
    assert staff_client.post("/sign-out").status_code == 403
    token = csrf_token(staff_client.get("/submissions").text)
    response = staff_client.post("/sign-out", data={"csrftoken": token})
    assert response.url.path == "/sign-in"
    assert staff_client.get("/submissions", follow_redirects=False).status_code == 303


def test_list_and_detail_show_a_submission(staff_client, kiosk):
    change = wire_change(
        1, answers={"full_name": "<b>Amina</b>", "languages": ["en", "fr"], "agree": True}
    )
    kiosk.push(staff_client, [change])
    ref = change["payload"]["reference"]
    listing = staff_client.get("/submissions")
    assert ref in listing.text and "Library kiosk" in listing.text
    assert "birth-certificate" in listing.text and "2026-11-21 09:30 UTC" in listing.text
    detail = staff_client.get(f"/submissions/{ref.lower()}")
    assert detail.status_code == 200
    assert "&lt;b&gt;Amina&lt;/b&gt;" in detail.text and "<b>Amina" not in detail.text
    assert "en, fr" in detail.text and ">Yes<" in detail.text
    assert detail.headers["cache-control"] == "no-store"


def test_unknown_submission_is_a_404_page(staff_client):
    response = staff_client.get("/submissions/K01-99999-X")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert "No submission has the reference" in response.text


def test_pages_are_accessible_and_csp_clean(staff_client, kiosk):
    kiosk.push(staff_client, [wire_change(1)])
    for path in ("/sign-in", "/submissions", "/submissions/nope"):
        response = staff_client.get(path)
        html = response.text
        assert re.search(r'<html lang="en"', html)
        assert 'href="#main"' in html and 'id="main"' in html
        assert html.count("<h1") == 1
        assert "style=" not in html and "<script" not in html and "<style" not in html
        assert "script-src 'self'" in response.headers["content-security-policy"]
    listing = staff_client.get("/submissions").text
    assert '<th scope="col">' in listing and '<th scope="row">' in listing


def test_static_css_is_served(client):
    response = client.get("/static/central.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example", "/\t/evil.example", "/\\evil", ""]
)
def test_next_never_leaves_the_site(target):
    assert safe_next(target) == "/submissions"


def test_detail_reads_answers_through_the_form_definition(staff_client, kiosk):
    change = wire_change(
        1,
        answers={
            "whose_certificate": "my_child",
            "full_name": "Amina Okafor",
            "copies": 2,
            "left_over": "kept",
        },
    )
    kiosk.push(staff_client, [change])
    detail = staff_client.get(f"/submissions/{change['payload']['reference']}").text
    order = [
        detail.index(text)
        for text in ("Who is the birth certificate for", "What is the full name", "How many copies")
    ]
    assert order == sorted(order), "questions follow the form's order"
    assert "My child" in detail and "my_child" not in detail
    assert "left_over" in detail and ">kept<" in detail
    assert "Request a copy of a birth certificate" in detail
