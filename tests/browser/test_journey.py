"""A person completes a form in chromium, with JavaScript on (htmx swaps) and off."""

from __future__ import annotations

import time

import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from tests import staff
from tests.citizen import valid_answer

pytestmark = pytest.mark.browser
DEFINITIONS = load_directory(DEFAULT_DIRECTORY)


def _answer(page, field) -> None:
    for name, value in valid_answer(field).items():
        if field.type in {"select_one", "yes_no"}:
            page.check(f"input[name='{name}'][value='{value}']")
        else:
            page.fill(f"#{name}", value)


def _start(page, form_id: str) -> None:
    """From the home page to the form's first question."""
    page.click(f"a[href='/forms/{form_id}']")
    page.wait_for_url(f"**/forms/{form_id}")
    page.click("button.button--start")
    page.wait_for_url(f"**/questions/{DEFINITIONS[form_id].fields[0].name}")


def _complete(page, form_id: str) -> str:
    """From the first question to the receipt; returns the reference shown."""
    definition = DEFINITIONS[form_id]
    for number, field in enumerate(definition.fields, start=1):
        page.wait_for_url(f"**/questions/{field.name}")
        assert f"Question {number} of {len(definition.fields)}" in page.inner_text("main")
        _answer(page, field)
        page.click("form.question button[type=submit]")
    page.wait_for_url(f"**/forms/{form_id}/check")
    page.click("text=Send my answers")
    page.wait_for_selector(".reference")
    return page.inner_text(".reference").strip()


def _arrives(central_url: str, reference: str) -> bool:
    with staff.signed_in(central_url) as client:
        for _ in range(100):
            if client.get(f"/api/v1/submissions/{reference}").status_code == 200:
                return True
            time.sleep(0.1)
    return False


def test_with_javascript_htmx_swaps_only_the_question_area(browser, stack):
    central, kiosk = stack
    page = browser.new_page()
    page.goto(kiosk.url + "/")
    page.evaluate("window.sameDocument = true")
    form_id = "birth-certificate"
    _start(page, form_id)
    assert page.evaluate("window.sameDocument") is True, "the page was reloaded, not swapped"
    assert page.evaluate("document.activeElement.tagName") == "H1"

    page.click("form.question button[type=submit]")  # no answer given
    page.wait_for_selector(".error-summary")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert page.title().startswith("Error:")

    reference = _complete(page, form_id)
    assert page.evaluate("window.sameDocument") is True
    assert _arrives(central.url, reference)
    page.close()


def test_without_javascript_every_step_is_a_full_page(browser, stack):
    central, kiosk = stack
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(kiosk.url + "/")
    _start(page, "pension-support")
    reference = _complete(page, "pension-support")
    assert reference.count("-") == 2
    assert _arrives(central.url, reference)
    context.close()


def test_the_status_page_takes_a_code_typed_by_a_keyboard_scanner(browser, stack):
    import httpx2

    from tests.citizen import complete

    central, kiosk = stack
    with httpx2.Client(base_url=kiosk.url, follow_redirects=True) as client:
        reference = complete(client, DEFINITIONS["pension-support"])
    assert _arrives(central.url, reference)
    page = browser.new_page()
    page.goto(kiosk.url + "/status")
    assert page.evaluate("document.activeElement.id") == "reference"
    page.keyboard.type(reference.lower() + "\n", delay=5)  # a wedge scanner types, then Enter
    page.wait_for_selector(".status-state")
    assert "Sent to the office" in page.inner_text(".status-state")
    assert reference in page.inner_text("main")
    page.close()
