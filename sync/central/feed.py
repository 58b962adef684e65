"""The pull feed: what central sends down to kiosks, one numbered item per thing that
changed (a form version, a reference list, a decision on a submission, a case, a setting).

Only the latest item per ``(kind, key, kiosk)`` is kept: publishing again deletes the
older one and takes a new cursor, so a kiosk that was away for a month pulls each thing
once, as it is now, not its whole history. An item with no kiosk is for every kiosk.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sync import clock, feed_items, protocol

#: What a feed item can be about (PROTOCOL.md, "Pull").
KINDS = ("form", "reference_list", "decision", "case", "setting")


@dataclass(frozen=True)
class Item:
    cursor: int
    kind: str
    key: str
    body: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"cursor": self.cursor, "kind": self.kind, "key": self.key, "body": self.body}


def publish(
    conn: sqlite3.Connection,
    kind: str,
    key: str,
    body: dict[str, Any],
    kiosk_id: str | None = None,
) -> int:
    """Put ``body`` on the feed (for ``kiosk_id`` only, or every kiosk); its cursor.
    Call inside the caller's transaction, so the item exists if and only if the change
    it announces does."""
    if kind not in KINDS:
        raise ValueError(f"unknown feed kind {kind!r}")
    conn.execute(
        "DELETE FROM feed WHERE kind = ? AND key = ? AND COALESCE(kiosk_id, '') = ?",
        (kind, key, kiosk_id or ""),
    )
    row = conn.execute(
        "INSERT INTO feed (kiosk_id, kind, key, body, published_at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING cursor",
        (kiosk_id, kind, key, protocol.canonical(body), clock.now()),
    ).fetchone()
    return int(row[0])


def head(conn: sqlite3.Connection, kiosk_id: str) -> int:
    """The newest cursor ``kiosk_id`` can see (0 when there is none)."""
    row = conn.execute(
        "SELECT COALESCE(MAX(cursor), 0) FROM feed WHERE kiosk_id IS NULL OR kiosk_id = ?",
        (kiosk_id,),
    ).fetchone()
    return int(row[0])


def since(conn: sqlite3.Connection, kiosk_id: str, after: int, limit: int) -> list[Item]:
    """Up to ``limit`` items for ``kiosk_id`` after cursor ``after``, oldest first."""
    rows = conn.execute(
        "SELECT cursor, kind, key, body FROM feed"
        " WHERE cursor > ? AND (kiosk_id IS NULL OR kiosk_id = ?) ORDER BY cursor LIMIT ?",
        (after, kiosk_id, limit),
    )
    return [Item(r["cursor"], r["kind"], r["key"], json.loads(r["body"])) for r in rows]


def latest(
    conn: sqlite3.Connection, kind: str, key: str, kiosk_id: str | None = None
) -> Item | None:
    """The item on the feed now for ``kind`` and ``key`` (for ``kiosk_id`` only, or all)."""
    row = conn.execute(
        "SELECT cursor, kind, key, body FROM feed"
        " WHERE kind = ? AND key = ? AND COALESCE(kiosk_id, '') = ?",
        (kind, key, kiosk_id or ""),
    ).fetchone()
    return None if row is None else Item(row["cursor"], kind, key, json.loads(row["body"]))


def pull(
    conn: sqlite3.Connection,
    kiosk_id: str,
    after: int,
    limit: int = feed_items.MAX_PULL,
    newest: int | None = None,
) -> feed_items.PullResponse:
    """What ``kiosk_id`` gets when it asks for the items after cursor ``after``: up to
    ``limit`` of them, and whether there are ``more``. An ``after`` above the head (this
    central was restored from an older backup) is answered from 0. Used by the pull
    endpoint and by anything else that carries a pull (a return bundle). ``newest`` is
    the kiosk's :func:`head` when the caller read it in the same :func:`snapshot`."""
    with snapshot(conn):
        if newest is None:
            newest = head(conn, kiosk_id)
        start = 0 if after > newest else after
        items = since(conn, kiosk_id, start, limit + 1)
    shown = items[:limit]
    return feed_items.PullResponse(
        cursor=shown[-1].cursor if shown else start,
        more=len(items) > limit,
        items=[feed_items.FeedItem(**item.as_json()) for item in shown],
    )


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """Reads that see one state of the feed (a read transaction, unless one is open)."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")
