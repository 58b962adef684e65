"""Kiosk sessions: an opaque cookie naming a row that holds the citizen's language.

The cookie carries 32 random bytes; the database keeps only their SHA-256, so a copy
of the database (a replica, a backup) cannot be used to take over a live session.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from sync.clock import now
from sync.database import transaction

COOKIE = "fieldkiosk_session"


@dataclass(frozen=True)
class Session:
    id: str
    language: str


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def current(conn: sqlite3.Connection, request: Request) -> Session | None:
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    row = conn.execute("SELECT id, language FROM sessions WHERE id = ?", (_key(cookie),)).fetchone()
    return Session(row["id"], row["language"]) if row else None


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
