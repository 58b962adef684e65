"""Kiosk databases with realistic submissions in them, written the way the kiosk writes.

:func:`submit` goes through the kiosk's own code path (``kiosk.submissions.submit``: the
submission and its outbox row in one transaction); :func:`bulk` builds a large database
fast for benchmarks with ``executemany`` of rows of the same shape.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from uuid6 import uuid7

from kiosk.drafts import Draft
from kiosk.migrations import SCHEMA
from kiosk.submissions import submit as kiosk_submit
from sync import clock, protocol, reference
from sync.database import connect, migrate, transaction

FORM = ("birth-certificate", "2026.11.1")
ANSWERS: dict[str, Any] = {
    "whose_certificate": "someone_else",
    "full_name": "Amina Okafor",
    "date_of_birth": "1956-03-14",
    "place_of_birth": "abroad",
    "mother_name": "Grace Okafor",
    "copies": 2,
    "collection": "post",
    "phone": "+44 20 7946 0958",
}


def database(path: Path) -> sqlite3.Connection:
    """The kiosk's database at ``path``, migrated, opened as the kiosk opens it."""
    conn = connect(path)
    migrate(conn, SCHEMA)
    return conn


def submit(conn: sqlite3.Connection, count: int, code: str = "K01") -> list[str]:
    """``count`` submissions, one transaction each; returns their references."""
    references = []
    for n in range(count):
        draft = Draft(None, *FORM, {**ANSWERS, "copies": 1 + n % 5})
        references.append(kiosk_submit(conn, code, draft, "en").reference)
    return references


def bulk(conn: sqlite3.Connection, count: int, code: str = "K01", batch: int = 5000) -> None:
    """``count`` submissions with their outbox rows, ``batch`` to a transaction."""
    for start in range(1, count + 1, batch):
        numbers = range(start, min(start + batch, count + 1))
        with transaction(conn):
            rows = [_row(code, number) for number in numbers]
            conn.executemany(
                "INSERT INTO outbox (id, kind, created_at, payload) VALUES (?, ?, ?, ?)",
                [(r["change_id"], "submission.create", r["at"], r["payload"]) for r in rows],
            )
            conn.executemany(
                "INSERT INTO submissions (id, reference, change_id, form_id, form_version,"
                " language, answers, submitted_at) VALUES (?, ?, ?, ?, ?, 'en', ?, ?)",
                [
                    (r["id"], r["reference"], r["change_id"], *FORM, r["answers"], r["at"])
                    for r in rows
                ],
            )
            conn.execute(
                "INSERT INTO counters (name, value) VALUES ('reference', ?)"
                " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (numbers[-1],),
            )


def _row(code: str, number: int) -> dict[str, str]:
    at = clock.now()
    payload = {
        "id": str(uuid7()),
        "reference": reference.make(code, number),
        "form_id": FORM[0],
        "form_version": FORM[1],
        "language": "en",
        "answers": {**ANSWERS, "copies": 1 + number % 5},
        "submitted_at": at,
    }
    return {
        "id": payload["id"],
        "reference": payload["reference"],
        "change_id": str(uuid7()),
        "answers": json.dumps(payload["answers"]),
        "payload": protocol.canonical(payload),
        "at": at,
    }


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a restore must bring back, in a stable order."""
    conn = sqlite3.connect(path)
    try:
        return {
            "submissions": conn.execute("SELECT * FROM submissions ORDER BY reference").fetchall(),
            "outbox": conn.execute("SELECT * FROM outbox ORDER BY seq").fetchall(),
            "outbox_state": conn.execute("SELECT * FROM outbox_state").fetchall(),
            "counters": conn.execute("SELECT * FROM counters").fetchall(),
        }
    finally:
        conn.close()


def references(path: Path) -> list[str]:
    """The references of the submissions in the database at ``path``, in order."""
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT reference FROM submissions ORDER BY 1")]
    finally:
        conn.close()
