"""The agent pulls after each drain, against a real central on a loopback port."""

from __future__ import annotations

import random

import pytest

from sync import identity, inbox, outbox, reference
from sync.agent import Agent
from sync.central import fleet, storage
from sync.settings import AgentSettings
from tests.sync.conftest import decision, publish, queue


@pytest.fixture
def me(tmp_path, live_server):
    live_server.start()
    _, code = fleet.add_kiosk(live_server.settings.data, "Library", 1)
    return identity.enroll(tmp_path / "kiosk", live_server.url, code)


def _agent(tmp_path, me) -> Agent:
    settings = AgentSettings(data=tmp_path / "kiosk", retry_initial=0.05, retry_max=0.2)
    return Agent(settings, me, tmp_path / "kiosk.db", rng=random.Random(7))


def _publish(live_server, kind: str, key: str, body: dict, kiosk_id: str | None = None) -> None:
    """Publish at the live central, through its own database file."""
    conn = storage.open_database(live_server.settings.data)
    try:
        publish(conn, kind, key, body, kiosk_id)
    finally:
        conn.close()


def test_a_drain_pulls_every_page_then_an_unchanged_feed_costs_a_304(
    tmp_path, kiosk_db, me, live_server, monkeypatch
):
    monkeypatch.setattr("sync.agent.PULL_LIMIT", 2)
    for n in range(1, 6):
        ref = reference.make("K01", n)
        _publish(live_server, "decision", ref, decision(ref), me.kiosk_id)
    queue(kiosk_db, 2)
    agent = _agent(tmp_path, me)
    report = agent.drain_once()
    assert (report.sent, report.pulled) == (2, 5)
    assert inbox.position(kiosk_db) == (5, '"5"')
    assert agent.status.last_pull and agent.status.pull_error is None
    answers = []
    real = Agent._pull

    def spy(self, *args):
        answers.append(real(self, *args))
        return answers[-1]

    monkeypatch.setattr(Agent, "_pull", spy)
    assert agent.drain_once().pulled == 0
    assert answers == [None], "one request, answered 304"


def test_a_failing_pull_is_recorded_and_never_holds_pushes_up(tmp_path, kiosk_db, me, live_server):
    _publish(live_server, "decision", "K01-00001-X" * 30, {}, me.kiosk_id)  # central can't send it
    queue(kiosk_db, 3)
    agent = _agent(tmp_path, me)
    report = agent.drain_once()
    assert report.acked_through == 3 and outbox.stats(kiosk_db) == (0, None)
    status = agent.status
    assert status.failures == 0 and status.last_error is None, "pushing went on"
    assert status.pull_failures == 1 and status.pull_error["code"] == "central_refused"
    assert "HTTP 500" in status.pull_error["message"] and me.token not in str(status)
    assert inbox.position(kiosk_db) == (0, None)
