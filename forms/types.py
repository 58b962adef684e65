"""The field types: how each one reads an answer, with examples of what it accepts.

:data:`FIELD_TYPES` holds every type. The simple ones are here; the others are declared
in :mod:`forms.multiple_choice`, :mod:`forms.contacts`, :mod:`forms.identity` and
:mod:`forms.statements`. :mod:`forms.field_type` says what a type declares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from forms import contacts, identity, multiple_choice, statements
from forms.errors import FieldError
from forms.field_type import EXAMPLE_TODAY, REQUIRED, Answer, FieldType, Raw, Result
from forms.relative_dates import resolve
from forms.schema import Field

__all__ = ["EXAMPLE_TODAY", "FIELD_TYPES", "Answer", "FieldType", "Raw", "Result", "decimal_text"]

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?\d+(?:([.,\u066b])(\d+))?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_OR_MONTH = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"\d{4}")


def _parse_text(field: Field, text: str, today: date) -> Result:
    if len(text) > field.max_length:
        return FieldError("too_long", {"max": field.max_length})
    return text


def _parse_long_text(field: Field, text: str, today: date) -> Result:
    return _parse_text(field, text.replace("\r\n", "\n").replace("\r", "\n"), today)


def _parse_integer(field: Field, text: str, today: date) -> Result:
    if not _INTEGER.fullmatch(text):
        return FieldError("not_integer")
    value = int(text)
    return _outside(value, field.min, field.max, int) or value


def _parse_decimal(field: Field, text: str, today: date) -> Result:
    match = _DECIMAL.fullmatch(text)
    if match is None or (match[1] == "," and len(match[2]) == 3):
        return FieldError("not_decimal")  # "1,000" could mean a thousand or one
    value = Decimal(text.replace(match[1], ".") if match[1] else text)
    return _outside(value, field.min, field.max, decimal_text) or decimal_text(value)


def _parse_date(field: Field, raw: str | Mapping[str, str], today: date) -> Result:
    value = _read_date(raw)
    if value is None:
        return FieldError("not_date")
    low, high = _day(field.min, today), _day(field.max, today)
    if low is not None and value < low:
        return FieldError("date_too_early", {"min": low.isoformat()})
    if high is not None and value > high:
        return FieldError("date_too_late", {"max": high.isoformat()})
    return value.isoformat()


def _parse_select_one(field: Field, text: str, today: date) -> Result:
    return text if field.choice(text) is not None else FieldError("not_a_choice")


def _parse_yes_no(field: Field, text: str, today: date) -> Result:
    value = {"yes": True, "no": False}.get(text.lower())
    return FieldError("not_yes_no") if value is None else value


def decimal_text(value: Decimal | int) -> str:
    """A decimal as stored: plain digits, no exponent, no trailing zeros (``"12.5"``)."""
    text = format(Decimal(value), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _outside(value: Any, low: Any, high: Any, show: Callable[[Any], Any]) -> FieldError | None:
    if low is not None and value < low:
        return FieldError("too_small", {"min": show(low)})
    if high is not None and value > high:
        return FieldError("too_large", {"max": show(high)})
    return None


def _day(bound: object, today: date) -> date | None:
    if isinstance(bound, str):
        return resolve(bound, today)  # today, today-18y...
    return bound if isinstance(bound, date) else None


def _read_date(raw: str | Mapping[str, str]) -> date | None:
    if isinstance(raw, str):
        match = _ISO_DATE.fullmatch(raw)
        if match is None:
            return None
        year, month, day = match.groups()
    else:
        day, month, year = (raw.get(part, "") for part in ("day", "month", "year"))
        if not (_DAY_OR_MONTH.fullmatch(day) and _DAY_OR_MONTH.fullmatch(month)):
            return None
        if not _YEAR.fullmatch(year):
            return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


FIELD_TYPES: dict[str, FieldType] = {
    field_type.name: field_type
    for field_type in (
        FieldType(
            "text",
            _parse_text,
            settings={"max_length": 12},
            valid=(
                ("Amina", "Amina"),
                ("  Jean Dupont  ", "Jean Dupont"),
                ("أمينة علي", "أمينة علي"),
                ("Cafe\u0301", "Caf\u00e9"),
                ("123456789012", "123456789012"),
            ),
            invalid=(
                *REQUIRED,
                (" \t\n ", FieldError("required")),
                ("1234567890123", FieldError("too_long", {"max": 12})),
            ),
        ),
        FieldType(
            "long_text",
            _parse_long_text,
            settings={"max_length": 20},
            valid=(
                ("Line one\r\nLine two", "Line one\nLine two"),
                ("  My roof leaks.\n\n", "My roof leaks."),
                ("12345678901234567890", "12345678901234567890"),
            ),
            invalid=(
                *REQUIRED,
                ("\r\n \n", FieldError("required")),
                ("123456789012345678901", FieldError("too_long", {"max": 20})),
            ),
        ),
        FieldType(
            "integer",
            _parse_integer,
            settings={"min": 1, "max": 30},
            valid=(("4", 4), (" 30 ", 30), ("+1", 1), ("007", 7), ("\u0661\u0662", 12)),
            invalid=(
                *REQUIRED,
                ("4.5", FieldError("not_integer")),
                ("4.0", FieldError("not_integer")),
                ("four", FieldError("not_integer")),
                ("1e3", FieldError("not_integer")),
                ("1 000", FieldError("not_integer")),
                ("0", FieldError("too_small", {"min": 1})),
                ("-2", FieldError("too_small", {"min": 1})),
                ("31", FieldError("too_large", {"max": 30})),
            ),
        ),
        FieldType(
            "decimal",
            _parse_decimal,
            settings={"min": 0, "max": "10000.50"},
            valid=(
                ("12.50", "12.5"),
                ("12,5", "12.5"),
                ("0", "0"),
                ("-0", "0"),
                (" 100 ", "100"),
                ("0.000001", "0.000001"),
                ("\u0661\u0662\u066b\u0665", "12.5"),
                ("10000.50", "10000.5"),
            ),
            invalid=(
                *REQUIRED,
                ("abc", FieldError("not_decimal")),
                ("1,000", FieldError("not_decimal")),
                ("1.2.3", FieldError("not_decimal")),
                ("12.", FieldError("not_decimal")),
                ("1e5", FieldError("not_decimal")),
                ("NaN", FieldError("not_decimal")),
                ("Infinity", FieldError("not_decimal")),
                ("-0.01", FieldError("too_small", {"min": "0"})),
                ("10000.51", FieldError("too_large", {"max": "10000.5"})),
            ),
        ),
        FieldType(
            "date",
            _parse_date,
            settings={"min": "1900-01-01", "max": "today"},
            valid=(
                ("2000-02-29", "2000-02-29"),
                (" 2026-11-20 ", "2026-11-20"),
                ({"day": "29", "month": "2", "year": "2000"}, "2000-02-29"),
                ({"day": " 05 ", "month": "6", "year": "1990"}, "1990-06-05"),
                ({"day": "1", "month": "1", "year": "1900"}, "1900-01-01"),
            ),
            invalid=(
                *REQUIRED,
                ({"day": "", "month": " ", "year": ""}, FieldError("required")),
                ("2001-02-29", FieldError("not_date")),
                ("20/11/2026", FieldError("not_date")),
                ("2026-W47-5", FieldError("not_date")),
                ("20261120", FieldError("not_date")),
                ({"day": "31", "month": "4", "year": "2020"}, FieldError("not_date")),
                ({"day": "1", "month": "", "year": "2020"}, FieldError("not_date")),
                ({"day": "1", "month": "1", "year": "90"}, FieldError("not_date")),
                ({"day": "1", "month": "13", "year": "2020"}, FieldError("not_date")),
                ("1899-12-31", FieldError("date_too_early", {"min": "1900-01-01"})),
                ("2026-11-21", FieldError("date_too_late", {"max": "2026-11-20"})),
            ),
        ),
        FieldType(
            "select_one",
            _parse_select_one,
            settings={
                "choices": [
                    {"value": "north", "label": "North"},
                    {"value": "south", "label": "South"},
                ]
            },
            valid=(("north", "north"), (" south ", "south")),
            invalid=(
                *REQUIRED,
                ("North", FieldError("not_a_choice")),
                ("east", FieldError("not_a_choice")),
            ),
        ),
        FieldType(
            "yes_no",
            _parse_yes_no,
            settings={},
            valid=(("yes", True), ("no", False), (" Yes ", True)),
            invalid=(
                *REQUIRED,
                ("maybe", FieldError("not_yes_no")),
                ("true", FieldError("not_yes_no")),
                ("1", FieldError("not_yes_no")),
            ),
        ),
        *multiple_choice.TYPES,
        *contacts.TYPES,
        *identity.TYPES,
        *statements.TYPES,
    )
}
"""Every field type, by the name a definition gives in ``type``."""
