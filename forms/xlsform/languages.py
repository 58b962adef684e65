"""The languages of an XLSForm: the names in its columns, as our language codes.

pyxform keys each translation by what follows ``::`` in the column (``English (en)``,
``english``, ``EN``) and untranslated text by the form's ``default_language`` setting
(``default`` when it is not set). A name's code is the one in brackets, else the name
itself when it is a code, else the language with that English name (``French`` → ``fr``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from babel import Locale

from forms.xlsform.problems import Problems
from forms.xlsform.workbook import ROW

UNTAGGED = "default"
"""pyxform's name for text in columns without a language, when no default is set."""

_IN_BRACKETS = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*)\s*\)\s*$")
_CODE = re.compile(r"[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*")
_TEXT_KEYS = ("label", "hint")
_BIND_TEXT_KEYS = ("jr:constraintMsg",)

Text = str | dict[str, str]


def language_code(name: str) -> str | None:
    """Our code for a pyxform language name: ``French (fr)``, ``fr``, ``French`` → ``fr``."""
    match = _IN_BRACKETS.search(name)
    if match:
        return _normal(match[1])
    known = _english_names().get(name.strip().casefold())
    if known:
        return known
    return _normal(name.strip()) if _CODE.fullmatch(name.strip()) else None


def _normal(code: str) -> str:
    """``PT-br`` → ``pt_BR``: a lowercase language, an uppercase region, joined by ``_``."""
    first, *rest = re.split(r"[-_]", code)
    parts = [part.upper() if len(part) == 2 else part.title() for part in rest]
    return "_".join([first.lower(), *parts])


@functools.cache
def _english_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in sorted(Locale("en").languages.items(), key=lambda item: len(item[0])):
        names.setdefault(name.casefold(), code)
    return names


class Languages:
    """The form's language codes (in the order first used), its default, and its text."""

    def __init__(self, form: dict[str, Any], untagged: str, problems: Problems) -> None:
        self._default_name = str(form.get("default_language") or UNTAGGED)
        self._codes: dict[str, str] = {}
        for name, sheet in _names(form, self._default_name):
            code = untagged if name == UNTAGGED else language_code(name)
            if code is None:
                problems.add(sheet, 1, f"no language code for {name!r}; write it as '{name} (xx)'")
                code = name  # refused already; keeps its text from raising more problems
            self._codes.setdefault(name, code)
        self.codes = list(dict.fromkeys(self._codes.values())) or [untagged]
        self.default = self._pick_default(untagged, problems)

    def _pick_default(self, untagged: str, problems: Problems) -> str:
        name = self._default_name
        if name in self._codes:
            return self._codes[name]
        if name == UNTAGGED:
            return self.codes[0]
        code = language_code(name)
        if code not in self.codes:
            problems.add("settings", 2, f"default_language {name!r} is not used by any column")
            return self.codes[0]
        return code

    def text(self, value: Any) -> Text | None:
        """pyxform's text (a string or ``{language name: text}``) in our shape, or None.

        A form in one language gets plain strings; one in several gets mappings."""
        if isinstance(value, str):
            value = {self._default_name: value}
        if not isinstance(value, dict):
            return None
        found: dict[str, str] = {}
        for name, words in value.items():
            code = self._codes.get(name)
            if code is None or not isinstance(words, str) or not words.strip():
                continue
            if name != UNTAGGED or code not in found:  # a tagged translation wins
                found[code] = words.strip()
        if not found:
            return None
        if len(self.codes) == 1:
            return found.get(self.default)
        return {code: found[code] for code in self.codes if code in found}

    def plain(self, words: str) -> Text:
        """``words``, written in the default language only."""
        return words if len(self.codes) == 1 else {self.default: words}

    def has_default(self, text: Text | None) -> bool:
        """Whether ``text`` is written in the default language."""
        return isinstance(text, str) or (isinstance(text, dict) and self.default in text)


def _names(form: dict[str, Any], default_name: str) -> Iterator[tuple[str, str]]:
    """Every language name the form's text uses, with the sheet it is on."""
    for element in _elements(form.get("children") or []):
        if ROW not in element:
            continue  # made by pyxform, in no particular language
        texts = [element.get(key) for key in _TEXT_KEYS]
        texts += [(element.get("bind") or {}).get(key) for key in _BIND_TEXT_KEYS]
        yield from _text_names(texts, default_name, "survey")
    for options in (form.get("choices") or {}).values():
        yield from _text_names([o.get("label") for o in options], default_name, "choices")


def _text_names(texts: list[Any], default_name: str, sheet: str) -> Iterator[tuple[str, str]]:
    for text in texts:
        if isinstance(text, str):
            yield default_name, sheet
        elif isinstance(text, dict):
            yield from ((name, sheet) for name in text)


def _elements(children: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for element in children:
        yield element
        yield from _elements(element.get("children") or [])
