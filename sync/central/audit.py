"""The audit log: every staff action at central, who did it and when, never edited.

Details name records (references, case ids, kiosk codes) and what was chosen; they
never hold passwords, tokens or enrollment codes.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from sync import clock, protocol


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    action: str
    target: str
    details: dict[str, Any]


def record(
    conn: sqlite3.Connection,
    actor: str,
    action: str,
    target: str = "",
    user_id: int | None = None,
    **details: Any,
) -> None:
    """Add one entry; call inside the transaction that does what it records."""
    conn.execute(
        "INSERT INTO audit (at, user_id, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)",
        (clock.now(), user_id, actor, action, target, protocol.canonical(details)),
    )


def newest(
    conn: sqlite3.Connection, limit: int, offset: int = 0, target: str | None = None
) -> list[Entry]:
    """Newest first; only those about ``target`` when given."""
    where, args = ("WHERE target = ?", [target]) if target else ("", [])
    rows = conn.execute(
        f"SELECT id, at, actor, action, target, details FROM audit {where}"  # noqa: S608
        " ORDER BY id DESC LIMIT ? OFFSET ?",
        [*args, limit, offset],
    )
    return [Entry(**{**dict(r), "details": json.loads(r["details"])}) for r in rows]
