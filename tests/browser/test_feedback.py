"""Feedback after the receipt in chromium: a face chosen with the keyboard or a tap, a
comment, thanks in place of the form; axe over the form and its error in every language,
and every face a target of at least 48 by 48 CSS pixels."""

from __future__ import annotations

import time

import httpx2
import pytest

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from tests import staff
from tests.browser.axe import MIN_TARGET, report, violations
from tests.browser.conftest import signed_in
from tests.browser.test_journey import _complete, _start
from tests.citizen import complete, csrf_token

pytestmark = pytest.mark.browser
FORM = "pension-support"
THANKS = "#feedback h2#feedback-title"

# Each face as the citizen sees it (the tile, its label, together with its radio), then
# the comment box and the button.
_TARGETS = """() => [...document.querySelectorAll('.faces__item, #comment, #feedback button')]
  .map(item => {
  const parts = item.matches('.faces__item') ? item.querySelectorAll('input, label') : [item];
  const rects = [...parts].map(e => e.getBoundingClientRect());
  const left = Math.min(...rects.map(r => r.left)), right = Math.max(...rects.map(r => r.right));
  const top = Math.min(...rects.map(r => r.top)), bottom = Math.max(...rects.map(r => r.bottom));
  const value = item.querySelector('input')?.value || item.id || item.tagName;
  return {value, left, width: right - left, height: bottom - top};
})"""

# How the tile of the focused or chosen face looks.
_TILE = """id => {
  const style = getComputedStyle(document.querySelector(`label[for="${id}"]`));
  return {outline: style.outlineStyle + ' ' + style.outlineWidth, shadow: style.boxShadow};
}"""


def _receipt(page, kiosk_url: str) -> str:
    page.goto(kiosk_url + "/")
    _start(page, FORM)
    return _complete(page, FORM)


def _feedback_at_central(central_url: str, reference: str) -> list[dict]:
    with staff.signed_in(central_url) as client:
        for _ in range(100):
            answer = client.get(f"/api/v1/submissions/{reference}")
            if answer.status_code == 200 and answer.json()["feedback"]:
                return list(answer.json()["feedback"])
            time.sleep(0.1)
    return []


def _problems(page, javascript: bool = True) -> str:
    found = violations(page, javascript)
    small = [t for t in page.evaluate(_TARGETS) if min(t["width"], t["height"]) < MIN_TARGET]
    return "\n".join(filter(None, [report(found), *map(str, small)]))


