"""How staff pages name cases: a case type, a field, a case, who brought a value and when.

Labels come from the case type in central's language (English), falling back to the
type's default language, then to the name itself.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import locales
from forms.cases import CaseType
from sync import hlc, merge
from sync.central.cases import Case

#: How many characters of a case id a page shows where the full id would be noise.
SHORT_ID = 8


@dataclass(frozen=True)
class Who:
    """Who brought a value: ``kind`` is ``kiosk``, ``staff`` or ``central`` (a value that
    predates the record keeping), ``name`` the kiosk's name and code or the staff email."""

    kind: str
    name: str


@dataclass(frozen=True)
class Names:
    """The kiosks' and staff members' names, to say who brought each value."""

    kiosks: dict[str, str]
    users: dict[str, str]

    def who(self, source: merge.Source) -> Who:
        if source.kiosk_id is not None:
            return Who("kiosk", self.kiosks.get(source.kiosk_id, source.kiosk_id))
        kind, _, rest = source.actor.partition(":")
        if kind == "staff":
            return Who("staff", self.users.get(rest, source.actor))
        if kind == "kiosk":
            return Who("kiosk", rest)
        return Who("central", "")

    def actor(self, actor: str | None) -> str:
        """``staff:3`` as the staff member's email (anything else as it is)."""
        kind, _, rest = (actor or "").partition(":")
        return self.users.get(rest, actor or "") if kind == "staff" else actor or ""


def names(conn: sqlite3.Connection) -> Names:
    kiosks = {
        row["id"]: f"{row['name']} ({row['code']})"
        for row in conn.execute("SELECT id, code, name FROM kiosks")
    }
    users = {str(row["id"]): row["email"] for row in conn.execute("SELECT id, email FROM users")}
    return Names(kiosks, users)


def type_label(case_type: CaseType | None, name: str) -> str:
    """The case type's label, e.g. ``Household``."""
    if case_type is None or case_type.label is None:
        return name
    return case_type.label.get(locales.DEFAULT, case_type.default_language)


def field_label(case_type: CaseType | None, field: str) -> str:
    """A field's label, e.g. ``Name of the head of the household`` for ``head_name``."""
    rule = case_type.fields.get(field) if case_type is not None else None
    if rule is None or rule.label is None:
        return field
    return rule.label.get(locales.DEFAULT, case_type.default_language if case_type else "en")


def in_order(case_type: CaseType | None, fields: Iterable[str]) -> list[str]:
    """``fields`` as pages list them: the identity fields first (name, national ID, date
    of birth, place), then the others by label (central keeps types with sorted keys)."""
    identity = case_type.identity.model_dump() if case_type and case_type.identity else {}
    keys = ("name", "national_id", "date_of_birth", "place")
    first = [identity[key] for key in keys if identity.get(key)]

    def key(field: str) -> tuple[int, str]:
        rank = first.index(field) if field in first else len(first)
        return rank, field_label(case_type, field).casefold()

    return sorted(fields, key=key)


def case_label(case: Case, case_type: CaseType | None) -> str:
    """What a person calls the case: its identity name (``head_name``), else a short id."""
    identity = case_type.identity if case_type is not None else None
    name = case.fields.get(identity.name) if identity and identity.name else None
    if isinstance(name, str) and name.strip():
        return name
    return case.id[:SHORT_ID]


def hlc_time(stamp: str) -> str | None:
    """An hlc (``1763717400000.0003@K01``) as the ISO time of its wall clock, or None."""
    try:
        wall = hlc.parse(stamp).wall
    except ValueError:
        return None
    moment = datetime.fromtimestamp(wall / 1000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")
