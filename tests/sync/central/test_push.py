"""``POST /api/v1/sync/push``: each change stored once, forever."""

from __future__ import annotations

import gzip
import json

from sync import protocol
from tests.sync.conftest import Kiosk, batch, enrolled, wire_change


def _count(db, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_a_batch_is_applied_and_acknowledged(client, kiosk, central_db):
    changes = [wire_change(seq) for seq in (1, 2, 3)]
    response = kiosk.push(client, changes)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "acked_through": 3,
        "results": [{"id": c["id"], "status": "applied"} for c in changes],
    }
    assert _count(central_db, "changes") == 3
    assert _count(central_db, "submissions") == 3
    row = central_db.execute("SELECT high_water, last_contact FROM kiosks").fetchone()
    assert row["high_water"] == 3 and row["last_contact"]


def test_a_replayed_batch_gets_the_same_ack_and_creates_nothing(client, kiosk, central_db):
    changes = [wire_change(seq) for seq in (1, 2)]
    first = kiosk.push(client, changes).json()
    again = kiosk.push(client, changes).json()
    assert again["acked_through"] == first["acked_through"] == 2
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert _count(central_db, "changes") == 2
    assert _count(central_db, "submissions") == 2


def test_an_overlapping_batch_applies_only_what_is_new(client, kiosk, central_db):
    changes = [wire_change(seq) for seq in (1, 2, 3)]
    kiosk.push(client, changes[:2])
    answer = kiosk.push(client, changes[1:]).json()
    assert answer["acked_through"] == 3
    assert [r["status"] for r in answer["results"]] == ["duplicate", "applied"]
    assert _count(central_db, "submissions") == 3


def test_same_id_different_content_is_refused_and_kept(client, kiosk, central_db):
    original = wire_change(1)
    kiosk.push(client, [original])
    altered = {**original, "payload": {**original["payload"], "answers": {"full_name": "X"}}}
    answer = kiosk.push(client, [altered]).json()
    assert answer == {
        "acked_through": 1,
        "results": [{"id": original["id"], "status": "refused", "reason": "content_changed"}],
    }
    refused = central_db.execute("SELECT change_id, reason, change FROM refused_changes").fetchall()
    assert [(r["change_id"], r["reason"]) for r in refused] == [(original["id"], "content_changed")]
    assert json.loads(refused[0]["change"])["payload"]["answers"] == {"full_name": "X"}
    stored = central_db.execute("SELECT answers FROM submissions").fetchone()["answers"]
    assert json.loads(stored)["full_name"] == "Amina Okafor"
    kiosk.push(client, [altered])
    assert _count(central_db, "refused_changes") == 1


def test_a_reused_reference_is_refused_but_acknowledged(client, kiosk, central_db):
    first = wire_change(1)
    second = wire_change(2, reference=first["payload"]["reference"])
    answer = kiosk.push(client, [first, second]).json()
    assert answer["acked_through"] == 2
    assert [r["status"] for r in answer["results"]] == ["applied", "refused"]
    assert answer["results"][1]["reason"] == "reference_taken"


def test_a_reference_of_another_kiosk_is_refused(client, kiosk):
    answer = kiosk.push(client, [wire_change(1, kiosk_code="K02")]).json()
    assert answer["results"][0]["reason"] == "reference_of_another_kiosk"


def test_a_new_change_at_an_old_seq_is_refused(client, kiosk):
    kiosk.push(client, [wire_change(1), wire_change(2)])
    answer = kiosk.push(client, [wire_change(2)]).json()
    assert answer["acked_through"] == 2
    assert answer["results"][0]["reason"] == "sequence_reused"


def test_a_gap_is_a_409_naming_the_expected_seq(client, kiosk, central_db):
    kiosk.push(client, [wire_change(1)])
    response = kiosk.push(client, [wire_change(3), wire_change(4)])
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "sequence_gap"
    assert body["details"] == {"first": 3, "expected": 2}
    assert _count(central_db, "changes") == 1


def test_kiosks_have_their_own_sequences(client, kiosk, central_settings):
    other = enrolled(central_settings.data, "Market kiosk")
    assert other.code == "K02"
    assert kiosk.push(client, [wire_change(1)]).json()["acked_through"] == 1
    assert other.push(client, [wire_change(1, kiosk_code="K02")]).json()["acked_through"] == 1


def test_a_change_id_cannot_be_claimed_by_another_kiosk(client, kiosk, central_settings):
    change = wire_change(1)
    kiosk.push(client, [change])
    other = enrolled(central_settings.data, "Market kiosk")
    claimed = {**change, "payload": {**change["payload"]}}
    result = other.push(client, [claimed]).json()["results"][0]
    assert (result["status"], result["reason"]) == ("refused", "content_changed")


def test_tokens(client, kiosk):
    body = protocol.encode(batch(kiosk.id, [wire_change(1)]))
    missing = client.post(protocol.PUSH_PATH, content=body)
    assert missing.status_code == 401 and missing.json()["code"] == "token_missing"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = client.post(
        protocol.PUSH_PATH, content=body, headers={"authorization": "Bearer not-a-token"}
    )
    assert wrong.status_code == 401 and wrong.json()["code"] == "token_invalid"


def test_the_batch_must_name_the_tokens_kiosk(client, kiosk, central_settings):
    other = enrolled(central_settings.data, "Market kiosk")
    impostor = Kiosk(other.record, kiosk.token)
    response = impostor.push(client, [wire_change(1)])
    assert response.status_code == 400 and "kiosk_id" in response.json()["message"]


def test_malformed_bodies_are_400_with_a_reason(client, kiosk):
    cases = [
        (b"\x1f\x8b not really gzip", "not valid gzip"),
        (gzip.compress(b"{oops"), "not valid JSON"),
        (gzip.compress(json.dumps(batch(kiosk.id, [{"seq": 1}])).encode()), "changes.0"),
    ]
    for body, says in cases:
        response = client.post(protocol.PUSH_PATH, content=body, headers=kiosk.headers)
        assert response.status_code == 400, response.text
        assert response.json()["code"] == "malformed_batch"
        assert says in response.json()["message"]


def test_identity_encoding_is_accepted(client, kiosk):
    body = json.dumps(batch(kiosk.id, [wire_change(1)])).encode()
    headers = {"authorization": f"Bearer {kiosk.token}", "content-type": "application/json"}
    assert client.post(protocol.PUSH_PATH, content=body, headers=headers).status_code == 200


def test_oversized_bodies_are_413(client, kiosk, central_settings):
    big = b"x" * (central_settings.max_body + 1)
    response = client.post(protocol.PUSH_PATH, content=big, headers=kiosk.headers)
    assert response.status_code == 413 and response.json()["code"] == "body_too_large"
    bomb = gzip.compress(b" " * (central_settings.max_batch + 1))
    response = client.post(protocol.PUSH_PATH, content=bomb, headers=kiosk.headers)
    assert response.status_code == 413


def test_a_full_batch_of_500(client, kiosk, central_db):
    answer = kiosk.push(client, [wire_change(seq) for seq in range(1, 501)]).json()
    assert answer["acked_through"] == 500
    assert _count(central_db, "submissions") == 500
