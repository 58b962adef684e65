"""Restoring a kiosk's database from its replica, with real Litestream, on both stores."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from sync.database import connect
from sync.problems import Problem
from sync.replicator import Litestream
from sync.restore import check, restore
from tests.replication import workload


def _replicating(tmp_path, store, replica_path, **options):
    return Litestream(
        tmp_path / "kiosk.db",
        store.url(replica_path),
        log=tmp_path / "litestream.log",
        **store.options,
        **options,
    )


def test_a_replicated_database_comes_back_with_every_row(tmp_path, store, replica_path):
    conn = workload.database(tmp_path / "kiosk.db")
    workload.submit(conn, 30)  # written before Litestream starts: the first snapshot
    with _replicating(tmp_path, store, replica_path) as litestream:
        workload.submit(conn, 70)  # WAL writes while it replicates
        position = litestream.sync_now()
        assert position.replica_txid == position.txid > 0
        assert litestream.lag() == 0.0
    conn.close()

    report = restore(store.url(replica_path), tmp_path / "restored" / "kiosk.db", **store.options)

    assert report.db_path == tmp_path / "restored" / "kiosk.db"
    assert report.integrity == "ok" and report.size > 0 and report.txid
    assert workload.contents(report.db_path) == workload.contents(tmp_path / "kiosk.db")
    assert len(workload.contents(report.db_path)["submissions"]) == 100
    assert [p.name for p in report.db_path.parent.iterdir()] == ["kiosk.db"]


def test_replication_resumes_on_a_restored_database(tmp_path, store, replica_path):
    url = store.url(replica_path)
    conn = workload.database(tmp_path / "kiosk.db")
    with _replicating(tmp_path, store, replica_path) as litestream:
        workload.submit(conn, 20)
        litestream.sync_now()
    conn.close()
    second = tmp_path / "second-card"
    restore(url, second / "kiosk.db", **store.options)

    conn = workload.database(second / "kiosk.db")
    with _replicating(second, store, replica_path) as litestream:
        workload.submit(conn, 20)
        assert litestream.sync_now().behind == 0
    conn.close()
    third = restore(url, tmp_path / "third-card" / "kiosk.db", **store.options)

    assert workload.contents(third.db_path) == workload.contents(second / "kiosk.db")
    assert len(workload.contents(third.db_path)["submissions"]) == 40


def test_a_point_in_time_restore_returns_the_older_state(tmp_path, store, replica_path):
    conn = workload.database(tmp_path / "kiosk.db")
    with _replicating(tmp_path, store, replica_path) as litestream:
        older = workload.submit(conn, 10)
        litestream.sync_now()
        time.sleep(1.2)
        moment = datetime.now(UTC)
        time.sleep(1.2)
        newer = workload.submit(conn, 10)
        litestream.sync_now()
    conn.close()

    then = restore(store.url(replica_path), tmp_path / "then.db", timestamp=moment, **store.options)
    latest = restore(store.url(replica_path), tmp_path / "latest.db", **store.options)

    assert workload.references(then.db_path) == older
    assert workload.references(latest.db_path) == older + newer
    assert then.timestamp is not None and then.timestamp.startswith(moment.strftime("%Y-%m-%dT%H"))


@pytest.mark.parametrize("existing", ["kiosk.db", "kiosk.db-wal", "kiosk.db-shm"])
def test_a_restore_never_overwrites(tmp_path, s3, existing):
    (tmp_path / existing).write_bytes(b"the kiosk's own data")

    with pytest.raises(Problem) as refused:
        restore(s3.url("kiosks/any"), tmp_path / "kiosk.db", **s3.options)

    assert refused.value.kind.code == "database_exists"
    assert str(tmp_path / "kiosk.db") in refused.value.text()
    assert (tmp_path / existing).read_bytes() == b"the kiosk's own data"


def test_a_missing_replica_is_named_and_leaves_nothing(tmp_path, store, replica_path):
    with pytest.raises(Problem) as missing:
        restore(store.url(replica_path), tmp_path / "kiosk.db", **store.options)

    assert missing.value.kind.code == "replica_missing"
    assert missing.value.text().startswith("No backup was found at ")
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_store_is_a_failed_restore_at_once(tmp_path, store):
    url = store.url("kiosks/any").replace(f":{store.port}", ":9")
    started = time.monotonic()

    with pytest.raises(Problem) as failed:
        restore(url, tmp_path / "kiosk.db", **store.options)

    assert failed.value.kind.code == "restore_failed"
    assert "nothing answers at 127.0.0.1:9" in failed.value.text()
    assert time.monotonic() - started < 5
    assert list(tmp_path.iterdir()) == []


def test_a_damaged_database_is_caught_by_the_integrity_check(tmp_path, store, replica_path):
    conn = workload.database(tmp_path / "kiosk.db")
    workload.submit(conn, 200)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    _damage_an_index(tmp_path / "kiosk.db")
    assert check(tmp_path / "kiosk.db")
    with _replicating(tmp_path, store, replica_path) as litestream:
        litestream.sync_now()

    with pytest.raises(Problem) as damaged:
        restore(store.url(replica_path), tmp_path / "restored" / "kiosk.db", **store.options)

    assert damaged.value.kind.code == "restored_corrupt"
    assert not (tmp_path / "restored" / "kiosk.db").exists()


def test_check_passes_a_sound_database(tmp_path):
    workload.submit(workload.database(tmp_path / "kiosk.db"), 5)
    assert check(tmp_path / "kiosk.db") == []
    assert check(tmp_path / "absent.db") != []


def _damage_an_index(path):
    """Scramble the cells of the submissions' reference index, leaving the page headers."""
    conn = connect(path)
    page = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_submissions_2'"
    ).fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:
        file.seek((page - 1) * size + 200)
        file.write(b"\x07" * (size - 400))
