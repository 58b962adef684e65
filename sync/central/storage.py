"""Central's database, ``<data>/central.db``, and the migrations that shape it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sync.database import connect, migrate, sql

FILENAME = "central.db"

MIGRATIONS = [
    sql(
        "2026-11-21-central",
        """
        CREATE TABLE kiosks (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            number INTEGER NOT NULL UNIQUE,
            enrollment_sha256 TEXT UNIQUE,
            enrollment_expires_at TEXT,
            token_sha256 TEXT UNIQUE,
            enrolled_at TEXT,
            high_water INTEGER NOT NULL DEFAULT 0,
            last_contact TEXT,
            created_at TEXT NOT NULL
        );

        CREATE TABLE changes (
            id TEXT PRIMARY KEY,
            kiosk_id TEXT NOT NULL REFERENCES kiosks (id),
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            payload TEXT NOT NULL,
            received_at TEXT NOT NULL,
            UNIQUE (kiosk_id, seq)
        );
        CREATE TABLE refused_changes (
            id INTEGER PRIMARY KEY,
            change_id TEXT NOT NULL,
            kiosk_id TEXT NOT NULL REFERENCES kiosks (id),
            seq INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            reason TEXT NOT NULL,
            change TEXT NOT NULL,
            received_at TEXT NOT NULL,
            UNIQUE (change_id, sha256)
        );

        CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            kiosk_id TEXT NOT NULL REFERENCES kiosks (id),
            change_id TEXT NOT NULL UNIQUE REFERENCES changes (id),
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            language TEXT NOT NULL,
            answers TEXT NOT NULL,
            submitted_at TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX submissions_newest ON submissions (submitted_at DESC, reference DESC);

        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('reviewer', 'supervisor', 'admin')),
            created_at TEXT NOT NULL
        )
        """,
    ),
    sql(
        "2026-11-22-kiosk-status",
        """
        ALTER TABLE kiosks ADD COLUMN status TEXT;
        ALTER TABLE kiosks ADD COLUMN status_at TEXT
        """,
    ),
    sql(
        "2026-11-23-assistance-feedback",
        """
        ALTER TABLE submissions ADD COLUMN assisted TEXT;

        CREATE TABLE feedback (
            id TEXT PRIMARY KEY,
            change_id TEXT NOT NULL UNIQUE REFERENCES changes (id),
            kiosk_id TEXT NOT NULL REFERENCES kiosks (id),
            submission_id TEXT NOT NULL,
            reference TEXT NOT NULL,
            form_id TEXT NOT NULL,
            language TEXT NOT NULL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            given_at TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
        CREATE INDEX feedback_by_reference ON feedback (reference);
        CREATE INDEX feedback_by_form ON feedback (form_id, given_at DESC)
        """,
    ),
]


def path(data_dir: Path) -> Path:
    return Path(data_dir) / FILENAME


def open_database(data_dir: Path) -> sqlite3.Connection:
    """A connection to central's database, migrated to the current schema."""
    Path(data_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    conn = connect(path(data_dir))
    migrate(conn, MIGRATIONS)
    return conn
