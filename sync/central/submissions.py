"""Submissions as central keeps them: written by ``submission.create`` changes, read by staff."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sync import reference
from sync.central.filters import EVERYTHING, Filters
from sync.central.fleet import Kiosk
from sync.central.reviews import Review
from sync.feed_items import DECISION_STATES
from sync.protocol import SubmissionCreate

KIND = "submission.create"
_COLUMNS = (
    "s.id, s.reference, s.kiosk_id, k.name AS kiosk_name, k.code AS kiosk_code, s.form_id,"
    " s.form_version, s.language, s.answers, s.submitted_at, s.received_at, s.assisted,"
    " s.review_state, s.review_comment, s.decided_at, u.email AS decided_by"
)
_FROM = (
    "FROM submissions AS s JOIN kiosks AS k ON k.id = s.kiosk_id"
    " LEFT JOIN users AS u ON u.id = s.decided_by"
)


@dataclass(frozen=True)
class Submission:
    id: str
    reference: str
    kiosk_id: str
    kiosk_name: str
    kiosk_code: str
    form_id: str
    form_version: str
    language: str
    answers: dict[str, Any]
    submitted_at: str
    received_at: str
    #: Who helped, and when the citizen consented (``protocol.Assistance``), or None.
    assisted: dict[str, Any] | None = None
    #: Where staff have got to with it (``received`` until someone decides).
    review: Review = Review()

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def refusals(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[SubmissionCreate]
) -> dict[str, str]:
    """Why each change that cannot become a submission is refused, by change id."""
    taken_references = _existing(conn, "reference", [c.payload.reference for c in changes])
    taken_ids = _existing(conn, "id", [c.payload.id for c in changes])
    refused: dict[str, str] = {}
    for change in changes:
        payload = change.payload
        if reference.kiosk_code_of(payload.reference) != kiosk.code:
            refused[change.id] = "reference_of_another_kiosk"
        elif payload.reference in taken_references:
            refused[change.id] = "reference_taken"
        elif payload.id in taken_ids:
            refused[change.id] = "submission_exists"
        taken_references.add(payload.reference)
        taken_ids.add(payload.id)
    return refused


def insert(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[SubmissionCreate], stamp: str
) -> None:
    conn.executemany(
        "INSERT INTO submissions (id, reference, kiosk_id, change_id, form_id, form_version,"
        " language, answers, submitted_at, received_at, assisted)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c.payload.id,
                c.payload.reference,
                kiosk.id,
                c.id,
                c.payload.form_id,
                c.payload.form_version,
                c.payload.language,
                json.dumps(c.payload.answers, ensure_ascii=False),
                c.payload.submitted_at,
                stamp,
                c.payload.assisted and c.payload.assisted.model_dump_json(),
            )
            for c in changes
        ],
    )


def newest(
    conn: sqlite3.Connection, limit: int, offset: int, chosen: Filters = EVERYTHING
) -> list[Submission]:
    """Newest submitted first, only those ``chosen``."""
    where, args = chosen.where()
    rows = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} {where}"  # noqa: S608 - fixed SQL, values are arguments
        " ORDER BY s.submitted_at DESC, s.reference DESC LIMIT ? OFFSET ?",
        (*args, limit, offset),
    ).fetchall()
    return [_submission(row) for row in rows]


def counts(conn: sqlite3.Connection, chosen: Filters = EVERYTHING) -> dict[str, int]:
    """How many of those ``chosen`` (whatever their state) are in each review state."""
    where, args = chosen.where(with_state=False)
    rows = conn.execute(
        "SELECT s.review_state, COUNT(*) FROM submissions AS s"  # noqa: S608 - as above
        f" JOIN kiosks AS k ON k.id = s.kiosk_id {where} GROUP BY s.review_state",
        args,
    )
    found = {row[0]: int(row[1]) for row in rows}
    return {state: found.get(state, 0) for state in DECISION_STATES}


def find(conn: sqlite3.Connection, ref: str) -> Submission | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} {_FROM} WHERE s.reference = ?",  # noqa: S608
        (ref,),
    ).fetchone()
    return None if row is None else _submission(row)


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0])


def _existing(conn: sqlite3.Connection, column: str, values: list[str]) -> set[str]:
    rows = conn.execute(
        f"SELECT {column} FROM submissions WHERE {column} IN"  # noqa: S608 - fixed column names
        " (SELECT value FROM json_each(?))",
        (json.dumps(values),),
    )
    return {row[0] for row in rows}


def _submission(row: sqlite3.Row) -> Submission:
    fields = dict(row)
    review = Review(
        fields.pop("review_state"),
        fields.pop("review_comment"),
        fields.pop("decided_at"),
        fields.pop("decided_by"),
    )
    assisted = row["assisted"]
    return Submission(
        **{
            **fields,
            "answers": json.loads(row["answers"]),
            "assisted": assisted and json.loads(assisted),
            "review": review,
        }
    )
