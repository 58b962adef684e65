"""The fleet: kiosks known to central, added by staff, enrolled once, then authenticated
on every push (a revoked kiosk's token is refused: :mod:`sync.central.revocation`).
``add_kiosk`` and ``renew_code`` are what the command line calls (audited as ``cli``);
the fleet pages call ``create`` and ``renew_enrollment`` with the admin to audit as.

Enrollment codes and tokens are stored only as SHA-256 digests. Both are random and
high-entropy (a code is 12 characters from 31, about 59 bits, and lives for hours; a
token is 256 bits), so a fast hash is enough and lookups stay indexed.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from uuid6 import uuid7

from sync import clock, reference
from sync.central import audit, revocation, storage
from sync.database import transaction
from sync.problems import (
    CODE_RENEWED,
    ENROLL_INVALID,
    KIOSK_INVALID,
    KIOSK_NAME_TAKEN,
    KIOSK_REVOKED,
    TOKEN_INVALID,
    TOKEN_MISSING,
    TOKEN_REVOKED,
    Problem,
)
from sync.protocol import KioskStatus, ReplicationState, SyncState

#: No 0/O, 1/I/L: a code is read off a screen or paper and typed on a kiosk.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4
MAX_NAME = 100
_COLUMNS = "id, code, name, enrolled_at, high_water, last_contact, created_at, revoked_at"


@dataclass(frozen=True)
class Kiosk:
    id: str
    code: str
    name: str
    enrolled_at: str | None
    high_water: int
    last_contact: str | None
    created_at: str
    revoked_at: str | None = None


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_enrollment_code() -> str:
    """Like ``K7QM-3XPA-9TZC``: short, typeable, unambiguous."""
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


def _compact(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper()


def add_kiosk(data_dir: Path, name: str, hours: float) -> tuple[Kiosk, str]:
    """Register a kiosk called ``name``: it and its one-time enrollment code, valid ``hours``.

    Raises ``kiosk_name_taken`` or ``kiosk_invalid`` (print ``problem.text()``).
    """
    conn = storage.open_database(data_dir)
    try:
        return create(conn, name, hours)
    finally:
        conn.close()


def renew_code(data_dir: Path, name: str, hours: float) -> str:
    """A fresh enrollment code for the kiosk ``name`` (``fieldkiosk central reenroll``).

    For a kiosk whose first code expired, a kiosk on a replacement card, or a token that
    must be rotated: enrolling with the new code gives the same kiosk (id, code, sequence)
    a new token, and the old token stops working at that moment.
    """
    conn = storage.open_database(data_dir)
    try:
        return renew_enrollment(conn, name, hours)
    finally:
        conn.close()


def create(
    conn: sqlite3.Connection,
    name: str,
    hours: float,
    actor: str = "cli",
    user_id: int | None = None,
) -> tuple[Kiosk, str]:
    """A new kiosk, numbered after the last one, and its one-time enrollment code; audited
    as ``kiosk.add`` by ``actor`` (never with the code)."""
    name = " ".join(name.split())
    if not name or len(name) > MAX_NAME:
        raise Problem(KIOSK_INVALID, reason=f"a kiosk name has 1 to {MAX_NAME} characters")
    enrollment, stamp = new_enrollment_code(), clock.now()
    with transaction(conn):
        if conn.execute("SELECT 1 FROM kiosks WHERE name = ?", (name,)).fetchone():
            raise Problem(KIOSK_NAME_TAKEN, name=name)
        number = conn.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM kiosks").fetchone()[0]
        conn.execute(
            "INSERT INTO kiosks (id, code, name, number, enrollment_sha256,"
            " enrollment_expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                str(uuid7()),
                reference.kiosk_code(number),
                name,
                number,
                digest(_compact(enrollment)),
                clock.later(hours),
                stamp,
            ),
        )
        kiosk = _one(conn, "name = ?", name)
        assert kiosk is not None
        audit.record(conn, actor, "kiosk.add", kiosk.code, user_id, name=name)
    return kiosk, enrollment


def renew_enrollment(
    conn: sqlite3.Connection,
    name: str,
    hours: float,
    actor: str = "cli",
    user_id: int | None = None,
    issued: str | None = None,
) -> str:
    """A fresh one-time enrollment code for the kiosk called ``name``, audited as
    ``kiosk.new_code`` by ``actor``; a revoked kiosk gets none (``kiosk_revoked``). With
    ``issued`` (the expiry of the code the asker saw, ``""`` for none), ``code_renewed`` if
    another code was made since: a form sent twice does not replace the code it shows."""
    code = new_enrollment_code()
    with transaction(conn):
        kiosk = find(conn, name)
        if kiosk is None:
            raise Problem(KIOSK_INVALID, reason="there is no kiosk of that name")
        if kiosk.revoked_at:
            raise Problem(KIOSK_REVOKED, name=kiosk.name, code=kiosk.code)
        if issued is not None and issued != (code_expiry(conn, kiosk) or ""):
            raise Problem(CODE_RENEWED, code=kiosk.code)
        conn.execute(
            "UPDATE kiosks SET enrollment_sha256 = ?, enrollment_expires_at = ? WHERE id = ?",
            (digest(_compact(code)), clock.later(hours), kiosk.id),
        )
        audit.record(conn, actor, "kiosk.new_code", kiosk.code, user_id)
    return code


def code_expiry(conn: sqlite3.Connection, kiosk: Kiosk) -> str | None:
    """When the kiosk's unused enrollment code expires; None when it has none."""
    row = conn.execute(
        "SELECT enrollment_expires_at FROM kiosks WHERE id = ?", (kiosk.id,)
    ).fetchone()
    return None if row is None else row[0]


