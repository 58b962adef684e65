"""The on-screen keyboard is a setting: off by default, and then nothing of it reaches the
page; on, every full page carries its script and keys in the citizen's language.
(tests/browser/test_keyboard.py types with it in chromium.)"""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from kiosk.app import create_app
from kiosk.cli import parser
from kiosk.settings import KioskSettings
from sync.options import load
from tests.citizen import csrf_token

SCRIPT = '<script src="/static/keyboard.js" defer></script>'


@pytest.fixture
def keyboard_client(settings):
    on = settings.model_copy(update={"keyboard": True})
    with TestClient(create_app(on), base_url="http://testserver") as client:
        yield client


def _in(client, language):
    page = client.get("/language", params={"next": "/status"})
    return client.post(
        "/language",
        data={"csrftoken": csrf_token(page.text), "language": language, "next": "/status"},
    ).text


def test_it_is_off_by_default_and_then_absent(settings, client):
    assert settings.keyboard is False
    page = client.get("/status").text
    assert "keyboard.js" not in page and 'id="keyboard"' not in page


def test_the_flag_and_the_environment_turn_it_on(monkeypatch):
    monkeypatch.delenv("FIELDKIOSK_KEYBOARD", raising=False)
    assert not load(KioskSettings, parser().parse_args(["kiosk"])).keyboard
    assert load(KioskSettings, parser().parse_args(["kiosk", "--keyboard"])).keyboard
    monkeypatch.setenv("FIELDKIOSK_KEYBOARD", "true")
    assert load(KioskSettings, parser().parse_args(["kiosk"])).keyboard


def test_on_every_full_page_has_the_script_and_the_hidden_keys(keyboard_client):
    page = keyboard_client.get("/status").text
    assert page.count(SCRIPT) == 1
    assert page.count('id="keyboard"') == 1
    keyboard = page.split('id="keyboard"', 1)[1]
    assert keyboard.split(">", 1)[0].endswith(" hidden")
    assert 'aria-label="Delete"' in keyboard and ">Hide keyboard<" in keyboard


def test_an_htmx_fragment_leaves_the_keyboard_where_it_is(keyboard_client):
    fragment = keyboard_client.get("/status", headers={"HX-Request": "true"}).text
    assert "keyboard" not in fragment


def _letter_rows(page: str) -> list[list[str]]:
    """The keys of each row of letters (shift aside), top row first."""
    letters = page.split('class="keyboard__letters"', 1)[1].split('class="keyboard__symbols"')[0]
    rows = letters.split('class="keyboard__row">')[1:]
    return [
        re.findall(r'<button type="button" tabindex="-1">([^<]+)</button>', row) for row in rows
    ]


@pytest.mark.parametrize(
    ("language", "top", "words"),
    [
        ("en", "qwertyuiop", [">Space<", 'data-next="Next"']),
        ("fr", "azertyuiop", [">Espace<", ">Masquer le clavier<", 'aria-label="Effacer"']),
        ("es", "qwertyuiop", [">Espacio<", 'data-next="Siguiente"']),
        ("pt", "qwertyuiop", [">Espaço<", ">Esconder o teclado<"]),
        ("sw", "qwertyuiop", [">Nafasi<", ">Ficha kibodi<"]),
        ("ar", "ضصثقفغعهخحج", [">مسافة<", ">إخفاء لوحة المفاتيح<"]),
    ],
)
def test_each_language_has_its_layout_and_words(keyboard_client, language, top, words):
    page = _in(keyboard_client, language)
    keyboard = page.split('id="keyboard"', 1)[1]
    rows = _letter_rows(page)
    extra = {"fr": "éèêëàâçîïôù", "es": "áéíóúü", "pt": "áàâãéêíóôõú", "ar": "ذأإآلا"}
    if language in extra:
        assert "".join(rows.pop(0)) == extra[language]
    assert "".join(rows[0]) == top
    assert ("ñ" in rows[1]) is (language == "es") and ("ç" in rows[1]) is (language == "pt")
    assert all(len(row) <= 11 for row in rows), "a row wider than 11 keys does not fit 600 px"
    for word in words:
        assert word in keyboard
    opening = keyboard.split(">", 1)[0]
    assert f'dir="{"rtl" if language == "ar" else "ltr"}"' in opening
    assert ('value="shift"' in keyboard) is (language != "ar"), "Arabic has no capitals"
