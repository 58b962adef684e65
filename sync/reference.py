"""Human references, unique across kiosks without asking central: ``K01-00042-X``.

A reference is the kiosk's code (letters then exactly two digits: ``K01``), the kiosk's
own submission number zero-padded to at least five digits, and one ISO 7064 Mod 37,36
check character computed over code and digits together. The check character catches
every single mistyped character, so a reference read out over the phone either finds the
right submission or none.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_37_36

_CODE = re.compile(r"[A-Z]+[0-9]{2}")
_COMPACT = re.compile(r"(?P<code>[A-Z]+[0-9]{2})(?P<digits>[0-9]{5,})(?P<check>[0-9A-Z])")
_IGNORED = re.compile(r"[\s\-‐‑‒–—]+")
_CODE_DIGITS = 99


def make(kiosk_code: str, number: int) -> str:
    """The reference of submission ``number`` (1 or more) made at kiosk ``kiosk_code``."""
    if not _CODE.fullmatch(kiosk_code):
        raise ValueError(f"kiosk code: letters then two digits, like K01 (got {kiosk_code!r})")
    if number < 1:
        raise ValueError(f"number: must be 1 or more (got {number!r})")
    digits = f"{number:05d}"
    return f"{kiosk_code}-{digits}-{mod_37_36.calc_check_digit(kiosk_code + digits)}"


def normalise(text: str) -> str | None:
    """``text`` as the canonical reference, or None when it is not one we could have made.

    Case, spaces and dashes do not matter (``k01 00042x`` is ``K01-00042-X``); a wrong
    check character, a malformed shape or extra leading zeros make it None.
    """
    compact = _IGNORED.sub("", text).upper()
    match = _COMPACT.fullmatch(compact)
    if match is None or not mod_37_36.is_valid(compact):
        return None
    code, digits = match["code"], match["digits"]
    if int(digits) < 1 or digits != f"{int(digits):05d}":
        return None
    return f"{code}-{digits}-{match['check']}"


def kiosk_code(n: int) -> str:
    """The ``n``-th kiosk's code: K01 … K99, then L01 … Z99, then AA01 and so on."""
    if n < 1:
        raise ValueError(f"n: must be 1 or more (got {n!r})")
    block, index = divmod(n - 1, _CODE_DIGITS)
    return _letters(block + 11) + f"{index + 1:02d}"


def number_of(reference: str) -> int:
    """The kiosk's sequence number inside a reference: 42 in ``K01-00042-X``."""
    return int(reference.split("-")[1])


def kiosk_code_of(reference: str) -> str:
    """The kiosk code a canonical reference starts with."""
    return reference.split("-", 1)[0]


def _letters(n: int) -> str:
    """Bijective base 26: 1 is A, 26 is Z, 27 is AA."""
    letters = ""
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
