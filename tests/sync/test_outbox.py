from __future__ import annotations

import sqlite3

import pytest

from sync import outbox
from sync.database import connect, migrate, transaction
from tests.sync.conftest import queue, submission_payload


def test_migration_applies_to_an_empty_database_once(tmp_path):
    conn = connect(tmp_path / "new.db")
    assert migrate(conn, outbox.MIGRATIONS) == ["2026-11-21-outbox", "2026-11-22-outbox-floor"]
    assert migrate(conn, outbox.MIGRATIONS) == []
    assert outbox.stats(conn) == (0, None)


def test_sequence_is_gap_free_and_pending_in_order(kiosk_db):
    changes = queue(kiosk_db, 5)
    assert [c.seq for c in changes] == [1, 2, 3, 4, 5]
    assert [c.id for c in outbox.pending(kiosk_db, 3)] == [c.id for c in changes[:3]]
    assert outbox.pending(kiosk_db, 10)[0].to_wire() == changes[0].to_wire()


def test_enqueue_rolls_back_with_the_callers_transaction(kiosk_db):
    queue(kiosk_db, 2)
    with pytest.raises(RuntimeError, match="citizen walked away"), transaction(kiosk_db):
        kiosk_db.execute("INSERT INTO things (name) VALUES ('half done')")
        outbox.enqueue(kiosk_db, "submission.create", submission_payload("K01", 3))
        raise RuntimeError("citizen walked away")
    assert kiosk_db.execute("SELECT COUNT(*) FROM things").fetchone()[0] == 0
    assert outbox.stats(kiosk_db)[0] == 2
    assert queue(kiosk_db, 1, start=3)[0].seq == 3  # no gap left behind


def test_enqueue_needs_an_open_transaction(kiosk_db):
    with pytest.raises(RuntimeError, match="transaction"):
        outbox.enqueue(kiosk_db, "submission.create", submission_payload())


def test_enqueue_refuses_what_central_would_refuse(kiosk_db):
    with pytest.raises(ValueError, match="kind"), transaction(kiosk_db):
        outbox.enqueue(kiosk_db, "submission.delete", {})
    with pytest.raises(ValueError, match="reference"), transaction(kiosk_db):
        outbox.enqueue(kiosk_db, "submission.create", submission_payload(reference="K01-1"))
    assert outbox.stats(kiosk_db) == (0, None)


def test_acknowledge_moves_forward_only_and_within_the_queue(kiosk_db):
    changes = queue(kiosk_db, 4)
    outbox.acknowledge(kiosk_db, 2)
    assert [c.seq for c in outbox.pending(kiosk_db, 10)] == [3, 4]
    assert outbox.stats(kiosk_db) == (2, changes[2].created_at)
    outbox.acknowledge(kiosk_db, 1)
    assert outbox.acked_through(kiosk_db) == 2
    outbox.acknowledge(kiosk_db, 99)
    assert outbox.acked_through(kiosk_db) == 4
    assert outbox.stats(kiosk_db) == (0, None)
    outbox.rewind(kiosk_db, 1)
    assert [c.seq for c in outbox.pending(kiosk_db, 10)] == [2, 3, 4]


def test_rows_are_never_deleted(kiosk_db):
    queue(kiosk_db, 1)
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        kiosk_db.execute("DELETE FROM outbox")


def test_the_floor_migration_upgrades_an_outbox_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "old.db")
    migrate(conn, outbox.MIGRATIONS[:1])
    conn.execute(
        "INSERT INTO outbox (id, kind, created_at, payload) VALUES"
        " ('018f0000-0000-7000-8000-000000000001', 'submission.create', 'then', '{}')"
    )
    assert migrate(conn, outbox.MIGRATIONS) == ["2026-11-22-outbox-floor"]
    assert [c.seq for c in outbox.pending(conn, 10)] == [1]
    assert queue(conn, 1, start=2)[0].seq == 2


def test_resume_after_restore_from_an_older_replica(kiosk_db):
    queue(kiosk_db, 3)  # the restored database holds changes 1..3, central had 1..7
    with transaction(kiosk_db):
        outbox.resume(kiosk_db, 7)
    assert outbox.pending(kiosk_db, 10) == []
    assert outbox.stats(kiosk_db) == (0, None)
    assert queue(kiosk_db, 1, start=8)[0].seq == 8, "numbers central has seen are not reused"


def test_resume_after_restore_from_a_newer_replica(kiosk_db):
    queue(kiosk_db, 5)  # central lost 4..5 (or never got them)
    with transaction(kiosk_db):
        outbox.resume(kiosk_db, 3)
    assert [c.seq for c in outbox.pending(kiosk_db, 10)] == [4, 5]
    assert queue(kiosk_db, 1, start=6)[0].seq == 6
