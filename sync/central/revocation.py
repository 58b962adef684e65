"""Revoked kiosks: an admin's decision that a kiosk's token (a stolen kiosk, a lost card)
is refused for good, and the refused contacts it keeps making, shown on the fleet page.

The token's digest is kept, so that a revoked kiosk's requests are told ``token_revoked``
(and recorded) rather than ``token_invalid``. Contacts are kept one row per address the
kiosk calls from (first and last attempt, how many, the last path), the newest
:data:`KEPT_ADDRESSES` per kiosk: a kiosk retrying for months stays a few rows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from sync import clock
from sync.central import audit
from sync.database import transaction

MAX_REASON = 500
KEPT_ADDRESSES = 20
_MAX_ADDRESS = 64
_MAX_PATH = 100


@dataclass(frozen=True)
class Contact:
    """Refused requests from one address."""

    address: str
    first_at: str
    last_at: str
    last_path: str
    attempts: int


@dataclass(frozen=True)
class Revocation:
    """When a kiosk was revoked, by whom (an email; empty if unknown), why, and the
    refused contacts since, newest first."""

    at: str
    by: str
    reason: str
    contacts: list[Contact]

    @property
    def attempts(self) -> int:
        return sum(contact.attempts for contact in self.contacts)

    @property
    def last(self) -> Contact | None:
        return self.contacts[0] if self.contacts else None


def revoke(
    conn: sqlite3.Connection, kiosk_id: str, code: str, reason: str, actor: str, user_id: int | None
) -> bool:
    """Revoke the kiosk (and any enrollment code it has waiting), audited in the same
    transaction; False if it was already revoked (nothing changes then)."""
    with transaction(conn):
        revoked = conn.execute(
            "UPDATE kiosks SET revoked_at = ?, revoked_by = ?, revoke_reason = ?,"
            " enrollment_sha256 = NULL, enrollment_expires_at = NULL"
            " WHERE id = ? AND revoked_at IS NULL",
            (clock.now(), user_id, reason, kiosk_id),
        ).rowcount
        if revoked:
            audit.record(conn, actor, "kiosk.revoke", code, user_id, reason=reason)
    return bool(revoked)


def refuse(conn: sqlite3.Connection, kiosk_id: str, path: str, address: str) -> None:
    """Record one refused request from a revoked kiosk."""
    address, path, stamp = (address or "unknown")[:_MAX_ADDRESS], path[:_MAX_PATH], clock.now()
    with transaction(conn):
        conn.execute(
            "INSERT INTO refused_contacts (kiosk_id, address, first_at, last_at, last_path)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (kiosk_id, address) DO UPDATE SET"
            " last_at = excluded.last_at, last_path = excluded.last_path,"
            " attempts = attempts + 1",
            (kiosk_id, address, stamp, stamp, path),
        )
        conn.execute(
            "DELETE FROM refused_contacts WHERE kiosk_id = ? AND address NOT IN"
            " (SELECT address FROM refused_contacts WHERE kiosk_id = ?"
            " ORDER BY last_at DESC LIMIT ?)",
            (kiosk_id, kiosk_id, KEPT_ADDRESSES),
        )


def revocations(conn: sqlite3.Connection) -> dict[str, Revocation]:
    """Every revoked kiosk's revocation, by kiosk id."""
    contacts: dict[str, list[Contact]] = {}
    for row in conn.execute(
        "SELECT kiosk_id, address, first_at, last_at, last_path, attempts"
        " FROM refused_contacts ORDER BY last_at DESC"
    ):
        contact = Contact(
            row["address"], row["first_at"], row["last_at"], row["last_path"], row["attempts"]
        )
        contacts.setdefault(row["kiosk_id"], []).append(contact)
    rows = conn.execute(
        "SELECT kiosks.id, revoked_at, COALESCE(users.email, '') AS email, revoke_reason"
        " FROM kiosks LEFT JOIN users ON users.id = kiosks.revoked_by"
        " WHERE revoked_at IS NOT NULL"
    )
    return {
        row["id"]: Revocation(
            row["revoked_at"], row["email"], row["revoke_reason"] or "", contacts.get(row["id"], [])
        )
        for row in rows
    }
