"""What a kiosk restored on a fresh card needs from central: a new enrollment code for the
same kiosk, and where central stands with it."""

from __future__ import annotations

from sync import protocol
from sync.central import fleet
from tests.sync.conftest import wire_change


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def test_state_is_the_high_water_mark_and_the_last_reference(client, kiosk):
    assert kiosk.push(client, [wire_change(seq) for seq in (1, 2, 3)]).status_code == 200
    answer = client.get(protocol.STATE_PATH, headers=_bearer(kiosk.token))
    assert answer.status_code == 200
    assert answer.json() == {"high_water": 3, "last_reference": 3}
    assert client.get(protocol.STATE_PATH).status_code == 401


def test_reenrolling_keeps_the_kiosk_and_replaces_its_token(client, central_settings, kiosk):
    assert kiosk.push(client, [wire_change(1)]).status_code == 200
    code = fleet.renew_code(central_settings.data, "Library kiosk", 1)
    enrolled = client.post(protocol.ENROLL_PATH, json={"code": code})
    assert enrolled.status_code == 200
    body = enrolled.json()
    assert (body["kiosk_id"], body["code"]) == (kiosk.id, kiosk.code)
    assert client.get(protocol.STATE_PATH, headers=_bearer(kiosk.token)).status_code == 401
    state = client.get(protocol.STATE_PATH, headers=_bearer(body["token"])).json()
    assert state == {"high_water": 1, "last_reference": 1}
