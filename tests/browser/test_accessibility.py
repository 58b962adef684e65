"""WCAG 2.2 AA in chromium: axe-core on every kind of page, touch targets, the keyboard
alone and 400 % zoom.

One walk through both demo forms (JavaScript on, so htmx swaps the pages), the status,
language and save-for-later pages, bigger text and high contrast, two pages with
JavaScript off and central's staff pages runs axe and measures the touch targets on each
page it passes; the tests then read what the walk found, one test per kind of page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import Page, more, pages, put
from kiosk.screens import input_name
from tests import staff
from tests.browser.axe import report, violations
from tests.browser.test_journey import _arrives, _fill
from tests.citizen import form_data, valid_value

pytestmark = pytest.mark.browser
DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
TODAY = date.today()
FORMS = ["birth-certificate", "pension-support"]
CHOSEN = {"select_one", "yes_no", "select_multiple", "consent"}  # answered by ticking
QUESTIONS = ["text", "integer", "decimal", "date", "select_one", "yes_no", "phone", "group"]
REQUIRED = ["text", "integer", "decimal", "date", "select_one", "yes_no", "group", "add another"]
KIOSK = [
    "home",
    "start",
    *(f"question: {kind}" for kind in [*QUESTIONS, "add another"]),
    *(f"error: {kind}" for kind in REQUIRED),
    "check",
    "receipt",
    "status: empty",
    "status: found",
    "status: error",
    "language",
    "problem",
    "saved for later",
    "resume: empty",
    "resume: error",
    "question, biggest text",
    "question, high contrast",
    "error, high contrast",
    "home, high contrast",
    "home, no JavaScript",
    "question, no JavaScript",
]
CENTRAL = [
    "central: sign in",
    "central: sign in, error",
    "central: submissions",
    "central: submission",
    "central: kiosks",
]
MIN_TARGET = 48  # CSS px each way: the kiosk's own rule (WCAG 2.5.8 asks for 24)

# A count of htmx swaps, kept in the page; a full page load starts a new document.
_COUNT_SWAPS = """() => {
  if (window.swapsSeen === undefined) {
    window.swapsSeen = 0;
    document.addEventListener('htmx:finally:swap', () => { window.swapsSeen += 1; });
  }
  return window.swapsSeen;
}"""
_NEW_PAGE = """n => window.swapsSeen === undefined
  ? document.readyState === 'complete' : window.swapsSeen > n"""

# Every clickable target smaller than `least` CSS px either way. A radio or checkbox
# counts together with its label (the whole row takes the tap); hidden inputs, visually
# hidden text and the skip link (until it has focus) are not targets.
_SMALL_TARGETS = """least => {
  const small = [];
  const ticks = c => c && (c.type === 'radio' || c.type === 'checkbox');
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea')) {
    if (el.type === 'hidden' || el.getClientRects().length === 0) continue;
    if (el.closest('.visually-hidden, dialog:not([open])')) continue;
    if (el.matches('.skip-link') && el !== document.activeElement) continue;
    const rects = (ticks(el) ? [el, ...el.labels] : [el]).map(p => p.getBoundingClientRect());
    const width = Math.max(...rects.map(r => r.right)) - Math.min(...rects.map(r => r.left));
    const height = Math.max(...rects.map(r => r.bottom)) - Math.min(...rects.map(r => r.top));
    if (width + 0.5 < least || height + 0.5 < least) {
      small.push(`${el.outerHTML.slice(0, 120)}: ${width.toFixed(1)} x ${height.toFixed(1)}`);
    }
  }
  return small;
}"""

# The focused element: whether it shows focus (an outline or box shadow that is not clear;
# a native radio or checkbox paints no box shadow, so its outline must stand out 3:1 from
# what is behind it), and the contrast of its text with its background as it is focused.
_FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const colours = value => value.match(/rgba?\\([^)]*\\)/g) || [];
  const clear = colour => colour === 'transparent'
    || (colour.startsWith('rgba') && /,\\s*0\\)$/.test(colour));
  const luminance = colour => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return Math.round((light + 0.05) / (dark + 0.05) * 100) / 100;
  };
  const backdrop = start => {  // the first background colour that is not clear, from start up
    let at = start;
    while (at && clear(getComputedStyle(at).backgroundColor)) at = at.parentElement;
    return at ? getComputedStyle(at).backgroundColor : 'rgb(255, 255, 255)';
  };
  const background = backdrop(el), page = backdrop(el.parentElement);
  const native = el.type === 'radio' || el.type === 'checkbox';
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
    && !clear(style.outlineColor);
  const shadow = !native && colours(style.boxShadow).some(colour => !clear(colour));
  const ring = !native || (outline && contrast(style.outlineColor, page) >= 3);
  const words = !native && (el.value || el.innerText || '').trim() !== '';
  const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
  return {
    html: el.outerHTML.slice(0, 120),
    shown: el !== document.body && (outline || shadow) && ring,
    contrast: words ? contrast(style.color, background) : null,
    least: size >= 24 || (size >= 18.66 && bold) ? 3 : 4.5,
  };
}"""

