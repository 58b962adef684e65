"""The kiosk's outbox: every change central must learn about, queued in the same
transaction as the data it describes, numbered by a gap-free sequence.

Rows are never deleted (a trigger refuses it), so ``seq`` has no gaps and central can
tell a lost change from a late one. What central has acknowledged is one number,
``acked_through``: every row at or below it has been delivered.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from uuid6 import uuid7

from sync import clock, protocol
from sync.database import Migration, sql


def _create(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE outbox ("
        " seq INTEGER PRIMARY KEY,"
        " id TEXT NOT NULL UNIQUE,"
        " kind TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " payload TEXT NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE outbox_state ("
        " id INTEGER PRIMARY KEY CHECK (id = 1),"
        " acked_through INTEGER NOT NULL DEFAULT 0)"
    )
    conn.execute("INSERT INTO outbox_state (id, acked_through) VALUES (1, 0)")
    conn.execute(
        "CREATE TRIGGER outbox_rows_stay BEFORE DELETE ON outbox"
        " BEGIN SELECT RAISE(ABORT, 'outbox rows are never deleted'); END"
    )


MIGRATIONS = [
    Migration("2026-11-21-outbox", _create),
    sql(
        "2026-11-22-outbox-floor",
        "ALTER TABLE outbox_state ADD COLUMN seq_floor INTEGER NOT NULL DEFAULT 0",
    ),
]


@dataclass(frozen=True)
class Change:
    """One queued change, as the agent sends it."""

    id: str
    seq: int
    kind: str
    created_at: str
    payload: dict[str, Any]

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "seq": self.seq,
            "kind": self.kind,
            "created_at": self.created_at,
            "payload": self.payload,
        }


def enqueue(conn: sqlite3.Connection, kind: str, payload: dict[str, Any]) -> Change:
    """Queue a change; call inside the caller's open transaction so both commit or neither.

    ``payload`` is checked against the protocol first, so nothing central would refuse
    as malformed ever reaches the queue (ValueError names what is wrong).
    """
    if not conn.in_transaction:
        raise RuntimeError("outbox.enqueue must run inside the caller's transaction")
    protocol.check_payload(kind, payload)
    change_id, created_at = str(uuid7()), clock.now()
    row = conn.execute(
        "INSERT INTO outbox (seq, id, kind, created_at, payload) VALUES ("
        " (SELECT MAX((SELECT COALESCE(MAX(seq), 0) FROM outbox), seq_floor) + 1"
        "  FROM outbox_state WHERE id = 1), ?, ?, ?, ?) RETURNING seq",
        (change_id, kind, created_at, protocol.canonical(payload)),
    ).fetchone()
    return Change(change_id, int(row[0]), kind, created_at, payload)


def pending(conn: sqlite3.Connection, limit: int) -> list[Change]:
    """Up to ``limit`` changes central has not acknowledged, oldest first."""
    rows = conn.execute(
        "SELECT seq, id, kind, created_at, payload FROM outbox"
        " WHERE seq > (SELECT acked_through FROM outbox_state WHERE id = 1)"
        " ORDER BY seq LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        Change(row["id"], row["seq"], row["kind"], row["created_at"], json.loads(row["payload"]))
        for row in rows
    ]


def acknowledge(conn: sqlite3.Connection, through_seq: int) -> None:
    """Central holds every change up to ``through_seq``; never moves backwards."""
    conn.execute(
        "UPDATE outbox_state SET acked_through = MAX(acked_through,"
        " MIN(?, (SELECT COALESCE(MAX(seq), 0) FROM outbox))) WHERE id = 1",
        (through_seq,),
    )


def rewind(conn: sqlite3.Connection, through_seq: int) -> None:
    """Forget acknowledgements above ``through_seq`` (central lost them, e.g. a restore)."""
    conn.execute(
        "UPDATE outbox_state SET acked_through = MIN(acked_through, MAX(?, 0)) WHERE id = 1",
        (through_seq,),
    )


def acked_through(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT acked_through FROM outbox_state WHERE id = 1").fetchone()[0])


def stats(conn: sqlite3.Connection) -> tuple[int, str | None]:
    """How many changes wait for central, and when the oldest of them was queued."""
    row = conn.execute(
        "SELECT COUNT(*), MIN(created_at) FROM outbox"
        " WHERE seq > (SELECT acked_through FROM outbox_state WHERE id = 1)"
    ).fetchone()
    return int(row[0]), row[1]


def resume(conn: sqlite3.Connection, central_high_water: int) -> None:
    """After this database was restored from a replica: central holds every change up to
    ``central_high_water``. Those are acknowledged (never sent again); any newer ones here
    are sent once; and new changes continue after the higher of the two, so a sequence
    number central has already seen is never reused."""
    conn.execute(
        "UPDATE outbox_state SET acked_through = ?,"
        " seq_floor = MAX(?, (SELECT COALESCE(MAX(seq), 0) FROM outbox)) WHERE id = 1",
        (central_high_water, central_high_water),
    )


def delivered(conn: sqlite3.Connection, change_id: str) -> bool:
    """Whether central has acknowledged the change ``change_id``."""
    row = conn.execute(
        "SELECT o.seq <= s.acked_through FROM outbox AS o, outbox_state AS s"
        " WHERE o.id = ? AND s.id = 1",
        (change_id,),
    ).fetchone()
    return bool(row and row[0])
