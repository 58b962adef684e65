"""The text a speech engine is given: printable, single-spaced and of bounded length."""

from __future__ import annotations

import unicodedata

MAX_CHARS = 2000
_UNSPEAKABLE = {"Cc", "Cs"}  # control characters; lone surrogates (not even UTF-8)


def cleaned(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` with control characters and lone surrogates turned into spaces, runs of
    spaces collapsed, and cut to ``limit`` characters (at a word boundary if one is near)."""
    printable = "".join(" " if unicodedata.category(c) in _UNSPEAKABLE else c for c in text)
    single = " ".join(printable.split())
    if len(single) <= limit:
        return single
    cut = single[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit * 0.8 else cut
