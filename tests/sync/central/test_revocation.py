"""Revoked kiosks: every kiosk endpoint refuses them with ``token_revoked``, each attempt is
recorded for the fleet page, and they can never enroll again."""

from __future__ import annotations

import json
import random
import time

import pytest

from sync import feed_items, identity, outbox, protocol
from sync.agent import Agent
from sync.central import audit, fleet, revocation, storage
from sync.database import connect, migrate
from sync.problems import Problem
from sync.settings import AgentSettings
from tests.sync.conftest import STATUS, queue, wire_change


def _revoke(conn, kiosk, reason="stolen from the library") -> None:
    assert revocation.revoke(conn, kiosk.id, kiosk.code, reason, "cli", None)


def _every_endpoint(client, kiosk) -> dict[str, object]:
    bearer = {"authorization": f"Bearer {kiosk.token}"}
    return {
        protocol.PUSH_PATH: kiosk.push(client, [wire_change(1)]),
        protocol.STATUS_PATH: client.post(
            protocol.STATUS_PATH,
            content=json.dumps(STATUS),
            headers={**bearer, "content-type": "application/json"},
        ),
        protocol.STATE_PATH: client.get(protocol.STATE_PATH, headers=bearer),
        feed_items.PULL_PATH: client.get(feed_items.PULL_PATH, headers=bearer),
    }


def test_every_kiosk_endpoint_refuses_a_revoked_token_and_records_it(client, kiosk, central_db):
    before = _every_endpoint(client, kiosk)
    assert {path: r.status_code for path, r in before.items()} == {
        protocol.PUSH_PATH: 200,
        protocol.STATUS_PATH: 204,
        protocol.STATE_PATH: 200,
        feed_items.PULL_PATH: 200,
    }
    _revoke(central_db, kiosk)
    for path, response in _every_endpoint(client, kiosk).items():
        assert response.status_code == 401, path
        assert response.json()["code"] == "token_revoked", path
        assert response.headers["www-authenticate"].startswith("Bearer"), path
    rows = central_db.execute("SELECT * FROM refused_contacts").fetchall()
    assert [(r["address"], r["attempts"], r["last_path"]) for r in rows] == [
        ("testclient", 4, feed_items.PULL_PATH)
    ]
    assert central_db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1


def test_the_fleet_page_shows_the_revoked_kiosk_still_trying(staff_client, kiosk, central_db):
    _revoke(central_db, kiosk)
    page = staff_client.get("/kiosks")
    assert "Revoked" in page.text and "stolen from the library" in page.text
    assert "No attempt since." in page.text
    _every_endpoint(staff_client, kiosk)
    page = staff_client.get("/kiosks")
    assert "Still trying:" in page.text
    assert f"({feed_items.PULL_PATH}, from testclient)" in page.text
    assert "Refused attempts: 4" in page.text


def test_a_revoked_kiosk_cannot_enroll_again(client, central_settings, central_db):
    kiosk, code = fleet.add_kiosk(central_settings.data, "Library", 1)
    _revoke(central_db, kiosk)
    response = client.post(protocol.ENROLL_PATH, json={"code": code})
    assert response.status_code == 403 and response.json()["code"] == "enrollment_invalid"
    with pytest.raises(Problem) as raised:
        fleet.renew_code(central_settings.data, "Library", 1)
    assert raised.value.kind.code == "kiosk_revoked"
    assert not revocation.revoke(central_db, kiosk.id, kiosk.code, "again", "cli", None)


def test_revoking_is_audited_without_secrets(central_db):
    kiosk, code = fleet.create(central_db, "Library", 1)
    _revoke(central_db, kiosk)
    entries = audit.newest(central_db, 10)
    assert [(e.action, e.target) for e in entries] == [
        ("kiosk.revoke", "K01"),
        ("kiosk.add", "K01"),
    ]
    assert entries[0].details == {"reason": "stolen from the library"}
    stored = json.dumps([e.details for e in entries])
    assert code not in stored and code.replace("-", "") not in stored


def test_only_the_newest_addresses_are_kept(kiosk, central_db):
    _revoke(central_db, kiosk)
    for n in range(revocation.KEPT_ADDRESSES + 5):
        revocation.refuse(central_db, kiosk.id, protocol.PUSH_PATH, f"192.0.2.{n}")
        time.sleep(0.002)  # distinct milliseconds: the newest are the last
    revocation.refuse(central_db, kiosk.id, protocol.PUSH_PATH, "192.0.2.24")
    kept = revocation.revocations(central_db)[kiosk.id]
    assert len(kept.contacts) == revocation.KEPT_ADDRESSES
    assert kept.last is not None and kept.last.address == "192.0.2.24"
    assert kept.last.attempts == 2 and kept.attempts == revocation.KEPT_ADDRESSES + 1
    assert "192.0.2.0" not in {contact.address for contact in kept.contacts}


def test_the_fleet_migration_upgrades_a_database_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "central.db")
    before = [m for m in storage.MIGRATIONS if m.name < "2026-11-26d-fleet"]
    migrate(conn, before)
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, token_sha256, enrolled_at, created_at)"
        " VALUES ('k1', 'K01', 'Library', 1, 'x', 't', '2026-11-21T09:00:00.000Z')"
    )
    later = [m.name for m in storage.MIGRATIONS if m.name >= "2026-11-26d-fleet"]
    assert migrate(conn, storage.MIGRATIONS) == later and later[0] == "2026-11-26d-fleet"
    row = conn.execute("SELECT name, revoked_at, revoked_by, revoke_reason FROM kiosks").fetchone()
    assert tuple(row) == ("Library", None, None, None)
    assert conn.execute("SELECT COUNT(*) FROM refused_contacts").fetchone()[0] == 0
    assert [row.state for row in fleet.fleet(conn)] == [fleet.ENROLLED]


def test_a_revoked_kiosks_agent_reports_central_refused(tmp_path, kiosk_db, live_server):
    """The real agent, over HTTP: it keeps its changes and says central refused it."""
    live_server.start()
    kiosk, code = fleet.add_kiosk(live_server.settings.data, "Library", 1)
    me = identity.enroll(tmp_path / "kiosk", live_server.url, code)
    queue(kiosk_db, 2)
    conn = storage.open_database(live_server.settings.data)
    try:
        _revoke(conn, kiosk)
        settings = AgentSettings(
            data=tmp_path / "kiosk", retry_initial=0.05, retry_max=0.2, sync_interval=5
        )
        agent = Agent(settings, me, tmp_path / "kiosk.db", rng=random.Random(7))
        with pytest.raises(Problem) as raised:
            agent.drain_once()
        assert raised.value.kind.code == "central_refused"
        assert "401 token_revoked" in raised.value.text()
        error = agent.status.last_error
        assert error is not None and error["code"] == "central_refused"
        assert outbox.stats(kiosk_db)[0] == 2
        contacts = revocation.revocations(conn)[kiosk.id].contacts
        assert [(c.address, c.last_path) for c in contacts] == [("127.0.0.1", protocol.PUSH_PATH)]
    finally:
        conn.close()
