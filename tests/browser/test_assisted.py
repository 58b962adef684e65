"""Assisted access in chromium: a community worker signs in through the real page, a
citizen fills in the birth-certificate form in Arabic and consents, and central shows who
helped and that consent was given. axe-core finds nothing on the sign-in page, its error
state or the consent on check your answers, in every language the kiosk offers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import more, pages
from tests import servers, staff
from tests.browser.axe import MIN_TARGET, SMALL_TARGETS, report, violations
from tests.browser.test_journey import _arrives, _fill

pytestmark = pytest.mark.browser
DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
FORM = "birth-certificate"
TODAY = date.today()
HELPER, HELPER_PIN = "Amina Haddad", "58203"
LOCKED, LOCKED_PIN = "Grace Wanjiru", "61940"  # gets the wrong PINs, and is locked by them
KINDS = ["sign in", "sign in, error", "home, assisted", "consent", "consent, error"]


Seen = dict[tuple[str, str], dict[str, Any]]


def _add_worker(data: Path, name: str, pin: str) -> None:
    """Through the technicians' command, the PIN on standard input."""
    result = servers.run(
        ["kiosk", "add-worker", name, "--pin-stdin", "--data", str(data)], input=pin + "\n"
    )
    assert result.returncode == 0, result.stderr


def _data(kiosk: servers.Server) -> Path:
    return Path(kiosk.args[kiosk.args.index("--data") + 1])


def _full_page(page, selector: str) -> None:
    """Click ``selector`` (a plain form or link) and wait for the page that follows."""
    with page.expect_navigation():
        page.click(selector)


def _choose_language(page, kiosk_url: str, language: str, back: str) -> None:
    page.goto(f"{kiosk_url}/language?next={back}")
    _full_page(page, f"button[name=language][value={language}]")
    assert page.get_attribute("html", "lang") == language


def _sign_in(page, name: str, pin: str) -> None:
    page.get_by_label(name).check()
    page.fill("#pin", pin)
    _full_page(page, "form.assist-sign-in button[type=submit]")


def _look(page, seen: Seen, language: str, kind: str) -> None:
    errors = page.locator(".error-message")
    seen[(language, kind)] = {
        "url": page.url,
        "errors": [errors.nth(n).inner_text() for n in range(errors.count())],
        "violations": violations(page),
        "small": page.evaluate(SMALL_TARGETS, MIN_TARGET),
    }


def _walk(browser, kiosk_url: str, language: str, seen: Seen) -> None:
    context = browser.new_context()
    page = context.new_page()
    _choose_language(page, kiosk_url, language, "/assist")
    assert page.url.endswith("/assist")
    _look(page, seen, language, "sign in")
    _sign_in(page, LOCKED, "9999")
    assert page.locator(".error-summary").count() and page.locator("#pin-error").count()
    _look(page, seen, language, "sign in, error")
    _sign_in(page, HELPER, HELPER_PIN)
    assert page.url == kiosk_url + "/", page.url
    assert HELPER in page.inner_text(".assist-strip")
    _look(page, seen, language, "home, assisted")
    page.goto(f"{kiosk_url}/forms/{FORM}")
    _full_page(page, "button.button--start")
    page.goto(f"{kiosk_url}/forms/{FORM}/check")
    assert page.locator("#consent").count()
    _look(page, seen, language, "consent")
    page.click("form[action$='/submit'] button[type=submit]")  # the box not ticked
    page.wait_for_selector("#consent-error")
    _look(page, seen, language, "consent, error")
    context.close()


@pytest.fixture(scope="module")
def workers_added(stack) -> None:
    _, kiosk = stack
    _add_worker(_data(kiosk), HELPER, HELPER_PIN)
    _add_worker(_data(kiosk), LOCKED, LOCKED_PIN)


