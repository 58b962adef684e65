"""The pull feed: latest item per key, per kiosk or for all, in cursor order."""

from __future__ import annotations

import pytest

from sync.central import feed
from sync.database import transaction


def _kiosk(conn, code: str) -> str:
    kiosk_id = f"kiosk-{code}"
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, created_at) VALUES (?, ?, ?, ?, 't')",
        (kiosk_id, code, code, int(code[1:])),
    )
    return kiosk_id


def test_a_kiosk_sees_items_for_all_and_its_own_in_cursor_order(central_db):
    k1, k2 = _kiosk(central_db, "K01"), _kiosk(central_db, "K02")
    with transaction(central_db):
        feed.publish(central_db, "form", "birth-certificate", {"version": "1"})
        feed.publish(central_db, "decision", "K01-00001-X", {"state": "approved"}, k1)
        feed.publish(central_db, "decision", "K02-00001-X", {"state": "rejected"}, k2)
    seen = feed.since(central_db, k1, 0, 100)
    assert [(i.kind, i.key) for i in seen] == [
        ("form", "birth-certificate"),
        ("decision", "K01-00001-X"),
    ]
    assert feed.head(central_db, k1) == seen[-1].cursor
    assert feed.since(central_db, k1, seen[-1].cursor, 100) == []


def test_publishing_again_keeps_only_the_latest_under_a_new_cursor(central_db):
    k1 = _kiosk(central_db, "K01")
    with transaction(central_db):
        first = feed.publish(central_db, "decision", "K01-00001-X", {"state": "has_issues"}, k1)
        feed.publish(central_db, "setting", "idle_seconds", {"value": 90})
        latest = feed.publish(central_db, "decision", "K01-00001-X", {"state": "approved"}, k1)
    assert latest > first
    items = feed.since(central_db, k1, 0, 100)
    assert [(i.key, i.body) for i in items] == [
        ("idle_seconds", {"value": 90}),
        ("K01-00001-X", {"state": "approved"}),
    ]
    assert feed.since(central_db, k1, 0, 1)[0].key == "idle_seconds"


def test_unknown_kinds_are_refused(central_db):
    with pytest.raises(ValueError, match="unknown feed kind"), transaction(central_db):
        feed.publish(central_db, "gossip", "x", {})
