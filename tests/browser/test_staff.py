"""Central's review pages in chromium: axe (WCAG 2.2 AA) on the filtered inbox, a
submission with a refused decision and with a saved one, and the audit log; a decision
made with the keyboard alone; the navigation of a reviewer and of an admin."""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from tests import staff
from tests.browser.axe import report, violations
from tests.browser.conftest import running, signed_in
from tests.browser.test_journey import _arrives
from tests.citizen import complete

pytestmark = pytest.mark.browser
ADMIN = "admin@example.org"
COMMENT = "Please bring the hospital’s birth notice to the town hall."


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """Central (with a reviewer and an admin) and the reference of a submission that
    reached it from a kiosk; yields ``(central_url, reference)``."""
    root = tmp_path_factory.mktemp("office")
    with running(root) as (central, kiosk):
        staff.add(str(root / "central"), ADMIN, role="admin")
        with httpx2.Client(base_url=kiosk.url, follow_redirects=True, timeout=10) as client:
            reference = complete(client, load_directory(DEFAULT_DIRECTORY)["birth-certificate"])
        assert _arrives(central.url, reference)
        yield central.url, reference


def _clean(page) -> None:
    found = violations(page)
    assert not found, f"{page.url}\n{report(found)}"


def test_review_pages_pass_axe(browser, office):
    central_url, reference = office
    context, page = signed_in(browser, central_url, ADMIN)
    page.goto(central_url + "/submissions")
    page.select_option("#filter-state", "received")
    page.fill("#filter-from", "2020-01-01")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert "state=received" in page.url and "from=2020-01-01" in page.url
    assert page.locator(f"main table a[href='/submissions/{reference}']").count() == 1
    _clean(page)
    page.goto(central_url + "/submissions?state=rejected")
    assert "No submissions match the filters." in page.inner_text("main")
    _clean(page)

    page.goto(f"{central_url}/submissions/{reference}")
    _clean(page)
    page.check("#state-rejected")
    with page.expect_navigation():
        page.click("section.review button[type=submit]")
    assert page.locator(".error-summary").count() == 1 and page.is_checked("#state-rejected")
    _clean(page)
    page.click(".error-summary a")
    assert page.evaluate("document.activeElement.id") == "comment"
    page.fill("#comment", COMMENT)
    with page.expect_navigation():
        page.click("section.review button[type=submit]")
    assert "Your decision is saved" in page.inner_text(".notice")
    assert COMMENT in page.inner_text("section.review table")
    _clean(page)

    page.goto(central_url + "/audit")
    assert "submission.review" in page.inner_text("main table")
    _clean(page)
    with page.expect_navigation():
        page.click(f"main table a[href='/audit?target={reference}']")
    assert page.input_value("#target") == reference
    _clean(page)
    context.close()


def test_a_decision_with_the_keyboard_alone(browser, office):
    central_url, reference = office
    context, page = signed_in(browser, central_url, staff.EMAIL)
    page.goto(f"{central_url}/submissions/{reference}")
    page.focus("#state-has_issues")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # to "approved"
    assert page.is_checked("#state-approved")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "comment"
    page.keyboard.type("All in order.")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Approved" in page.inner_text("section.review table tbody tr:first-child")
    context.close()


@pytest.mark.parametrize(("email", "audit"), [(staff.EMAIL, False), (ADMIN, True)])
def test_the_navigation_shows_what_the_role_may_open(browser, office, email, audit):
    central_url, _ = office
    context, page = signed_in(browser, central_url, email)
    links = page.eval_on_selector_all("nav.sections a", "links => links.map(a => a.pathname)")
    assert "/submissions" in links and ("/audit" in links) is audit
    context.close()
