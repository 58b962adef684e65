"""Supervisors' case pages in chromium against a real central: axe (WCAG 2.2 AA) on the
conflict queue, a case with open conflicts (and with an error in its form), one conflict
and the duplicates queue; then a conflict decided and a pair merged with the keyboard
and the mouse, as a person would."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest
from uuid6 import uuid7

from sync import protocol
from tests import servers, staff
from tests.browser.axe import report, violations
from tests.browser.conftest import signed_in
from tests.sync.conftest import batch, case_change

pytestmark = pytest.mark.browser
EMAIL = "supervisor@example.org"
AMINA = {
    "head_name": (None, "Amina Okafor"),
    "national_id": (None, "79927398713"),
    "date_of_birth": (None, "1980-02-29"),
    "village": (None, "Kisumu"),
    "members": (None, 4),
}


class _Kiosk:
    """A kiosk enrolled over HTTP that pushes changes straight to central."""

    def __init__(self, url: str, data: Path, name: str) -> None:
        code = servers.enroll_code(data, name)
        answer = httpx2.post(url + protocol.ENROLL_PATH, json={"code": code}, timeout=10)
        answer.raise_for_status()
        self.url, self.seq = url, 0
        self.id, self.code, self.token = (answer.json()[k] for k in ("kiosk_id", "code", "token"))

    def push(self, case_id: str, patch: dict, base_version: int = 1, hlc: str | None = None):
        self.seq += 1
        change = case_change(self.seq, case_id, patch, self.code, base_version, hlc)
        response = httpx2.post(
            self.url + protocol.PUSH_PATH,
            content=protocol.encode(batch(self.id, [change])),
            headers={"authorization": f"Bearer {self.token}", "content-encoding": "gzip"},
            timeout=10,
        )
        assert response.json()["results"][0]["status"] == "applied", response.text


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """Central with a household two kiosks clashed on, and a possible duplicate of it."""
    data = tmp_path_factory.mktemp("reconciliation") / "central"
    server = servers.central(data).start()
    try:
        staff.add(str(data), EMAIL, role="supervisor")
        library = _Kiosk(server.url, data, "Library kiosk")
        clinic = _Kiosk(server.url, data, "Clinic kiosk")
        case_id = str(uuid7())
        library.push(case_id, AMINA, base_version=0)
        library.push(case_id, {"village": ("Kisumu", "Kakamega"), "members": (4, 5)})
        clinic.push(case_id, {"village": ("Kisumu", "Bungoma"), "members": (4, 6)})
        clinic.push(str(uuid7()), {**AMINA, "head_name": (None, "Amina Okafur")}, 0)
        yield server, case_id
    finally:
        server.stop()


@pytest.fixture
def page(browser, central):
    context, page = signed_in(browser, central[0].url, EMAIL)
    yield page
    context.close()


def _clean(page) -> None:
    found = violations(page)
    assert not found, f"{page.url}\n{report(found)}"


def test_the_conflict_queue_passes_axe(page, central):
    page.goto(central[0].url + "/conflicts")
    assert page.locator("main tbody tr").count() == 2
    _clean(page)
    page.select_option("#type", "household")
    with page.expect_navigation():
        page.click("form.filters button")
    assert "type=household" in page.url
    _clean(page)


def test_a_conflict_and_its_case_pass_axe(page, central):
    server, case_id = central
    page.goto(server.url + "/conflicts")
    with page.expect_navigation():
        page.click("main tbody tr >> nth=0 >> td a")
    assert "/conflicts/" in page.url and page.locator("fieldset.conflict").count() == 2
    _clean(page)
    page.goto(server.url + f"/cases/{case_id}")
    _clean(page)


def test_a_wrong_value_shows_the_error_and_keeps_it(page, central):
    server, case_id = central
    page.goto(server.url + f"/cases/{case_id}")
    members = page.locator("fieldset.conflict", has_text="Number of people")
    members.get_by_label("Another value").check()
    members.locator("input[type=text]").fill("many")
    with page.expect_navigation():
        page.click("form.resolve button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert page.locator("fieldset.conflict input[aria-invalid=true]").input_value() == "many"
    _clean(page)
    page.click(".error-summary a")  # the summary's link takes focus to the field to fix
    assert page.evaluate("document.activeElement.getAttribute('aria-invalid')") == "true"


def test_the_duplicates_queue_passes_axe(page, central):
    page.goto(central[0].url + "/duplicates")
    assert page.locator("section.duplicate").count() == 1
    _clean(page)


def test_a_supervisor_decides_with_the_keyboard_then_merges(page, central):
    server, case_id = central
    page.goto(server.url + f"/cases/{case_id}")
    village = page.locator("fieldset.conflict", has_text="Village")
    village.get_by_label("Bungoma").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.click("form.resolve button[type=submit]")
    assert "decided=1" in page.url and page.locator(".notice").is_visible()
    assert page.locator("fieldset.conflict").count() == 1  # members still open
    _clean(page)
    page.goto(server.url + "/duplicates")
    with page.expect_navigation():
        page.click("section.duplicate form[action$='/merge'] button")
    assert "merged=1" in page.url
    assert page.locator("fieldset.conflict", has_text="Name of the head").count() == 1
    _clean(page)
