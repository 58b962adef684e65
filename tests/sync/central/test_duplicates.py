"""Possible duplicates: found when a case is created through the real push endpoint, queued
for a supervisor, merged (the loser an alias of the survivor, differing values conflicts)
or dismissed through the real forms (PROTOCOL.md, "Duplicates")."""

from __future__ import annotations

import json

import pytest
from uuid6 import uuid7

from forms.cases import load_case_types
from sync.central import (
    audit,
    case_history,
    case_types,
    cases,
    conflicts,
    duplicates,
    feed,
    matches,
    storage,
)
from sync.database import connect, migrate, transaction
from tests.sync.central import people
from tests.sync.conftest import case_change, csrf_token

AMINA = {
    "head_name": (None, "Amina Okafor"),
    "national_id": (None, "79927398713"),
    "date_of_birth": (None, "1980-02-29"),
    "village": (None, "Kisumu"),
    "phones": (None, ["+254700000001"]),
    "members": (None, 4),
}


class Pushes:
    """Households created at one kiosk, each change with the next seq."""

    def __init__(self, client, kiosk) -> None:
        self.client, self.kiosk, self.seq = client, kiosk, 0

    def send(self, case_id: str, patch: dict, base_version: int = 1) -> None:
        self.seq += 1
        change = case_change(self.seq, case_id, patch, self.kiosk.code, base_version)
        response = self.kiosk.push(self.client, [change])
        assert response.json()["results"][0]["status"] == "applied", response.text

    def create(self, **changes) -> str:
        case_id = str(uuid7())
        fields = {**AMINA, **{name: (None, value) for name, value in changes.items()}}
        self.send(case_id, fields, base_version=0)
        return case_id


@pytest.fixture
def pushes(client, kiosk):
    return Pushes(client, kiosk)


@pytest.fixture
def supervisor(client, central_settings):
    user = people.add(central_settings.data, "supervisor")
    people.sign_in(client, "supervisor")
    return user


def _pairs(db):
    rows = db.execute("SELECT case_a, case_b, reason, score, state FROM duplicates ORDER BY id")
    return [tuple(row) for row in rows]


def test_the_same_national_id_is_queued(pushes, central_db):
    first = pushes.create()
    second = pushes.create(head_name="Grace Wanjiru", national_id="7992 7398-713")
    assert _pairs(central_db) == [(first, second, "national_id", 100.0, "open")]


def test_a_close_name_born_the_same_day_in_the_same_village_is_queued(pushes, central_db):
    first = pushes.create()
    second = pushes.create(head_name="Amina Okafur", national_id="12345678903")
    third = pushes.create(head_name="OKAFOR  Aminá", national_id="4", village=" kisumu")
    found = _pairs(central_db)
    (a, b, reason, score, _) = found[0]
    assert (a, b, reason) == (first, second, "name_dob_place") and 90 <= score < 100
    # word order, case, accents and spaces aside:
    assert [(a, b) for a, b, *_ in found[1:]] == [(first, third), (second, third)]
    assert matches.similarity("Amina Okafor", "Amina Okafur") >= matches.NAME_SIMILARITY


@pytest.mark.parametrize(
    "other",
    [
        {"date_of_birth": "1980-03-01"},
        {"village": "Kakamega"},
        {"head_name": "Grace Wanjiru"},
        {"head_name": "Amina Okafor", "date_of_birth": None},
    ],
)
def test_a_different_birth_date_place_or_name_is_not_queued(pushes, central_db, other):
    pushes.create()
    pushes.create(national_id="12345678903", **other)
    assert _pairs(central_db) == []


def test_two_records_of_one_household_in_one_push_are_queued_once(client, kiosk, central_db):
    one, two = str(uuid7()), str(uuid7())
    changes = [
        case_change(1, one, AMINA, base_version=0),
        case_change(2, two, AMINA, base_version=0),
    ]
    kiosk.push(client, changes)
    assert [(a, b) for a, b, *_ in _pairs(central_db)] == [(one, two)]


def test_an_update_finds_nothing_new(pushes, central_db):
    first = pushes.create(head_name="Grace Wanjiru", national_id="1")
    pushes.create()
    pushes.send(first, {"head_name": ("Grace Wanjiru", "Amina Okafor")})
    assert len(_pairs(central_db)) == 0  # only creation looks (and "1" is not the same ID)


def test_a_case_is_matched_as_it_is_now(pushes, central_db):
    first = pushes.create(head_name="Grace Wanjiru", national_id="1")
    pushes.send(first, {"head_name": ("Grace Wanjiru", "Amina Okafor")})
    second = pushes.create(national_id="2")
    assert [(a, b) for a, b, *_ in _pairs(central_db)] == [(first, second)]


