"""Every language's catalogue is complete, valid, and keeps the msgids' placeholders.

The ``.po`` files are the source of truth. When ``messages.pot`` grows, ``make translations``
adds the new msgids to every catalogue with an empty msgstr, and these tests fail until each
language has a translation.
"""

from __future__ import annotations

import re
from collections import Counter
from gettext import GNUTranslations
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

import locales

EXPECTED = ("en", "fr", "es", "pt", "sw", "ar")
TEMPLATE = locales.DIRECTORY / "messages.pot"

#: Placeholders and anything ``%``-formatting or ``str.format`` would choke on: ``%(name)s``,
#: ``%%``, a lone ``%``, ``{name}`` and a lone brace. The kiosk's Jinja2 ``_()`` always applies
#: ``%``, so a stray ``%`` in any msgstr would raise.
TOKEN = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|%|\{[^{}]*\}|[{}]")
#: Bidi isolates (LRI, RLI, FSI … PDI) some right-to-left strings wrap Latin runs in.
ISOLATE_OPEN, ISOLATE_CLOSE = "\u2066\u2067\u2068", "\u2069"
NARROW_NBSP = "\u202f"


def _tokens(text: str) -> Counter[str]:
    return Counter(TOKEN.findall(text))


def _read(path) -> Catalog:
    with open(path, "rb") as file:
        return read_po(file)


def _catalogue(language: str) -> Catalog:
    return _read(locales.DIRECTORY / language / "LC_MESSAGES" / f"{locales.DOMAIN}.po")


def _template() -> Catalog:
    return _read(TEMPLATE)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _forms(message: Message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (tuple, list)) else (str(string or ""),)


def _compiled(catalog: Catalog) -> GNUTranslations:
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


def _translated(language: str) -> list[tuple[Message, str]]:
    """Every (message, msgstr form) of ``language``'s catalogue."""
    return [(m, form) for m in _messages(_catalogue(language)) for form in _forms(m)]


def test_the_kiosk_offers_exactly_these_languages():
    assert locales.LANGUAGES == EXPECTED


def test_the_template_has_messages():
    assert len(_messages(_template())) > 100


@pytest.mark.parametrize("language", EXPECTED)
class TestCatalogue:
    def test_exists(self, language):
        assert (locales.DIRECTORY / language / "LC_MESSAGES" / "messages.po").is_file()

    def test_header_names_the_language_and_its_plural_rule(self, language):
        # `pybabel update --omit-header` drops this header; the catalogue then falls back to
        # two plural forms and "n != 1", which is wrong for Arabic (six) and French (n > 1).
        catalog = _catalogue(language)
        rule = get_plural(language)
        assert str(catalog.locale) == language
        assert (catalog.num_plurals, catalog.plural_expr) == (rule.num_plurals, rule.plural_expr)

    def test_has_every_message_of_the_template_and_no_other(self, language):
        template = {m.id for m in _messages(_template())}
        catalog = _catalogue(language)
        ours = {m.id for m in _messages(catalog)}
        assert sorted(map(str, template - ours)) == [], "missing: run make translations"
        assert sorted(map(str, ours - template)) == []
        assert list(catalog.obsolete) == []

    def test_every_message_is_translated(self, language):
        catalog = _catalogue(language)
        untranslated = []
        for message in _messages(catalog):
            forms = _forms(message)
            expected = catalog.num_plurals if message.pluralizable else 1
            if len(forms) != expected or not all(form.strip() for form in forms):
                untranslated.append(message.id)
        assert untranslated == []

    def test_nothing_is_fuzzy(self, language):
        catalog = _catalogue(language)
        assert not catalog.fuzzy  # pybabel compile skips a catalogue whose header is fuzzy
        assert [m.id for m in _messages(catalog) if m.fuzzy] == []

    def test_placeholders_are_those_of_the_msgid(self, language):
        catalog = _catalogue(language)
        plural = _compiled(catalog).plural
        numbers_for = Counter(plural(n) for n in range(1000))
        wrong = []
        for message in _messages(catalog):
            if not message.pluralizable:
                if _tokens(message.string) != _tokens(message.id):
                    wrong.append((message.id, message.string))
                continue
            singular, plural_id = message.id
            expected = _tokens(singular) | _tokens(plural_id)
            for index, form in enumerate(message.string):
                found = _tokens(form)
                # As msgfmt -c allows: a form used for one number only ("one", "two") may
                # leave the number out, as long as it adds nothing.
                if found != expected and not (numbers_for[index] == 1 and found <= expected):
                    wrong.append((message.id, form))
        assert wrong == []

    def test_spacing_and_isolates_match_the_msgid(self, language):
        wrong = []
        for message, form in _translated(language):
            source = message.id[0] if isinstance(message.id, tuple) else message.id
            if (form[:1].isspace(), form[-1:].isspace(), form.count("\n")) != (
                source[:1].isspace(),
                source[-1:].isspace(),
                source.count("\n"),
            ):
                wrong.append(form)
            if sum(map(form.count, ISOLATE_OPEN)) != form.count(ISOLATE_CLOSE):
                wrong.append(form)
        assert wrong == []

    def test_compiles(self, language):
        catalog = _catalogue(language)
        assert [(m.id, errors) for m, errors in catalog.check()] == []
        translations = _compiled(catalog)
        assert {translations.plural(n) for n in range(1000)} == set(range(catalog.num_plurals))
        for message in _messages(catalog):
            if message.pluralizable:
                singular, plural_id = message.id
                for n in range(1000):
                    got = translations.ngettext(singular, plural_id, n)
                    assert got == message.string[translations.plural(n)]
            else:
                assert translations.gettext(message.id) == message.string


def test_english_is_the_msgid_itself():
    catalog = _catalogue("en")
    assert [m.id for m in _messages(catalog) if m.string != m.id] == []


def test_french_typography():
    wrong = []
    for _message, form in _translated("fr"):
        if "'" in form or '"' in form or "“" in form or "”" in form:
            wrong.append(form)  # ’ and « »
        for match in re.finditer(r"[?!;:»]", form):
            if form[match.start() - 1 : match.start()] != NARROW_NBSP:
                wrong.append(form)
        for match in re.finditer("«", form):
            if form[match.end() : match.end() + 1] != NARROW_NBSP:
                wrong.append(form)
    assert wrong == []


def test_spanish_opens_questions_and_exclamations():
    wrong = [
        form
        for _message, form in _translated("es")
        if form.count("?") != form.count("¿") or form.count("!") != form.count("¡")
    ]
    assert wrong == []


def test_arabic_uses_arabic_punctuation_and_script():
    wrong = []
    for message, form in _translated("ar"):
        if re.search(r"[?,;]", form):
            wrong.append(form)  # ؟ ، ؛
        if not re.search(r"[\u0600-\u06ff]", form):
            wrong.append(form)  # left in English
        source = message.id[0] if isinstance(message.id, tuple) else message.id
        if source.endswith("?") != form.endswith("؟"):
            wrong.append(form)
    assert wrong == []
