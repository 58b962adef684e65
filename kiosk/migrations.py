"""Schema of the kiosk's own tables; the outbox's tables come from :mod:`sync.outbox`."""

from __future__ import annotations

from sync.database import sql

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
]
