"""Submissions: a finished draft, stored with its outbox row in one transaction.

Only after that transaction commits does the citizen see a receipt, so a reference on
screen always names a submission that is on disk and queued for central.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from uuid6 import uuid7

from kiosk.drafts import Draft
from sync import outbox, reference
from sync.clock import now
from sync.database import transaction

if TYPE_CHECKING:
    from kiosk.cases import Edit

KIND = "submission.create"


@dataclass(frozen=True)
class Submission:
    id: str
    reference: str
    change_id: str
    session_id: str | None
    form_id: str
    form_version: str
    language: str
    answers: dict[str, Any]
    submitted_at: str
    printed_at: str | None = None
    print_fault: str | None = None
    #: Who helped and the citizen's consent (``workers.assistance``), or None.
    assisted: dict[str, str] | None = None
    #: The case it created or changed (``cases.Edit.queue``), or None.
    case_change: dict[str, Any] | None = None


def _next_number(conn: sqlite3.Connection) -> int:
    row = conn.execute(
        "INSERT INTO counters (name, value) VALUES ('reference', 1)"
        " ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value"
    ).fetchone()
    return int(row[0])


def submit(
    conn: sqlite3.Connection,
    kiosk_code: str,
    draft: Draft,
    language: str,
    assisted: dict[str, str] | None = None,
    case: Edit | None = None,
    actor: str | None = None,
) -> Submission:
    """Store ``draft`` as a submission, queue it for central and discard the draft.
    ``assisted`` (who helped, the citizen's consent) goes into the payload only when given:
    an unassisted submission carries no ``assisted`` key at all. ``case``: the case change
    the form makes, queued after the submission in the same transaction (``actor`` being
    who made it, the kiosk by default)."""
    with transaction(conn):
        payload: dict[str, Any] = {
            "id": str(uuid7()),
            "reference": reference.make(kiosk_code, _next_number(conn)),
            "form_id": draft.form_id,
            "form_version": draft.form_version,
            "language": language,
            "answers": draft.answers,
            "submitted_at": now(),
        }
        if assisted:
            payload["assisted"] = assisted
        change = outbox.enqueue(conn, KIND, payload)
        touched = case.queue(conn, payload, actor) if case else None
        submission = Submission(
            **payload, change_id=change.id, session_id=draft.session_id, case_change=touched
        )
        conn.execute(
            "INSERT INTO submissions (id, reference, change_id, session_id, form_id, form_version,"
            " language, answers, submitted_at, assisted, case_change)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                submission.id,
                submission.reference,
                submission.change_id,
                submission.session_id,
                submission.form_id,
                submission.form_version,
                submission.language,
                json.dumps(submission.answers),
                submission.submitted_at,
                json.dumps(assisted, ensure_ascii=False) if assisted else None,
                json.dumps(touched) if touched else None,
            ),
        )
        conn.execute(
            "DELETE FROM drafts WHERE session_id = ? AND form_id = ?",
            (draft.session_id, draft.form_id),
        )
    return submission


def find(conn: sqlite3.Connection, ref: str) -> Submission | None:
    row = conn.execute(
        "SELECT id, reference, change_id, session_id, form_id, form_version, language, answers,"
        " submitted_at, printed_at, print_fault, assisted, case_change FROM submissions"
        " WHERE reference = ?",
        (ref,),
    ).fetchone()
    if row is None:
        return None
    assisted = row["assisted"] and json.loads(row["assisted"])
    touched = row["case_change"] and json.loads(row["case_change"])
    return Submission(
        **{
            **dict(row),
            "answers": json.loads(row["answers"]),
            "assisted": assisted,
            "case_change": touched,
        }
    )


#: After a restore, new references start past a gap at least this wide.
RESTORE_GAP = 1000


def continue_numbering(conn: sqlite3.Connection, central_last: int) -> int:
    """After a restore: the number the next reference continues after, past a gap.

    The dead card may have handed out receipts that neither central nor the replica
    had yet (the last second or so before it died). Those citizens hold references
    after the highest number known here or at central; skipping to the thousand after
    next (441 -> 2001) keeps a new citizen from ever getting one of those references.
    """
    row = conn.execute("SELECT value FROM counters WHERE name = 'reference'").fetchone()
    known = max(central_last, row[0] if row else 0)
    after = ((known + RESTORE_GAP) // RESTORE_GAP + 1) * RESTORE_GAP
    conn.execute(
        "INSERT INTO counters (name, value) VALUES ('reference', ?)"
        " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (after,),
    )
    return after
