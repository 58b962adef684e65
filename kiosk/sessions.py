"""Kiosk sessions: an opaque cookie naming a row that holds the citizen's language.

The cookie carries 32 random bytes; the database keeps only their SHA-256, so a copy
of the database (a replica, a backup) cannot be used to take over a live session.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response

from sync.clock import now
from sync.database import transaction

COOKIE = "fieldkiosk_session"
SEEN_EVERY = 5.0  # seconds: how often a session's last-seen time is written


@dataclass(frozen=True)
class Session:
    id: str
    language: str
    text_size: int = 1
    high_contrast: bool = False


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def current(conn: sqlite3.Connection, request: Request) -> Session | None:
    """This browser's session, unless it was left idle too long: then it is wiped, so the
    next person at the kiosk finds nothing of the last one's (even without JavaScript).
    Looked up once per request; later calls get the same answer."""
    if "fieldkiosk_session" not in request.scope:
        request.scope["fieldkiosk_session"] = _lookup(conn, request)
    found: Session | None = request.scope["fieldkiosk_session"]
    return found


def language(request: Request) -> str:
    """The language this browser's session reads in; the kiosk's own when it has none."""
    session = current(request.app.state.db, request)
    return session.language if session else str(request.app.state.settings.language)


def _lookup(conn: sqlite3.Connection, request: Request) -> Session | None:
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    row = conn.execute(
        "SELECT id, language, seen_at, text_size, high_contrast FROM sessions WHERE id = ?",
        (_key(cookie),),
    ).fetchone()
    if row is None:
        return None
    idle = (datetime.now(UTC) - datetime.fromisoformat(row["seen_at"])).total_seconds()
    settings = request.app.state.settings
    if idle > settings.idle_seconds + settings.warning_seconds:
        wipe(conn, row["id"])
        return None
    if idle > SEEN_EVERY:
        conn.execute("UPDATE sessions SET seen_at = ? WHERE id = ?", (now(), row["id"]))
    return Session(row["id"], row["language"], row["text_size"], bool(row["high_contrast"]))


def set_display(conn: sqlite3.Connection, session: Session, text_size: int, contrast: bool) -> None:
    """Text size (1, 2 or 3) and high contrast, kept for the rest of the session."""
    with transaction(conn):
        conn.execute(
            "UPDATE sessions SET text_size = ?, high_contrast = ? WHERE id = ?",
            (text_size, int(contrast), session.id),
        )


def wipe(conn: sqlite3.Connection, session_id: str) -> None:
    """Forget a session and everything in it: drafts go with it; submissions stay (they
    are the kiosk's record) but no longer belong to any browser."""
    with transaction(conn):
        conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))


def forget(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def start(conn: sqlite3.Connection, language: str) -> tuple[str, Session]:
    """A new session; returns the cookie value to hand to the browser with it."""
    cookie = secrets.token_urlsafe(32)
    stamp = now()
    with transaction(conn):
        conn.execute(
            "INSERT INTO sessions (id, language, created_at, seen_at) VALUES (?, ?, ?, ?)",
            (_key(cookie), language, stamp, stamp),
        )
    return cookie, Session(_key(cookie), language)


def remember(response: Response, cookie: str) -> None:
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", path="/")


def set_language(conn: sqlite3.Connection, session: Session, language: str) -> None:
    with transaction(conn):
        conn.execute(
            "UPDATE sessions SET language = ?, seen_at = ? WHERE id = ?",
            (language, now(), session.id),
        )
