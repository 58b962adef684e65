"""The kiosk's community workers: a name, an Argon2id hash of a personal PIN, and the
sessions they are signed in with.

A worker's session has its own cookie, apart from the citizen's, so wiping a citizen
(Finish after the receipt, the idle countdown, "Next citizen") never signs the worker
out. As with citizens' sessions, the cookie carries 32 random bytes and the database
keeps only their SHA-256. Five wrong PINs in a row lock the worker's sign-in for a while.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from uuid6 import uuid7

from kiosk import sessions
from sync import clock
from sync.database import transaction
from sync.problems import UNKNOWN_WORKER, WORKER_EXISTS, WORKER_INVALID, Problem

COOKIE = "fieldkiosk_worker"
MAX_TRIES = 5  # wrong PINs in a row before the worker's sign-in is locked
MAX_NAME = 100
PIN = re.compile(r"[0-9]{4,8}")
_SCOPE = "fieldkiosk_worker"
_hasher = PasswordHasher()


@dataclass(frozen=True)
class Worker:
    id: str
    name: str


class SignInRefused(Exception):
    """Wrong name or PIN; ``locked_until`` is set while the worker's sign-in is locked."""

    def __init__(self, locked_until: datetime | None = None) -> None:
        super().__init__("sign-in refused")
        self.locked_until = locked_until


