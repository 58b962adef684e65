"""A person completes a form in chromium, with JavaScript on (htmx swaps) and off."""

from __future__ import annotations

import time
from datetime import date

import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import more, pages, put
from kiosk.screens import input_name
from tests import staff
from tests.citizen import form_data, valid_value

pytestmark = pytest.mark.browser
DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
TODAY = date.today()


def _fill(page, definition, screen, answers) -> None:
    """Answer every question on ``screen`` the way a person does: type, tick, pick."""
    for slot in screen.slots:
        value = valid_value(definition, slot, answers)
        put(answers, slot, value)
        name = input_name(screen, slot)
        for key, posted in form_data(slot.field, name, value).items():
            if slot.field.type in {"select_one", "yes_no", "select_multiple", "consent"}:
                for one in posted if isinstance(posted, list) else [posted]:
                    page.check(f"input[name='{key}'][value='{one}']")
            else:
                page.fill(f"#{key}", str(posted))


def _start(page, form_id: str, definition=None) -> None:
    """From the home page to the form's first question."""
    page.click(f"a[href='/forms/{form_id}']")
    page.wait_for_url(f"**/forms/{form_id}")
    page.click("button.button--start")
    first = pages(definition or DEFINITIONS[form_id], {}, TODAY)[0].key
    page.wait_for_url(f"**/questions/{first}")


def _complete(page, form_id: str, people: int = 1, definition=None) -> str:
    """From the first question to the receipt; returns the reference shown."""
    definition = definition or DEFINITIONS[form_id]
    answers: dict = {}
    prefix = f"/forms/{form_id}/questions/"
    while prefix in page.url:
        key = page.url.split(prefix, 1)[1]
        screen = {p.key: p for p in pages(definition, answers, TODAY)}[key]
        total = len(pages(definition, answers, TODAY))
        assert f"of {total}" in page.inner_text(".progress")
        if screen.asks_for_more:
            wanted = len(answers.get(screen.repeat.name) or []) < people
            more(answers, screen.repeat, wanted)
            page.check(f"input[name='answer'][value='{'yes' if wanted else 'no'}']")
        else:
            _fill(page, definition, screen, answers)
        before = page.url
        page.click("form.question button[type=submit]")
        page.wait_for_function("url => location.href !== url", arg=before)
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
