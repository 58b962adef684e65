"""Kiosks: added by staff, enrolled once with a one-time code."""

from __future__ import annotations

import re

import pytest

from sync import protocol
from sync.central import fleet
from sync.problems import Problem

CODE = re.compile(r"[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}")


def test_kiosks_are_numbered_and_names_are_unique(central_settings):
    first, code = fleet.add_kiosk(central_settings.data, "Library", 1)
    second, _ = fleet.add_kiosk(central_settings.data, "Market", 1)
    assert (first.code, second.code) == ("K01", "K02")
    assert CODE.fullmatch(code)
    with pytest.raises(Problem) as raised:
        fleet.add_kiosk(central_settings.data, "  library ", 1)
    assert raised.value.kind.code == "kiosk_name_taken"
    assert "library" in raised.value.text()


def test_enrollment_works_once(client, central_settings, central_db):
    kiosk, code = fleet.add_kiosk(central_settings.data, "Library", 1)
    typed = code.lower().replace("-", " ")
    response = client.post(protocol.ENROLL_PATH, json={"code": typed})
    assert response.status_code == 200, response.text
    body = response.json()
    assert {k: body[k] for k in ("kiosk_id", "code", "name")} == {
        "kiosk_id": kiosk.id,
        "code": "K01",
        "name": "Library",
    }
    assert len(body["token"]) >= 40
    stored = central_db.execute("SELECT token_sha256, enrollment_sha256 FROM kiosks").fetchone()
    assert stored["token_sha256"] == fleet.digest(body["token"])
    assert stored["enrollment_sha256"] is None
    again = client.post(protocol.ENROLL_PATH, json={"code": code})
    assert again.status_code == 403 and again.json()["code"] == "enrollment_invalid"


def test_expired_codes_are_refused(client, central_settings, central_db):
    _, code = fleet.add_kiosk(central_settings.data, "Library", 1)
    central_db.execute("UPDATE kiosks SET enrollment_expires_at = '2020-01-01T00:00:00.000Z'")
    response = client.post(protocol.ENROLL_PATH, json={"code": code})
    assert response.status_code == 403
    renewed = fleet.renew_code(central_settings.data, "Library", 1)
    assert client.post(protocol.ENROLL_PATH, json={"code": renewed}).status_code == 200


def test_wrong_and_malformed_codes(client, central_settings):
    fleet.add_kiosk(central_settings.data, "Library", 1)
    assert client.post(protocol.ENROLL_PATH, json={"code": "AAAA-BBBB-CCCC"}).status_code == 403
    malformed = client.post(protocol.ENROLL_PATH, content=b"code=1")
    assert malformed.status_code == 400 and malformed.json()["code"] == "malformed_body"
