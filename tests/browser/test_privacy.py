"""The kiosk is shared: after an idle countdown, or "Finish", the next person cannot reach
the last person's answers with Back, history or the cache."""

from __future__ import annotations

import pytest

from tests.browser.test_journey import _complete, _start

pytestmark = pytest.mark.browser
FORM = "birth-certificate"
SECRET = "Zanele Secret-Name"


def _give_a_name(page):
    """Answer the first two pages; the second holds the name and date of birth."""
    page.check("input[name='answer'][value='me']")
    page.click("form.question button[type=submit]")
    page.wait_for_selector("input[name='full_name']")
    page.fill("input[name='full_name']", SECRET)
    for part, value in (("day", "3"), ("month", "4"), ("year", "1950")):
        page.fill(f"#date_of_birth-{part}", value)
    page.click("form.question button[type=submit]")
    page.wait_for_url("**/questions/birth_region")


def test_an_idle_kiosk_warns_then_wipes_and_back_shows_nothing(browser, stack):
    _, kiosk = stack
    context = browser.new_context()
    page = context.new_page()
    page.clock.install()
    page.goto(kiosk.url + "/")
    _start(page, FORM)
    _give_a_name(page)
    page.clock.run_for("02:01")
    dialog = page.locator("#idle-warning")
    assert dialog.is_visible()
    assert page.evaluate("document.activeElement.id") == "idle-more-time"
    page.clock.run_for("00:31")
    page.wait_for_url(kiosk.url + "/")
    for _ in range(3):
        page.go_back()
        page.wait_for_load_state()
        assert SECRET not in page.content()
        assert "/questions/" not in page.url, "a question page came back"
    context.close()


def _watch_for_a_wipe(page):
    """Stub the idle form's submit, so a wipe is seen rather than done, and note when the
    warning closes (the kiosk's own ``close`` listener, added first, has run by then)."""
    page.evaluate(
        """() => {
            window.wiped = false;
            window.warningClosed = false;
            document.getElementById('idle-finish').submit = () => { window.wiped = true; };
            document.getElementById('idle-finish').addEventListener(
                'submit', () => { window.wiped = true; });
            document.getElementById('idle-warning').addEventListener(
                'close', () => { window.warningClosed = true; });
        }"""
    )


def _answers_are_still_there(page, kiosk):
    """The countdown is long over and nothing was wiped: the name is still answered."""
    assert page.evaluate("window.wiped") is False, "the answers were wiped"
    assert not page.locator("#idle-warning").is_visible()
    assert "/questions/" in page.url
    page.goto(f"{kiosk.url}/forms/{FORM}/questions/about_person")
    assert page.input_value("input[name='full_name']") == SECRET


def _warned(browser, kiosk):
    """A page whose citizen gave a name and then left it idle until the warning shows,
    with every wipe watched for."""
    page = browser.new_page()
    page.clock.install()
    page.goto(kiosk.url + "/")
    _start(page, FORM)
    _give_a_name(page)
    page.clock.run_for("02:01")
    assert page.locator("#idle-warning").is_visible()
    _watch_for_a_wipe(page)
    return page


def test_more_time_keeps_the_answers(browser, stack):
    _, kiosk = stack
    page = _warned(browser, kiosk)
    page.click("#idle-more-time")
    page.wait_for_function("window.warningClosed")
    page.clock.run_for("00:40")
    _answers_are_still_there(page, kiosk)
    page.close()


def test_escape_on_the_warning_is_more_time_too(browser, stack):
    """Escape closes a modal dialog by itself: that is "more time", not a silent countdown
    to the wipe behind a closed warning."""
    _, kiosk = stack
    page = _warned(browser, kiosk)
    page.keyboard.press("Escape")
    page.wait_for_function("window.warningClosed")
    page.clock.run_for("00:40")
    assert page.evaluate("window.wiped") is False, "the answers were wiped"
    page.clock.run_for("01:30")
    assert page.locator("#idle-warning").is_visible(), "the idle timer starts again"
    page.keyboard.press("Escape")
    page.wait_for_function("!document.getElementById('idle-warning').open")
    _answers_are_still_there(page, kiosk)
    page.close()


def test_finish_after_the_receipt_wipes_at_once(browser, stack):
    _, kiosk = stack
    page = browser.new_page()
    page.goto(kiosk.url + "/")
    _start(page, FORM)
    _complete(page, FORM)
    page.click("button:has-text('Finish')")
    page.wait_for_url(kiosk.url + "/")
    response = page.go_back()
    page.wait_for_load_state()
    assert response is not None and response.status == 404
    assert page.locator(".reference").count() == 0, "the receipt is gone for the next person"
    page.close()


def test_banner_controls_come_back_to_the_page_the_citizen_is_on(browser, stack):
    _, kiosk = stack
    page = browser.new_page()
    page.goto(kiosk.url + "/")
    _start(page, FORM)
    page.check("input[name='answer'][value='me']")
    page.click("form.question button[type=submit]")
    page.wait_for_url("**/questions/about_person")
    page.click("button[name='size'][value='bigger']")
    page.wait_for_load_state()
    assert page.url.endswith("/questions/about_person")
    assert "text-size-2" in page.evaluate("document.documentElement.className")
    page.close()
