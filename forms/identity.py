"""``national_id``: an identity card number, with the check digit its country uses.

Spaces and dashes are left out and digits in any script become 0-9. The field's
``id_rule`` names the check digit rule (``luhn``, ``verhoeff`` or ``none``, computed with
python-stdnum) and ``id_length`` the number of digits. With a rule or a length the number
is digits only; with neither it may also hold letters (stored in capitals).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum import luhn, verhoeff

from forms.errors import FieldError
from forms.field_type import REQUIRED, FieldType, Result
from forms.schema import Field

MAX_LENGTH = 32
"""The most characters an ID without ``id_length`` may have."""

_RULES = {"luhn": luhn, "verhoeff": verhoeff}
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_LETTERS_AND_DIGITS = re.compile(r"[A-Z0-9]+", re.ASCII)


def digits_only(field: Field) -> bool:
    """Whether the field's numbers are all digits: it has a check digit rule or a length."""
    return field.id_rule != "none" or field.id_length is not None


def _parse_national_id(field: Field, text: str, today: date) -> Result:
    compact = "".join(_ascii_digit(char) for char in _SEPARATORS.sub("", text)).upper()
    allowed = _DIGITS if digits_only(field) else _LETTERS_AND_DIGITS
    length = field.id_length
    wrong_length = len(compact) > MAX_LENGTH if length is None else len(compact) != length
    if wrong_length or not allowed.fullmatch(compact):
        return FieldError("not_an_id")
    rule = _RULES.get(field.id_rule)
    if rule is not None and not rule.is_valid(compact):
        return FieldError("id_check_failed")
    return compact


def _ascii_digit(char: str) -> str:
    return str(unicodedata.decimal(char)) if char.isdecimal() else char


TYPES = (
    FieldType(
        "national_id",
        _parse_national_id,
        settings={"id_rule": "luhn", "id_length": 11},
        valid=(
            ("79927398713", "79927398713"),
            (" 7992-7398 713 ", "79927398713"),
            ("\u0667\u0669\u0669\u0662\u0667\u0663\u0669\u0668\u0667\u0661\u0663", "79927398713"),
        ),
        invalid=(
            *REQUIRED,
            ("7992739871X", FieldError("not_an_id")),
            ("7992739871", FieldError("not_an_id")),
            ("799273987130", FieldError("not_an_id")),
            ("79927398710", FieldError("id_check_failed")),
            ("79927398731", FieldError("id_check_failed")),
        ),
    ),
)
"""The field types this module declares."""
