"""The kiosk's inbox: pulled items and the cursor move together, once, in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import sync
from sync import feed_items, inbox, outbox
from sync.database import connect, migrate
from sync.inbox import Decision
from tests.sync.conftest import decision

CASE_ID = "0196a3c4-0a10-7e21-b6f4-3c2d1e0f9a8b"


def _decision_item(cursor: int, state: str = "approved", ref: str = "K01-00042-D") -> dict:
    return _item(cursor, "decision", ref, **decision(ref, state))


def _item(cursor: int, kind: str, key: str, **body) -> dict:
    return {"cursor": cursor, "kind": kind, "key": key, "body": body}


def _response(
    *items: dict, more: bool = False, cursor: int | None = None
) -> feed_items.PullResponse:
    last = cursor if cursor is not None else (items[-1]["cursor"] if items else 0)
    return feed_items.PullResponse(
        cursor=last, more=more, items=[feed_items.FeedItem(**i) for i in items]
    )


def _everything() -> feed_items.PullResponse:
    return _response(
        _item(
            3,
            "form",
            "library-card",
            id="library-card",
            version="1",
            definition={"id": "library-card"},
        ),
        _item(
            4,
            "reference_list",
            "villages",
            name="villages",
            version=2,
            items=[{"name": "kibera", "label": {"en": "Kibera", "sw": "Kibera"}}],
        ),
        _decision_item(5),
        _item(
            6,
            "case",
            CASE_ID,
            type="household",
            id=CASE_ID,
            version=3,
            fields={"phone": ["+254712345678"]},
            conflicts=["name"],
        ),
        _item(7, "setting", "idle_seconds", name="idle_seconds", value=45),
    )


def test_the_migration_adds_the_inbox_to_a_kiosk_database_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "kiosk.db")
    migrate(conn, outbox.MIGRATIONS)
    assert migrate(conn, [*outbox.MIGRATIONS, *inbox.MIGRATIONS]) == [
        "2026-11-26-inbox",
        "2026-11-26-inbox-case-clashes",
    ]
    assert inbox.position(conn) == (0, None) and inbox.serial(conn) == 0
    assert migrate(conn, [*outbox.MIGRATIONS, *inbox.MIGRATIONS]) == []


def test_every_kind_is_stored_and_the_cursor_moves(kiosk_db):
    assert inbox.apply(kiosk_db, _everything(), etag='"7"') == 5
    assert inbox.position(kiosk_db) == (7, '"7"')
    assert inbox.decision(kiosk_db, "K01-00042-D") == Decision(
        "K01-00042-D",
        "approved",
        "Collect the certificate at the town hall.",
        "2026-11-22T10:00:00.000Z",
    )
    (form,) = inbox.forms(kiosk_db)
    assert (form.id, form.version, form.definition) == ("library-card", "1", {"id": "library-card"})
    assert inbox.reference_lists(kiosk_db) == {
        "villages": [{"name": "kibera", "label": {"en": "Kibera", "sw": "Kibera"}}]
    }
    case = inbox.case(kiosk_db, CASE_ID)
    assert case is not None and (case.version, case.conflicts) == (3, ["name"])
    assert inbox.settings(kiosk_db) == {"idle_seconds": 45}


def _case(cursor: int, version: int, conflicts: list[str], **fields) -> dict:
    body = {"type": "household", "id": CASE_ID, "version": version, "merged_into": None}
    return _item(cursor, "case", CASE_ID, **body, fields=fields, conflicts=conflicts)


def test_a_conflict_pulled_is_remembered_once_resolved(kiosk_db):
    inbox.apply(kiosk_db, _response(_case(1, 3, [], village="Kisumu")))
    inbox.apply(kiosk_db, _response(_case(2, 5, ["village"], village="Busia")))
    inbox.apply(kiosk_db, _response(_case(3, 6, [], village="Siaya")))
    assert inbox.case(kiosk_db, CASE_ID).conflicts == []
    assert inbox.clashed(kiosk_db, CASE_ID, ["village", "phones"], since=3)
    assert inbox.clashed(kiosk_db, CASE_ID, ["village"], since=5)
    assert not inbox.clashed(kiosk_db, CASE_ID, ["village"], since=6), "before that change"
    assert not inbox.clashed(kiosk_db, CASE_ID, ["phones"], since=0)


def test_a_pulled_case_is_found_by_a_field(kiosk_db):
    inbox.apply(kiosk_db, _response(_case(1, 1, [], reference="K02-00007-Q", members=4)))
    assert inbox.find_case(kiosk_db, "household", "reference", "K02-00007-Q").id == CASE_ID
    assert inbox.find_case(kiosk_db, "household", "members", 4).id == CASE_ID
    assert inbox.find_case(kiosk_db, "person", "reference", "K02-00007-Q") is None
    assert inbox.find_case(kiosk_db, "household", "reference", "K02-00008-X") is None


def test_applying_the_same_response_twice_changes_nothing(kiosk_db):
    inbox.apply(kiosk_db, _everything())
    before = inbox.serial(kiosk_db), _dump(kiosk_db)
    assert inbox.apply(kiosk_db, _everything()) == 0
    assert inbox.apply(kiosk_db, _everything(), after=0) == 0, "items already here are skipped"
    assert (inbox.serial(kiosk_db), _dump(kiosk_db)) == before


def test_items_and_cursor_are_one_transaction(kiosk_db):
    kiosk_db.execute(
        "CREATE TRIGGER no_cases BEFORE INSERT ON inbox_cases"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="disk full"):
        inbox.apply(kiosk_db, _everything())
    assert inbox.position(kiosk_db) == (0, None)
    assert inbox.decision(kiosk_db, "K01-00042-D") is None and inbox.forms(kiosk_db) == []


def test_a_later_item_replaces_an_earlier_one_and_an_older_response_does_not(kiosk_db):
    inbox.apply(kiosk_db, _response(_decision_item(1, "has_issues")))
    inbox.apply(kiosk_db, _response(_decision_item(2, "approved")))
    assert inbox.decision(kiosk_db, "K01-00042-D").state == "approved"
    stale = _response(
        _decision_item(1, "has_issues"),
        _item(3, "setting", "language", name="language", value="fr"),
    )
    assert inbox.apply(kiosk_db, stale, after=0) == 1, "a return bundle made before the last pull"
    assert inbox.decision(kiosk_db, "K01-00042-D").state == "approved"
    assert inbox.position(kiosk_db)[0] == 3 and inbox.settings(kiosk_db) == {"language": "fr"}


def test_a_feed_numbered_again_from_zero_is_followed(kiosk_db):
    """Central restored from an older backup answers a cursor above its head from 0."""
    inbox.apply(kiosk_db, _response(_decision_item(200, "approved")))
    again = _response(_decision_item(1, "rejected", "K01-00043-B"), _decision_item(2, "has_issues"))
    assert inbox.apply(kiosk_db, again, after=200) == 2
    assert inbox.position(kiosk_db)[0] == 2
    assert inbox.decision(kiosk_db, "K01-00042-D").state == "has_issues"


def test_the_etag_is_kept_only_once_nothing_more_is_waiting(kiosk_db):
    inbox.apply(kiosk_db, _response(_decision_item(1), more=True), etag='"9"')
    assert inbox.position(kiosk_db) == (1, None)
    inbox.apply(kiosk_db, _response(cursor=1), etag='"1"')
    assert inbox.position(kiosk_db) == (1, '"1"')


def test_settings_central_may_not_change_and_unreadable_bodies_are_skipped(kiosk_db, caplog):
    response = _response(
        _item(1, "setting", "central", name="central", value="http://evil.example"),
        _item(2, "decision", "K01-00042-D", reference="K01-00042-D", state="lost"),
        _item(3, "setting", "draft_days", name="draft_days", value=3),
        _item(4, "setting", "language", name="idle_seconds", value=10),
    )
    assert inbox.apply(kiosk_db, response) == 1
    assert inbox.settings(kiosk_db) == {"draft_days": 3}
    assert inbox.position(kiosk_db)[0] == 4, "the cursor moves past what could not be used"
    assert "central may not change the setting central" in caplog.text
    assert "decision item at cursor 2 unreadable" in caplog.text
    assert "K01-00042-D" not in caplog.text, "logs name kinds and cursors, not references"


def test_a_null_setting_gives_the_kiosk_its_own_value_back(kiosk_db):
    inbox.apply(
        kiosk_db, _response(_item(1, "setting", "idle_seconds", name="idle_seconds", value=45))
    )
    inbox.apply(
        kiosk_db, _response(_item(2, "setting", "idle_seconds", name="idle_seconds", value=None))
    )
    assert inbox.settings(kiosk_db) == {}


def _dump(conn) -> list:
    tables = [
        "inbox_decisions",
        "inbox_forms",
        "inbox_reference_lists",
        "inbox_cases",
        "inbox_settings",
    ]
    return [[tuple(row) for row in conn.execute(f"SELECT * FROM {t} ORDER BY 1")] for t in tables]


def test_the_pull_example_in_the_protocol_applies(kiosk_db):
    doc = (Path(sync.__file__).parent / "PROTOCOL.md").read_text()
    block = doc.split("## Pull", 1)[1].split("200 OK", 1)[1].split("```", 1)[0]
    example = feed_items.PullResponse.model_validate_json(block.split("\n\n", 1)[1])
    assert inbox.apply(kiosk_db, example) == 1
    assert inbox.decision(kiosk_db, "K01-00042-D").state == "approved"
    assert inbox.position(kiosk_db)[0] == 187
