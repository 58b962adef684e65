"""The functions an expression can call, as in ODK's XPath, with the arguments each takes.

Every function takes and returns expression values (see :mod:`forms.evaluation`) and
never raises for a value of the wrong kind. ``if`` is listed here for its arity; the
parser compiles it so that only the chosen branch is evaluated.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, NamedTuple

from forms.evaluation import NAN, number, string, truthy

MAX_PATTERN_LENGTH = 200
_EPOCH = date(1970, 1, 1)
_DECIMALS = Context(prec=60)
_BACK_REFERENCE = re.compile(r"\\[1-9]|\(\?P=")
_REPETITION = re.compile(r"[*+]|\{[0-9]*(,[0-9]*)?\}")
_AMBIGUOUS = re.compile(r"--|&&|~~|\|\|")


class Function(NamedTuple):
    """How many arguments a function takes (``most`` None: any number) and what it does.

    ``context`` functions get the evaluation :class:`~forms.evaluation.Context` first;
    ``pattern`` is the index of an argument that is a regular expression, which the
    parser checks with :func:`pattern_problem` when it is written as text.
    """

    least: int
    most: int | None
    apply: Callable[..., Any]
    context: bool = False
    pattern: int | None = None


def _if(test: Any, yes: Any, no: Any) -> Any:
    return yes if truthy(test) else no


def _choices(value: Any) -> list[str]:
    """A select_multiple answer's values: a list, or XPath's space-separated text."""
    if type(value) is tuple:
        return [item if type(item) is str else string(item) for item in value]
    return string(value).split()


def _selected(values: Any, value: Any) -> bool:
    wanted = string(value).strip()
    return (type(values) is tuple and wanted in values) or wanted in _choices(values)


def _selected_at(values: Any, index: Any) -> str:
    choices, position = _choices(values), number(index)
    return choices[int(position)] if 0 <= position < len(choices) else ""


def _items(value: Any) -> tuple[Any, ...]:
    """The values of a list; an unanswered question has none, any other answer is one."""
    if type(value) is tuple:
        return value
    return () if value == "" else (value,)


def _flatten(values: Iterable[Any]) -> Iterator[Any]:
    for value in values:
        yield from _items(value)


def _numbers_or_nan(values: Iterable[Any], pick: Callable[[list[float]], float]) -> float:
    numbers = [number(value) for value in _flatten(values)]
    if not numbers or any(x != x for x in numbers):
        return NAN
    return pick(numbers)


def _whole(value: Any, rounding: Callable[[float], int]) -> float:
    x = number(value)
    return float(rounding(x)) if math.isfinite(x) else x


def _round(value: Any, digits: Any = 0.0) -> float:
    """ODK's ``round``: halves away from zero, to ``digits`` decimals (negative: tens...)."""
    x, places = number(value), number(digits)
    if places != places:
        return NAN
    if not math.isfinite(x):
        return x
    exponent = Decimal(1).scaleb(-int(max(-400.0, min(400.0, places))))
    try:
        return float(Decimal(repr(x)).quantize(exponent, ROUND_HALF_UP, _DECIMALS))
    except InvalidOperation:  # more digits than the number has: nothing to round
        return x


def _coalesce(*values: Any) -> Any:
    for value in values:
        if string(value) != "":
            return value
    return values[-1]


def _substr(value: Any, start: Any, end: Any = None) -> str:
    """ODK's ``substr``: from index ``start`` (0-based) up to, not including, ``end``."""
    text = string(value)
    first, last = number(start), len(text) if end is None else number(end)
    if first != first or last != last:
        return ""
    first, last = max(0.0, min(first, len(text))), max(0.0, min(last, len(text)))
    return text[int(first) : int(last)]