def test_the_queue_shows_the_pair_side_by_side(client, pushes, supervisor, central_db):
    first = pushes.create()
    second = pushes.create(head_name="Amina Okafur", national_id="12345678903", members=5)
    page = client.get("/duplicates")
    assert page.status_code == 200
    assert "<h2" in page.text and "Amina Okafor and Amina Okafur" in page.text
    assert "Names 92 % alike, the same date of birth and the same place." in page.text
    assert f'href="/cases/{first}">Record 1' in page.text
    assert f'href="/cases/{second}">Record 2' in page.text
    row = page.text[page.text.index("Number of people") :]
    assert row.index("4") < row.index("5") < row.index("Different")
    assert '<a href="/duplicates">Duplicates</a>' in page.text


def test_merging_keeps_the_survivor_and_loses_no_value(client, pushes, supervisor, central_db):
    survivor = pushes.create()
    loser = pushes.create(
        head_name="Amina Okafur", national_id="79927398713", phones=["+254700000002"], members=5
    )
    [pair] = duplicates.queue(central_db)
    page = client.get("/duplicates").text
    data = {"csrftoken": csrf_token(page), "survivor": survivor}
    response = client.post(
        f"/duplicates/{pair.duplicate.id}/merge", data=data, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/cases/{survivor}?merged=1"
    case = cases.get(central_db, survivor)
    assert case.version == 2 and case.conflicts == ["head_name", "members"]
    assert case.fields["phones"] == ["+254700000001", "+254700000002"]  # sets are joined
    opened = {c.field: c for c in conflicts.of_case(central_db, survivor)}
    assert [c.value for c in opened["head_name"].candidates] == ["Amina Okafor", "Amina Okafur"]
    assert [c.value for c in opened["members"].candidates] == [4, 5]
    assert {c.source.kiosk_id for c in opened["members"].candidates} == {pushes.kiosk.id}
    gone = central_db.execute("SELECT merged_into, version FROM cases WHERE id = ?", (loser,))
    assert tuple(gone.fetchone()) == (survivor, 2)
    assert (
        central_db.execute(
            "SELECT case_id FROM case_aliases WHERE alias_id = ?", (loser,)
        ).fetchone()[0]
        == survivor
    )
    assert feed.latest(central_db, "case", survivor).body["conflicts"] == ["head_name", "members"]
    assert feed.latest(central_db, "case", loser).body["merged_into"] == survivor
    [entry] = audit.newest(central_db, 10, target=survivor)
    assert (entry.action, entry.actor) == ("duplicate.merge", f"staff:{supervisor.id}")
    assert entry.details == {
        "duplicate": pair.duplicate.id,
        "merged": loser,
        "conflicts": ["head_name", "members"],
    }
    assert duplicates.queue(central_db) == []
    matched = central_db.execute("SELECT case_id FROM case_identities").fetchall()
    assert [row[0] for row in matched] == [survivor]  # the loser is no longer matched
    shown = client.get(response.headers["location"]).text
    assert "The two records are merged into this one." in shown and loser in shown


def test_a_later_change_to_the_merged_id_lands_on_the_survivor(
    client, pushes, supervisor, central_db
):
    survivor = pushes.create()
    loser = pushes.create(head_name="Amina Okafur")
    [pair] = duplicates.queue(central_db)
    data = {"csrftoken": csrf_token(client.get("/duplicates").text), "survivor": survivor}
    client.post(f"/duplicates/{pair.duplicate.id}/merge", data=data)
    pushes.send(loser, {"village": ("Kisumu", "Kakamega"), "notes": (None, ["Moved"])})
    case = cases.get(central_db, loser)
    assert case.id == survivor and case.fields["village"] == "Kakamega"
    assert [note["text"] for note in case.fields["notes"]] == ["Moved"]
    assert [step.record_id for step in case_history.history(central_db, survivor)][-1] == loser
    assert client.get(f"/cases/{loser}", follow_redirects=False).headers["location"] == (
        f"/cases/{survivor}"
    )


def test_the_newer_record_can_be_the_one_kept(client, pushes, supervisor, central_db):
    older = pushes.create()
    newer = pushes.create(head_name="Amina Okafur")
    [pair] = duplicates.queue(central_db)
    data = {"csrftoken": csrf_token(client.get("/duplicates").text), "survivor": newer}
    client.post(f"/duplicates/{pair.duplicate.id}/merge", data=data)
    assert cases.get(central_db, older).id == newer
    assert duplicates.find(central_db, pair.duplicate.id).survivor == newer


def test_a_merge_moves_the_losers_open_conflicts_to_the_survivor(
    client, pushes, supervisor, central_db
):
    survivor = pushes.create()
    loser = pushes.create(head_name="Amina Okafur")
    pushes.send(loser, {"members": (4, 6)})
    pushes.send(loser, {"members": (4, 7)})  # made from the same version: a conflict
    assert cases.get(central_db, loser).conflicts == ["members"]
    [pair] = duplicates.queue(central_db)
    data = {"csrftoken": csrf_token(client.get("/duplicates").text), "survivor": survivor}
    client.post(f"/duplicates/{pair.duplicate.id}/merge", data=data)
    moved = {c.field: c for c in conflicts.of_case(central_db, survivor) if c.case_id == survivor}
    assert [c.value for c in moved["members"].candidates] == [4, 6, 7]
    assert moved["members"].base == 4  # the base of the conflict the loser had
    [(resolution,)] = central_db.execute(
        "SELECT resolution FROM case_conflicts WHERE case_id = ? AND resolved_at IS NOT NULL",
        (loser,),
    ).fetchall()
    assert json.loads(resolution)["merged_into"] == survivor


def test_dismissing_keeps_both_records(client, pushes, supervisor, central_db):
    first = pushes.create()
    second = pushes.create(head_name="Amina Okafur")
    [pair] = duplicates.queue(central_db)
    token = csrf_token(client.get("/duplicates").text)
    response = client.post(f"/duplicates/{pair.duplicate.id}/dismiss", data={"csrftoken": token})
    assert response.status_code == 200 and "Saved. The two records stay apart." in response.text
    decided = duplicates.find(central_db, pair.duplicate.id)
    assert (decided.state, decided.decided_by) == ("dismissed", f"staff:{supervisor.id}")
    assert cases.get(central_db, second).id == second and duplicates.queue(central_db) == []
    [entry] = audit.newest(central_db, 10, target=first)
    assert (entry.action, entry.details) == (
        "duplicate.dismiss",
        {"duplicate": pair.duplicate.id, "other": second},
    )
    again = client.post(f"/duplicates/{pair.duplicate.id}/merge", data={"csrftoken": token})
    assert again.status_code == 409 and "duplicate_decided" in again.text


def test_a_survivor_from_outside_the_pair_is_refused(client, pushes, supervisor, central_db):
    pushes.create()
    pushes.create(head_name="Amina Okafur")
    [pair] = duplicates.queue(central_db)
    token = csrf_token(client.get("/duplicates").text)
    data = {"csrftoken": token, "survivor": str(uuid7())}
    assert client.post(f"/duplicates/{pair.duplicate.id}/merge", data=data).status_code == 400
    assert client.post("/duplicates/999/dismiss", data={"csrftoken": token}).status_code == 404
    assert duplicates.find(central_db, pair.duplicate.id).state == "open"


def test_a_reviewer_may_not_see_or_decide_duplicates(staff_client, client, kiosk, central_db):
    pushes = Pushes(staff_client, kiosk)
    pushes.create()
    pushes.create(head_name="Amina Okafur")
    token = csrf_token(staff_client.get("/submissions").text)
    assert staff_client.get("/duplicates").status_code == 403
    for action in ("merge", "dismiss"):
        response = staff_client.post(f"/duplicates/1/{action}", data={"csrftoken": token})
        assert response.status_code == 403
    assert duplicates.find(central_db, 1).state == "open"


def test_decisions_need_the_csrf_token(client, pushes, supervisor, central_db):
    survivor = pushes.create()
    pushes.create(head_name="Amina Okafur")
    response = client.post("/duplicates/1/merge", data={"survivor": survivor})
    assert response.status_code == 403
    assert duplicates.find(central_db, 1).state == "open"


def test_the_duplicates_migration_upgrades_a_database_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "central.db")
    migrate(conn, [m for m in storage.MIGRATIONS if m.name < "2026-11-26c-duplicates"])
    household = load_case_types()["household"]
    fields = {"head_name": " Amina Okafor", "national_id": "7992-7398 713", "village": "Kisumu"}
    with transaction(conn):
        case_types.remember(conn, {"household": household})
        conn.execute(
            "INSERT INTO cases (id, type, version, fields, created_at, updated_at)"
            " VALUES ('c1', 'household', 1, ?, 't', 't')",
            (json.dumps(fields),),
        )
    assert "2026-11-26c-duplicates" in migrate(conn, storage.MIGRATIONS)
    columns = [row[1] for row in conn.execute("PRAGMA table_info(duplicates)")]
    assert columns == [
        "id",
        "type",
        "case_a",
        "case_b",
        "reason",
        "score",
        "found_at",
        "state",
        "decided_by",
        "decided_at",
        "survivor",
    ]
    # cases already there are matched against, as remember() would have kept them
    [row] = conn.execute("SELECT case_id, national_id, name, born, place FROM case_identities")
    assert tuple(row) == ("c1", "79927398713", "Amina Okafor", None, "Kisumu")
