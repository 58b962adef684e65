"""Dates, numbers and moments written the way the citizen's locale writes them (Babel)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal


def day(value: Any, language: str) -> str:
    """An ISO date (or :class:`date`) in the locale's long form: "3 March 1950"."""
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return format_date(parsed, "long", locale=language)


def number(value: Any, language: str) -> str:
    """A number with the locale's separators, keeping every decimal it was given."""
    try:
        parsed = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_decimal(parsed, locale=language, decimal_quantization=False)


def moment(value: str, language: str) -> str:
    """An ISO timestamp as the locale writes a date and time."""
    return format_datetime(datetime.fromisoformat(value), "medium", locale=language)
