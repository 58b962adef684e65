"""The values of the expression language, and what its operators do with them.

Inside an expression a value is one of XPath's: text (``str``), a number (``float``,
NaN included), a boolean, a date (``date`` or ``datetime``) or a list of values (a
``tuple``: a select_multiple answer, or one field across a repeat's instances).
:func:`read_answer` turns a stored answer into one of them; a yes/no answer becomes
:data:`YES` or :data:`NO`. Nothing here raises for a value of the wrong kind: it becomes
NaN, ``''`` or ``False`` as in XPath.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

NAN = math.nan
_EPOCH = date(1970, 1, 1)
_EPOCH_MOMENT = datetime(1970, 1, 1)
_DAY = timedelta(days=1)
_NUMBER = re.compile(r"\s*(-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*")
_ISO_DATE = re.compile(r"\s*[0-9]{4}-[0-9]{2}-[0-9]{2}")
_LISTS = (list, tuple, set, frozenset)


class YesNo(str):
    """A yes/no answer: the text ``'yes'`` or ``'no'``, as in ODK, but true only if yes.

    So ``${agree} = 'yes'``, ``if(${agree}, ...)`` and ``${agree} + ${other}`` (1 or 0)
    all do what a form author expects of an answer stored as a Python ``bool``.
    """

    __slots__ = ()


YES = YesNo("yes")
NO = YesNo("no")


class Context:
    """What one evaluation reads: the answers, the current value, today and now."""

    __slots__ = ("answers", "current", "_today", "_now")

    def __init__(
        self, answers: Mapping[str, Any], current: Any, today: date | None, now: datetime | None
    ) -> None:
        self.answers = answers
        self.current = "" if current is None else read_answer(current)
        self._today = today
        self._now = now

    def today(self) -> date:
        if self._today is not None:
            return self._today
        return self._now.date() if self._now is not None else date.today()

    def now(self) -> datetime:
        return self._now if self._now is not None else datetime.now()


def read_answer(value: Any) -> Any:
    """A stored answer as an expression value; an unanswered question (``None``) is ``''``."""
    if type(value) is str:
        return value
    if isinstance(value, _LISTS):
        return tuple([item if type(item) is str else _read_one(item) for item in value])
    return _read_one(value)


def _read_one(value: Any) -> Any:
    reader = _READERS.get(type(value))
    if reader is not None:
        return reader(value)
    if isinstance(value, YesNo | date):
        return value
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int | float | Decimal):
        return _float(value)
    return "" if value is None else str(value)


def _float(value: int | float | Decimal) -> float:
    try:
        return float(value)
    except OverflowError:  # an int beyond a float's range
        return math.inf if value > 0 else -math.inf
    except ValueError:  # Decimal('sNaN')
        return NAN


def _itself(value: Any) -> Any:
    return value


_READERS: dict[type, Callable[[Any], Any]] = {
    str: _itself,
    type(None): lambda value: "",
    bool: lambda value: YES if value else NO,
    int: _float,
    float: _itself,
    Decimal: _float,
    date: _itself,
    datetime: _itself,
    YesNo: _itself,
}
"""Readers for the usual kinds of answer, by exact type; subclasses take the slow path."""


def truthy(value: Any) -> bool:
    """XPath's ``boolean()``: ``''``, 0, NaN, ``false()``, no and an empty list are false."""
    kind = type(value)
    if kind is bool:
        return value
    if kind is str or kind is tuple:
        return len(value) > 0
    if kind is float:
        return value == value and value != 0.0
    if kind is YesNo:
        return value == "yes"
    if isinstance(value, date):
        return True
    return truthy(read_answer(value))


def number(value: Any) -> float:
    """XPath's ``number()``; a date, or ISO date text, is its number of days since 1970."""
    kind = type(value)
    if kind is float:
        return value
    if kind is str:
        return _number_of_text(value)
    if kind is bool or kind is YesNo:
        return 1.0 if truthy(value) else 0.0
    if kind is tuple:
        return _number_of_text(string(value))
    if isinstance(value, datetime):
        return (value.replace(tzinfo=None) - _EPOCH_MOMENT) / _DAY
    if isinstance(value, date):
        return float((value - _EPOCH).days)
    return number(read_answer(value))


def _number_of_text(text: str) -> float:
    match = _NUMBER.fullmatch(text)
    if match:
        return float(match[1])
    if not _ISO_DATE.match(text):
        return NAN
    try:
        return number(datetime.fromisoformat(text.strip()))
    except ValueError:
        return NAN


def string(value: Any) -> str:
    """XPath's ``string()``: numbers without needless digits, a list joined by spaces."""
    kind = type(value)
    if kind is str:
        return value
    if kind is float:
        return format_number(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is tuple:
        return " ".join(map(string, value))
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, date):
        return value.isoformat()
    return string(read_answer(value))


def format_number(value: float) -> str:
    """A number as text: ``3``, ``0.3`` (at most 15 significant digits), ``NaN``, ``Infinity``."""
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(format(value, ".15g")), "f")


def equal(left: Any, right: Any) -> bool:
    """XPath's ``=``: as booleans if either is one, else as numbers if either is a number
    or a date, else as text. Numbers closer than 1e-12 are equal, as in ODK."""
    left_kind, right_kind = type(left), type(right)
    if left_kind is str and right_kind is str:
        return left == right
    if left_kind is bool or right_kind is bool:
        return truthy(left) == truthy(right)
    if (
        left_kind is float
        or right_kind is float
        or isinstance(left, date)
        or isinstance(right, date)
    ):
        x, y = number(left), number(right)
        return x == y or abs(x - y) < 1e-12
    return string(left) == string(right)


def not_equal(left: Any, right: Any) -> bool:
    return not equal(left, right)


def less(left: Any, right: Any) -> bool:
    """XPath's ``<`` and friends compare numbers, so NaN (``''``, text) is never in order."""
    if type(left) is float and type(right) is float:
        return left < right
    return number(left) < number(right)


def less_or_equal(left: Any, right: Any) -> bool:
    if type(left) is float and type(right) is float:
        return left <= right
    return number(left) <= number(right)


def greater(left: Any, right: Any) -> bool:
    if type(left) is float and type(right) is float:
        return left > right
    return number(left) > number(right)


def greater_or_equal(left: Any, right: Any) -> bool:
    if type(left) is float and type(right) is float:
        return left >= right
    return number(left) >= number(right)


def add(left: Any, right: Any) -> float:
    return number(left) + number(right)


def subtract(left: Any, right: Any) -> float:
    return number(left) - number(right)


def multiply(left: Any, right: Any) -> float:
    return number(left) * number(right)


def divide(left: Any, right: Any) -> float:
    """``div``: dividing by zero gives ±Infinity, or NaN for 0 div 0, as in XPath."""
    x, y = number(left), number(right)
    if y == 0:
        if x == 0 or x != x:
            return NAN
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def modulo(left: Any, right: Any) -> float:
    """``mod``: the remainder of truncating division, with the sign of the dividend."""
    x, y = number(left), number(right)
    if y == 0 or math.isinf(x):
        return NAN
    return math.fmod(x, y)


def negate(value: Any) -> float:
    return -number(value)


OPERATORS = {
    "=": equal,
    "!=": not_equal,
    "<": less,
    "<=": less_or_equal,
    ">": greater,
    ">=": greater_or_equal,
    "+": add,
    "-": subtract,
    "*": multiply,
    "div": divide,
    "mod": modulo,
}
"""The binary operators other than ``and`` and ``or``, which stop early."""
