"""Cases at central through the real push endpoint: merged, conflicted, published,
resolved (PROTOCOL.md, "Cases and the three-way merge")."""

from __future__ import annotations

import json

import pytest
from uuid6 import uuid7

from forms.cases import load_case_types
from sync.central import audit, case_history, case_types, cases, conflicts, feed, staff, storage
from sync.database import connect, migrate, transaction
from sync.problems import Problem
from tests.sync.conftest import case_change, enrolled

HOUSEHOLD = {
    "head_name": (None, "Amina Okafor"),
    "national_id": (None, "79927398713"),
    "village": (None, "Kisumu"),
    "phones": (None, ["+254700000001"]),
    "status": (None, "registered"),
    "members": (None, 4),
}


@pytest.fixture
def clinic(central_settings, kiosk):
    """A second kiosk, enrolled after ``kiosk``."""
    return enrolled(central_settings.data, "Clinic kiosk")


@pytest.fixture
def user(central_db):
    return staff.create(
        central_db, "supervisor@example.org", "a long enough password", "supervisor"
    )


def _push(client, kiosk, changes):
    response = kiosk.push(client, changes)
    assert response.status_code == 200, response.text
    return response.json()


def _created(client, kiosk, case_id=None):
    case_id = case_id or str(uuid7())
    change = case_change(1, case_id, HOUSEHOLD, kiosk.code, base_version=0)
    assert _push(client, kiosk, [change])["results"][0]["status"] == "applied"
    return case_id


def _feed_case(db, kiosk, case_id):
    items = [i for i in feed.since(db, kiosk.id, 0, 1000) if i.kind == "case" and i.key == case_id]
    assert len(items) == 1
    return items[0].body


def test_a_case_is_created_and_published_for_every_kiosk(client, kiosk, clinic, central_db):
    case_id = _created(client, kiosk)
    case = cases.get(central_db, case_id)
    assert case.version == 1 and case.type == "household" and case.conflicts == []
    assert case.fields == {name: new for name, (_, new) in HOUSEHOLD.items()}
    assert set(case.field_versions.values()) == {1}
    assert _feed_case(central_db, clinic, case_id) == {
        "type": "household",
        "id": case_id,
        "version": 1,
        "fields": case.fields,
        "conflicts": [],
        "merged_into": None,
    }


def test_edits_to_different_fields_from_two_kiosks_merge(client, kiosk, clinic, central_db):
    case_id = _created(client, kiosk)
    _push(client, kiosk, [case_change(2, case_id, {"village": ("Kisumu", "Kakamega")}, "K01")])
    phones = (["+254700000001"], ["+254700000001", "+254700000002"])
    _push(client, clinic, [case_change(1, case_id, {"members": (4, 5), "phones": phones}, "K02")])
    case = cases.get(central_db, case_id)
    assert case.fields["village"] == "Kakamega" and case.fields["members"] == 5
    assert case.fields["phones"] == ["+254700000001", "+254700000002"]
    assert case.version == 3 and case.conflicts == []
    assert case.field_versions["village"] == 2 and case.field_versions["members"] == 3
    assert _feed_case(central_db, kiosk, case_id)["version"] == 3


def test_different_concurrent_values_open_a_conflict_that_keeps_both(
    client, kiosk, clinic, central_db
):
    case_id = _created(client, kiosk)
    first = case_change(2, case_id, {"head_name": ("Amina Okafor", "Amina Okafor-Bello")}, "K01")
    second = case_change(
        1, case_id, {"head_name": ("Amina Okafor", "Aminah Okafor"), "members": (4, 6)}, "K02"
    )
    second["hlc"] = "1763717500000.0000@K02"  # made later than the first
    _push(client, kiosk, [first])
    _push(client, clinic, [second])
    case = cases.get(central_db, case_id)
    assert case.conflicts == ["head_name"] and case.version == 3
    assert case.fields["head_name"] == "Aminah Okafor"  # the latest hlc shows
    assert case.fields["members"] == 6  # the other field of the same change merged
    [queued] = conflicts.queue(central_db)
    assert queued.case == case and queued.conflict.base == "Amina Okafor"
    candidates = [
        (c.value, c.source.change_id, c.source.kiosk_id, c.source.actor)
        for c in queued.conflict.candidates
    ]
    assert candidates == [
        ("Amina Okafor-Bello", first["id"], kiosk.id, "kiosk:K01"),
        ("Aminah Okafor", second["id"], clinic.id, "kiosk:K02"),
    ]
    assert _feed_case(central_db, kiosk, case_id)["conflicts"] == ["head_name"]


