"""Where replication stands: position, lag and sync-now through Litestream's control socket."""

from __future__ import annotations

import time

import pytest

from sync import replication
from sync.problems import Problem
from sync.replicator import Litestream
from sync.restore import restore
from tests.replication import workload
from tests.replication.stores import S3Store


def test_lag_grows_while_the_store_is_away_and_sync_now_catches_up(tmp_path):
    db = tmp_path / "kiosk.db"
    conn = workload.database(db)
    with S3Store(tmp_path / "store").start() as store:
        url = store.url("kiosks/K01")
        with Litestream(db, url, log=tmp_path / "litestream.log", **store.options) as litestream:
            workload.submit(conn, 5)
            assert litestream.sync_now().behind == 0
            assert litestream.lag() == 0.0

            store.stop()
            workload.submit(conn, 5)
            time.sleep(2.5)
            waiting = litestream.position()  # None while Litestream retries the upload
            assert waiting is None or waiting.behind > 0
            first = litestream.lag()
            time.sleep(1.0)
            second = litestream.lag()
            assert first is not None and second is not None
            assert 1.0 < first < second < 15.0

            store.start()
            assert litestream.sync_now(timeout=60).behind == 0
            assert litestream.lag() == 0.0
        back = restore(url, tmp_path / "restored.db", **store.options)
    assert len(workload.contents(back.db_path)["submissions"]) == 10


def test_without_litestream_the_position_is_unknown(tmp_path):
    workload.database(tmp_path / "kiosk.db").close()
    socket_path = tmp_path / "control.sock"

    assert replication.position(socket_path, tmp_path / "kiosk.db") is None
    assert replication.lag(socket_path, tmp_path / "kiosk.db") is None
    with pytest.raises(Problem) as unavailable:
        replication.sync_now(socket_path, tmp_path / "kiosk.db", timeout=1)
    assert unavailable.value.kind.code == "replication_unavailable"


def test_a_database_litestream_does_not_replicate_is_refused(tmp_path, sftp):
    workload.database(tmp_path / "kiosk.db").close()
    with Litestream(tmp_path / "kiosk.db", sftp.url("kiosks/other"), **sftp.options) as running:
        assert replication.position(running.socket_path, tmp_path / "other.db") is None
        assert replication.lag(running.socket_path, tmp_path / "other.db") is None
        with pytest.raises(Problem) as refused:
            replication.sync_now(running.socket_path, tmp_path / "other.db", timeout=1)
    assert "database not found" in refused.value.text()
