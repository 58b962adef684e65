from __future__ import annotations

import sqlite3

import pytest
from uuid6 import uuid7

from sync import hlc, outbox, protocol
from sync.database import connect, migrate, transaction
from tests.sync.conftest import queue, submission_payload


def test_migration_applies_to_an_empty_database_once(tmp_path):
    conn = connect(tmp_path / "new.db")
    assert migrate(conn, outbox.MIGRATIONS) == [
        "2026-11-21-outbox",
        "2026-11-22-outbox-floor",
        "2026-11-25-outbox-envelope",
    ]
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
        " ('018f0000-0000-7000-8000-000000000001', 'submission.create',"
        " '2026-11-21T09:30:00.000Z', '{\"id\": \"018f0000-0000-7000-8000-000000000002\"}')"
    )
    assert migrate(conn, outbox.MIGRATIONS) == [
        "2026-11-22-outbox-floor",
        "2026-11-25-outbox-envelope",
    ]
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


def test_envelope_migration_gives_queued_changes_a_clock_and_a_record(tmp_path):
    conn = connect(tmp_path / "old.db")
    migrate(conn, outbox.MIGRATIONS[:2])
    payloads = [submission_payload("K01", n) for n in (1, 2)]
    for seq, payload in enumerate(payloads, start=1):
        conn.execute(
            "INSERT INTO outbox (seq, id, kind, created_at, payload) VALUES (?, ?, ?, ?, ?)",
            (
                seq,
                str(uuid7()),
                "submission.create",
                "2026-11-21T09:30:00.000Z",
                protocol.canonical(payload),
            ),
        )
    assert migrate(conn, outbox.MIGRATIONS) == ["2026-11-25-outbox-envelope"]
    changes = outbox.pending(conn, 10)
    assert [c.record for c in changes] == [{"type": "submission", "id": p["id"]} for p in payloads]
    stamps = [hlc.parse(c.hlc) for c in changes]
    assert stamps[0] < stamps[1]
    for change in changes:
        protocol.check_change(change.to_wire())
    outbox.set_node(conn, "K01")
    with transaction(conn):
        later = outbox.enqueue(conn, "submission.create", submission_payload("K01", 3))
    assert hlc.parse(later.hlc) > stamps[1]
    assert later.actor == "kiosk:K01"


def test_every_change_gets_a_later_clock_even_when_the_wall_clock_steps_back(kiosk_db):
    outbox.set_node(kiosk_db, "K07")
    ahead = hlc.Timestamp(hlc.wall_ms() + 3_600_000, 5, "K07")  # the clock was an hour fast
    kiosk_db.execute("UPDATE outbox_state SET hlc = ?", (str(ahead),))
    changes = queue(kiosk_db, 3)
    stamps = [hlc.parse(c.hlc) for c in changes]
    assert ahead < stamps[0] < stamps[1] < stamps[2]
    assert {s.node for s in stamps} == {"K07"}


def test_a_case_change_carries_its_record_base_version_and_patch(kiosk_db):
    case_id = str(uuid7())
    patch = {"phones": {"old": ["0700"], "new": ["0700", "0711"]}, "head": {"old": "A", "new": "B"}}
    with transaction(kiosk_db):
        change = outbox.enqueue(
            kiosk_db,
            "case.update",
            {},
            actor="worker:" + str(uuid7()),
            record={"type": "household", "id": case_id},
            base_version=3,
            patch=patch,
        )
    (sent,) = outbox.pending(kiosk_db, 10)
    assert sent == change
    wire = protocol.check_change(sent.to_wire())
    assert wire.record.id == case_id and wire.base_version == 3
    assert wire.patch is not None and wire.patch["head"].new == "B"


def test_a_case_change_without_a_patch_is_refused(kiosk_db):
    with pytest.raises(ValueError, match="patch"), transaction(kiosk_db):
        outbox.enqueue(
            kiosk_db, "case.update", {}, record={"type": "household", "id": str(uuid7())}
        )


def test_the_changes_about_one_record_pending_or_all(kiosk_db):
    case_id, other = str(uuid7()), str(uuid7())
    patch = {"members": {"old": 4, "new": 5}}
    with transaction(kiosk_db):
        first, _, last = (
            outbox.enqueue(
                kiosk_db, "case.update", {}, record={"type": "household", "id": one}, patch=patch
            )
            for one in (case_id, other, case_id)
        )
        outbox.acknowledge(kiosk_db, first.seq)
    assert outbox.about(kiosk_db, case_id) == [last]
    assert outbox.about(kiosk_db, case_id, pending=False) == [first, last]


def test_all_delivered_is_every_change_acknowledged_and_known(kiosk_db):
    changes = queue(kiosk_db, 3)
    ids = [c.id for c in changes]
    assert outbox.all_delivered(kiosk_db, []) is True
    assert outbox.all_delivered(kiosk_db, ids[:1]) is False
    outbox.acknowledge(kiosk_db, 2)
    assert outbox.all_delivered(kiosk_db, ids[:2]) is True
    assert outbox.all_delivered(kiosk_db, ids) is False
    assert outbox.all_delivered(kiosk_db, [*ids[:2], str(uuid7())]) is False  # not in the outbox
    assert [outbox.delivered(kiosk_db, i) for i in ids] == [True, True, False]