def test_the_same_edit_at_two_kiosks_is_no_conflict(client, kiosk, clinic, central_db):
    case_id = _created(client, kiosk)
    edit = {"head_name": ("Amina Okafor", "Amina Bello"), "status": ("registered", "visited")}
    _push(client, kiosk, [case_change(2, case_id, edit, "K01")])
    head = feed.head(central_db, kiosk.id)
    _push(client, clinic, [case_change(1, case_id, edit, "K02")])
    case = cases.get(central_db, case_id)
    assert case.conflicts == [] and case.version == 2
    assert feed.head(central_db, kiosk.id) == head  # nothing moved, nothing published


def test_a_replayed_batch_changes_nothing(client, kiosk, clinic, central_db):
    case_id = _created(client, kiosk)
    changes = [
        case_change(1, case_id, {"head_name": ("Amina Okafor", "A. Okafor")}, "K02"),
        case_change(2, case_id, {"notes": (None, ["Visited on Monday"])}, "K02"),
    ]
    _push(client, clinic, changes)
    before = (cases.get(central_db, case_id), feed.head(central_db, kiosk.id))
    again = _push(client, clinic, changes)
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    assert (cases.get(central_db, case_id), feed.head(central_db, kiosk.id)) == before
    [note] = before[0].fields["notes"]
    assert note == {"text": "Visited on Monday", "hlc": changes[1]["hlc"], "actor": "kiosk:K02"}


def test_a_create_for_a_case_that_exists_merges_with_old_null(client, kiosk, clinic, central_db):
    case_id = _created(client, kiosk)
    again = {**HOUSEHOLD, "village": (None, "Kakamega"), "phones": (None, ["+254700000009"])}
    _push(client, clinic, [case_change(1, case_id, again, "K02", base_version=0)])
    case = cases.get(central_db, case_id)
    assert case.conflicts == ["village"]
    assert case.fields["phones"] == ["+254700000001", "+254700000009"]


def test_changes_central_cannot_merge_are_refused_and_kept(client, kiosk, central_db):
    case_id = _created(client, kiosk)
    changes = [
        case_change(2, str(uuid7()), {"head_name": ("A", "B")}, base_version=3),
        case_change(3, case_id, {"head_name": ("A", "B")}, case_type="person"),
        case_change(4, case_id, {"shoe_size": (None, 42)}),
        case_change(5, case_id, {"status": ("registered", "lost")}),
        case_change(6, case_id, {"members": (4, "five")}),
        case_change(7, case_id, {"phones": ([], [254700000001])}),
    ]
    central_db.execute(
        "INSERT INTO case_types (name, definition, loaded_at) VALUES ('person', ?, 't')",
        (json.dumps({"name": "person", "fields": {"head_name": {}}}),),
    )
    results = _push(client, kiosk, changes)["results"]
    assert [r.get("reason") for r in results] == [
        "case_unknown",
        "case_type_mismatch",
        "case_field_unknown",
        "case_value_invalid",
        "case_value_invalid",
        "case_value_invalid",
    ]
    kept = central_db.execute("SELECT reason FROM refused_changes ORDER BY id").fetchall()
    assert len(kept) == len(changes)
    assert cases.get(central_db, case_id).version == 1


def test_an_unknown_case_type_is_refused(client, kiosk):
    change = case_change(1, str(uuid7()), {"name": (None, "x")}, base_version=0, case_type="boat")
    assert _push(client, kiosk, [change])["results"][0]["reason"] == "case_type_unknown"


def test_a_case_created_and_updated_in_one_batch(client, kiosk, central_db):
    case_id = str(uuid7())
    changes = [
        case_change(1, case_id, HOUSEHOLD, base_version=0),
        case_change(2, case_id, {"members": (4, 5)}, base_version=1),
    ]
    assert [r["status"] for r in _push(client, kiosk, changes)["results"]] == ["applied"] * 2
    assert cases.get(central_db, case_id).version == 2


def test_a_change_naming_a_merged_case_lands_on_the_survivor(client, kiosk, central_db):
    survivor = _created(client, kiosk)
    alias = str(uuid7())
    with transaction(central_db):
        central_db.execute(
            "INSERT INTO case_aliases (alias_id, case_id) VALUES (?, ?)", (alias, survivor)
        )
    _push(client, kiosk, [case_change(2, alias, {"members": (4, 7)})])
    assert cases.get(central_db, survivor).fields["members"] == 7
    assert cases.get(central_db, alias).id == survivor
    assert [step.record_id for step in case_history.history(central_db, survivor)] == [
        survivor,
        alias,
    ]


