"""The kiosk's outbox: every change central must learn about, queued in the same
transaction as the data it describes, numbered by a gap-free sequence.

Rows are never deleted (a trigger refuses it), so ``seq`` has no gaps and central can
tell a lost change from a late one. What central has acknowledged is one number,
``acked_through``: every row at or below it has been delivered.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any

from uuid6 import uuid7

from sync import clock, hlc, protocol
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


def _envelope(conn: sqlite3.Connection) -> None:
    """Every change carries a hybrid logical clock timestamp, its actor, its record and
    the record's base version (and a field patch when it changes a case). Changes queued
    before this migration get them from what they already hold."""
    for column in (
        "hlc TEXT NOT NULL DEFAULT ''",
        "actor TEXT NOT NULL DEFAULT 'kiosk'",
        "record TEXT NOT NULL DEFAULT '{}'",
        "base_version INTEGER NOT NULL DEFAULT 0",
        "patch TEXT",
    ):
        conn.execute(f"ALTER TABLE outbox ADD COLUMN {column}")
    conn.execute("ALTER TABLE outbox_state ADD COLUMN hlc TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE outbox_state ADD COLUMN node TEXT NOT NULL DEFAULT 'kiosk'")
    last = hlc.ZERO
    rows = conn.execute("SELECT seq, kind, created_at, payload FROM outbox ORDER BY seq")
    for row in rows.fetchall():
        moment = int(clock.parse(row["created_at"]).timestamp() * 1000)
        last = hlc.tick(last, "kiosk", moment)
        record = {"type": row["kind"].split(".")[0], "id": json.loads(row["payload"])["id"]}
        conn.execute(
            "UPDATE outbox SET hlc = ?, record = ? WHERE seq = ?",
            (str(last), protocol.canonical(record), row["seq"]),
        )
    conn.execute("UPDATE outbox_state SET hlc = ?", (str(last) if last.wall else "",))


MIGRATIONS = [
    Migration("2026-11-21-outbox", _create),
    sql(
        "2026-11-22-outbox-floor",
        "ALTER TABLE outbox_state ADD COLUMN seq_floor INTEGER NOT NULL DEFAULT 0",
    ),
    Migration("2026-11-25-outbox-envelope", _envelope),
]

_COLUMNS = "seq, id, kind, created_at, payload, hlc, actor, record, base_version, patch"


@dataclass(frozen=True)
class Change:
    """One queued change, as the agent sends it."""

    id: str
    seq: int
    kind: str
    created_at: str
    payload: dict[str, Any]
    hlc: str = ""
    actor: str = "kiosk"
    record: dict[str, str] = field(default_factory=dict)
    base_version: int = 0
    patch: dict[str, dict[str, Any]] | None = None

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "id": self.id,
            "seq": self.seq,
            "kind": self.kind,
            "created_at": self.created_at,
            "hlc": self.hlc,
            "actor": self.actor,
            "record": self.record,
            "base_version": self.base_version,
            "payload": self.payload,
        }
        if self.patch is not None:
            wire["patch"] = self.patch
        return wire


def set_node(conn: sqlite3.Connection, node: str) -> None:
    """Name this kiosk in its clock and as its changes' default actor (its code, ``K01``)."""
    conn.execute("UPDATE outbox_state SET node = ? WHERE id = 1", (node,))


def enqueue(
    conn: sqlite3.Connection,
    kind: str,
    payload: dict[str, Any],
    *,
    actor: str | None = None,
    record: dict[str, str] | None = None,
    base_version: int = 0,
    patch: dict[str, dict[str, Any]] | None = None,
) -> Change:
    """Queue a change; call inside the caller's open transaction so both commit or neither.

    A change that creates a record (``submission.create``, ``feedback.create``) names it
    from its payload; a ``case.update`` passes its ``record``, ``base_version`` and
    ``patch``. The change is checked against the protocol first, so nothing central
    would refuse as malformed ever reaches the queue (ValueError names what is wrong).
    """
    if not conn.in_transaction:
        raise RuntimeError("outbox.enqueue must run inside the caller's transaction")
    state = conn.execute("SELECT hlc, node FROM outbox_state WHERE id = 1").fetchone()
    last = hlc.parse(state["hlc"]) if state["hlc"] else hlc.ZERO
    stamp = str(hlc.tick(last, state["node"]))
    change = Change(
        id=str(uuid7()),
        seq=1,
        kind=kind,
        created_at=clock.now(),
        payload=payload,
        hlc=stamp,
        actor=actor or f"kiosk:{state['node']}",
        record=record or {"type": kind.split(".")[0], "id": str(payload.get("id"))},
        base_version=base_version,
        patch=patch,
    )
    protocol.check_change(change.to_wire())
    row = conn.execute(
        "INSERT INTO outbox (seq, id, kind, created_at, payload, hlc, actor, record,"
        " base_version, patch) VALUES ("
        " (SELECT MAX((SELECT COALESCE(MAX(seq), 0) FROM outbox), seq_floor) + 1"
        "  FROM outbox_state WHERE id = 1), ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
        (
            change.id,
            kind,
            change.created_at,
            protocol.canonical(payload),
            stamp,
            change.actor,
            protocol.canonical(change.record),
            base_version,
            None if patch is None else protocol.canonical(patch),
        ),
    ).fetchone()
    conn.execute("UPDATE outbox_state SET hlc = ? WHERE id = 1", (stamp,))
    return replace(change, seq=int(row[0]))


def _change(row: sqlite3.Row) -> Change:
    return Change(
        row["id"],
        row["seq"],
        row["kind"],
        row["created_at"],
        json.loads(row["payload"]),
        row["hlc"],
        row["actor"],
        json.loads(row["record"]),
        row["base_version"],
        None if row["patch"] is None else json.loads(row["patch"]),
    )


def pending(conn: sqlite3.Connection, limit: int) -> list[Change]:
    """Up to ``limit`` changes central has not acknowledged, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM outbox"  # noqa: S608 - fixed column list
        " WHERE seq > (SELECT acked_through FROM outbox_state WHERE id = 1)"
        " ORDER BY seq LIMIT ?",
        (limit,),
    ).fetchall()
    return [_change(row) for row in rows]


def about(conn: sqlite3.Connection, record_id: str, *, pending: bool = True) -> list[Change]:
    """The changes about the record ``record_id``, oldest first: those central has not
    acknowledged, or (``pending`` false) every one."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM outbox"  # noqa: S608 - fixed column list
        " WHERE seq > ? AND json_extract(record, '$.id') = ? ORDER BY seq",
        (acked_through(conn) if pending else 0, record_id),
    ).fetchall()
    return [_change(row) for row in rows]


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


def all_delivered(conn: sqlite3.Connection, change_ids: list[str]) -> bool:
    """Whether central has acknowledged every change in ``change_ids`` (one query; a
    change the outbox does not hold counts as not delivered)."""
    row = conn.execute(
        "SELECT count(*) FROM json_each(?) AS c"
        " LEFT JOIN outbox AS o ON o.id = c.value, outbox_state AS s"
        " WHERE s.id = 1 AND (o.seq IS NULL OR o.seq > s.acked_through)",
        (json.dumps(change_ids),),
    ).fetchone()
    return row[0] == 0


def delivered(conn: sqlite3.Connection, change_id: str) -> bool:
    """Whether central has acknowledged the change ``change_id``."""
    row = conn.execute(
        "SELECT o.seq <= s.acked_through FROM outbox AS o, outbox_state AS s"
        " WHERE o.id = ? AND s.id = 1",
        (change_id,),
    ).fetchone()
    return bool(row and row[0])
