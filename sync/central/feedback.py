"""Citizens' feedback as central keeps it: written by ``feedback.create`` changes.

Feedback is kept even when the submission it names never arrived (refused, say): what
a citizen said is not thrown away because of a problem with their form. Staff read it
per submission and per form (the service): how many, the average rating, the comments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sync.central.fleet import Kiosk
from sync.protocol import FeedbackCreate

KIND = "feedback.create"


@dataclass(frozen=True)
class Feedback:
    id: str
    reference: str
    form_id: str
    language: str
    rating: int | None
    comment: str
    given_at: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def refusals(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[FeedbackCreate]
) -> dict[str, str]:
    """Feedback with an id central already holds is refused (its change id is new)."""
    ids = [c.payload.id for c in changes]
    placeholders = ",".join("?" * len(ids))
    taken = {
        row[0]
        for row in conn.execute(
            f"SELECT id FROM feedback WHERE id IN ({placeholders})",  # noqa: S608
            ids,
        )
    }
    refused: dict[str, str] = {}
    for change in changes:
        if change.payload.id in taken:
            refused[change.id] = "feedback_exists"
        taken.add(change.payload.id)
    return refused


def insert(
    conn: sqlite3.Connection, kiosk: Kiosk, changes: Sequence[FeedbackCreate], stamp: str
) -> None:
    conn.executemany(
        "INSERT INTO feedback (id, change_id, kiosk_id, submission_id, reference, form_id,"
        " language, rating, comment, given_at, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                c.payload.id,
                c.id,
                kiosk.id,
                c.payload.submission_id,
                c.payload.reference,
                c.payload.form_id,
                c.payload.language,
                c.payload.rating,
                c.payload.comment,
                c.payload.given_at,
                stamp,
            )
            for c in changes
        ],
    )


def about(conn: sqlite3.Connection, reference: str) -> list[Feedback]:
    """Feedback given after the receipt of ``reference``, oldest first."""
    rows = conn.execute(
        "SELECT id, reference, form_id, language, rating, comment, given_at FROM feedback"
        " WHERE reference = ? ORDER BY given_at",
        (reference,),
    )
    return [Feedback(**dict(row)) for row in rows]


@dataclass(frozen=True)
class FormFeedback:
    """How citizens rated one form (a service): how many gave feedback, and the average
    of the ratings among them (None when nobody chose a face)."""

    form_id: str
    count: int
    rated: int
    average: float | None
    latest: str


def by_form(conn: sqlite3.Connection) -> list[FormFeedback]:
    """Each form that has feedback, the one with the newest first."""
    rows = conn.execute(
        "SELECT form_id, COUNT(*) AS count, COUNT(rating) AS rated, AVG(rating) AS average,"
        " MAX(given_at) AS latest FROM feedback GROUP BY form_id ORDER BY latest DESC, form_id"
    )
    return [FormFeedback(**dict(row)) for row in rows]


def comments(conn: sqlite3.Connection, form_id: str, limit: int, offset: int = 0) -> list[Feedback]:
    """Feedback about ``form_id`` with a comment, newest first."""
    rows = conn.execute(
        "SELECT id, reference, form_id, language, rating, comment, given_at FROM feedback"
        " WHERE form_id = ? AND comment != '' ORDER BY given_at DESC, id DESC LIMIT ? OFFSET ?",
        (form_id, limit, offset),
    )
    return [Feedback(**dict(row)) for row in rows]
