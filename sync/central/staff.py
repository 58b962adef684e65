"""Central's staff: an email, an Argon2id password hash and a role (any role can read).

``add_user`` is what the command line calls.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sync import clock
from sync.central import storage
from sync.database import transaction
from sync.problems import SIGN_IN_FAILED, USER_EXISTS, USER_INVALID, Problem

ROLES = ("reviewer", "supervisor", "admin")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_hasher = PasswordHasher()
#: Checked against when the email is unknown, so both failures take as long.
_DUMMY_HASH = _hasher.hash("not anyone's password")


@dataclass(frozen=True)
class User:
    id: int
    email: str
    role: str


def add_user(data_dir: Path, email: str, password: str, role: str) -> User:
    """A staff member who can sign in; raises ``user_exists`` or ``user_invalid``."""
    conn = storage.open_database(data_dir)
    try:
        return create(conn, email, password, role)
    finally:
        conn.close()


def create(conn: sqlite3.Connection, email: str, password: str, role: str) -> User:
    email = email.strip()
    if "@" not in email.strip("@") or len(email) > 254 or any(c.isspace() for c in email):
        raise Problem(USER_INVALID, reason="the email address is not valid")
    if role not in ROLES:
        raise Problem(USER_INVALID, reason=f"the role must be one of {', '.join(ROLES)}")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Problem(USER_INVALID, reason=f"a password has at least {MIN_PASSWORD} characters")
    password_hash = _hasher.hash(password)
    with transaction(conn):
        if conn.execute("SELECT 1 FROM users WHERE email = ?", (email,)).fetchone():
            raise Problem(USER_EXISTS, email=email)
        row = conn.execute(
            "INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            (email, password_hash, role, clock.now()),
        ).fetchone()
    return User(int(row[0]), email, role)


def authenticate(conn: sqlite3.Connection, email: str, password: str) -> User:
    """The user with this email and password, or ``sign_in_failed``."""
    row = conn.execute(
        "SELECT id, email, role, password_hash FROM users WHERE email = ?", (email.strip(),)
    ).fetchone()
    stored = row["password_hash"] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        raise Problem(SIGN_IN_FAILED) from None
    if row is None:
        raise Problem(SIGN_IN_FAILED)
    if _hasher.check_needs_rehash(stored):
        with transaction(conn):
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                (_hasher.hash(password), row["id"]),
            )
    return User(row["id"], row["email"], row["role"])


def get(conn: sqlite3.Connection, user_id: object) -> User | None:
    if not isinstance(user_id, int):
        return None
    row = conn.execute("SELECT id, email, role FROM users WHERE id = ?", (user_id,)).fetchone()
    return None if row is None else User(row["id"], row["email"], row["role"])
