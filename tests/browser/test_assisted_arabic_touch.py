"""Issue 4's whole story in chromium, on a touch-only kiosk: a community worker signs in,
a citizen does the whole birth-certificate form in Arabic, typing every answer on the
on-screen keyboard (Arabic letters, the digit pad for numbers and dates) and listening to
each question read aloud, gives consent in Arabic, and central shows who helped and
that consent was given."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import more, pages, put
from kiosk.screens import input_name
from tests import servers, staff
from tests.browser.conftest import running
from tests.browser.test_assisted import (
    HELPER,
    HELPER_PIN,
    _add_worker,
    _choose_language,
    _full_page,
    _sign_in,
)
from tests.browser.test_journey import _arrives
from tests.browser.test_keyboard import _key, _tap
from tests.citizen import form_data, valid_value

pytestmark = pytest.mark.browser
DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
FORM = "birth-certificate"
CHOSEN = {"select_one", "yes_no", "select_multiple", "consent"}
ARABIC_NAME = "محمد علي"


@pytest.fixture(scope="module")
def touch_stack(tmp_path_factory) -> Iterator[tuple[servers.Server, servers.Server]]:
    """Central, and an enrolled kiosk with the on-screen keyboard on and one worker."""
    root = tmp_path_factory.mktemp("touch")
    with running(root, kiosk_options=["--keyboard"]) as (central, kiosk):
        _add_worker(root / "kiosk", HELPER, HELPER_PIN)
        yield central, kiosk


def _listen(page) -> None:
    """Press the question's speaker button: the kiosk answers with audio it synthesised."""
    with page.expect_response(lambda response: "/audio" in response.url) as heard:
        page.locator(".listen__link").first.click()
    response = heard.value
    assert response.status == 200, response.url
    assert response.headers["content-type"].startswith("audio/")


def _type_on_screen(page, field_id: str, text: str) -> None:
    page.click(f"#{field_id}")
    assert page.locator("#keyboard").is_visible()
    for char in text:
        _tap(page, "space") if char == " " else _key(page, char).click()
    assert page.input_value(f"#{field_id}") == text


def _answer(page, definition, screen, answers) -> None:
    for slot in screen.slots:
        value = valid_value(definition, slot, answers)
        if slot.field.type == "text":
            value = ARABIC_NAME
        put(answers, slot, value)
        for key, posted in form_data(slot.field, input_name(screen, slot), value).items():
            if slot.field.type in CHOSEN:
                for one in posted if isinstance(posted, list) else [posted]:
                    page.check(f"input[name='{key}'][value='{one}']")
            else:
                _type_on_screen(page, key, str(posted))
    if page.locator("#keyboard").is_visible():
        _tap(page, "hide")


def test_an_assisted_citizen_does_a_whole_form_in_arabic_by_touch_and_ear(browser, touch_stack):
    central, kiosk = touch_stack
    context = browser.new_context(viewport={"width": 800, "height": 1280}, has_touch=True)
    page = context.new_page()
    page.goto(kiosk.url + "/assist")
    _sign_in(page, HELPER, HELPER_PIN)
    _choose_language(page, kiosk.url, "ar", "/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.click(f"a[href='/forms/{FORM}']")
    page.wait_for_url(f"**/forms/{FORM}")
    page.click("button.button--start")
    definition, answers, today = DEFINITIONS[FORM], {}, date.today()
    prefix = f"/forms/{FORM}/questions/"
    page.wait_for_url(f"**{prefix}**")
    typed = 0
    while prefix in page.url:
        key = page.url.split(prefix, 1)[1]
        screen = {p.key: p for p in pages(definition, answers, today)}[key]
        if screen.asks_for_more:
            wanted = not answers.get(screen.repeat.name)
            more(answers, screen.repeat, wanted)
            page.check(f"input[name='answer'][value='{'yes' if wanted else 'no'}']")
        else:
            _listen(page)
            _answer(page, definition, screen, answers)
            typed += sum(slot.field.type not in CHOSEN for slot in screen.slots)
        before = page.url
        page.click("form.question button[type=submit]")
        page.wait_for_function("url => location.href !== url", arg=before)
    assert typed >= 3, "names, a date and numbers were typed on the on-screen keyboard"
    page.wait_for_url(f"**/forms/{FORM}/check")
    assert ARABIC_NAME in page.inner_text("main")
    assert "أوافق" in page.inner_text("label[for=consent]")
    page.check("#consent")
    page.click("form[action$='/submit'] button[type=submit]")
    page.wait_for_selector(".reference")
    reference = page.inner_text(".reference").strip()
    _full_page(page, "main form[action='/finish'] button[type=submit]")
    context.close()

    assert _arrives(central.url, reference)
    with staff.signed_in(central.url) as client:
        detail = client.get(f"/submissions/{reference}").text
        api = client.get(f"/api/v1/submissions/{reference}").json()
    assert f"Assisted by {HELPER}" in detail and "Consent given" in detail
    assert api["language"] == "ar" and ARABIC_NAME in api["answers"].values()
    assert api["assisted"]["worker_name"] == HELPER
    assert api["assisted"]["consent_language"] == "ar"
