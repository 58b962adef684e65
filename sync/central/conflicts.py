"""Conflicts on cases, as staff read them: the queue of open ones, oldest first, each
with its case; and every conflict one case has had. Staff answer one with
:func:`sync.central.cases.resolve`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from sync import merge
from sync.central import cases

_COLUMNS = "id, case_id, field, base, candidates, opened_at, resolved_at, resolved_by, resolution"


@dataclass(frozen=True)
class Conflict:
    id: int
    case_id: str
    field: str
    #: The value the change that opened it was made against.
    base: Any
    #: Every value the field was given while it was open, with who gave it.
    candidates: list[merge.Candidate]
    opened_at: str
    resolved_at: str | None = None
    #: The actor who resolved it (``staff:<id>``) and the value chosen, once resolved.
    resolved_by: str | None = None
    resolution: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "candidates": [candidate.as_json() for candidate in self.candidates],
        }


@dataclass(frozen=True)
class Queued:
    """An open conflict and its case as it is now."""

    conflict: Conflict
    case: cases.Case


def queue(
    conn: sqlite3.Connection, limit: int = 50, offset: int = 0, case_type: str | None = None
) -> list[Queued]:
    """Open conflicts, the oldest first (on cases of ``case_type`` only, when given)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM case_conflicts WHERE resolved_at IS NULL"  # noqa: S608
        " AND (:type IS NULL OR case_id IN (SELECT id FROM cases WHERE type = :type))"
        " ORDER BY opened_at, id LIMIT :limit OFFSET :offset",
        {"type": case_type, "limit": limit, "offset": offset},
    ).fetchall()
    queued = []
    for row in rows:
        case = cases.get(conn, row["case_id"])
        if case is not None:
            queued.append(Queued(_conflict(row), case))
    return queued


def count(conn: sqlite3.Connection) -> int:
    """How many conflicts are open."""
    row = conn.execute("SELECT COUNT(*) FROM case_conflicts WHERE resolved_at IS NULL")
    return int(row.fetchone()[0])


def of_case(conn: sqlite3.Connection, case_id: str) -> list[Conflict]:
    """Every conflict the case has had, open or resolved, the newest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM case_conflicts WHERE case_id = ?"  # noqa: S608
        " ORDER BY opened_at DESC, id DESC",
        (cases.target(conn, case_id),),
    )
    return [_conflict(row) for row in rows]


def find(conn: sqlite3.Connection, conflict_id: int) -> Conflict | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM case_conflicts WHERE id = ?",  # noqa: S608
        (conflict_id,),
    ).fetchone()
    return None if row is None else _conflict(row)


def _conflict(row: sqlite3.Row) -> Conflict:
    resolution = row["resolution"]
    return Conflict(
        **{
            **dict(row),
            "base": json.loads(row["base"]),
            "candidates": [merge.Candidate.from_json(c) for c in json.loads(row["candidates"])],
            "resolution": resolution and json.loads(resolution),
        }
    )
