"""The on-screen keyboard in chromium: a citizen types whole answers by tapping keys (AZERTY
in French, the Arabic layout right to left, digits only for numbers and dates), every key
is a 48 by 48 px target, the field being typed in is never under the keyboard, axe finds
nothing wrong with it open, and a kiosk without the setting has no keyboard at all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from sync import identity
from tests import servers
from tests.browser.axe import MIN_TARGET, report, violations

pytestmark = pytest.mark.browser
FORM = "birth-certificate"
VIEWPORTS = {"wide": (1280, 800), "landscape": (800, 600), "portrait": (600, 800)}

# The visible keys: their text (or accessible name) and box; and the focused field's box
# with the keyboard's top edge.
_KEYS = """() => [...document.querySelectorAll('#keyboard button')]
  .filter(key => key.getClientRects().length)
  .map(key => {
    const box = key.getBoundingClientRect();
    return {name: key.getAttribute('aria-label') || key.innerText.trim(),
            width: box.width, height: box.height, left: box.left, right: box.right};
  })"""
_PLACES = """() => {
  const field = document.activeElement.getBoundingClientRect();
  const keyboard = document.getElementById('keyboard').getBoundingClientRect();
  return {top: field.top, bottom: field.bottom, keyboard: keyboard.top,
          id: document.activeElement.id, width: document.documentElement.scrollWidth};
}"""


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory) -> Iterator[servers.Server]:
    """A kiosk with the keyboard on (no central needed: it never syncs)."""
    data = tmp_path_factory.mktemp("keyboard") / "kiosk"
    data.mkdir()
    identity.save(
        data, identity.Identity("kiosk-1", "K01", "Keyboard kiosk", "token", "http://127.0.0.1:9")
    )
    server = servers.kiosk(data, "http://127.0.0.1:9", "--no-sync", "--keyboard").start()
    yield server
    server.stop()


@contextmanager
def _question(
    browser,
    kiosk_url: str,
    key: str,
    language: str = "en",
    size: int = 1,
    contrast: bool = False,
    viewport: str = "wide",
    touch: bool = False,
    form: str = FORM,
):
    """A new session on question ``key`` of ``form``, in ``language``, text ``size``."""
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, has_touch=touch)
    page = context.new_page()
    page.goto(f"{kiosk_url}/forms/{form}")
    page.click("button.button--start")
    page.wait_for_url(f"**/forms/{form}/questions/**")
    path = f"/forms/{form}/questions/{key}"
    if language != "en":
        page.goto(f"{kiosk_url}/language?next={path}")
        page.click(f"button[value={language}]")
        page.wait_for_url(f"**{path}")
    page.goto(kiosk_url + path)
    for _ in range(size - 1):
        with page.expect_navigation():
            page.click("button[value=bigger]")
    if contrast:
        with page.expect_navigation():
            page.click("button[name=contrast]")
    try:
        yield page
    finally:
        context.close()


def _key(page, text: str):
    """The visible key that types ``text``, or does ``text`` (shift, space, go, ...)."""
    if text in {"shift", "layer", "space", "delete", "go", "hide"}:
        return page.locator(f"#keyboard button[value={text}]")
    exact = re.compile(f"^{re.escape(text)}$")
    return page.locator("#keyboard button:not([value]):visible", has_text=exact)


def _tap(page, text: str, touch: bool = False) -> None:
    key = _key(page, text)
    key.tap() if touch else key.click()


def _type(page, text: str, touch: bool = False) -> None:
    """Type ``text`` by tapping one key per letter (shift first for a capital)."""
    for char in text:
        if char == " ":
            _tap(page, "space", touch)
            continue
        if char != char.lower():
            _tap(page, "shift", touch)
        _tap(page, char.lower(), touch)


def _shown(page) -> bool:
    return page.locator("#keyboard").is_visible()


def _letter_rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#keyboard .keyboard__letters .keyboard__row",
        "rows => rows.map(row => [...row.querySelectorAll('button:not([value])')]"
        ".map(key => key.textContent).join(''))",
    )


def _visible_keys(page) -> list[str]:
    return [key["name"] for key in page.evaluate(_KEYS)]


def test_a_french_name_and_date_typed_on_azerty_by_touch(browser, kiosk):
    with _question(browser, kiosk.url, "about_person", "fr", touch=True) as page:
        assert not _shown(page)
        page.tap("#full_name")
        assert _shown(page)
        rows = _letter_rows(page)
        assert rows[0] == "éèêëàâçîïôù"
        assert rows[1].startswith("azerty") and rows[2].startswith("qsdfghjklm")
        assert page.get_attribute("#keyboard", "dir") == "ltr"
        page.evaluate("""() => { window.inputs = 0;
            document.getElementById('full_name').addEventListener('input', () => inputs++); }""")

        _type(page, "Zoé Lefèvre-D'Arcx", touch=True)
        _tap(page, "delete", touch=True)
        assert page.input_value("#full_name") == "Zoé Lefèvre-D'Arc"
        assert page.evaluate("window.inputs") == len("Zoé Lefèvre-D'Arcx") + 1  # and Delete
        assert page.evaluate("document.activeElement.id") == "full_name", "a key took focus"

        # The caret, not the end: a letter put back in the middle, a selection replaced.
        page.evaluate("document.getElementById('full_name').setSelectionRange(3, 3)")
        _tap(page, "s", touch=True)
        page.evaluate("document.getElementById('full_name').setSelectionRange(3, 4)")
        _tap(page, "delete", touch=True)
        assert page.input_value("#full_name") == "Zoé Lefèvre-D'Arc"

        assert _key(page, "go").inner_text() == "Suivant"  # the date comes next
        for part, digits in [("day", "27"), ("month", "3"), ("year", "2007")]:
            _tap(page, "go", touch=True)
            assert page.evaluate("document.activeElement.id") == f"date_of_birth-{part}"
            assert not any(key.isalpha() for key in _visible_keys(page) if len(key) == 1)
            _type(page, digits, touch=True)
        assert _key(page, "go").inner_text() == "Continuer"  # the form's own button
        _tap(page, "go", touch=True)
        page.wait_for_url("**/questions/birth_region")
        page.wait_for_function("document.activeElement.tagName === 'H1'")
        assert not _shown(page), "a swap moves focus to the heading, and the keyboard goes"

        page.goto(kiosk.url + f"/forms/{FORM}/questions/about_person")
        assert page.input_value("#full_name") == "Zoé Lefèvre-D'Arc"
        assert page.input_value("#date_of_birth-year") == "2007"


def test_arabic_is_typed_right_to_left_on_the_arabic_layout(browser, kiosk):
    with _question(browser, kiosk.url, "about_person", "ar") as page:
        page.click("#full_name")
        assert page.get_attribute("#keyboard", "dir") == "rtl"
        rows = _letter_rows(page)
        assert rows[1].startswith("ضصثقفغعهخحج") and rows[2].startswith("شسيبلاتنمكط")
        first, second = (_key(page, letter).bounding_box() for letter in "ضص")
        assert first["x"] > second["x"], "ض is on the right, as on an Arabic phone keyboard"
        assert _key(page, "shift").count() == 0
        _type(page, "محمد علي")
        assert page.input_value("#full_name") == "محمد علي"
        _tap(page, "layer")  # numbers and signs, then back to letters
        assert "؟" in _visible_keys(page) and "ض" not in _visible_keys(page)
        _tap(page, "layer")
        assert "ض" in _visible_keys(page)


@pytest.mark.parametrize(
    ("form", "key", "language", "extra"),
    [
        (FORM, "copies", "en", None),
        ("pension-support", "monthly_income", "fr", ","),
        ("pension-support", "monthly_income", "en", "."),
        (FORM, "phone", "en", "+"),
    ],
    ids=["integer", "decimal, French", "decimal, English", "phone"],
)
def test_number_fields_get_only_the_digit_pad(browser, kiosk, form, key, language, extra):
    with _question(browser, kiosk.url, key, language, form=form) as page:
        page.click("#answer")
        characters = sorted(name for name in _visible_keys(page) if len(name) == 1)
        assert characters == sorted([*"0123456789", *([extra] if extra else [])])
        assert _key(page, "space").is_hidden() and _key(page, "layer").is_hidden()
        _type(page, "23")
        if extra:
            _tap(page, extra)
        _type(page, "5")
        _tap(page, "delete")
        assert page.input_value("#answer") == "23" + (extra or "")


def test_an_email_gets_at_and_dot_and_a_pin_gets_digits(browser, kiosk):
    """No demo question asks for these: the fields are added to a question page."""
    with _question(browser, kiosk.url, "copies") as page:
        page.evaluate("""() => document.querySelector('form.question .field').insertAdjacentHTML(
            'afterend', '<label for="email">Email</label><input id="email" type="email">'
            + '<label for="pin">PIN</label><input id="pin" type="password" inputmode="numeric">'
        )""")
        page.click("#email")
        assert page.get_attribute("#keyboard", "data-layer") == "letters"
        _type(page, "ana")
        _tap(page, "@")
        _type(page, "example")
        _tap(page, ".")
        _type(page, "org")
        assert page.input_value("#email") == "ana@example.org"  # at the end: no caret to read
        _tap(page, "go")
        assert page.evaluate("document.activeElement.id") == "pin"
        assert page.get_attribute("#keyboard", "data-layer") == "digits"
        _type(page, "2468")
        assert page.input_value("#pin") == "2468"


def test_upper_case_fields_type_capitals_and_the_go_key_says_what_the_form_does(browser, kiosk):
    context = browser.new_context()
    page = context.new_page()
    page.goto(kiosk.url + "/status")  # the reference field has focus from the start
    assert _shown(page) and page.evaluate("document.activeElement.id") == "reference"
    _type(page, "k")
    _tap(page, "layer")
    _type(page, "01-7")
    assert page.input_value("#reference") == "K01-7"
    assert _key(page, "go").inner_text() == "Check"
    context.close()


def test_hide_closes_it_and_touching_the_field_brings_it_back(browser, kiosk):
    with _question(browser, kiosk.url, "copies") as page:
        page.click("#answer")
        padding = page.evaluate("getComputedStyle(document.body).paddingBottom")
        assert padding != "0px", "the page makes room for the keyboard"
        page.evaluate("""() => { window.touched = 0;
            document.addEventListener('pointerdown', () => touched++); }""")
        _tap(page, "hide")
        assert not _shown(page)
        assert page.evaluate("window.touched") == 1, "the idle timer sees key presses"
        assert page.evaluate("getComputedStyle(document.body).paddingBottom") == "0px"
        page.click("#answer")
        assert _shown(page)
        page.click(".progress")  # anywhere that is not a field
        page.wait_for_function("document.getElementById('keyboard').hidden")


def _layers(page) -> dict[str, list[dict]]:
    """The visible keys of each layer: letters and symbols for a name, digits for a day."""
    if _shown(page):
        _tap(page, "hide")
    page.click("#full_name")
    layers = {"letters": page.evaluate(_KEYS)}
    _tap(page, "layer")
    layers["symbols"] = page.evaluate(_KEYS)
    _tap(page, "go")
    layers["digits"] = page.evaluate(_KEYS)
    return layers


@pytest.mark.parametrize("language", ["fr", "ar"])
@pytest.mark.parametrize("size", [1, 3], ids=["usual text", "biggest text"])
def test_every_key_is_at_least_48_by_48_and_on_screen(browser, kiosk, language, size):
    """French and Arabic have the widest rows (11 keys); on every screen size."""
    small, outside = [], []
    with _question(browser, kiosk.url, "about_person", language, size) as page:
        for viewport, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            layers = _layers(page)
            assert len(layers["letters"]) > 30 and len(layers["digits"]) >= 13
            for layer, keys in layers.items():
                for key in keys:
                    where = f"{viewport}, {layer}: {key['name']}"
                    if key["width"] + 0.5 < MIN_TARGET or key["height"] + 0.5 < MIN_TARGET:
                        small.append(f"{where} {key['width']:.1f} x {key['height']:.1f}")
                    if key["left"] < 0 or key["right"] > width + 0.5:
                        outside.append(where)
            assert page.evaluate(_PLACES)["width"] <= width, f"{viewport}: scrolls sideways"
    assert not small, "\n".join(small)
    assert not outside, "\n".join(outside)


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("size", [1, 3], ids=["usual text", "biggest text"])
def test_the_focused_field_is_never_under_the_keyboard(browser, kiosk, viewport, size):
    """Each field of a page in turn (going on with the keyboard's own key), then a field
    low on a page, then a tall one: the field's box lies wholly above the keyboard."""
    with _question(browser, kiosk.url, "about_person", "en", size, viewport=viewport) as page:
        page.click("#full_name")
        seen = [page.evaluate(_PLACES)]
        for _ in range(3):
            _tap(page, "go")
            seen.append(page.evaluate(_PLACES))
        _tap(page, "hide")
        page.evaluate("""() => document.querySelector('.save-for-later').insertAdjacentHTML(
            'afterend', '<label for="note">Note</label><textarea id="note" class="textarea">'
            + '</textarea>')""")
        page.click("#note")
        seen.append(page.evaluate(_PLACES))
    assert [place["id"] for place in seen] == [
        "full_name",
        "date_of_birth-day",
        "date_of_birth-month",
        "date_of_birth-year",
        "note",
    ]
    under = [place for place in seen if place["top"] < 0 or place["bottom"] > place["keyboard"]]
    assert not under, under


@pytest.mark.parametrize(
    ("language", "field", "size", "contrast", "then"),
    [
        ("en", "#full_name", 1, False, "shift"),
        ("ar", "#full_name", 1, True, "layer"),
        ("fr", "#date_of_birth-day", 3, False, None),
        ("es", "#full_name", 2, True, "shift"),
    ],
    ids=["English", "Arabic, high contrast", "French digits, biggest text", "Spanish, contrast"],
)
def test_axe_finds_nothing_wrong_with_the_keyboard_open(
    browser, kiosk, language, field, size, contrast, then
):
    with _question(browser, kiosk.url, "about_person", language, size, contrast) as page:
        page.click(field)
        assert _shown(page)
        found = violations(page)
        assert not found, report(found)
        if then:  # shift held down, or the numbers and signs
            _tap(page, then)
            found = violations(page)
            assert not found, report(found)


def test_without_the_setting_there_is_no_keyboard(browser, stack):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(stack[1].url + "/status")
    assert page.locator("#keyboard").count() == 0
    assert not [url for url in requested if "keyboard" in url]
    page.close()
