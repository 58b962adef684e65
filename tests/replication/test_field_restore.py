"""Issue 6's promise, end to end: a dead SD card loses nothing central acknowledged.

A kiosk takes submissions (1,000 in all) while Litestream replicates its database to an
S3 or SFTP store and its agent syncs to central. The uplink fails in two steps, then the power:

- at 400 submissions Litestream stalls (SIGSTOP: the store is out of reach),
- at 450 central goes away,
- at 500 the kiosk, the submitting process and Litestream are killed (SIGKILL),

so that every run has central ahead of the replica, and receipts that neither holds.
Then the SD card dies with everything on it (database, WAL, Litestream's state, the
kiosk's identity) and the runbook's procedure brings the kiosk back on a fresh card:

    fieldkiosk central reenroll NAME                       (staff, at central)
    fieldkiosk restore --from REPLICA_URL --data DIR --central URL --enroll CODE
    (start Litestream and the kiosk again on DIR)

and the other 500 submissions are made on the restored kiosk. Central must end with each
submission it had acknowledged exactly once, every submission the restored database
holds, every submission made after the restore, nothing refused, and no reference on
two receipts. Only what neither Litestream nor central had when the link went is lost.
"""

from __future__ import annotations

import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import httpx2
import pytest

from sync import identity
from sync.replicator import Litestream
from tests import servers

pytestmark = pytest.mark.e2e

TOTAL = 1000
STORE_LOST, CENTRAL_LOST, CRASH = 400, 450, 500  # after so many submissions
RATE = 100.0  # submissions a second
FAST = ["--sync-interval", "0.2", "--retry-initial", "0.2", "--retry-max", "1"]
RPO = 2.0  # seconds: Litestream looks every second, then uploads
SUBMISSIONS = "SELECT reference, id FROM submissions"


class Receipt(NamedTuple):
    reference: str
    id: str
    at: float


class Field:
    """Central, one kiosk, its Litestream and its citizens, as real processes."""

    def __init__(self, tmp_path: Path, store) -> None:
        self.tmp, self.store = tmp_path, store
        self.central_data, self.data = tmp_path / "central", tmp_path / "kiosk"
        self.central = servers.central(self.central_data).start()
        code = servers.enroll_code(self.central_data, "Library kiosk")
        self.kiosk = servers.kiosk(self.data, self.central.url, "--enroll", code, *FAST).start()
        me = identity.load(self.data)
        assert me is not None
        self.url = store.url(f"kiosks/{tmp_path.name}/{me.code}")
        self.litestream = self._replicate()
        self.writer: subprocess.Popen[bytes] | None = None

    def _replicate(self) -> Litestream:
        log = self.tmp / "litestream.log"
        return Litestream(self.data / "kiosk.db", self.url, log=log, **self.store.options).start()

    def submit(self, count: int, receipts: Path) -> subprocess.Popen[bytes]:
        self.writer = subprocess.Popen(
            [sys.executable, "-m", "tests.replication.writer"]
            + [str(self.data), str(count), str(RATE), str(receipts)],
            env=servers.environment(),
        )
        return self.writer

    def lose_the_store(self) -> float:
        assert self.litestream.process is not None
        self.litestream.process.send_signal(signal.SIGSTOP)
        return time.time()

    def lose_the_power(self) -> None:
        for process in (self.writer, self.kiosk.process, self.litestream.process):
            assert process is not None
            process.send_signal(signal.SIGKILL)
        self.close()

    def restore_on_a_fresh_card(self) -> subprocess.CompletedProcess[str]:
        shutil.rmtree(self.data)
        reenroll = ["central", "reenroll", "Library kiosk", "--data", str(self.central_data)]
        result = servers.run(reenroll)
        assert result.returncode == 0, result.stderr
        code = result.stdout.strip().splitlines()[-1]
        flags = ["--sftp-key", str(self.store.client_key)] if self.store.name == "sftp" else []
        return servers.run(
            ["restore", "--from", self.url, "--data", str(self.data)]
            + ["--central", self.central.url, "--enroll", code, *flags],
            **self.store.env,
        )

    def back_in_service(self) -> None:
        self.litestream = self._replicate()
        socket = ["--litestream-socket", str(self.litestream.socket_path)]
        self.kiosk = servers.kiosk(self.data, self.central.url, *FAST, *socket).start()

    def fleet_page(self) -> str:
        from tests import staff

        staff.add(str(self.central_data))
        with staff.signed_in(self.central.url) as client:
            return client.get("/kiosks").text

    def central_rows(self, query: str) -> list[tuple]:
        return _rows(self.central_data / "central.db", query)

    def close(self) -> None:
        if self.writer is not None and self.writer.poll() is None:
            self.writer.kill()
        if self.writer is not None:
            self.writer.wait()
        self.kiosk.stop()
        self.litestream.kill()