def test_staff_resolve_a_conflict_and_it_is_audited_and_published(
    client, kiosk, clinic, central_db, user
):
    case_id = _created(client, kiosk)
    _push(client, kiosk, [case_change(2, case_id, {"village": ("Kisumu", "Kakamega")}, "K01")])
    _push(client, clinic, [case_change(1, case_id, {"village": ("Kisumu", "Bungoma")}, "K02")])
    [queued] = conflicts.queue(central_db)
    chosen = queued.conflict.candidates[0]
    case = cases.resolve(central_db, queued.conflict.id, chosen.value, user)
    assert case.fields["village"] == "Kakamega" and case.conflicts == [] and case.version == 4
    assert case.field_versions["village"] == 4
    assert conflicts.queue(central_db) == [] and conflicts.count(central_db) == 0
    [closed] = conflicts.of_case(central_db, case_id)
    assert closed.resolved_by == f"staff:{user.id}"
    assert closed.resolution["value"] == "Kakamega"
    assert closed.resolution["chose"] == chosen.source.change_id
    assert closed.resolution["hlc"] > max(c.source.hlc for c in closed.candidates)
    [entry] = audit.newest(central_db, 10, target=case_id)
    assert (entry.action, entry.actor, entry.details) == (
        "case.resolve",
        f"staff:{user.id}",
        {"fields": ["village"], "version": 4, "chose": {"village": chosen.source.change_id}},
    )
    assert _feed_case(central_db, clinic, case_id)["fields"]["village"] == "Kakamega"
    with pytest.raises(Problem) as problem:
        cases.resolve(central_db, queued.conflict.id, "Bungoma", user)
    assert problem.value.kind.code == "not_found"


def test_a_late_change_after_a_resolution_opens_a_new_conflict(
    client, kiosk, clinic, central_db, user
):
    case_id = _created(client, kiosk)
    _push(client, kiosk, [case_change(2, case_id, {"members": (4, 5)}, "K01")])
    _push(client, clinic, [case_change(1, case_id, {"members": (4, 6)}, "K02")])
    [queued] = conflicts.queue(central_db)
    cases.resolve(central_db, queued.conflict.id, 8, user)  # typed, not a candidate
    _push(client, clinic, [case_change(2, case_id, {"members": (4, 3)}, "K02")])
    case = cases.get(central_db, case_id)
    assert case.conflicts == ["members"] and case.fields["members"] == 8  # staff's is latest
    assert [c.value for c in conflicts.queue(central_db)[0].conflict.candidates] == [8, 3]


def test_staff_edits_merge_like_a_change(client, kiosk, central_db, user):
    case_id = _created(client, kiosk)
    case = cases.edit(
        central_db,
        case_id,
        {"status": "supported", "notes": ["Called the head"], "phones": []},
        user,
    )
    assert case.fields["status"] == "supported" and case.fields["phones"] == []
    assert case.fields["notes"][0]["actor"] == f"staff:{user.id}"
    assert cases.edit(central_db, case_id, {"status": "registered"}, user).version == case.version
    with pytest.raises(ValueError, match="members"):
        cases.edit(central_db, case_id, {"members": "many"}, user)


def test_history_lists_the_changes_in_hlc_order(client, kiosk, clinic, central_db):
    case_id = _created(client, kiosk)
    late = case_change(2, case_id, {"members": (4, 5)}, "K01", hlc="1763717900000.0000@K01")
    early = case_change(1, case_id, {"village": ("Kisumu", "Kakamega")}, "K02")
    _push(client, kiosk, [late])
    _push(client, clinic, [early])
    steps = case_history.history(central_db, case_id)
    assert [(s.kiosk_code, s.base_version) for s in steps] == [("K01", 0), ("K02", 1), ("K01", 1)]
    assert steps[1].patch == {"village": {"old": "Kisumu", "new": "Kakamega"}}


def test_central_records_the_case_types_it_loads(client, central_db):
    assert set(case_types.known(central_db)) == set(load_case_types())
    with transaction(central_db):
        case_types.remember(central_db, {})  # a later start without them forgets nothing
    assert "household" in case_types.known(central_db)


def test_the_cases_migration_upgrades_a_database_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "central.db")
    migrate(conn, [m for m in storage.MIGRATIONS if m.name < "2026-11-26b-cases"])
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, created_at)"
        " VALUES ('k1', 'K01', 'Library', 1, '2026-11-21T09:00:00.000Z')"
    )
    assert "2026-11-26b-cases" in migrate(conn, storage.MIGRATIONS)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cases", "case_conflicts", "case_aliases", "case_types"} <= tables
    assert conn.execute("SELECT code FROM kiosks").fetchone()[0] == "K01"