# Elements that stick out past the right edge of the viewport (empty: no sideways scroll).
_WIDER_THAN_VIEWPORT = """() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return [];
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(el => el.outerHTML.slice(0, 100));
}"""


@dataclass
class Visit:
    url: str
    violations: list[dict[str, Any]]
    small_targets: list[str] = field(default_factory=list)


Visits = dict[str, list[Visit]]


def _go(page, action: Callable[[], Any]) -> None:
    """Do ``action`` (a click, a key) and wait until the next page is in: swapped or loaded."""
    count = page.evaluate(_COUNT_SWAPS)
    action()
    page.wait_for_function(_NEW_PAGE, arg=count)


def _look(page, visits: Visits, kind: str, kiosk: bool = True, javascript: bool = True) -> None:
    """Run axe on the page as it is (focus where the kiosk put it), then measure its targets
    if it is a kiosk page, the skip link with focus too."""
    found = violations(page, javascript)
    small = page.evaluate(_SMALL_TARGETS, MIN_TARGET) if kiosk else []
    if kiosk:
        page.focus(".skip-link")
        small += page.evaluate(_SMALL_TARGETS, MIN_TARGET)
    visits[kind].append(Visit(page.url, found, small))


def _kind(screen: Page) -> str:
    if screen.asks_for_more:
        return "add another"
    return "group" if len(screen.slots) > 1 else screen.slots[0].field.type


def _submit(page) -> None:
    _go(page, lambda: page.click("form.question button[type=submit]"))


def _questions(page, form_id: str, before: Callable[[Page], None]) -> None:
    """Answer every question page of ``form_id`` from the first, one person in a repeat,
    calling ``before(screen)`` on each page before it is answered."""
    definition = DEFINITIONS[form_id]
    answers: dict = {}
    prefix = f"/forms/{form_id}/questions/"
    while prefix in page.url:
        key = page.url.split(prefix, 1)[1]
        screen = {p.key: p for p in pages(definition, answers, TODAY)}[key]
        before(screen)
        if screen.asks_for_more:
            wanted = not answers.get(screen.repeat.name)
            more(answers, screen.repeat, wanted)
            page.check(f"input[name='answer'][value='{'yes' if wanted else 'no'}']")
        else:
            _fill(page, definition, screen, answers)
        _submit(page)
    assert page.url.endswith(f"/forms/{form_id}/check"), page.url


def _walk_form(page, visits: Visits, form_id: str) -> str:
    """Home to receipt and back, looking at every page and at each kind of error once."""

    def look(screen: Page) -> None:
        kind = _kind(screen)
        _look(page, visits, f"question: {kind}")
        required = screen.asks_for_more or all(slot.field.required for slot in screen.slots)
        if required and not visits[f"error: {kind}"]:
            _submit(page)  # nothing answered
            assert page.locator(".error-summary").count(), f"no error on {page.url}"
            _look(page, visits, f"error: {kind}")

    _go(page, lambda: page.click(f"a[href='/forms/{form_id}']"))
    _look(page, visits, "start")
    _go(page, lambda: page.click("button.button--start"))
    _questions(page, form_id, look)
    _look(page, visits, "check")
    _go(page, lambda: page.click("text=Send my answers"))
    _look(page, visits, "receipt")
    reference = page.inner_text(".reference").strip()
    _go(page, lambda: page.click("main button:has-text('Finish')"))
    return reference