def test_a_dead_sd_card_loses_nothing_central_acknowledged(tmp_path, store):
    field = Field(tmp_path, store)
    try:
        writer = field.submit(TOTAL, tmp_path / "before.txt")
        _wait_for_lines(tmp_path / "before.txt", STORE_LOST, writer)
        store_lost_at = field.lose_the_store()
        _wait_for_lines(tmp_path / "before.txt", CENTRAL_LOST, writer)
        field.central.stop()
        _wait_for_lines(tmp_path / "before.txt", CRASH, writer)
        field.lose_the_power()
        before = _receipts(tmp_path / "before.txt")
        acknowledged = field.central_rows(SUBMISSIONS)

        field.central.start()
        restoring = field.restore_on_a_fresh_card()
        assert restoring.returncode == 0, restoring.stderr
        restored = _rows(field.data / "kiosk.db", SUBMISSIONS)
        field.back_in_service()
        _wait_until_drained(field.kiosk.url)
        assert field.submit(TOTAL - len(before), tmp_path / "after.txt").wait(120) == 0
        _wait_until_drained(field.kiosk.url)
        after = _receipts(tmp_path / "after.txt")
        final = field.central_rows(SUBMISSIONS)
        refused = field.central_rows("SELECT seq, reason FROM refused_changes")
        replicated = field.litestream.sync_now()
        fleet = field.fleet_page()
    finally:
        field.close()
        field.central.stop()

    assert len(before) >= CRASH and len(before) + len(after) == TOTAL
    assert len(acknowledged) > len(restored), "central was not ahead of the replica"
    by_reference = Counter(reference for reference, _ in final)
    by_id = Counter(submission_id for _, submission_id in final)
    assert max(by_reference.values()) == 1 and max(by_id.values()) == 1
    held = set(final)
    assert set(acknowledged) <= held, "central lost a submission it had acknowledged"
    assert set(restored) <= held, "the restored database holds submissions central lacks"
    assert refused == [], f"central refused changes after the restore: {refused[:5]}"
    missing_after = {(r.reference, r.id) for r in after} - held
    assert not missing_after, f"{len(missing_after)} submissions made after the restore are lost"
    saved = set(acknowledged) | set(restored)
    lost = [r for r in before if (r.reference, r.id) not in saved]
    assert all(r.at > store_lost_at - RPO for r in lost), "lost what Litestream had time to copy"
    assert replicated.behind == 0, "Litestream did not resume on the restored database"
    lag = re.search(r"<td>(\d+) s</td>", fleet)
    assert lag, "the kiosk's heartbeat carried no replication lag to the fleet page"
    reused = sorted({r.reference for r in before} & {r.reference for r in after})
    assert not reused, (
        f"{len(reused)} references are on two receipts, e.g. {reused[:3]}: of {len(before)}"
        f" receipts before the crash central held {len(acknowledged)}, the replica"
        f" {len(restored)}, and {len(lost)} were lost; their numbers were given out again"
    )


def _wait_for_lines(path: Path, count: int, writer: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().count("\n") >= count:
            return
        assert writer.poll() is None, f"the writer exited with {writer.returncode}"
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} submissions after 60 s")


def _receipts(path: Path) -> list[Receipt]:
    text = path.read_text(encoding="utf-8")
    complete = text[: text.rfind("\n") + 1]  # a line cut by SIGKILL is no receipt
    rows = [line.split() for line in complete.splitlines()]
    return [Receipt(reference, sid, float(at)) for reference, sid, at in rows]


def _rows(path: Path, query: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def _wait_until_drained(kiosk_url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    pending = None
    while time.monotonic() < deadline:
        pending = httpx2.get(kiosk_url + "/healthz", timeout=5).json()["outbox"]["pending"]
        if pending == 0:
            return
        time.sleep(0.2)
    raise AssertionError(f"the kiosk still has {pending} changes for central after {timeout}s")
