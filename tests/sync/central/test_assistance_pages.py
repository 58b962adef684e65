"""Central shows staff who assisted a citizen and that the citizen consented."""

from __future__ import annotations

from uuid6 import uuid7

from tests.sync.conftest import wire_change

ASSISTED = {
    "worker_id": str(uuid7()),
    "worker_name": "Grace <Wanjiru>",
    "consent_given_at": "2026-11-21T09:29:41.250Z",
    "consent_language": "ar",
}


def test_an_assisted_submission_shows_who_helped_and_the_consent(staff_client, kiosk):
    change = wire_change(1, language="ar", assisted=ASSISTED)
    assert kiosk.push(staff_client, [change]).json()["results"][0]["status"] == "applied"
    ref = change["payload"]["reference"]
    detail = staff_client.get(f"/submissions/{ref}")
    assert detail.status_code == 200
    assert "Assisted by Grace &lt;Wanjiru&gt;" in detail.text
    assert "Consent given 2026-11-21 09:29 UTC in Arabic (ar)" in detail.text
    assert "Not assisted" not in detail.text
    listing = staff_client.get("/submissions").text
    assert '<th scope="col">Assisted by</th>' in listing
    assert "Grace &lt;Wanjiru&gt;" in listing
    api = staff_client.get(f"/api/v1/submissions/{ref}").json()
    assert api["assisted"] == ASSISTED


def test_an_unassisted_submission_says_so(staff_client, kiosk):
    change = wire_change(1)
    kiosk.push(staff_client, [change])
    ref = change["payload"]["reference"]
    assert "Not assisted" in staff_client.get(f"/submissions/{ref}").text
    assert staff_client.get(f"/api/v1/submissions/{ref}").json()["assisted"] is None
