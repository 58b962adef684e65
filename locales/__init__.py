"""Gettext catalogues (Babel) for every user-facing string, one folder per language.

``make translations`` extracts ``messages.pot`` from the code and templates, updates
every ``<lang>/LC_MESSAGES/messages.po`` and compiles them to ``.mo``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

DIRECTORY = Path(__file__).parent
DOMAIN = "messages"
DEFAULT = "en"
#: Languages the kiosk offers, in the order the home screen lists them.
LANGUAGES = ("en", "fr", "es", "pt", "sw", "ar")


@cache
def translations(language: str) -> NullTranslations:
    """The compiled catalogue for ``language``; English (the source) when there is none."""
    return Translations.load(str(DIRECTORY), [language], DOMAIN)


@cache
def direction(language: str) -> str:
    """``rtl`` or ``ltr``, as the ``dir`` attribute wants it."""
    return "rtl" if Locale.parse(language).character_order == "right-to-left" else "ltr"


def native_name(language: str) -> str:
    """The language's name in itself, as a chooser should show it."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
