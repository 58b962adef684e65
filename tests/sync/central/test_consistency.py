"""What must hold together at central: a decision checked against the case in the
transaction that makes it, a bundle and its audit entry stored together, a version chosen
in the transaction that publishes it; and the queries that stay cheap as data grows."""

from __future__ import annotations

import pytest
from uuid6 import uuid7

from forms.library import DEFAULT_DIRECTORY
from sync import feed_items, identity, inbox, outbox, protocol, sneakernet
from sync.central import (
    audit,
    case_history,
    cases,
    conflicts,
    feed,
    fleet,
    intake,
    publications,
    staff,
)
from sync.central import sneakernet as central_side
from sync.database import connect, migrate
from sync.problems import CASE_CHANGED, Problem
from tests.sync.conftest import batch, case_change, enrolled, queue

HOUSEHOLD = {
    "head_name": (None, "Amina Okafor"),
    "national_id": (None, "79927398713"),
    "village": (None, "Kisumu"),
    "members": (None, 4),
}
LATER = "1763717500000.0000@K02"
LATEST = "1763717600000.0000@K02"


@pytest.fixture
def clinic(central_settings, kiosk):
    return enrolled(central_settings.data, "Clinic kiosk")


@pytest.fixture
def user(central_db):
    return staff.create(
        central_db, "supervisor@example.org", "a long enough password", "supervisor"
    )


def _push(client, kiosk, changes):
    response = kiosk.push(client, changes)
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"applied"}


def _clash(client, kiosk, clinic) -> str:
    """A household whose village two kiosks changed from the same version: one conflict."""
    case_id = str(uuid7())
    _push(client, kiosk, [case_change(1, case_id, HOUSEHOLD, kiosk.code, base_version=0)])
    _push(client, kiosk, [case_change(2, case_id, {"village": ("Kisumu", "Kakamega")})])
    theirs = case_change(1, case_id, {"village": ("Kisumu", "Bungoma")}, "K02", hlc=LATER)
    _push(client, clinic, [theirs])
    return case_id


def _seen(db, case_id) -> tuple[cases.Seen, conflicts.Conflict]:
    """The case as a supervisor's page shows it, and its one open conflict."""
    [conflict] = [c for c in conflicts.of_case(db, case_id) if c.resolved_at is None]
    case = cases.get(db, case_id)
    return cases.Seen(case.version, {conflict.id: len(conflict.candidates)}), conflict


def _resolved(db, case_id) -> list[audit.Entry]:
    return [e for e in audit.newest(db, 50, target=case_id) if e.action == "case.resolve"]


def test_a_candidate_joining_between_page_and_submit_is_refused_as_stale(
    client, kiosk, clinic, central_db, user
):
    case_id = _clash(client, kiosk, clinic)
    seen, conflict = _seen(central_db, case_id)
    late = case_change(2, case_id, {"village": ("Kisumu", "Kitale")}, "K02", hlc=LATEST)
    _push(client, clinic, [late])  # lands after the page was shown, before the answer
    before = cases.get(central_db, case_id)
    with pytest.raises(Problem) as refused:
        cases.resolve_many(central_db, {conflict.id: "Busia"}, user, seen)
    assert refused.value.kind is CASE_CHANGED
    assert cases.get(central_db, case_id) == before
    [still] = [c for c in conflicts.of_case(central_db, case_id) if c.resolved_at is None]
    assert [c.value for c in still.candidates] == ["Kakamega", "Bungoma", "Kitale"]
    assert _resolved(central_db, case_id) == []


def test_a_joined_candidate_is_stale_even_when_the_version_is_the_same(
    client, kiosk, clinic, central_db, user
):
    case_id = _clash(client, kiosk, clinic)
    seen, conflict = _seen(central_db, case_id)
    fewer = cases.Seen(seen.version, {conflict.id: len(conflict.candidates) - 1})
    with pytest.raises(Problem) as refused:
        cases.resolve_many(central_db, {conflict.id: "Busia"}, user, fewer)
    assert refused.value.kind is CASE_CHANGED
    assert cases.get(central_db, case_id).conflicts == ["village"]
    assert _resolved(central_db, case_id) == []


def test_a_conflict_opened_on_another_field_since_the_page_is_stale(
    client, kiosk, clinic, central_db, user
):
    case_id = _clash(client, kiosk, clinic)
    seen, conflict = _seen(central_db, case_id)
    with pytest.raises(Problem) as refused:
        cases.resolve_many(central_db, {conflict.id: "Busia"}, user, cases.Seen(seen.version, {}))
    assert refused.value.kind is CASE_CHANGED
    assert cases.get(central_db, case_id).conflicts == ["village"]


def test_an_answer_to_the_case_as_it_is_is_taken(client, kiosk, clinic, central_db, user):
    case_id = _clash(client, kiosk, clinic)
    seen, conflict = _seen(central_db, case_id)
    case = cases.resolve_many(central_db, {conflict.id: "Busia"}, user, seen)
    assert case.fields["village"] == "Busia" and case.conflicts == []
    assert case.version == seen.version + 1
    assert len(_resolved(central_db, case_id)) == 1