@pytest.fixture(scope="module")
def seen(browser, stack, workers_added) -> Seen:
    """axe's findings and the small targets on each assisted page, in every language."""
    found: Seen = defaultdict(dict)
    for language in locales.LANGUAGES:
        _walk(browser, stack[1].url, language, found)
    return found


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", locales.LANGUAGES)
def test_axe_finds_no_wcag_22_aa_violation(seen, language, kind):
    visit = seen[(language, kind)]
    assert visit, f"the walk never reached {kind} in {language}"
    assert not visit["violations"], f"{visit['url']}\n{report(visit['violations'])}"


@pytest.mark.parametrize("language", locales.LANGUAGES)
def test_every_target_is_at_least_48_by_48_css_pixels(seen, language):
    small = [f"{kind}: {target}" for kind in KINDS for target in seen[(language, kind)]["small"]]
    assert not small, "\n".join(small)


def test_the_fifth_wrong_pin_locks_the_sign_in(seen):
    """The walk gave one wrong PIN per language, each said in that language; the fifth
    locks the worker's sign-in for 15 minutes."""
    for number, language in enumerate(locales.LANGUAGES, start=1):
        translations = locales.translations(language)
        [said] = seen[(language, "sign in, error")]["errors"]
        if number < 5:
            assert translations.gettext("That name and PIN do not match") in said
        else:
            singular = "Too many wrong PINs. Try again in %(minutes)s minute."
            locked = translations.ngettext(singular, singular[:-1] + "s.", 15)
            assert locked % {"minutes": 15} in said


def _complete_in_arabic(page, kiosk_url: str) -> str:
    """From the home page, the birth-certificate form in Arabic, consent ticked; the
    reference on the receipt."""
    _choose_language(page, kiosk_url, "ar", "/")
    assert "بمساعدة" in page.inner_text(".assist-strip")
    page.click(f"a[href='/forms/{FORM}']")
    page.wait_for_url(f"**/forms/{FORM}")
    page.click("button.button--start")
    definition, answers = DEFINITIONS[FORM], {}
    prefix = f"/forms/{FORM}/questions/"
    page.wait_for_url(f"**{prefix}**")
    while prefix in page.url:
        key = page.url.split(prefix, 1)[1]
        screen = {p.key: p for p in pages(definition, answers, TODAY)}[key]
        if screen.asks_for_more:
            wanted = not answers.get(screen.repeat.name)
            more(answers, screen.repeat, wanted)
            page.check(f"input[name='answer'][value='{'yes' if wanted else 'no'}']")
        else:
            _fill(page, definition, screen, answers)
        before = page.url
        page.click("form.question button[type=submit]")
        page.wait_for_function("url => location.href !== url", arg=before)
    page.wait_for_url(f"**/forms/{FORM}/check")
    assert "أوافق" in page.inner_text("label[for=consent]")
    assert HELPER in page.inner_text("label[for=consent]")
    page.check("#consent")
    page.click("form[action$='/submit'] button[type=submit]")
    page.wait_for_selector(".reference")
    return page.inner_text(".reference").strip()


def test_an_assisted_citizen_in_arabic_reaches_central_with_the_consent(
    browser, stack, workers_added
):
    central, kiosk = stack
    context = browser.new_context()
    page = context.new_page()
    page.goto(kiosk.url + "/")
    _full_page(page, "a[href='/assist']")
    _sign_in(page, HELPER, HELPER_PIN)
    assert f"Assisted by {HELPER}" in page.inner_text(".assist-strip")
    reference = _complete_in_arabic(page, kiosk.url)
    _full_page(page, "main form[action='/finish'] button[type=submit]")
    assert HELPER in page.inner_text(".assist-strip"), "Finish wipes the citizen, not the worker"
    context.close()

    assert _arrives(central.url, reference)
    with staff.signed_in(central.url) as client:
        detail = client.get(f"/submissions/{reference}").text
        api = client.get(f"/api/v1/submissions/{reference}").json()
    assert f"Assisted by {HELPER}" in detail
    assert "Consent given" in detail and "in Arabic (ar)" in detail
    assert api["language"] == "ar"
    assert api["assisted"]["worker_name"] == HELPER
    assert api["assisted"]["consent_language"] == "ar"