def _walk_other_pages(page, kiosk_url: str, reference: str, visits: Visits) -> None:
    """Status, language, a problem, save for later and back, bigger text, high contrast."""
    for kind, address in [
        ("status: empty", "/status"),
        ("status: found", f"/status?reference={reference}"),
        ("status: error", "/status?reference=NOT-A-CODE"),
        ("language", "/language"),
        ("problem", "/forms/no-such-form"),
        ("home", "/"),
    ]:
        page.goto(kiosk_url + address)
        _look(page, visits, kind)
    _go(page, lambda: page.click("a[href='/forms/birth-certificate']"))
    _go(page, lambda: page.click("button.button--start"))
    _go(page, lambda: page.click("text=Save and come back later"))
    _look(page, visits, "saved for later")
    code = page.inner_text(".reference").strip()
    page.goto(kiosk_url + "/resume")
    _look(page, visits, "resume: empty")
    _go(page, lambda: page.click("main button[type=submit]"))
    _look(page, visits, "resume: error")
    page.fill("#code", code)
    _go(page, lambda: page.click("main button[type=submit]"))
    assert page.url.endswith("/forms/birth-certificate/check"), page.url
    _look(page, visits, "check")  # nothing answered yet
    page.goto(kiosk_url + "/forms/birth-certificate/questions/whose_certificate")
    for _ in range(2):
        _go(page, lambda: page.click("button[value=bigger]"))
    _look(page, visits, "question, biggest text")
    _go(page, lambda: page.click("button[name=contrast]"))
    _look(page, visits, "question, high contrast")
    _submit(page)  # nothing answered
    _look(page, visits, "error, high contrast")
    page.goto(kiosk_url + "/")
    _look(page, visits, "home, high contrast")


def _walk_without_javascript(browser, kiosk_url: str, visits: Visits) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(kiosk_url + "/")
    _look(page, visits, "home, no JavaScript", javascript=False)
    _go(page, lambda: page.click("a[href='/forms/birth-certificate']"))
    _go(page, lambda: page.click("button.button--start"))
    _look(page, visits, "question, no JavaScript", javascript=False)
    context.close()


def _walk_central(browser, central_url: str, visits: Visits) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(central_url + "/sign-in")
    _look(page, visits, "central: sign in", kiosk=False)
    for password, kind in [("wrong", "central: sign in, error"), (staff.PASSWORD, None)]:
        page.fill("#email", staff.EMAIL)
        page.fill("#password", password)
        _go(page, lambda: page.click("main button[type=submit]"))
        if kind:
            assert page.locator(".error-summary").count(), page.url
            _look(page, visits, kind, kiosk=False)
    page.goto(central_url + "/submissions")
    _look(page, visits, "central: submissions", kiosk=False)
    _go(page, lambda: page.click("main table a"))
    _look(page, visits, "central: submission", kiosk=False)
    page.goto(central_url + "/kiosks")
    _look(page, visits, "central: kiosks", kiosk=False)
    context.close()


@pytest.fixture(scope="module")
def visits(browser, stack) -> Visits:
    """Every page of the walk, by kind, with what axe and the target ruler found on it."""
    central, kiosk = stack
    seen: Visits = defaultdict(list)
    context = browser.new_context()
    page = context.new_page()
    page.goto(kiosk.url + "/")
    _look(page, seen, "home")
    references = [_walk_form(page, seen, form_id) for form_id in FORMS]
    _walk_other_pages(page, kiosk.url, references[0], seen)
    context.close()
    _walk_without_javascript(browser, kiosk.url, seen)
    assert all(_arrives(central.url, reference) for reference in references)
    _walk_central(browser, central.url, seen)
    return seen


def test_axe_reports_what_it_finds(browser, stack):
    """The harness is not blind: a picture without words and an unlabelled box fail."""
    page = browser.new_page()
    page.goto(stack[1].url + "/")
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<img src="/static/kiosk.css"><input type="text">')""")
    found = violations(page)
    assert {"image-alt", "label"} <= {violation["id"] for violation in found}
    assert '<img src="/static/kiosk.css">' in report(found)
    page.close()


@pytest.mark.parametrize("kind", KIOSK + CENTRAL)
def test_axe_finds_no_wcag_22_aa_violation(visits, kind):
    assert visits[kind], f"the walk never reached a {kind} page"
    problems = [
        f"{visit.url}\n{report(visit.violations)}" for visit in visits[kind] if visit.violations
    ]
    assert not problems, "\n\n".join(problems)


def test_every_kiosk_target_is_at_least_48_by_48_css_pixels(visits):
    measured = [visit for kind in KIOSK for visit in visits[kind]]
    assert len(measured) > 30
    small = [f"{visit.url}: {target}" for visit in measured for target in visit.small_targets]
    assert not small, "\n".join(small)


