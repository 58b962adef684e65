"""SQLite as both sides open it, and the migration runner, on real database files."""

from __future__ import annotations

import pytest

from kiosk.migrations import MIGRATIONS as KIOSK
from sync import outbox
from sync.database import Migration, connect, migrate, sql, transaction


def test_connections_use_wal_and_a_busy_timeout(tmp_path):
    db = connect(tmp_path / "x.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_kiosk_schema_migrates_once(tmp_path):
    db = connect(tmp_path / "kiosk.db")
    applied = migrate(db, [*outbox.MIGRATIONS, *KIOSK])
    assert applied == [m.name for m in [*outbox.MIGRATIONS, *KIOSK]]
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK]) == []
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"outbox", "sessions", "drafts", "submissions", "counters"} <= tables


def test_a_failing_migration_leaves_no_trace(tmp_path):
    db = connect(tmp_path / "x.db")
    good = sql("2026-01-01-good", "CREATE TABLE a (x INTEGER)")

    def broken(conn):
        conn.execute("CREATE TABLE b (x INTEGER)")
        raise RuntimeError("half-way")

    with pytest.raises(RuntimeError):
        migrate(db, [good, Migration("2026-01-02-broken", broken)])
    names = {row[0] for row in db.execute("SELECT name FROM _migrations")}
    assert names == {"2026-01-01-good"}
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'b'").fetchone() is None


def test_a_transaction_rolls_back_on_error(tmp_path):
    db = connect(tmp_path / "x.db")
    db.execute("CREATE TABLE t (x INTEGER)")
    with pytest.raises(ZeroDivisionError), transaction(db):
        db.execute("INSERT INTO t VALUES (1)")
        1 / 0  # noqa: B018
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_receipt_printing_upgrades_a_kiosk_database_of_the_previous_shape(tmp_path):
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK[:1]])
    db.execute(
        "INSERT INTO submissions (id, reference, change_id, form_id, form_version, language,"
        " answers, submitted_at) VALUES ('s1', 'K01-00001-X', 'c1', 'f', '1', 'en', '{}', 'now')"
    )
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK[:2]]) == ["2026-11-22-receipt-printing"]
    row = db.execute("SELECT reference, printed_at, print_fault FROM submissions").fetchone()
    assert tuple(row) == ("K01-00001-X", None, None)


def test_references_skip_past_what_a_dead_card_may_have_handed_out(tmp_path):
    from kiosk.submissions import continue_numbering

    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK])
    assert continue_numbering(db, 440) == 2000
    db.execute("UPDATE counters SET value = 999")
    assert continue_numbering(db, 12) == 2000, "the gap is at least a thousand"


def test_form_versions_upgrade_a_kiosk_database_of_the_previous_shape(tmp_path):
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK[:2]])
    db.execute("INSERT INTO sessions VALUES ('s', 'en', 'then', 'then')")
    db.execute("INSERT INTO drafts VALUES ('s', 'f', '1', '{}', 'then')")
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK[:3]]) == ["2026-11-22-form-versions"]
    assert db.execute("SELECT form_version FROM drafts").fetchone()[0] == "1"
    assert db.execute("SELECT count(*) FROM form_versions").fetchone()[0] == 0


def test_display_preferences_upgrade_sessions_of_the_previous_shape(tmp_path):
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK[:3]])
    db.execute("INSERT INTO sessions VALUES ('s', 'sw', 'then', 'then')")
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK[:4]]) == ["2026-11-22-display-preferences"]
    row = db.execute("SELECT language, text_size, high_contrast FROM sessions").fetchone()
    assert tuple(row) == ("sw", 1, 0)


def test_saved_drafts_arrive_on_a_kiosk_database_of_the_previous_shape(tmp_path):
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK[:4]])
    db.execute(
        "INSERT INTO sessions (id, language, created_at, seen_at) VALUES ('s', 'fr', 't', 't')"
    )
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK[:5]]) == ["2026-11-22-saved-drafts"]
    assert db.execute("SELECT count(*) FROM saved_drafts").fetchone()[0] == 0
    assert db.execute("SELECT language FROM sessions").fetchone()[0] == "fr"


def test_assistance_workers_arrive_on_a_kiosk_database_of_the_previous_shape(tmp_path):
    names = [migration.name for migration in KIOSK]
    mine = names.index("2026-11-24-assistance-workers")
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK[:mine]])
    db.execute(
        "INSERT INTO submissions (id, reference, change_id, form_id, form_version, language,"
        " answers, submitted_at) VALUES ('s1', 'K01-00001-X', 'c1', 'f', '1', 'en', '{}', 'now')"
    )
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK[: mine + 1]]) == [names[mine]]
    row = db.execute("SELECT reference, assisted FROM submissions").fetchone()
    assert tuple(row) == ("K01-00001-X", None)
    assert db.execute("SELECT count(*) FROM workers").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM worker_sessions").fetchone()[0] == 0