def sync_state(conn: sqlite3.Connection, kiosk: Kiosk) -> SyncState:
    """Where central stands with ``kiosk``, for a kiosk resuming after a restore."""
    rows = conn.execute(
        "SELECT reference FROM submissions WHERE kiosk_id = ?", (kiosk.id,)
    ).fetchall()
    numbers = [reference.number_of(row[0]) for row in rows]
    return SyncState(high_water=kiosk.high_water, last_reference=max(numbers, default=0))


def enroll(conn: sqlite3.Connection, code: str) -> tuple[Kiosk, str]:
    """Consume ``code``: the kiosk it belongs to and that kiosk's new bearer token."""
    token, stamp = secrets.token_urlsafe(32), clock.now()
    with transaction(conn):
        row = conn.execute(
            "SELECT id FROM kiosks WHERE enrollment_sha256 = ? AND enrollment_expires_at > ?"
            " AND revoked_at IS NULL",
            (digest(_compact(code)), stamp),
        ).fetchone()
        if row is None:
            raise Problem(ENROLL_INVALID)
        conn.execute(
            "UPDATE kiosks SET enrollment_sha256 = NULL, enrollment_expires_at = NULL,"
            " token_sha256 = ?, enrolled_at = ?, last_contact = ? WHERE id = ?",
            (digest(token), stamp, stamp, row["id"]),
        )
        kiosk = _one(conn, "id = ?", row["id"])
    assert kiosk is not None
    return kiosk, token


class Caller(NamedTuple):
    """A kiosk request's ``Authorization`` header, its path and the address it came from."""

    authorization: str | None
    path: str = ""
    address: str = ""


def authenticate(
    conn: sqlite3.Connection, authorization: str | None, path: str = "", address: str = ""
) -> Kiosk:
    """The kiosk whose token is in an ``Authorization: Bearer`` header. A revoked kiosk's
    token is ``token_revoked``, and the attempt (``path``, from ``address``) is recorded."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(TOKEN_MISSING)
    kiosk = _one(conn, "token_sha256 = ?", digest(token.strip()))
    if kiosk is None:
        raise Problem(TOKEN_INVALID)
    if kiosk.revoked_at:
        revocation.refuse(conn, kiosk.id, path, address)
        raise Problem(TOKEN_REVOKED)
    return kiosk


def find(conn: sqlite3.Connection, name: str) -> Kiosk | None:
    return _one(conn, "name = ?", " ".join(name.split()))


def by_id(conn: sqlite3.Connection, kiosk_id: str) -> Kiosk | None:
    return _one(conn, "id = ?", kiosk_id)


def token_digest(conn: sqlite3.Connection, kiosk: Kiosk) -> str | None:
    """The SHA-256 of the kiosk's token; None until it enrolls."""
    row = conn.execute("SELECT token_sha256 FROM kiosks WHERE id = ?", (kiosk.id,)).fetchone()
    return None if row is None else row[0]


def by_code(conn: sqlite3.Connection, code: str) -> Kiosk | None:
    """The kiosk numbered ``code`` (``K01``, any case)."""
    return _one(conn, "code = ?", code.strip().upper()[:MAX_NAME])


def _one(conn: sqlite3.Connection, where: str, value: str) -> Kiosk | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM kiosks WHERE {where}", (value,)).fetchone()  # noqa: S608
    return None if row is None else Kiosk(**dict(row))


def record_status(conn: sqlite3.Connection, kiosk: Kiosk, status: KioskStatus) -> None:
    """Keep the kiosk's latest heartbeat (software, outbox, devices) for the fleet page."""
    stamp = clock.now()
    with transaction(conn):
        conn.execute(
            "UPDATE kiosks SET status = ?, status_at = ?, last_contact = ? WHERE id = ?",
            (status.model_dump_json(), stamp, stamp, kiosk.id),
        )


#: What the fleet page says a kiosk is doing, from its enrollment and revocation.
WAITING, EXPIRED, ENROLLED, REVOKED = "waiting", "expired", "enrolled", "revoked"


@dataclass(frozen=True)
class FleetRow:
    """One kiosk on the fleet page: its last heartbeat, the expiry of an enrollment code
    it has not used yet (None when it has none) and, once revoked, its revocation."""

    kiosk: Kiosk
    status: KioskStatus | None
    status_at: str | None
    code_expires_at: str | None = None
    code_expired: bool = False
    revocation: revocation.Revocation | None = None

    @property
    def state(self) -> str:
        if self.revocation is not None:
            return REVOKED
        if self.kiosk.enrolled_at:
            return ENROLLED
        return EXPIRED if self.code_expired or not self.code_expires_at else WAITING

    @property
    def replication(self) -> ReplicationState | None:
        """The replica's state, None when the kiosk does not report one (no Litestream)."""
        return self.status.replication if self.status else None

    @property
    def faults(self) -> list[str]:
        devices = self.status.devices if self.status else []
        return [f"{d.device}: {d.fault.get('code', 'error')}" for d in devices if d.fault]


def fleet(conn: sqlite3.Connection) -> list[FleetRow]:
    query = (
        f"SELECT {_COLUMNS}, status, status_at, enrollment_expires_at"  # noqa: S608
        " FROM kiosks ORDER BY name"
    )
    now, revoked = clock.now(), revocation.revocations(conn)
    return [
        FleetRow(
            Kiosk(*[row[name] for name in _COLUMNS.split(", ")]),
            KioskStatus.model_validate_json(row["status"]) if row["status"] else None,
            row["status_at"],
            row["enrollment_expires_at"],
            bool(row["enrollment_expires_at"]) and row["enrollment_expires_at"] <= now,
            revoked.get(row["id"]),
        )
        for row in conn.execute(query)
    ]