class _Keyboard:
    """Keys only; after every Tab the focused element must show that it has focus."""

    def __init__(self, page) -> None:
        self.page = page

    def press(self, key: str) -> dict[str, Any]:
        self.page.keyboard.press(key)
        return self.check(key)

    def check(self, key: str) -> dict[str, Any]:
        focus = self.page.evaluate(_FOCUS)
        where = f"after {key} on {self.page.url}: {focus['html']}"
        assert focus["shown"], f"{where}: focus is not visible"
        if focus["contrast"] is not None:
            assert focus["contrast"] >= focus["least"], f"{where}: text contrast {focus}"
        return focus

    def tab_through(self) -> int:
        """Tab from where focus is to the page's last control; how many were focused."""
        seen: list[str] = []
        for _ in range(80):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement === document.body"):
                break  # past the last control
            html = self.check("Tab")["html"]
            if html in seen:
                break
            seen.append(html)
        return len(seen)

    def tab_to(self, selector: str, backwards: bool = False) -> None:
        for _ in range(60):
            self.press("Shift+Tab" if backwards else "Tab")
            if self.page.evaluate("s => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def choose(self, name: str, value: str) -> None:
        """Tab into a group of radios, arrow to ``value``, and make sure it is chosen."""
        self.tab_to(f"input[name='{name}']")
        for _ in range(20):
            if self.page.evaluate("document.activeElement.value") == value:
                break
            self.press("ArrowDown")
        if not self.page.evaluate("document.activeElement.checked"):
            self.press("Space")
        assert self.page.is_checked(f"input[name='{name}'][value='{value}']")

    def answer(self, definition, screen: Page, answers: dict) -> None:
        for slot in screen.slots:
            value = valid_value(definition, slot, answers)
            put(answers, slot, value)
            for key, posted in form_data(slot.field, input_name(screen, slot), value).items():
                if slot.field.type in CHOSEN:
                    self.choose(key, str(posted))
                else:
                    self.tab_to(f"#{key}")
                    self.page.keyboard.type(str(posted))

    def next_page(self, selector: str) -> None:
        self.tab_to(selector)
        _go(self.page, lambda: self.page.keyboard.press("Enter"))


def test_the_birth_certificate_form_can_be_done_with_the_keyboard_alone(browser, stack):
    form_id = "birth-certificate"
    definition = DEFINITIONS[form_id]
    context = browser.new_context()
    page = context.new_page()
    keys = _Keyboard(page)
    page.goto(stack[1].url + "/")
    keys.next_page(f"a[href='/forms/{form_id}']")
    keys.next_page("button.button--start")
    answers: dict = {}
    prefix = f"/forms/{form_id}/questions/"
    while prefix in page.url:
        key = page.url.split(prefix, 1)[1]
        screen = {p.key: p for p in pages(definition, answers, TODAY)}[key]
        keys.answer(definition, screen, answers)
        keys.next_page("form.question button[type=submit]")
    assert page.url.endswith(f"/forms/{form_id}/check"), page.url
    keys.tab_to("form[action$='/submit'] button")
    keys.tab_to(".summary__change a", backwards=True)  # back to the last "Change"
    keys.next_page("form[action$='/submit'] button")
    assert page.inner_text(".reference").strip()
    context.close()


@pytest.mark.parametrize("contrast", [False, True], ids=["usual colours", "high contrast"])
def test_every_control_shows_focus_and_stays_readable_with_it(browser, stack, contrast):
    """Tab through the home page and a question page with an error, every control on them."""
    kiosk = stack[1].url
    context = browser.new_context()
    page = context.new_page()
    keys = _Keyboard(page)
    page.goto(kiosk + "/forms/birth-certificate")
    _go(page, lambda: page.click("button.button--start"))
    if contrast:
        _go(page, lambda: page.click("button[name=contrast]"))
    question = kiosk + "/forms/birth-certificate/questions/whose_certificate"
    page.goto(question)
    assert page.evaluate("document.documentElement.classList.contains('high-contrast')") is contrast
    _submit(page)  # nothing answered: focus on the error summary
    keys.check("an error")
    for address in [question, kiosk + "/"]:
        page.goto(address)
        page.focus(".skip-link")
        keys.check("focus")
        assert keys.tab_through() > 8
    context.close()


def test_at_400_percent_zoom_no_page_scrolls_sideways(browser, stack):
    """1280 CSS px at 400 % is 320 wide: the whole birth-certificate form, home to receipt."""
    context = browser.new_context(viewport={"width": 320, "height": 480})
    page = context.new_page()
    wide: dict[str, list[str]] = {}

    def measure(_screen=None) -> None:
        if sticking_out := page.evaluate(_WIDER_THAN_VIEWPORT):
            wide[page.url] = sticking_out

    page.goto(stack[1].url + "/")
    measure()
    _go(page, lambda: page.click("a[href='/forms/birth-certificate']"))
    measure()
    _go(page, lambda: page.click("button.button--start"))
    _questions(page, "birth-certificate", measure)
    measure()  # check your answers
    _go(page, lambda: page.click("text=Send my answers"))
    measure()
    context.close()
    assert len(wide) == 0, "\n".join(f"{url}: {els}" for url, els in wide.items())
