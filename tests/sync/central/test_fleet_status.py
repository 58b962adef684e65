"""Kiosk heartbeats (software, outbox, devices) and the fleet page that shows them."""

from __future__ import annotations

import json

from sync import protocol
from tests.sync.conftest import STATUS


def test_a_heartbeat_is_recorded_and_shown_on_the_fleet_page(staff_client, kiosk):
    response = staff_client.post(
        protocol.STATUS_PATH, content=json.dumps(STATUS), headers=_auth(kiosk)
    )
    assert response.status_code == 204
    page = staff_client.get("/kiosks")
    assert page.status_code == 200
    assert "Library kiosk" in page.text and "printer: paper_out" in page.text
    assert ">3<" in page.text and "0.1.0" in page.text and ">42 s<" in page.text


def test_a_heartbeat_needs_the_kiosk_token(client):
    response = client.post(protocol.STATUS_PATH, content=json.dumps(STATUS))
    assert response.status_code == 401
    assert response.json()["code"] == "token_missing"


def test_a_malformed_heartbeat_is_a_400_naming_the_field(client, kiosk):
    broken = {**STATUS, "outbox": {"pending": -1}}
    response = client.post(protocol.STATUS_PATH, content=json.dumps(broken), headers=_auth(kiosk))
    assert response.status_code == 400
    assert "outbox.pending" in response.json()["message"]


def test_the_fleet_page_needs_sign_in(client):
    assert client.get("/kiosks", follow_redirects=False).status_code == 303


def _auth(kiosk) -> dict[str, str]:
    return {"authorization": f"Bearer {kiosk.token}", "content-type": "application/json"}
