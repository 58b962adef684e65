"""Staff review of submissions: every submission is ``received`` when it arrives, then
staff decide it ``has_issues``, is ``approved`` or is ``rejected``, with a comment for the
citizen (required unless approved). Each decision is kept (the history), written to the
audit log and published on the feed to the kiosk that made the submission, in one
transaction: the kiosk's status page shows it to the citizen once the kiosk has pulled.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sync import clock, feed_items
from sync.central import audit, feed
from sync.central.sign_ins import actor
from sync.central.staff import User
from sync.database import transaction
from sync.problems import (
    COMMENT_REQUIRED,
    COMMENT_TOO_LONG,
    DECISION_MISSING,
    REVIEW_OUTDATED,
    Problem,
)

if TYPE_CHECKING:
    from sync.central.submissions import Submission

RECEIVED = "received"
#: What staff can decide (``received`` is where every submission starts).
DECISIONS = ("has_issues", "approved", "rejected")
NEEDS_COMMENT = frozenset({"has_issues", "rejected"})
#: A comment is read on the kiosk's screen: a few sentences, not a letter.
MAX_COMMENT = 2000


@dataclass(frozen=True)
class Review:
    """Where staff have got to with a submission, or one decision in its history."""

    state: str = RECEIVED
    comment: str = ""
    decided_at: str | None = None
    #: The email address of the person who decided (None while ``received``).
    decided_by: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def check(state: str, comment: str) -> str:
    """The comment as it will be kept (line endings ``\\n``, trimmed); ``decision_missing``,
    ``comment_required`` or ``comment_too_long`` when the decision cannot be taken."""
    comment = comment.replace("\r\n", "\n").replace("\r", "\n").strip()
    if state not in DECISIONS:
        raise Problem(DECISION_MISSING)
    if len(comment) > MAX_COMMENT:
        raise Problem(COMMENT_TOO_LONG, limit=MAX_COMMENT)
    if state in NEEDS_COMMENT and not comment:
        raise Problem(COMMENT_REQUIRED)
    return comment


def decide(
    conn: sqlite3.Connection,
    submission: Submission,
    state: str,
    comment: str,
    user: User,
    seen: int | None = None,
) -> Review:
    """Record ``user``'s decision on ``submission``, audit it and publish it to its kiosk.
    ``seen`` is how many decisions the person had in front of them: when someone decided
    since, ``review_outdated`` (the same decision sent twice, a double click, is taken once).
    """
    comment = check(state, comment)
    with transaction(conn):
        decided = count(conn, submission.id)
        if seen is not None and seen != decided:
            latest = history(conn, submission.id, 1)
            if seen + 1 == decided and latest[0] == Review(
                state, comment, latest[0].decided_at, user.email
            ):
                return latest[0]
            raise Problem(REVIEW_OUTDATED)
        stamp = clock.now()
        previous = conn.execute(
            "SELECT review_state FROM submissions WHERE id = ?", (submission.id,)
        ).fetchone()[0]
        conn.execute(
            "UPDATE submissions SET review_state = ?, review_comment = ?, decided_by = ?,"
            " decided_at = ? WHERE id = ?",
            (state, comment, user.id, stamp, submission.id),
        )
        conn.execute(
            "INSERT INTO reviews (submission_id, state, comment, decided_by, decided_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (submission.id, state, comment, user.id, stamp),
        )
        details = {"state": state, "previous": previous, "decision": decided + 1}
        audit.record(
            conn, actor(user), "submission.review", submission.reference, user.id, **details
        )
        body = feed_items.DecisionBody.model_validate(
            {
                "reference": submission.reference,
                "state": state,
                "comment": comment,
                "decided_at": stamp,
            }
        )
        feed.publish(conn, "decision", submission.reference, body.model_dump(), submission.kiosk_id)
    return Review(state, comment, stamp, user.email)


def count(conn: sqlite3.Connection, submission_id: str) -> int:
    """How many decisions have been made on the submission."""
    row = conn.execute(
        "SELECT COUNT(*) FROM reviews WHERE submission_id = ?", (submission_id,)
    ).fetchone()
    return int(row[0])


def history(conn: sqlite3.Connection, submission_id: str, limit: int = -1) -> list[Review]:
    """Every decision on the submission, the latest first."""
    rows = conn.execute(
        "SELECT r.state, r.comment, r.decided_at, u.email AS decided_by FROM reviews AS r"
        " LEFT JOIN users AS u ON u.id = r.decided_by"
        " WHERE r.submission_id = ? ORDER BY r.id DESC LIMIT ?",
        (submission_id, limit),
    )
    return [Review(**dict(row)) for row in rows]
