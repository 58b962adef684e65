"""Signing in and out of central: the Argon2 check (``staff.authenticate``), a lockout per
email address after repeated wrong passwords, and an audit entry for every attempt.

Each attempt is counted *before* its password is checked, and forgiven when it was right,
so a burst of attempts in parallel cannot check more than :data:`LOCK_AFTER` passwords.
An unknown email address is counted and locked exactly as a known one is: the answer
never tells whether an address belongs to somebody. The audit log names the email
address, never the password.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, timedelta

from sync import clock
from sync.central import audit, staff
from sync.database import transaction
from sync.problems import SIGN_IN_FAILED, SIGN_IN_LOCKED, Problem

#: Wrong passwords in a row (per email address) before signing in with it is paused.
LOCK_AFTER = 5
LOCK_MINUTES = 15
#: The most of a typed email address the lockout and the audit log keep.
MAX_EMAIL = 254
ANONYMOUS = "anonymous"


def sign_in(conn: sqlite3.Connection, email: str, password: str) -> staff.User:
    """The user with this email address and password; ``sign_in_locked`` while the address
    is locked, ``sign_in_failed`` otherwise."""
    email = email.strip()[:MAX_EMAIL]
    with transaction(conn):
        until = _charge(conn, email)
        if until is not None:
            audit.record(conn, ANONYMOUS, "sign_in.refused", email, reason="locked")
    if until is not None:
        raise Problem(SIGN_IN_LOCKED, until=_clock_time(until))
    try:
        user = staff.authenticate(conn, email, password)
    except Problem as problem:
        if problem.kind is SIGN_IN_FAILED:
            with transaction(conn):
                audit.record(conn, ANONYMOUS, "sign_in.failed", email)
        raise
    with transaction(conn):
        conn.execute("DELETE FROM sign_in_failures WHERE email = ?", (email,))
        audit.record(conn, actor(user), "sign_in", user.email, user.id)
    return user


def signed_out(conn: sqlite3.Connection, user: staff.User) -> None:
    with transaction(conn):
        audit.record(conn, actor(user), "sign_out", user.email, user.id)


def actor(user: staff.User) -> str:
    """How the audit log and changes name a person at central."""
    return f"staff:{user.id}"


def _charge(conn: sqlite3.Connection, email: str) -> str | None:
    """Count one more attempt for ``email``; when it is locked, until when (and nothing
    is counted). The attempt that reaches :data:`LOCK_AFTER` locks it."""
    now = clock.now()
    row = conn.execute(
        "SELECT failures, locked_until FROM sign_in_failures WHERE email = ?", (email,)
    ).fetchone()
    if row is not None and row["locked_until"] and row["locked_until"] > now:
        return str(row["locked_until"])
    failures = 1 if row is None or row["locked_until"] else row["failures"] + 1
    locked_until = clock.later(LOCK_MINUTES / 60) if failures >= LOCK_AFTER else None
    conn.execute(
        "INSERT INTO sign_in_failures (email, failures, locked_until) VALUES (?, ?, ?)"
        " ON CONFLICT (email) DO UPDATE SET failures = excluded.failures,"
        " locked_until = excluded.locked_until",
        (email, failures, locked_until),
    )
    return None


def _clock_time(stamp: str) -> str:
    """``2026-11-21T09:45:10.000Z`` as ``09:46 UTC``: the minute it is unlocked by (a lock
    lasts minutes, so the day goes without saying)."""
    moment = clock.parse(stamp).astimezone(UTC).replace(second=0, microsecond=0)
    return f"{moment + timedelta(minutes=1):%H:%M} UTC"
