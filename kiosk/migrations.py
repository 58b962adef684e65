"""Schema of the kiosk's own tables; the outbox's tables come from :mod:`sync.outbox` and
the inbox's from :mod:`sync.inbox`. :data:`SCHEMA` is all three, in the order they apply."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sync import inbox, outbox
from sync.database import connect, migrate, sql

DATABASE = "kiosk.db"

MIGRATIONS = [
    sql(
        "2026-11-21-kiosk-sessions-drafts-submissions",
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            language TEXT NOT NULL,
            created_at TEXT NOT NULL,
            seen_at TEXT NOT NULL
        );
        CREATE TABLE drafts (
            session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            answers TEXT NOT NULL DEFAULT '{}',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (session_id, form_id)
        );
        CREATE TABLE submissions (
            id TEXT PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE,
            change_id TEXT NOT NULL UNIQUE,
            session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            language TEXT NOT NULL,
            answers TEXT NOT NULL,
            submitted_at TEXT NOT NULL
        );
        CREATE TABLE counters (
            name TEXT PRIMARY KEY,
            value INTEGER NOT NULL
        )
        """,
    ),
    sql(
        "2026-11-22-receipt-printing",
        """
        ALTER TABLE submissions ADD COLUMN printed_at TEXT;
        ALTER TABLE submissions ADD COLUMN print_fault TEXT
        """,
    ),
    sql(
        "2026-11-22-form-versions",
        """
        CREATE TABLE form_versions (
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            definition TEXT NOT NULL,
            published_at TEXT NOT NULL,
            PRIMARY KEY (form_id, version)
        )
        """,
    ),
    sql(
        "2026-11-22-display-preferences",
        """
        ALTER TABLE sessions ADD COLUMN text_size INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE sessions ADD COLUMN high_contrast INTEGER NOT NULL DEFAULT 0
        """,
    ),
    sql(
        "2026-11-22-saved-drafts",
        """
        CREATE TABLE saved_drafts (
            code_sha256 TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            answers TEXT NOT NULL,
            language TEXT NOT NULL,
            expires_at TEXT NOT NULL
        )
        """,
    ),
    sql(
        "2026-11-24-assistance-workers",
        """
        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            failed_tries INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT,
            created_at TEXT NOT NULL,
            disabled_at TEXT
        );
        CREATE UNIQUE INDEX workers_active_name ON workers (name COLLATE NOCASE)
            WHERE disabled_at IS NULL;
        CREATE TABLE worker_sessions (
            id TEXT PRIMARY KEY,
            worker_id TEXT NOT NULL REFERENCES workers(id) ON DELETE CASCADE,
            started_at TEXT NOT NULL,
            seen_at TEXT NOT NULL
        );
        ALTER TABLE submissions ADD COLUMN assisted TEXT
        """,
    ),
    sql(
        "2026-11-24-feedback",
        """
        CREATE TABLE feedback (
            id TEXT PRIMARY KEY,
            change_id TEXT NOT NULL UNIQUE,
            submission_id TEXT NOT NULL UNIQUE REFERENCES submissions(id),
            reference TEXT NOT NULL,
            form_id TEXT NOT NULL,
            language TEXT NOT NULL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),
            comment TEXT NOT NULL DEFAULT '',
            given_at TEXT NOT NULL
        )
        """,
    ),
    sql(
        "2026-11-26-kiosk-cases",
        # The case a submission created or changed: {"type", "id", "change_id",
        # "base_version", "fields"} (kiosk/cases.py), or NULL.
        "ALTER TABLE submissions ADD COLUMN case_change TEXT",
    ),
]

#: Every migration of the kiosk's database: the outbox's, the inbox's, then its own.
SCHEMA = [*outbox.MIGRATIONS, *inbox.MIGRATIONS, *MIGRATIONS]


def open_database(data_dir: Path) -> sqlite3.Connection:
    """The kiosk's database in ``data_dir``, brought up to date."""
    conn = connect(Path(data_dir) / DATABASE)
    migrate(conn, SCHEMA)
    return conn
