"""Central's migrations: each applies once, in name order."""

from __future__ import annotations

from sync.central import storage
from sync.database import connect, migrate


def test_migrations_apply_in_order_once(tmp_path):
    conn = connect(tmp_path / "central.db")
    names = [m.name for m in storage.MIGRATIONS]
    assert names == sorted(names)
    assert len(set(names)) == len(names)
    assert migrate(conn, storage.MIGRATIONS) == names
    assert migrate(conn, storage.MIGRATIONS) == []
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "kiosks",
        "changes",
        "refused_changes",
        "submissions",
        "users",
        "feedback",
        "feed",
        "audit",
    } <= tables


def test_secrets_are_private_and_kept(central_settings):
    from starlette.testclient import TestClient

    from sync.central.app import create_app

    create_app(central_settings)
    for name in ("csrf.key", "session.key"):
        path = central_settings.data / name
        assert path.stat().st_mode & 0o777 == 0o600
    first = (central_settings.data / "session.key").read_text()
    with TestClient(create_app(central_settings)):
        assert (central_settings.data / "session.key").read_text() == first


def test_kiosk_status_upgrades_a_database_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "central.db")
    migrate(conn, storage.MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, created_at)"
        " VALUES ('k1', 'K01', 'Library', 1, '2026-11-21T09:00:00.000Z')"
    )
    assert migrate(conn, storage.MIGRATIONS)[0] == "2026-11-22-kiosk-status"
    row = conn.execute("SELECT name, status, status_at FROM kiosks").fetchone()
    assert tuple(row) == ("Library", None, None)


def test_assistance_and_feedback_upgrade_keeps_earlier_submissions(tmp_path):
    conn = connect(tmp_path / "central.db")
    migrate(conn, storage.MIGRATIONS[:2])
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, created_at)"
        " VALUES ('k1', 'K01', 'Library', 1, '2026-11-21T09:00:00.000Z')"
    )
    conn.execute(
        "INSERT INTO changes (id, kiosk_id, seq, kind, created_at, sha256, payload, received_at)"
        " VALUES ('c1', 'k1', 1, 'submission.create', 't', 'x', '{}', 't')"
    )
    conn.execute(
        "INSERT INTO submissions (id, reference, kiosk_id, change_id, form_id, form_version,"
        " language, answers, submitted_at, received_at)"
        " VALUES ('s1', 'K01-00001-X', 'k1', 'c1', 'f', '1', 'en', '{}', 't', 't')"
    )
    assert migrate(conn, storage.MIGRATIONS)[0] == "2026-11-23-assistance-feedback"
    row = conn.execute("SELECT reference, assisted FROM submissions").fetchone()
    assert tuple(row) == ("K01-00001-X", None)
    assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 0


def test_envelope_migration_names_the_record_of_changes_already_stored(tmp_path):
    conn = connect(tmp_path / "central.db")
    before = [m for m in storage.MIGRATIONS if m.name < "2026-11-25-envelope-feed-audit"]
    migrate(conn, before)
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, created_at)"
        " VALUES ('k1', 'K01', 'Library', 1, '2026-11-21T09:00:00.000Z')"
    )
    conn.execute(
        "INSERT INTO changes (id, kiosk_id, seq, kind, created_at, sha256, payload, received_at)"
        " VALUES ('c1', 'k1', 1, 'submission.create', 't', 'x', '{\"id\": \"s1\"}', 't')"
    )
    assert "2026-11-25-envelope-feed-audit" in migrate(conn, storage.MIGRATIONS)
    row = conn.execute("SELECT record_type, record_id FROM changes").fetchone()
    assert tuple(row) == ("submission", "s1")
