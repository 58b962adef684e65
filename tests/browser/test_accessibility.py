"""WCAG 2.2 AA in chromium, in every language the kiosk offers: axe-core on every kind of
page, each page's language and direction, the form's own words marked with the language
they are written in (WCAG 3.1.2), touch targets, the keyboard alone and 400 % zoom.

For each language, one walk (JavaScript on, so htmx swaps the pages) through a form
asking one question of every type (in English also the demo forms), the status,
language and save-for-later pages, the idle warning and bigger text runs axe, reads the
languages and measures the touch targets on one page of each kind; the English walk
also sees high contrast and two pages with JavaScript off, and every kind of error
(the other languages see one error per kind of markup: see ``ENGLISH_ONLY``). Central's
staff pages (English only) get a walk of their own. The tests then read what the walks
found, one test per kind of page and language.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx2
import pytest
import yaml

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import Page, more, pages, put
from forms.schema import FormDefinition
from forms.types import FIELD_TYPES
from kiosk.screens import WIDGETS, form_language, input_name
from sync import reference as references
from tests import staff
from tests.browser.axe import MIN_TARGET, SMALL_TARGETS, preload, report, violations
from tests.browser.conftest import running
from tests.browser.test_journey import _arrives, _fill
from tests.citizen import complete, form_data, valid_value

pytestmark = pytest.mark.browser
TODAY = date.today()
EVERY_TYPE = "every-question"


def _every_type() -> dict[str, Any]:
    """A form, in English alone, with one question of every type the kiosk asks, each with
    the settings its examples are written for (``forms.types``) and a hint, then two on
    one page and a repeat (with the kiosk's own "add another?"). It has no other language,
    so every other page shows it in English: WCAG 3.1.2's case."""
    one_tick = {"select_multiple": {"min_choices": 1}}  # tests.citizen ticks one box
    fields = [
        {
            "name": f"a_{name}",
            "type": name,
            "label": f"An example of a {name.replace('_', ' ')} question",
            "hint": "Some help with the answer.",
            **FIELD_TYPES[name].settings,
            **one_tick.get(name, {}),
        }
        for name in sorted(WIDGETS)
    ]
    two = [
        {"name": "first_name", "type": "text", "label": "What is your first name?"},
        {"name": "age", "type": "integer", "label": "How old are you?", "min": 1},
    ]
    fields += [
        {"name": "about_you", "type": "group", "page": True, "label": "About you", "fields": two},
        {
            "name": "people",
            "type": "repeat",
            "label": "Person",
            "min_count": 1,
            "fields": [
                {"name": "person_name", "type": "text", "label": "What is this person's name?"}
            ],
        },
    ]
    return {
        "id": EVERY_TYPE,
        "version": "1",
        "default_language": "en",
        "languages": ["en"],
        "title": "Every kind of question",
        "description": "One question of every type the kiosk can ask.",
        "fields": fields,
    }


DEFINITIONS = {
    **load_directory(DEFAULT_DIRECTORY),
    EVERY_TYPE: FormDefinition.model_validate(_every_type()),
}
#: A walk in English goes through every form (the demo forms' own start, check and receipt
#: pages); one in another language through the form of every type, which has every kind
#: of question page.
FORMS = [EVERY_TYPE, "birth-certificate", "pension-support"]
CHOSEN = {"select_one", "yes_no", "select_multiple", "consent"}  # answered by ticking
QUESTIONS = [*sorted(WIDGETS), "group", "add another"]
REQUIRED = [
    *(name for name in sorted(WIDGETS) if FIELD_TYPES[name].required_code),
    "group",
    "add another",
]
KIOSK = [
    "home",
    "language",
    "start",
    *(f"question: {kind}" for kind in QUESTIONS),
    *(f"error: {kind}" for kind in REQUIRED),
    "check",
    "receipt",
    "status: empty",
    "status: found",
    "status: unknown reference",
    "status: not a reference",
    "problem",
    "saved for later",
    "resume: empty",
    "resume: error",
    "idle warning",
    "question, biggest text",
    "question, high contrast",
    "error, high contrast",
    "home, high contrast",
    "home, no JavaScript",
    "question, no JavaScript",
]
#: What a walk in another language than English leaves out: the same markup in other
#: words. It sees the errors of a text box (a label), a date (a fieldset of boxes), a
#: choice of several (a fieldset of ticks) and "add another?"; high contrast and
#: JavaScript off change no words.
ENGLISH_ONLY = {
    *(f"error: {kind}" for kind in REQUIRED),
    "question, high contrast",
    "error, high contrast",
    "home, high contrast",
    "home, no JavaScript",
    "question, no JavaScript",
    "status: not a reference",
} - {f"error: {kind}" for kind in ["text", "date", "select_multiple", "add another"]}
PAGES = [
    (language, kind)
    for language in locales.LANGUAGES
    for kind in KIOSK
    if language == locales.DEFAULT or kind not in ENGLISH_ONLY
]
CENTRAL = [
    "central: sign in",
    "central: sign in, error",
    "central: submissions",
    "central: submission",
    "central: kiosks",
]


def _form_words(language: str) -> dict[str, str]:
    """Every text of every form as a page in ``language`` shows it, with the language it
    is written in (the form's default language where the form has none in ``language``)."""
    words = {}
    for definition in DEFINITIONS.values():
        written_in = form_language(definition, language)
        for _, text in definition.texts():
            words[text.get(language, definition.default_language)] = written_in
    return words


WORDS = {language: _form_words(language) for language in locales.LANGUAGES}

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


# The page's language and direction, whether a dialog is open, and every piece of text
# that is exactly one of the forms' words (`all[lang]`: text -> the language it is written
# in, for a page in `lang`) whose nearest `lang` says another language.
_LANGUAGES = """all => {
  const root = document.documentElement, words = all[root.getAttribute('lang')] || {};
  const wrong = [];
  let seen = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!Object.prototype.hasOwnProperty.call(words, text)) continue;
    seen += 1;
    const marked = node.parentElement.closest('[lang]');
    const lang = marked ? marked.getAttribute('lang') : '';
    if (lang !== words[text]) {
      wrong.push(`"${text.slice(0, 60)}" is in lang="${lang}", written in "${words[text]}"`);
    }
  }
  const dialog = !!document.querySelector('dialog[open]');
  return {lang: root.getAttribute('lang'), dir: root.getAttribute('dir'), wrong, seen, dialog};
}"""
# Both in one round trip, the targets again with focus on the skip link (unless a dialog
# is open): {small, lang, dir, wrong, seen, dialog}.
_TARGETS_AND_LANGUAGES = f"""([least, all]) => {{
  const small = ({SMALL_TARGETS})(least), said = ({_LANGUAGES})(all);
  if (!said.dialog) {{
    document.querySelector('.skip-link').focus();
    small.push(...({SMALL_TARGETS})(least));
  }}
  return {{...said, small}};
}}"""
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
    lang: str = ""
    dir: str = ""
    misplaced: list[str] = field(default_factory=list)
    form_words: int = 0


Visits = dict[str, list[Visit]]


@dataclass
class Walk:
    """What one language's walk saw: its pages by kind."""

    language: str
    visits: Visits


def _go(page, action: Callable[[], Any], javascript: bool = True) -> None:
    """Do ``action`` (a click, a key) and wait until the next page is in: swapped or loaded."""
    if not javascript:  # no timers, so nothing to poll with: wait for the load itself
        with page.expect_navigation():
            action()
        return
    count = page.evaluate(_COUNT_SWAPS)
    action()
    page.wait_for_function(_NEW_PAGE, arg=count)


def _look(page, visits: Visits, kind: str, kiosk: bool = True, javascript: bool = True) -> None:
    """Run axe on the page as it is (focus where the kiosk put it); on a kiosk page, read
    its languages and measure its targets, the skip link with focus too."""
    found = violations(page, javascript)
    if not kiosk:
        visits[kind].append(Visit(page.url, found))
        return
    said = page.evaluate(_TARGETS_AND_LANGUAGES, [MIN_TARGET, WORDS])
    visits[kind].append(
        Visit(
            page.url, found, said["small"], said["lang"], said["dir"], said["wrong"], said["seen"]
        )
    )


def _kind(screen: Page) -> str:
    if screen.asks_for_more:
        return "add another"
    return "group" if len(screen.slots) > 1 else screen.slots[0].field.type


def _needs_answer(slot) -> bool:
    return slot.field.required and FIELD_TYPES[slot.field.type].required_code is not None


def _submit(page) -> None:
    _go(page, lambda: page.click("form.question button[type=submit]"))


def _choose(page, language: str, javascript: bool = True) -> None:
    """Pick ``language`` on the home page (a plain form: it works without JavaScript)."""
    button = f"main button[name=language][value={language}]"
    _go(page, lambda: page.click(button), javascript)
    assert page.evaluate("document.documentElement.lang") == language, page.url


def _home(page, language: str) -> None:
    """To the home page, in ``language`` (chosen again if the session, and its language
    with it, has ended)."""
    page.goto(page.evaluate("location.origin") + "/")
    if page.evaluate("document.documentElement.lang") != language:
        _choose(page, language)


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


def _walk_form(page, visits: Visits, form_id: str, language: str) -> str:
    """Home to receipt and back, looking at the start, check and receipt pages and at
    each kind of question page and of error the walk has not seen yet."""

    def look(screen: Page) -> None:
        kind = _kind(screen)
        if not visits[f"question: {kind}"]:
            _look(page, visits, f"question: {kind}")
        required = screen.asks_for_more or all(_needs_answer(slot) for slot in screen.slots)
        if required and not visits[f"error: {kind}"] and (language, f"error: {kind}") in PAGES:
            _submit(page)  # nothing answered
            assert page.locator(".error-summary").count(), f"no error on {page.url}"
            _look(page, visits, f"error: {kind}")

    _home(page, language)
    _go(page, lambda: page.click(f"a[href='/forms/{form_id}']"))
    _look(page, visits, "start")
    _go(page, lambda: page.click("button.button--start"))
    _questions(page, form_id, look)
    _look(page, visits, "check")
    _go(page, lambda: page.click(f"form[action='/forms/{form_id}/submit'] button[type=submit]"))
    _look(page, visits, "receipt")
    reference = page.inner_text(".reference").strip()
    _go(page, lambda: page.click("main form[action='/finish'] button"))
    return reference


def _walk_other_pages(page, kiosk_url: str, language: str, reference: str, visits: Visits) -> None:
    """Status, language, a problem, save for later and back, the idle warning, bigger
    text, high contrast."""
    unknown = references.make("ZZ98", 1)  # well formed, and made by no kiosk here
    for kind, address in [
        ("status: empty", "/status"),
        ("status: found", f"/status?reference={reference}"),
        ("status: unknown reference", f"/status?reference={unknown}"),
        ("status: not a reference", "/status?reference=NOT-A-CODE"),
        ("language", "/language"),
        ("problem", "/forms/no-such-form"),
    ]:
        page.goto(kiosk_url + address)
        _look(page, visits, kind)
    page.goto(kiosk_url + "/")
    _go(page, lambda: page.click("a[href='/forms/birth-certificate']"))
    _go(page, lambda: page.click("button.button--start"))
    _go(page, lambda: page.click("form.save-for-later button"))
    _look(page, visits, "saved for later")
    code = page.inner_text(".reference").strip()
    _home(page, language)  # saving wiped the session
    _go(page, lambda: page.click("main a[href='/resume']"))
    _look(page, visits, "resume: empty")
    _go(page, lambda: page.click("main button[type=submit]"))
    _look(page, visits, "resume: error")
    page.fill("#code", code)
    _go(page, lambda: page.click("main button[type=submit]"))
    assert page.url.endswith("/forms/birth-certificate/check"), page.url
    _look(page, visits, "check")  # nothing answered yet
    page.goto(kiosk_url + "/forms/birth-certificate/questions/whose_certificate")
    page.evaluate("document.body.dataset.idleSeconds = '1'")  # the least the kiosk takes
    page.keyboard.press("Shift")  # a touch: the idle time starts again, one second long
    page.wait_for_selector("#idle-warning[open]")
    _look(page, visits, "idle warning")
    page.click("#idle-more-time")
    for _ in range(2):
        _go(page, lambda: page.click("button[value=bigger]"))
    _look(page, visits, "question, biggest text")
    if language != locales.DEFAULT:
        return
    _go(page, lambda: page.click("button[name=contrast]"))
    _look(page, visits, "question, high contrast")
    _submit(page)  # nothing answered
    _look(page, visits, "error, high contrast")
    page.goto(kiosk_url + "/")
    _look(page, visits, "home, high contrast")


def _walk_without_javascript(browser, kiosk_url: str, language: str, visits: Visits) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(kiosk_url + "/")
    _choose(page, language, javascript=False)
    _look(page, visits, "home, no JavaScript", javascript=False)
    _go(page, lambda: page.click("a[href='/forms/birth-certificate']"), javascript=False)
    _go(page, lambda: page.click("button.button--start"), javascript=False)
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
def stack(tmp_path_factory):
    """Central and a kiosk serving the demo forms and the form of every question type."""
    root = tmp_path_factory.mktemp("stack")
    forms = root / "forms"
    shutil.copytree(DEFAULT_DIRECTORY, forms)
    (forms / f"{EVERY_TYPE}.yaml").write_text(yaml.safe_dump(_every_type(), sort_keys=False))
    with running(root, "--forms", str(forms)) as both:
        yield both


def _walk(browser, kiosk_url: str, language: str) -> Walk:
    """Every page of one language's walk, by kind, with what axe, the target ruler and
    the language reader found on it."""
    seen: Visits = defaultdict(list)
    context = browser.new_context()
    preload(context)
    page = context.new_page()
    page.goto(kiosk_url + "/")
    _choose(page, language)
    _look(page, seen, "home")
    english = language == locales.DEFAULT
    forms = FORMS if english else FORMS[:1]
    sent = [_walk_form(page, seen, form_id, language) for form_id in forms]
    _home(page, language)
    _walk_other_pages(page, kiosk_url, language, sent[0], seen)
    context.close()
    if english:
        _walk_without_javascript(browser, kiosk_url, language, seen)
    return Walk(language, seen)


@pytest.fixture(scope="module")
def walks() -> dict[str, Walk]:
    """Each language's walk, taken once, when a test first asks for it."""
    return {}


@pytest.fixture
def walk(request, walks, browser, stack) -> Walk:
    """The walk in the language the test is parametrized with (indirectly)."""
    language = request.param
    if language not in walks:
        walks[language] = _walk(browser, stack[1].url, language)
    return walks[language]


@pytest.fixture(scope="module")
def central_visits(browser, stack) -> Visits:
    """Central's staff pages, once a submission has reached central."""
    central, kiosk = stack
    with httpx2.Client(base_url=kiosk.url, follow_redirects=True) as client:
        reference = complete(client, DEFINITIONS["birth-certificate"])
    assert _arrives(central.url, reference)
    seen: Visits = defaultdict(list)
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


def test_the_language_reader_finds_words_not_marked(browser, stack):
    """The reader is not blind either: the start page in Swahili shows the form's English
    words marked as English; with their marks taken away it says so."""
    page = browser.new_page()
    page.goto(stack[1].url + "/")
    _choose(page, "sw")
    _go(page, lambda: page.click("a[href='/forms/birth-certificate']"))
    marked = page.evaluate(_LANGUAGES, WORDS)
    assert marked["seen"] >= 2 and not marked["wrong"], marked
    page.evaluate(
        "() => document.querySelectorAll('main [lang]').forEach(e => e.removeAttribute('lang'))"
    )
    unmarked = page.evaluate(_LANGUAGES, WORDS)
    assert len(unmarked["wrong"]) == marked["seen"], unmarked
    assert 'is in lang="sw", written in "en"' in unmarked["wrong"][0]
    page.close()


def _problems(visits: list[Visit]) -> str:
    return "\n\n".join(f"{v.url}\n{report(v.violations)}" for v in visits if v.violations)


@pytest.mark.parametrize(("walk", "kind"), PAGES, indirect=["walk"])
def test_axe_finds_no_wcag_22_aa_violation(walk, kind):
    assert walk.visits[kind], f"the {walk.language} walk never reached a {kind} page"
    assert not _problems(walk.visits[kind]), _problems(walk.visits[kind])


@pytest.mark.parametrize("kind", CENTRAL)
def test_axe_finds_no_wcag_22_aa_violation_on_central(central_visits, kind):
    assert central_visits[kind], f"the walk never reached a {kind} page"
    assert not _problems(central_visits[kind]), _problems(central_visits[kind])


@pytest.mark.parametrize("walk", locales.LANGUAGES, indirect=True)
def test_every_page_says_its_language_and_direction(walk):
    """``<html lang dir>`` is the chosen language on every page: ``ar`` reads right to left."""
    direction = "rtl" if walk.language == "ar" else "ltr"
    assert locales.direction(walk.language) == direction
    said = {(visit.url, visit.lang, visit.dir) for kind in KIOSK for visit in walk.visits[kind]}
    assert len(said) > 25, f"the walk saw only {len(said)} pages"  # 29 to 34 in a walk
    wrong = sorted(visit for visit in said if visit[1:] != (walk.language, direction))
    assert not wrong, wrong


@pytest.mark.parametrize("walk", locales.LANGUAGES, indirect=True)
def test_the_forms_own_words_say_which_language_they_are_in(walk):
    """A form with no text in the page's language shows its own in its default language,
    and says so with ``lang`` (WCAG 3.1.2, language of parts)."""
    visits = [visit for kind in KIOSK for visit in walk.visits[kind]]
    assert sum(visit.form_words for visit in visits) > 100
    wrong = [f"{visit.url}: {words}" for visit in visits for words in visit.misplaced]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("walk", locales.LANGUAGES, indirect=True)
def test_every_kiosk_target_is_at_least_48_by_48_css_pixels(walk):
    measured = [visit for kind in KIOSK for visit in walk.visits[kind]]
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
