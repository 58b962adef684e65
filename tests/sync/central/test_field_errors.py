"""A field with an error says so beside the field, not only in the summary at the top: an
error message the field's aria-describedby names, aria-invalid and the error class, and a
summary (sync/templates/macros.html) whose link goes to the field."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from tests.sync.central import people


class _Page(HTMLParser):
    """Each element with an id: its tag, attributes, text, and the classes of the
    elements it is inside; the summary's links."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.summary_links: list[str] = []
        self._open: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        inside = [c for _, a in self._open for c in a.get("class", "").split()]
        if "id" in found:
            self.by_id[found["id"]] = {"tag": tag, "attrs": found, "text": "", "inside": inside}
        if tag == "a" and "error-summary" in inside:
            self.summary_links.append(found.get("href", ""))
        if tag not in {"input", "br", "img", "meta", "link"}:
            self._open.append((tag, found))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, attrs in self._open:
            if "id" in attrs and attrs["id"] in self.by_id:
                self.by_id[attrs["id"]]["text"] += data


@pytest.fixture
def admin(client, central_settings) -> TestClient:
    return people.signed_in(client, central_settings.data, "admin")


def _assert_the_field_shows(html: str, field: str, message: str) -> None:
    page = _Page(html)
    error = page.by_id.get(f"{field}-error")
    assert error, f"no inline error for #{field}"
    assert error["tag"] == "p" and error["attrs"]["class"] == "error-message"
    assert message in error["text"]
    control = page.by_id[field]["attrs"]
    assert control["aria-describedby"].split() == [f"{field}-hint", f"{field}-error"]
    assert control["aria-invalid"] == "true"
    assert "field--error" in page.by_id[field]["inside"]
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert 'aria-labelledby="error-summary-title"' in summary
    assert page.by_id["error-summary-title"]["tag"] == "h2"
    assert page.summary_links == [f"#{field}"]
    assert message in summary


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_kiosk_name_is_shown_at_the_field(admin, name):
    response = people.post(admin, "/kiosks", name=name)
    assert response.status_code == 400
    _assert_the_field_shows(response.text, "kiosk-name", "a kiosk name has 1 to 100 characters")


def test_a_taken_kiosk_name_is_shown_at_the_field(admin, kiosk):
    response = people.post(admin, "/kiosks", name="Library kiosk")
    assert response.status_code == 409
    _assert_the_field_shows(response.text, "kiosk-name", "There is already a kiosk called")


@pytest.mark.parametrize("reason", ["", "  "])
def test_an_empty_revoke_reason_is_shown_at_the_field(admin, kiosk, reason):
    response = people.post(admin, f"/kiosks/{kiosk.code}/revoke", reason=reason)
    assert response.status_code == 400
    _assert_the_field_shows(response.text, "revoke-reason", "Say why the kiosk is revoked")


def test_fields_without_errors_say_nothing(admin, kiosk):
    fields = (("/kiosks", "kiosk-name"), (f"/kiosks/{kiosk.code}/revoke", "revoke-reason"))
    for path, field in fields:
        html = admin.get(path).text
        page = _Page(html)
        assert f"{field}-error" not in page.by_id and "error-summary" not in html
        control = page.by_id[field]["attrs"]
        assert control["aria-describedby"] == f"{field}-hint" and "aria-invalid" not in control
        assert "field--error" not in page.by_id[field]["inside"]


def test_a_failed_sign_in_has_the_same_summary(client, central_settings):
    people.add(central_settings.data, "admin")
    token = people.token(client)
    response = client.post(
        "/sign-in",
        data={"csrftoken": token, "email": people.email("admin"), "password": "wrong"},
        follow_redirects=False,
    )
    assert response.status_code == 401
    summary = response.text.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    assert "That email address and password do not match." in summary
    assert "<a " not in summary, "no field fixes it alone"
