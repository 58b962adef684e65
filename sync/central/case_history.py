"""A case's history at central: every ``case.update`` that named it (or a case merged
into it since), in the order of their clocks, for the case page."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from sync.central.cases import KIND, target


@dataclass(frozen=True)
class Step:
    """One ``case.update`` central took for a case, as it came."""

    change_id: str
    kiosk_code: str
    actor: str
    hlc: str
    created_at: str
    received_at: str
    #: The id the change named: the case's own, or one merged into it since.
    record_id: str
    base_version: int
    patch: dict[str, Any]
    payload: dict[str, Any]


def history(conn: sqlite3.Connection, case_id: str) -> list[Step]:
    """Every change that named the case (or a case merged into it), in hlc order. What
    staff decided is in the audit log (target: the case id) and its conflicts."""
    case_id = target(conn, case_id)
    # A change's record_type is the case type it named (a change to a case of another
    # type is refused), which lets the search use changes_by_record.
    rows = conn.execute(
        "SELECT c.id AS change_id, k.code AS kiosk_code, c.actor, c.hlc, c.created_at,"
        " c.received_at, c.record_id, c.base_version, c.patch, c.payload"
        " FROM changes AS c JOIN kiosks AS k ON k.id = c.kiosk_id"
        " WHERE c.kind = :kind AND c.record_type = (SELECT type FROM cases WHERE id = :id)"
        " AND c.record_id IN (SELECT :id UNION"
        "  SELECT alias_id FROM case_aliases WHERE case_id = :id UNION"
        "  SELECT id FROM cases WHERE merged_into = :id)"
        " ORDER BY c.hlc, c.id",
        {"kind": KIND, "id": case_id},
    )
    return [
        Step(**{**dict(r), "patch": json.loads(r["patch"]), "payload": json.loads(r["payload"])})
        for r in rows
    ]
