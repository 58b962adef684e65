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
    sql(
        "2026-11-25-envelope-feed-audit",
        """
        ALTER TABLE changes ADD COLUMN hlc TEXT NOT NULL DEFAULT '';
        ALTER TABLE changes ADD COLUMN actor TEXT NOT NULL DEFAULT '';
        ALTER TABLE changes ADD COLUMN record_type TEXT NOT NULL DEFAULT '';
        ALTER TABLE changes ADD COLUMN record_id TEXT NOT NULL DEFAULT '';
        ALTER TABLE changes ADD COLUMN base_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE changes ADD COLUMN patch TEXT;
        UPDATE changes SET record_type = substr(kind, 1, instr(kind, '.') - 1),
            record_id = COALESCE(json_extract(payload, '$.id'), '');
        CREATE INDEX changes_by_record ON changes (record_type, record_id, hlc);

        CREATE TABLE feed (
            cursor INTEGER PRIMARY KEY AUTOINCREMENT,
            kiosk_id TEXT REFERENCES kiosks (id),
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX feed_latest ON feed (kind, key, COALESCE(kiosk_id, ''));
        CREATE INDEX feed_for_kiosk ON feed (kiosk_id, cursor);

        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user_id INTEGER REFERENCES users (id),
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            details TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX audit_newest ON audit (at DESC)
        """,
    ),
    sql(
        # Staff review: each submission's current state and every decision made on it;
        # and failed sign-ins per email, for the lockout (sync/central/sign_ins.py).
        "2026-11-26a-reviews",
        """
        ALTER TABLE submissions ADD COLUMN review_state TEXT NOT NULL DEFAULT 'received'
            CHECK (review_state IN ('received', 'has_issues', 'approved', 'rejected'));
        ALTER TABLE submissions ADD COLUMN review_comment TEXT NOT NULL DEFAULT '';
        ALTER TABLE submissions ADD COLUMN decided_by INTEGER REFERENCES users (id);
        ALTER TABLE submissions ADD COLUMN decided_at TEXT;
        CREATE INDEX submissions_by_state ON submissions (review_state, submitted_at DESC);
        CREATE INDEX submissions_by_form ON submissions (form_id, submitted_at DESC);
        CREATE INDEX submissions_by_kiosk ON submissions (kiosk_id, submitted_at DESC);

        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY,
            submission_id TEXT NOT NULL REFERENCES submissions (id),
            state TEXT NOT NULL
                CHECK (state IN ('received', 'has_issues', 'approved', 'rejected')),
            comment TEXT NOT NULL DEFAULT '',
            decided_by INTEGER NOT NULL REFERENCES users (id),
            decided_at TEXT NOT NULL
        );
        CREATE INDEX reviews_by_submission ON reviews (submission_id, id);

        CREATE TABLE sign_in_failures (
            email TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL,
            locked_until TEXT
        );
        CREATE INDEX audit_by_target ON audit (target, id)
        """,
    ),
    sql(
        "2026-11-26b-cases",
        """
        CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            fields TEXT NOT NULL DEFAULT '{}',
            field_versions TEXT NOT NULL DEFAULT '{}',
            field_sources TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            merged_into TEXT REFERENCES cases (id)
        );
        CREATE INDEX cases_by_type ON cases (type, updated_at DESC);

        CREATE TABLE case_conflicts (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases (id),
            field TEXT NOT NULL,
            base TEXT NOT NULL,
            candidates TEXT NOT NULL,
            opened_at TEXT NOT NULL,
            resolved_at TEXT,
            resolved_by TEXT,
            resolution TEXT
        );
        CREATE UNIQUE INDEX case_conflicts_open ON case_conflicts (case_id, field)
            WHERE resolved_at IS NULL;
        CREATE INDEX case_conflicts_queue ON case_conflicts (resolved_at, opened_at);

        CREATE TABLE case_aliases (
            alias_id TEXT PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases (id)
        );

        CREATE TABLE case_types (
            name TEXT PRIMARY KEY,
            definition TEXT NOT NULL,
            loaded_at TEXT NOT NULL
        )
        """,
    ),
    sql(
        "2026-11-26c-duplicates",
        """
        CREATE TABLE duplicates (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            case_a TEXT NOT NULL REFERENCES cases (id),
            case_b TEXT NOT NULL REFERENCES cases (id),
            reason TEXT NOT NULL CHECK (reason IN ('national_id', 'name_dob_place')),
            score REAL NOT NULL,
            found_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'merged', 'dismissed')),
            decided_by TEXT,
            decided_at TEXT,
            survivor TEXT REFERENCES cases (id),
            UNIQUE (case_a, case_b)
        );
        CREATE INDEX duplicates_queue ON duplicates (state, type, found_at);

        CREATE TABLE case_identities (
            case_id TEXT PRIMARY KEY REFERENCES cases (id),
            type TEXT NOT NULL,
            national_id TEXT,
            name TEXT,
            born TEXT,
            place TEXT
        );
        CREATE INDEX case_identities_by_national_id ON case_identities (type, national_id);
        CREATE INDEX case_identities_by_birth ON case_identities (type, born);
        INSERT INTO case_identities (case_id, type, national_id, name, born, place)
        SELECT c.id, c.type,
            NULLIF(lower(replace(replace(replace(replace(trim(json_extract(c.fields,
                '$.' || json_extract(t.definition, '$.identity.national_id'))),
                ' ', ''), '-', ''), '.', ''), '/', '')), ''),
            NULLIF(trim(json_extract(c.fields,
                '$.' || json_extract(t.definition, '$.identity.name'))), ''),
            NULLIF(trim(json_extract(c.fields,
                '$.' || json_extract(t.definition, '$.identity.date_of_birth'))), ''),
            NULLIF(trim(json_extract(c.fields,
                '$.' || json_extract(t.definition, '$.identity.place'))), '')
        FROM cases AS c JOIN case_types AS t ON t.name = c.type
        WHERE c.merged_into IS NULL AND json_extract(t.definition, '$.identity') IS NOT NULL
        """,
    ),
    sql(
        "2026-11-26d-fleet",
        """
        ALTER TABLE kiosks ADD COLUMN revoked_at TEXT;
        ALTER TABLE kiosks ADD COLUMN revoked_by INTEGER REFERENCES users (id);
        ALTER TABLE kiosks ADD COLUMN revoke_reason TEXT;

        CREATE TABLE refused_contacts (
            kiosk_id TEXT NOT NULL REFERENCES kiosks (id),
            address TEXT NOT NULL,
            first_at TEXT NOT NULL,
            last_at TEXT NOT NULL,
            last_path TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (kiosk_id, address)
        )
        """,
    ),
    sql(
        # A case's history (case_history.history) and aliases (duplicates.aliases) look up the
        # ids merged into it: by the survivor, not by the alias.
        "2026-11-27-case-lookups",
        """
        CREATE INDEX case_aliases_by_case ON case_aliases (case_id);
        CREATE INDEX cases_by_merged_into ON cases (merged_into) WHERE merged_into IS NOT NULL
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