def _date(value: Any) -> date | str:
    """A date from ISO text, a date and time, or a number of days since 1970; else ''."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    days = number(value)
    try:
        return _EPOCH + timedelta(days=math.floor(days))
    except (OverflowError, ValueError):
        return ""


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` is refused for ``regex()``, or None if it is safe to search with.

    Refused: longer than :data:`MAX_PATTERN_LENGTH`, not a valid Python pattern, a
    back-reference, a repeated group that itself repeats (``(a+)+``): the shapes that can
    take exponential time; and ``[[`` or ``--``-like pairs in a ``[...]`` set, which
    Python warns it will read differently. Other patterns run with ``re.search``.
    """
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"the pattern is longer than {MAX_PATTERN_LENGTH} characters"
    problem = _shape_problem(pattern)
    if problem:
        return problem
    try:
        re.compile(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        return f"the pattern is not a valid regular expression ({error})"
    if _BACK_REFERENCE.search(pattern):
        return "the pattern uses a back-reference, which can take very long to search"
    return None


def _shape_problem(pattern: str) -> str | None:
    repeats = [False]  # for each open group: does it contain a repetition?
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 1
        elif char == "[":
            end = _class_end(pattern, index)
            if pattern.startswith("[", index + 1) or _AMBIGUOUS.search(pattern, index, end):
                return "the pattern has '[[', '--', '&&', '~~' or '||' inside [...]"
            index = end
        elif char == "(":
            repeats.append(False)
        elif char == ")" and len(repeats) > 1:
            inner = repeats.pop()
            if inner and _REPETITION.match(pattern, index + 1):
                return (
                    "the pattern repeats a group that repeats (like (a+)+), which can take forever"
                )
            repeats[-1] = repeats[-1] or inner
        elif _REPETITION.match(pattern, index):
            repeats[-1] = True
        index += 1
    return None


def _class_end(pattern: str, start: int) -> int:
    """The index of the ``]`` that closes the character set opened at ``start``."""
    index = start + 1
    if pattern.startswith("^", index):
        index += 1
    if pattern.startswith("]", index):
        index += 1
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    return None if pattern_problem(pattern) else re.compile(pattern)


def _regex(value: Any, pattern: Any) -> bool:
    compiled = _compiled(string(pattern))
    return compiled is not None and compiled.search(string(value)) is not None


FUNCTIONS: dict[str, Function] = {
    "if": Function(3, 3, _if),
    "not": Function(1, 1, lambda value: not truthy(value)),
    "true": Function(0, 0, lambda: True),
    "false": Function(0, 0, lambda: False),
    "boolean": Function(1, 1, truthy),
    "selected": Function(2, 2, _selected),
    "count-selected": Function(1, 1, lambda values: float(len(_choices(values)))),
    "selected-at": Function(2, 2, _selected_at),
    "string": Function(1, 1, string),
    "string-length": Function(1, 1, lambda value: float(len(string(value)))),
    "concat": Function(0, None, lambda *values: "".join(map(string, values))),
    "join": Function(1, None, lambda sep, *values: string(sep).join(map(string, _flatten(values)))),
    "contains": Function(2, 2, lambda text, part: string(part) in string(text)),
    "starts-with": Function(2, 2, lambda text, start: string(text).startswith(string(start))),
    "ends-with": Function(2, 2, lambda text, end: string(text).endswith(string(end))),
    "substr": Function(2, 3, _substr),
    "coalesce": Function(2, None, _coalesce),
    "regex": Function(2, 2, _regex, pattern=1),
    "number": Function(1, 1, number),
    "int": Function(1, 1, lambda value: _whole(value, math.trunc)),
    "floor": Function(1, 1, lambda value: _whole(value, math.floor)),
    "ceiling": Function(1, 1, lambda value: _whole(value, math.ceil)),
    "abs": Function(1, 1, lambda value: abs(number(value))),
    "round": Function(1, 2, _round),
    "count": Function(1, 1, lambda value: float(len(_items(value)))),
    "sum": Function(1, 1, lambda value: sum(map(number, _items(value)), 0.0)),
    "max": Function(1, None, lambda *values: _numbers_or_nan(values, max)),
    "min": Function(1, None, lambda *values: _numbers_or_nan(values, min)),
    "today": Function(0, 0, lambda context: context.today(), context=True),
    "now": Function(0, 0, lambda context: context.now(), context=True),
    "date": Function(1, 1, _date),
    "decimal-date-time": Function(1, 1, number),
}
"""Every function an expression can call, by name."""
