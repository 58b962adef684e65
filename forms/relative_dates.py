"""Date bounds that move with the calendar: ``today``, ``today-18y``, ``today+30d``.

A definition writes them as ``min``/``max`` of a date field; they are kept as written
and resolved against the kiosk's local date each time an answer is checked.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_RELATIVE = re.compile(r"today(?:([+-])(\d{1,3})([dmy]))?", re.ASCII)


def is_relative(text: object) -> bool:
    """Whether ``text`` is ``today``, or ``today`` plus or minus days, months or years."""
    return isinstance(text, str) and _RELATIVE.fullmatch(text) is not None


def resolve(text: str, today: date) -> date:
    """The day ``text`` means on ``today``: ``today-18y`` on 2026-11-20 is 2008-11-20.

    Moving by months or years keeps the day of the month, or takes the month's last day
    when it has no such day (``today-1m`` on 31 March is the last day of February).
    """
    match = _RELATIVE.fullmatch(text)
    if match is None:
        raise ValueError(f"not a relative date: {text!r}")
    sign, amount, unit = match.groups()
    if sign is None:
        return today
    step = int(amount) if sign == "+" else -int(amount)
    if unit == "d":
        return today + timedelta(days=step)
    return _add_months(today, step * 12 if unit == "y" else step)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
