"""Drafts: the answers a citizen has given so far, kept server-side per session and form."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from sync.clock import now
from sync.database import transaction


@dataclass
class Draft:
    session_id: str
    form_id: str
    form_version: str
    answers: dict[str, Any] = field(default_factory=dict)


def load(conn: sqlite3.Connection, session_id: str, form_id: str) -> Draft | None:
    row = conn.execute(
        "SELECT form_version, answers FROM drafts WHERE session_id = ? AND form_id = ?",
        (session_id, form_id),
    ).fetchone()
    if row is None:
        return None
    return Draft(session_id, form_id, row["form_version"], json.loads(row["answers"]))


def begin(conn: sqlite3.Connection, session_id: str, form_id: str, form_version: str) -> Draft:
    """The session's draft of this form, created empty if it has none."""
    with transaction(conn):
        conn.execute(
            "INSERT OR IGNORE INTO drafts (session_id, form_id, form_version, updated_at)"
            " VALUES (?, ?, ?, ?)",
            (session_id, form_id, form_version, now()),
        )
    draft = load(conn, session_id, form_id)
    assert draft is not None
    return draft


def save(conn: sqlite3.Connection, draft: Draft) -> None:
    """Store the draft's answers as they now are."""
    with transaction(conn):
        conn.execute(
            "UPDATE drafts SET answers = ?, updated_at = ? WHERE session_id = ? AND form_id = ?",
            (json.dumps(draft.answers), now(), draft.session_id, draft.form_id),
        )