def test_history_searches_changes_by_record_not_every_change(client, kiosk, central_db):
    case_id = str(uuid7())
    _push(client, kiosk, [case_change(1, case_id, HOUSEHOLD, base_version=0)])
    statements: list[str] = []
    central_db.set_trace_callback(statements.append)
    try:
        [step] = case_history.history(central_db, case_id)
    finally:
        central_db.set_trace_callback(None)
    assert step.record_id == case_id
    [query] = [s for s in statements if "FROM changes AS c" in s]
    plan = [row[3] for row in central_db.execute(f"EXPLAIN QUERY PLAN {query}")]
    assert any("USING INDEX changes_by_record (record_type=? AND record_id=?)" in p for p in plan)
    assert any("case_aliases USING INDEX case_aliases_by_case" in p for p in plan)
    scans = [p for p in plan if p.startswith("SCAN") and p != "SCAN CONSTANT ROW"]
    assert scans == [], plan


def test_a_push_reads_the_case_types_once_whatever_its_length(client, kiosk, central_db):
    """Saving a case is given its type: no reading every case type per change."""

    def reads(seq: int, count: int) -> int:
        case_id = str(uuid7())
        changes = [case_change(seq, case_id, HOUSEHOLD, base_version=0)] + [
            case_change(seq + n, case_id, {"members": (3 + n, 4 + n)}, base_version=n)
            for n in range(1, count)
        ]
        push = protocol.PushRequest.model_validate(batch(kiosk.id, changes))
        statements: list[str] = []
        central_db.set_trace_callback(statements.append)
        try:
            answer = intake.apply(central_db, kiosk.record, push)
        finally:
            central_db.set_trace_callback(None)
        assert {r.status for r in answer.results} == {"applied"}
        return sum("FROM case_types" in s for s in statements)

    assert reads(1, 1) == reads(2, 8)


@pytest.fixture
def data(tmp_path):
    return tmp_path / "kiosk"


@pytest.fixture
def me(data, kiosk):
    me = identity.Identity(kiosk.id, kiosk.code, "Library kiosk", kiosk.token, "http://127.0.0.1:9")
    identity.save(data, me)
    return me


@pytest.fixture
def kiosk_conn(data, me):
    conn = connect(data / "kiosk.db")
    migrate(conn, [*outbox.MIGRATIONS, *inbox.MIGRATIONS])
    yield conn
    conn.close()


def test_a_bundle_is_imported_with_its_audit_entry_or_not_at_all(
    kiosk_conn, me, tmp_path, central_db, monkeypatch
):
    usb = tmp_path / "usb"
    usb.mkdir()
    queue(kiosk_conn, 3)
    (written,) = sneakernet.export(kiosk_conn, me, usb)

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(audit, "record", broken)
        with pytest.raises(RuntimeError):
            central_side.import_push(central_db, written.path)
    assert central_db.execute("SELECT COUNT(*) FROM changes").fetchone()[0] == 0
    assert fleet.by_id(central_db, me.kiosk_id).high_water == 0

    done = central_side.import_push(central_db, written.path)
    assert done.counts == {"applied": 3}
    entries = [e for e in audit.newest(central_db, 10) if e.action == "bundle.import"]
    assert [(e.details["applied"], e.details["duplicate"]) for e in entries] == [(3, 0)]


def test_by_id_is_the_kiosk_or_none(kiosk, central_db):
    assert fleet.by_id(central_db, kiosk.id) == kiosk.record
    assert fleet.by_id(central_db, str(uuid7())) is None


def test_what_is_published_is_chosen_inside_the_publishing_transaction(
    kiosk, central_db, monkeypatch
):
    read = feed.latest
    inside: list[bool] = []

    def latest(conn, *args, **kwargs):
        inside.append(conn.in_transaction)
        return read(conn, *args, **kwargs)

    monkeypatch.setattr(feed, "latest", latest)
    definition = publications.read_form(DEFAULT_DIRECTORY / "birth-certificate.yaml")
    assert publications.publish_form(central_db, definition).cursor is not None
    entries = [{"name": "a", "label": {"en": "A"}}]
    assert publications.publish_list(central_db, "villages", entries).cursor is not None
    assert publications.publish_list(central_db, "villages", entries).cursor is None
    assert publications.set_setting(central_db, "idle_seconds", 90, "Library kiosk").cursor
    assert inside == [True] * 4
    assert not central_db.in_transaction
    assert feed.latest(central_db, "reference_list", "villages").body["version"] == 1


def test_a_pull_reads_the_head_once(client, kiosk, central_db, monkeypatch):
    read = feed.head
    calls: list[str] = []

    def head(conn, kiosk_id):
        calls.append(kiosk_id)
        return read(conn, kiosk_id)

    monkeypatch.setattr(feed, "head", head)
    headers = {"authorization": f"Bearer {kiosk.token}"}
    response = client.get(feed_items.PULL_PATH, params={"after": 0}, headers=headers)
    assert response.status_code == 200 and calls == [kiosk.id]
