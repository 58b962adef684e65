"""Which espeak-ng voice speaks which kiosk language, and how language tags are read."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Kiosk language (BCP 47, lower case) -> espeak-ng voice (see `espeak-ng --voices`).
VOICES: Mapping[str, str] = {
    "en": "en",
    "fr": "fr",
    "es": "es",
    "es-419": "es-419",
    "pt": "pt",
    "pt-br": "pt-br",
    "sw": "sw",
    "ar": "ar",
    "am": "am",
    "om": "om",
    "tn": "tn",
    "af": "af",
    "ht": "ht",
    "hi": "hi",
    "ur": "ur",
    "bn": "bn",
    "fa": "fa",
    "ne": "ne",
    "id": "id",
    "ms": "ms",
    "vi": "vi",
    "ru": "ru",
    "uk": "uk",
    "tr": "tr",
    "de": "de",
    "it": "it",
    "zh": "cmn",
}

_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")


def normalised(language: str) -> str | None:
    """``"pt_BR"`` -> ``"pt-br"``; None when it is not a language tag at all."""
    tag = language.strip().replace("_", "-").lower()
    return tag if _TAG.match(tag) else None


def candidates(language: str) -> list[str]:
    """The tags to try for ``language``, most specific first: ``pt-br``, then ``pt``."""
    tag = normalised(language)
    if tag is None:
        return []
    base = tag.split("-")[0]
    return [tag] if base == tag else [tag, base]


def lookup(mapping: Mapping[str, str], language: str) -> str | None:
    """The value for the most specific tag of ``language`` found in ``mapping``."""
    return next((mapping[tag] for tag in candidates(language) if tag in mapping), None)