def add(conn: sqlite3.Connection, name: str, pin: str) -> Worker:
    """A worker who can sign in; ``worker_invalid`` or ``worker_exists`` otherwise."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise Problem(WORKER_INVALID, reason=f"a name has 1 to {MAX_NAME} characters")
    if not PIN.fullmatch(pin):
        raise Problem(WORKER_INVALID, reason="a PIN is 4 to 8 digits")
    if _too_easy(pin):
        raise Problem(
            WORKER_INVALID, reason="a PIN of one digit repeated or of digits in a row is too easy"
        )
    worker = Worker(str(uuid7()), name)
    pin_hash = _hasher.hash(pin)
    with transaction(conn):
        if _active(conn, name) is not None:
            raise Problem(WORKER_EXISTS, name=name)
        conn.execute(
            "INSERT INTO workers (id, name, pin_hash, created_at) VALUES (?, ?, ?, ?)",
            (worker.id, worker.name, pin_hash, clock.now()),
        )
    return worker


def random_pin(length: int = 6) -> str:
    """A PIN :func:`add` takes: random digits, not one of the easy ones."""
    while _too_easy(pin := "".join(secrets.choice("0123456789") for _ in range(length))):
        pass
    return pin


def _too_easy(pin: str) -> bool:
    """1111, 1234, 9876: the PINs anyone tries first."""
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    return steps in ({0}, {1}, {-1})


def remove(conn: sqlite3.Connection, name: str) -> None:
    """Stop ``name`` signing in, and sign them out. The record stays: submissions name it."""
    with transaction(conn):
        worker_id = _active(conn, " ".join(name.split()))
        if worker_id is None:
            raise Problem(UNKNOWN_WORKER, name=name)
        conn.execute("UPDATE workers SET disabled_at = ? WHERE id = ?", (clock.now(), worker_id))
        conn.execute("DELETE FROM worker_sessions WHERE worker_id = ?", (worker_id,))


def _active(conn: sqlite3.Connection, name: str) -> str | None:
    row = conn.execute(
        "SELECT id FROM workers WHERE name = ? COLLATE NOCASE AND disabled_at IS NULL", (name,)
    ).fetchone()
    return None if row is None else str(row[0])


def listed(conn: sqlite3.Connection) -> list[Worker]:
    """Every worker who can sign in, by name."""
    rows = conn.execute(
        "SELECT id, name FROM workers WHERE disabled_at IS NULL ORDER BY name COLLATE NOCASE, id"
    )
    return [Worker(row["id"], row["name"]) for row in rows]


async def sign_in(conn: sqlite3.Connection, worker_id: str, pin: str, lock_minutes: int) -> Worker:
    """The worker, if ``pin`` is theirs and their sign-in is not locked; otherwise
    :class:`SignInRefused`. The fifth wrong PIN in a row locks it for ``lock_minutes``."""
    row = conn.execute(
        "SELECT id, name, pin_hash, locked_until FROM workers WHERE id = ? AND disabled_at IS NULL",
        (worker_id,),
    ).fetchone()
    if row is not None and row["locked_until"]:
        locked_until = clock.parse(row["locked_until"])
        if locked_until > datetime.now(UTC):
            raise SignInRefused(locked_until)
    stored = row["pin_hash"] if row else _dummy_hash()
    matches = await run_in_threadpool(_matches, stored, pin)  # Argon2 takes a while: off the loop
    if row is None:
        raise SignInRefused()
    if not matches:
        raise SignInRefused(_wrong_try(conn, row["id"], lock_minutes))
    with transaction(conn):
        conn.execute(
            "UPDATE workers SET failed_tries = 0, locked_until = NULL WHERE id = ?", (row["id"],)
        )
    return Worker(row["id"], row["name"])


def _matches(stored: str, pin: str) -> bool:
    try:
        return _hasher.verify(stored, pin)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    """Checked against when the worker is unknown, so that every refusal takes as long."""
    return _hasher.hash("not anyone's PIN")


def _wrong_try(conn: sqlite3.Connection, worker_id: str, lock_minutes: int) -> datetime | None:
    """Count a wrong PIN; when it is the last one allowed, lock and return until when."""
    with transaction(conn):
        tries = conn.execute(
            "UPDATE workers SET failed_tries = failed_tries + 1 WHERE id = ?"
            " RETURNING failed_tries",
            (worker_id,),
        ).fetchone()[0]
        if tries < MAX_TRIES:
            return None
        until = datetime.now(UTC) + timedelta(minutes=lock_minutes)
        conn.execute(
            "UPDATE workers SET failed_tries = 0, locked_until = ? WHERE id = ?",
            (clock.stamp(until), worker_id),
        )
    return until


def _key(cookie: str) -> str:
    return hashlib.sha256(cookie.encode()).hexdigest()


def start(conn: sqlite3.Connection, worker: Worker, idle_minutes: int) -> str:
    """A new session for ``worker``; returns the cookie value to hand to the browser.
    Sessions left idle past ``idle_minutes`` go at the same time."""
    cookie = secrets.token_urlsafe(32)
    stamp = clock.now()
    idle = clock.stamp(datetime.now(UTC) - timedelta(minutes=idle_minutes))
    with transaction(conn):
        conn.execute("DELETE FROM worker_sessions WHERE seen_at < ?", (idle,))
        conn.execute(
            "INSERT INTO worker_sessions (id, worker_id, started_at, seen_at) VALUES (?, ?, ?, ?)",
            (_key(cookie), worker.id, stamp, stamp),
        )
    return cookie


def current(conn: sqlite3.Connection, request: Request) -> Worker | None:
    """The worker signed in on this browser, unless idle too long (then signed out).
    Looked up once per request; later calls get the same answer."""
    if _SCOPE not in request.scope:
        request.scope[_SCOPE] = _lookup(conn, request)
    found: Worker | None = request.scope[_SCOPE]
    return found


def _lookup(conn: sqlite3.Connection, request: Request) -> Worker | None:
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return None
    row = conn.execute(
        "SELECT s.id, s.seen_at, w.id AS worker_id, w.name FROM worker_sessions AS s"
        " JOIN workers AS w ON w.id = s.worker_id WHERE s.id = ? AND w.disabled_at IS NULL",
        (_key(cookie),),
    ).fetchone()
    if row is None:
        return None
    idle = (datetime.now(UTC) - clock.parse(row["seen_at"])).total_seconds()
    if idle > request.app.state.settings.assist_idle_minutes * 60:
        with transaction(conn):
            conn.execute("DELETE FROM worker_sessions WHERE id = ?", (row["id"],))
        return None
    if idle > sessions.SEEN_EVERY:
        with transaction(conn):
            conn.execute(
                "UPDATE worker_sessions SET seen_at = ? WHERE id = ?", (clock.now(), row["id"])
            )
    return Worker(row["worker_id"], row["name"])


def end(conn: sqlite3.Connection, request: Request) -> None:
    """Sign out the worker of this browser (if any)."""
    cookie = request.cookies.get(COOKIE)
    if cookie:
        with transaction(conn):
            conn.execute("DELETE FROM worker_sessions WHERE id = ?", (_key(cookie),))
    request.scope[_SCOPE] = None


def remember(response: Response, cookie: str) -> None:
    response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", path="/")


def forget(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")


def assistance(worker: Worker, language: str) -> dict[str, str]:
    """What a submission records of the help: who gave it, and the citizen's consent to
    it, given now in ``language`` (``sync.protocol.Assistance``)."""
    return {
        "worker_id": worker.id,
        "worker_name": worker.name,
        "consent_given_at": clock.now(),
        "consent_language": language,
    }