def test_a_face_chosen_with_the_keyboard_and_a_comment_reach_central(browser, stack):
    central, kiosk = stack
    context = browser.new_context()
    page = context.new_page()
    reference = _receipt(page, kiosk.url)
    page.evaluate("window.sameDocument = true")
    page.focus("#feedback-title")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rating-1"
    assert page.evaluate(_TILE, "rating-1")["outline"] == "solid 4px", "focus shows on the tile"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert page.is_checked("#rating-4") and page.evaluate("document.activeElement.id") == "rating-4"
    assert "inset" in page.evaluate(_TILE, "rating-4")["shadow"], "the choice shows on the tile"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "comment"
    page.keyboard.type("The big letters helped.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(THANKS)
    assert page.inner_text(THANKS) == "Thank you for your feedback"
    assert page.evaluate("window.sameDocument") is True, "only the section was swapped"
    assert page.evaluate("document.activeElement.id") == "feedback-title"
    assert page.inner_text("#status") == "Thank you for your feedback"
    assert page.locator(".reference").inner_text().strip() == reference
    given = _feedback_at_central(central.url, reference)
    assert [(f["rating"], f["comment"]) for f in given] == [(4, "The big letters helped.")]
    context.close()


def test_a_face_tapped_without_javascript_comes_back_as_thanks(browser, stack):
    central, kiosk = stack
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    reference = _receipt(page, kiosk.url)
    page.click("label[for='rating-2'] img")
    assert page.is_checked("#rating-2")
    page.click("#feedback button[type=submit]")
    page.wait_for_selector(THANKS)
    assert page.url.endswith(f"/receipts/{reference}#feedback")
    given = _feedback_at_central(central.url, reference)
    assert [(f["rating"], f["comment"]) for f in given] == [(2, "")]
    context.close()


def test_the_form_and_its_error_pass_axe_in_every_language(browser, stack):
    _, kiosk = stack
    context = browser.new_context()
    page = context.new_page()
    reference = _receipt(page, kiosk.url)
    found = {}
    for language in locales.LANGUAGES:
        page.goto(f"{kiosk.url}/language?next=/receipts/{reference}")
        page.click(f"button[value='{language}']")
        page.wait_for_url(f"**/receipts/{reference}")
        assert page.get_attribute("html", "lang") == language
        found[f"{language}: form"] = _problems(page)
        faces = page.evaluate(_TARGETS)[:5]
        assert [face["value"] for face in faces] == ["1", "2", "3", "4", "5"]
        lefts = [face["left"] for face in faces]
        rtl = locales.direction(language) == "rtl"
        assert lefts == sorted(lefts, reverse=rtl), f"{language}: faces in reading order"
        page.click("#feedback button[type=submit]")  # nothing chosen
        page.wait_for_selector("#feedback .error-summary")
        assert page.evaluate("document.activeElement.className") == "error-summary"
        assert page.title().startswith(locales.translations(language).gettext("Error:"))
        found[f"{language}: error"] = _problems(page)
    wrong = {kind: problem for kind, problem in found.items() if problem}
    assert not wrong, "\n\n".join(f"{kind}\n{problem}" for kind, problem in wrong.items())
    context.close()


def test_high_contrast_and_no_javascript_pass_axe_too(browser, stack):
    _, kiosk = stack
    context = browser.new_context()
    page = context.new_page()
    reference = _receipt(page, kiosk.url)
    page.click("button[name=contrast]")
    page.wait_for_function("document.documentElement.classList.contains('high-contrast')")
    page.goto(f"{kiosk.url}/receipts/{reference}")
    page.check("#rating-5")
    page.focus("#rating-5")
    found = {"high contrast, chosen": _problems(page)}
    assert page.evaluate(_TILE, "rating-5")["outline"] == "solid 4px"
    context.close()
    quiet = browser.new_context(java_script_enabled=False)
    page = quiet.new_page()
    reference = _receipt(page, kiosk.url)
    page.click("#feedback button[type=submit]")
    page.wait_for_selector("#feedback .error-summary")
    found["no JavaScript, error"] = _problems(page, javascript=False)
    page.check("#rating-3")
    page.click("#feedback button[type=submit]")
    page.wait_for_selector(THANKS)
    found["no JavaScript, thanks"] = _problems(page, javascript=False)
    wrong = {kind: problem for kind, problem in found.items() if problem}
    assert not wrong, "\n\n".join(f"{kind}\n{problem}" for kind, problem in wrong.items())
    quiet.close()


def test_centrals_feedback_pages_pass_axe(browser, stack):
    central, kiosk = stack
    with httpx2.Client(base_url=kiosk.url, follow_redirects=True, timeout=10) as client:
        reference = complete(client, load_directory(DEFAULT_DIRECTORY)[FORM])
        token = csrf_token(client.get(f"/receipts/{reference}").text)
        data = {"csrftoken": token, "rating": "5", "comment": "Très rapide, merci"}
        client.post(f"/receipts/{reference}/feedback", data=data).raise_for_status()
    assert _feedback_at_central(central.url, reference)
    context, page = signed_in(browser, central.url)
    page.wait_for_url("**/submissions")
    found = {}
    for path in ["/feedback", f"/feedback?form={FORM}", f"/submissions/{reference}"]:
        page.goto(central.url + path)
        assert "Très rapide, merci" in page.inner_text("main"), path
        found[path] = report(violations(page))
    wrong = {path: problem for path, problem in found.items() if problem}
    assert not wrong, "\n\n".join(f"{path}\n{problem}" for path, problem in wrong.items())
    context.close()
