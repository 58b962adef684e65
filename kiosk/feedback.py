"""Feedback after the receipt: an optional rating (one of five faces) and comment about
the service a citizen just used, given once per submission.

It is stored on the kiosk and queued for central (``feedback.create``) in one
transaction, like a submission. It belongs to the submission, not to the browser: the
session wipe after "Finish" leaves it alone. A comment is personal data: it is stored
and sent, never logged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from uuid6 import uuid7

from kiosk import formatting
from kiosk.submissions import Submission
from sync import outbox, protocol
from sync.clock import now
from sync.database import transaction
from sync.problems import N_

KIND = "feedback.create"
MAX_COMMENT = protocol.MAX_COMMENT
#: The words under each face, worst first; each face is ``/static/faces/RATING.svg``.
FACES = {1: N_("Very bad"), 2: N_("Bad"), 3: N_("OK"), 4: N_("Good"), 5: N_("Very good")}
NOTHING_GIVEN = N_("Choose a face or write a comment")
TOO_LONG = N_("Your comment must be %(max)s characters or fewer")
_COLUMNS = "id, change_id, submission_id, reference, form_id, language, rating, comment, given_at"


@dataclass(frozen=True)
class Feedback:
    id: str
    change_id: str
    submission_id: str
    reference: str
    form_id: str
    language: str
    rating: int | None
    comment: str
    given_at: str


@dataclass(frozen=True)
class Reply:
    """What the feedback form sent, and what is wrong with it, by field (in words)."""

    rating: int | None = None
    comment: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> list[tuple[str, str]]:
        """The errors as the error summary lists them: (link to the field, message)."""
        targets = {"rating": "#rating-1", "comment": "#comment"}
        return [(targets[name], message) for name, message in self.errors.items()]


def read(form: Mapping[str, Any], gettext: Callable[[str], str], language: str) -> Reply:
    """The rating (1 to 5, or none) and comment the form sent, checked."""
    chosen = form.get("rating")
    rating = int(chosen) if chosen in {str(face) for face in FACES} else None
    typed = form.get("comment")
    comment = typed.replace("\r\n", "\n").strip() if isinstance(typed, str) else ""
    errors = {}
    if len(comment) > MAX_COMMENT:
        limit = formatting.number(MAX_COMMENT, language)
        errors["comment"] = gettext(TOO_LONG) % {"max": limit}
    elif rating is None and not comment:
        errors["rating"] = gettext(NOTHING_GIVEN)
    return Reply(rating, comment, errors)


def given(conn: sqlite3.Connection, submission_id: str) -> Feedback | None:
    """The feedback given about ``submission_id``, if any."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM feedback WHERE submission_id = ?",  # noqa: S608 - fixed columns
        (submission_id,),
    ).fetchone()
    return None if row is None else Feedback(**dict(row))


def give(
    conn: sqlite3.Connection,
    submission: Submission,
    language: str,
    rating: int | None,
    comment: str,
) -> Feedback:
    """Store the feedback and queue it for central, both or neither. Feedback is given once:
    when ``submission`` already has some, that is returned and nothing is written."""
    with transaction(conn):
        already = given(conn, submission.id)
        if already is not None:
            return already
        payload: dict[str, Any] = {
            "id": str(uuid7()),
            "submission_id": submission.id,
            "reference": submission.reference,
            "form_id": submission.form_id,
            "language": language,
            **({} if rating is None else {"rating": rating}),
            "comment": comment,
            "given_at": now(),
        }
        change = outbox.enqueue(conn, KIND, payload)
        stored = Feedback(**{"rating": None, **payload, "change_id": change.id})
        conn.execute(
            f"INSERT INTO feedback ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
            (
                stored.id,
                stored.change_id,
                stored.submission_id,
                stored.reference,
                stored.form_id,
                stored.language,
                stored.rating,
                stored.comment,
                stored.given_at,
            ),
        )
    return stored
