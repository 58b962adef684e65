"""Which submissions staff asked to see: ``?form=&kiosk=&state=&from=&to=``, as the inbox
page and ``GET /api/v1/submissions`` both read them, and as SQL.

``from`` and ``to`` are days (``YYYY-MM-DD``, UTC) of ``submitted_at``, both included.
A value that cannot be one is ``invalid_query`` naming the parameter; an empty one is no
filter at all (what an untouched field of the GET form sends).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from sync.feed_items import DECISION_STATES
from sync.problems import INVALID_QUERY, Problem

MAX_TEXT = 100
NAMES = ("form", "kiosk", "state", "from", "to")


@dataclass(frozen=True)
class Filters:
    form: str = ""
    kiosk: str = ""
    state: str = ""
    submitted_from: date | None = None
    submitted_to: date | None = None

    def where(self, with_state: bool = True) -> tuple[str, list[Any]]:
        """A ``WHERE`` clause over ``submissions AS s JOIN kiosks AS k`` and its arguments;
        without the state, for counting each state among the rest."""
        clauses, args = [], []
        for clause, value in [
            ("s.form_id = ?", self.form),
            ("k.code = ?", self.kiosk),
            ("s.review_state = ?", self.state if with_state else ""),
            ("s.submitted_at >= ?", _day(self.submitted_from)),
            ("s.submitted_at < ?", _day(self.submitted_to, after=True)),
        ]:
            if value:
                clauses.append(clause)
                args.append(value)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), args

    def params(self) -> dict[str, str]:
        """The filters in force, as query parameters (for links that keep them)."""
        given = {
            "form": self.form,
            "kiosk": self.kiosk,
            "state": self.state,
            "from": _day(self.submitted_from),
            "to": _day(self.submitted_to),
        }
        return {name: value for name, value in given.items() if value}

    def query(self, **more: object) -> str:
        """``form=…&state=…`` and ``more`` (an empty one drops that filter), for an address
        that keeps the filters."""
        given = {**self.params(), **{name: str(value) for name, value in more.items()}}
        return urlencode({name: value for name, value in given.items() if value})

    @property
    def active(self) -> bool:
        return bool(self.params())


#: No filter at all.
EVERYTHING = Filters()


def from_query(query: Mapping[str, str]) -> Filters:
    """The filters in ``query``, or ``invalid_query`` naming the first one that is wrong."""
    state = _text(query, "state")
    if state and state not in DECISION_STATES:
        raise Problem(INVALID_QUERY, name="state", reason="one of " + ", ".join(DECISION_STATES))
    start, end = _date(query, "from"), _date(query, "to")
    if start and end and end < start:
        raise Problem(INVALID_QUERY, name="to", reason="a day on or after “from”")
    return Filters(_text(query, "form"), _text(query, "kiosk").upper(), state, start, end)


def choices(conn: sqlite3.Connection) -> tuple[list[str], list[tuple[str, str]]]:
    """What the filters can be set to: form ids that have submissions, and every kiosk's
    ``(code, name)``."""
    forms = [row[0] for row in conn.execute("SELECT DISTINCT form_id FROM submissions")]
    kiosks = [(row[0], row[1]) for row in conn.execute("SELECT code, name FROM kiosks")]
    return sorted(forms), sorted(kiosks)


def _text(query: Mapping[str, str], name: str) -> str:
    value = query.get(name, "").strip()
    if len(value) > MAX_TEXT:
        raise Problem(INVALID_QUERY, name=name, reason=f"at most {MAX_TEXT} characters")
    return value


def _date(query: Mapping[str, str], name: str) -> date | None:
    text = _text(query, name)
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise Problem(INVALID_QUERY, name=name, reason="a day written YYYY-MM-DD") from None


def _day(day: date | None, after: bool = False) -> str:
    if day is None or (after and day == date.max):  # the last day there is: no bound
        return ""
    return (day + timedelta(days=1) if after else day).isoformat()
