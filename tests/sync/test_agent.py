"""The agent against a real central on a loopback port."""

from __future__ import annotations

import random
import time

import pytest

from sync import identity, outbox
from sync.agent import Agent, backoff_delay
from sync.central import fleet, storage
from sync.problems import Problem
from sync.settings import AgentSettings
from tests.sync.conftest import queue


@pytest.fixture
def kiosk_identity(tmp_path, live_server):
    """Enrolled while central was up; central is left stopped-but-reserved for the test."""
    live_server.start()
    _, code = fleet.add_kiosk(live_server.settings.data, "Library", 1)
    me = identity.enroll(tmp_path / "kiosk", live_server.url, code)
    return me


def _agent(tmp_path, me, **settings) -> Agent:
    values = {
        "data": tmp_path / "kiosk",
        "batch_size": 500,
        "retry_initial": 0.05,
        "retry_max": 0.2,
        "sync_interval": 5,
        **settings,
    }
    return Agent(AgentSettings(**values), me, tmp_path / "kiosk.db", rng=random.Random(7))


def _central_count(live_server) -> int:
    conn = storage.open_database(live_server.settings.data)
    try:
        return conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
    finally:
        conn.close()


def test_drains_1200_changes_in_batches(tmp_path, kiosk_db, kiosk_identity, live_server):
    queue(kiosk_db, 1200)
    report = _agent(tmp_path, kiosk_identity).drain_once()
    assert (report.batches, report.sent, report.applied, report.acked_through) == (
        3,
        1200,
        1200,
        1200,
    )
    assert outbox.stats(kiosk_db) == (0, None)
    assert _central_count(live_server) == 1200
    again = _agent(tmp_path, kiosk_identity).drain_once()
    assert again.sent == 0


def test_resends_when_central_lost_what_it_acknowledged(
    tmp_path, kiosk_db, kiosk_identity, live_server
):
    queue(kiosk_db, 3)
    outbox.acknowledge(kiosk_db, 2)  # as if central had them, then was restored from backup
    report = _agent(tmp_path, kiosk_identity).drain_once()
    assert (report.applied, report.acked_through) == (3, 3)


def test_backoff_schedule_is_full_jitter_up_to_the_maximum():
    rng = random.Random(42)
    delays = [backoff_delay(n, 1.0, 60.0, rng) for n in range(1, 11)]
    ceilings = [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]
    assert all(1.0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert delays[0] == 1.0
    replay = random.Random(42)
    assert delays == [backoff_delay(n, 1.0, 60.0, replay) for n in range(1, 11)]
    assert len(set(delays[6:])) == 4  # jittered, not lock-step


def test_dead_central_fails_cleanly_then_delivers_when_it_comes_up(tmp_path, kiosk_db, live_server):
    _, code = fleet.add_kiosk(live_server.settings.data, "Library", 1)
    conn = storage.open_database(live_server.settings.data)
    record, token = fleet.enroll(conn, code)
    conn.close()
    me = identity.Identity(record.id, record.code, record.name, token, live_server.url)
    queue(kiosk_db, 5)
    agent = _agent(tmp_path, me)
    with pytest.raises(Problem) as raised:
        agent.drain_once()
    assert raised.value.kind.code == "central_unreachable"
    status = agent.status
    assert status.failures == 1 and status.pending == 5
    assert status.last_error["code"] == "central_unreachable" and token not in str(status)

    agent.start()
    try:
        time.sleep(0.5)
        assert agent.status.failures >= 2  # kept retrying, backing off
        queue(kiosk_db, 1, start=6)
        agent.kick()
        live_server.start()
        deadline = time.monotonic() + 10
        # the drain acknowledges batch by batch, then records its success once it is done
        while not agent.status.last_success and time.monotonic() < deadline:
            time.sleep(0.05)
        status = agent.status
        assert status.pending == 0 and status.last_error is None and status.last_success
        assert _central_count(live_server) == 6
    finally:
        agent.stop()
    assert not agent.status.running


def test_a_revoked_token_is_reported_not_looped_on(tmp_path, kiosk_db, kiosk_identity):
    queue(kiosk_db, 1)
    stolen = identity.Identity(
        kiosk_identity.kiosk_id, "K01", "Library", "not-the-token", kiosk_identity.central
    )
    with pytest.raises(Problem) as raised:
        _agent(tmp_path, stolen).drain_once()
    assert raised.value.kind.code == "central_refused"
    assert "token_invalid" in raised.value.text()


def test_the_kiosk_keeps_writing_while_the_agent_waits(tmp_path, kiosk_db, live_server):
    me = identity.Identity("01960000-0000-7000-8000-000000000000", "K01", "x", "t", live_server.url)
    agent = _agent(tmp_path, me, retry_initial=1, retry_max=1)
    agent.start()
    try:
        for n in range(1, 21):
            queue(kiosk_db, 1, start=n)
    finally:
        agent.stop()
    assert outbox.stats(kiosk_db)[0] == 20
