from __future__ import annotations

import gzip
import json

import pytest

from sync import protocol
from sync.problems import Problem
from tests.sync.conftest import batch, wire_change

KIOSK = "01960000-0000-7000-8000-000000000000"


def test_round_trip_through_gzip():
    body = protocol.encode(batch(KIOSK, [wire_change(1), wire_change(2)]))
    parsed = protocol.parse_push(body, "gzip", 1 << 20)
    assert [c.seq for c in parsed.changes] == [1, 2]


def test_fingerprint_is_about_content_only():
    change = wire_change(1)
    first = protocol.parse_push(protocol.encode(batch(KIOSK, [change])), "gzip", 1 << 20)
    shuffled = json.dumps(batch(KIOSK, [dict(reversed(change.items()))])).encode()
    second = protocol.parse_push(shuffled, None, 1 << 20)
    assert protocol.fingerprint(first.changes[0]) == protocol.fingerprint(second.changes[0])
    edited = {**change, "payload": {**change["payload"], "language": "fr"}}
    third = protocol.parse_push(json.dumps(batch(KIOSK, [edited])).encode(), None, 1 << 20)
    assert protocol.fingerprint(third.changes[0]) != protocol.fingerprint(first.changes[0])


def test_zip_bomb_is_refused_without_inflating_it():
    bomb = gzip.compress(b"[" + b" " * (50 * 1024 * 1024) + b"]")
    assert len(bomb) < 100_000
    with pytest.raises(Problem) as raised:
        protocol.inflate(bomb, "gzip", 1024 * 1024)
    assert raised.value.status == 413


@pytest.mark.parametrize(
    ("body", "encoding", "says"),
    [
        (b"not gzip at all", "gzip", "not valid gzip"),
        (gzip.compress(b"{}")[:-4], "gzip", "truncated"),
        (gzip.compress(b"{}") + b"junk", "gzip", "after the gzip stream"),
        (b"{}", "br", "Content-Encoding"),
        (b"{not json", None, "not valid JSON"),
        (b'{"protocol": 2}', None, "protocol"),
    ],
)
def test_malformed_bodies_name_the_problem(body, encoding, says):
    with pytest.raises(Problem) as raised:
        protocol.parse_push(body, encoding, 1 << 20)
    assert raised.value.kind.code == "malformed_batch"
    assert says in raised.value.text()


def test_batches_must_be_contiguous():
    body = json.dumps(batch(KIOSK, [wire_change(1), wire_change(3)])).encode()
    with pytest.raises(Problem, match="malformed_batch") as raised:
        protocol.parse_push(body, None, 1 << 20)
    assert "does not follow" in raised.value.text()


def test_check_change():
    change = wire_change(1)
    assert protocol.check_change(change).payload.reference == change["payload"]["reference"]
    with pytest.raises(ValueError, match="submitted_at"):
        protocol.check_change(
            {**change, "payload": {**change["payload"], "submitted_at": "yesterday"}}
        )
    with pytest.raises(ValueError, match="record"):
        protocol.check_change({**change, "record": {"type": "submission", "id": KIOSK}})
    with pytest.raises(ValueError, match="hlc"):
        protocol.check_change({**change, "hlc": "yesterday"})


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-1e999"])
def test_answers_must_be_real_json_numbers(number):
    change = json.dumps(batch(KIOSK, [wire_change(1)])).replace(
        '"children": 2', f'"children": {number}'
    )
    with pytest.raises(Problem, match="malformed_batch"):
        protocol.parse_push(change.encode(), None, 1 << 20)
