"""Cases at the kiosk: a household registered and changed through the real journey, the
case changes queued with the submissions, the kiosk's own view of a case while offline,
and what the status page says of a change once central has answered."""

from __future__ import annotations

import json

import pytest

import locales
from kiosk import case_progress, cases, workers
from kiosk.messages import MESSAGES
from kiosk.migrations import MIGRATIONS as KIOSK
from sync import feed_items, inbox, outbox, protocol, reference
from sync.database import connect, migrate, transaction
from tests import households
from tests.citizen import complete, csrf_token
from tests.households import REGISTERED, REGISTRATION

NEW_PHONE = "+254722000111"
OTHER_PHONE = "+254733000222"


@pytest.fixture
def http(client):
    client.follow_redirects = True
    return client


def _changes(client, kind: str = cases.KIND) -> list[outbox.Change]:
    changes = outbox.pending(client.app.state.db, 1000)
    return [change for change in changes if change.kind == kind]


def _registered(client) -> tuple[str, str]:
    """A household registered at this kiosk: its reference and its case id."""
    ref = complete(client, REGISTRATION)
    [change] = _changes(client)
    return ref, change.record["id"]


def _pull(client, case_id: str, version: int, fields: dict, conflicts=(), cursor=None) -> None:
    """What central's feed brings: the case at ``version``."""
    db = client.app.state.db
    body = {
        "type": "household",
        "id": case_id,
        "version": version,
        "fields": fields,
        "conflicts": list(conflicts),
        "merged_into": None,
    }
    after = inbox.position(db)[0]
    item = feed_items.FeedItem(cursor=cursor or after + 1, kind="case", key=case_id, body=body)
    inbox.apply(db, feed_items.PullResponse(cursor=item.cursor, more=False, items=[item]))


def _acknowledged(client) -> None:
    db = client.app.state.db
    with transaction(db):
        outbox.acknowledge(db, 10_000)


def _at_central(client) -> tuple[str, str, dict]:
    """A household registered here, acknowledged, and pulled back as version 1."""
    ref, case_id = _registered(client)
    fields = {**REGISTERED, "reference": ref}
    _acknowledged(client)
    _pull(client, case_id, 1, fields)
    return ref, case_id, fields


def test_registering_a_household_queues_its_creation_with_every_answer(http):
    ref = complete(http, REGISTRATION)
    [submission] = _changes(http, "submission.create")
    [change] = _changes(http)
    assert change.seq == submission.seq + 1, "queued together, after the submission"
    assert change.record["type"] == "household" and change.base_version == 0
    assert change.actor == "kiosk:K01"
    assert change.patch == {
        name: {"old": None, "new": value}
        for name, value in {**REGISTERED, "reference": ref}.items()
    }
    assert change.payload == {
        "submission_id": submission.payload["id"],
        "reference": ref,
        "form_id": "household-registration",
    }
    protocol.check_change(change.to_wire())
    row = http.app.state.db.execute(
        "SELECT case_change FROM submissions WHERE reference = ?", (ref,)
    ).fetchone()
    assert json.loads(row[0]) == {
        "type": "household",
        "id": change.record["id"],
        "change_id": change.id,
        "base_version": 0,
        "fields": sorted(change.patch),
    }


def test_the_update_form_is_filled_in_with_the_household_as_pulled(http):
    ref, case_id, fields = _at_central(http)
    page = http.get("/forms/household-update")
    start = http.post("/forms/household-update/start", data={"csrftoken": csrf_token(page.text)})
    number = households.shown(start.text)
    number["answer"] = ref.lower().replace("-", " ")  # as people type it
    note = http.post(start.url.path, data=number)
    name = http.post(note.url.path, data=households.shown(note.text))
    assert households.shown(name.text)["answer"] == "Amina Okafor"
    born = http.post(name.url.path, data=households.shown(name.text))
    assert households.shown(born.text) | {"csrftoken": ""} == {
        "csrftoken": "",
        "answer-day": "14",
        "answer-month": "3",
        "answer-year": "1956",
    }
    village = http.post(born.url.path, data=households.shown(born.text))
    assert households.shown(village.text)["answer"] == "vihiga"
    phone = http.post(village.url.path, data=households.shown(village.text))
    assert households.shown(phone.text)["answer"] == "", "a new number is asked for, empty"


def test_only_the_fields_changed_are_sent_against_the_version_pulled(http):
    ref, case_id, fields = _at_central(http)
    check = households.change(http, ref, {"village": "kakamega", "new_phone": NEW_PHONE})
    sent = households.send(http, check)
    [change] = _changes(http)
    assert change.record == {"type": "household", "id": case_id}
    assert change.base_version == 1
    assert change.patch == {
        "village": {"old": "vihiga", "new": "kakamega"},
        "phones": {"old": REGISTERED["phones"], "new": [*REGISTERED["phones"], NEW_PHONE]},
    }
    assert change.payload["reference"] == sent and change.payload["form_id"] == "household-update"


def test_nothing_changed_but_a_note_sends_only_the_note(http):
    ref, case_id, _ = _at_central(http)
    households.send(http, households.change(http, ref, {"note": "A baby was born in May"}))
    [change] = _changes(http)
    assert change.patch == {"notes": {"old": None, "new": ["A baby was born in May"]}}


def test_a_kiosk_offline_shows_its_own_pending_edits(http):
    ref, case_id, _ = _at_central(http)
    households.send(http, households.change(http, ref, {"village": "kakamega"}))
    households.send(http, households.change(http, ref, {"new_phone": NEW_PHONE}))
    first, second = _changes(http)
    assert second.base_version == 1, "still the version pulled"
    assert second.patch == {
        "phones": {"old": REGISTERED["phones"], "new": [*REGISTERED["phones"], NEW_PHONE]}
    }
    seen = cases.view(http.app.state.db, case_id, http.app.state.case_types)
    assert seen.fields["village"] == "kakamega"
    assert seen.fields["phones"] == [*REGISTERED["phones"], NEW_PHONE]
    check = households.change(http, ref, {})
    assert "Kakamega" in check.text and NEW_PHONE not in check.text  # a new number is blank


def test_a_household_registered_here_can_be_changed_before_any_sync(http):
    ref, case_id = _registered(http)
    households.send(http, households.change(http, ref, {"members": 3}))
    change = _changes(http)[-1]
    assert change.base_version == 1  # "a change made after its own create and before any pull"
    assert change.patch == {"members": {"old": 2, "new": 3}}


def test_a_household_registered_at_another_kiosk_is_found_by_its_receipt_number(http):
    case_id, ref = "0196a3c4-0c2f-7e10-9a3b-2c1d0e9f8a7b", reference.make("K02", 7)
    _pull(http, case_id, 4, {**REGISTERED, "reference": ref, "village": "busia"})
    households.send(http, households.change(http, ref, {"members": 5}))
    [change] = _changes(http)
    assert change.record["id"] == case_id and change.base_version == 4
    assert change.patch == {"members": {"old": 2, "new": 5}}


@pytest.mark.parametrize("typed", [reference.make("K01", 99), "not a number"])
def test_an_unknown_household_number_is_refused_in_the_citizens_language(http, typed):
    _choose(http, "fr")
    response = households.change(http, typed, {})
    assert response.status_code == 422
    french = locales.translations("fr").gettext
    assert french(MESSAGES["case_unknown"]) in response.text
    assert f'value="{typed}"' in response.text, "what was typed stays, to be put right"
    assert _changes(http) == []
    ref, _ = _registered(http)
    check = households.change(http, ref, {"members": 4})
    assert check.url.path.endswith("/check"), "the same journey goes on with a right number"


def test_a_community_worker_signed_in_makes_the_change(http):
    ref, _, _ = _at_central(http)
    worker = workers.add(http.app.state.db, "Grace Wanjiru", "4826")
    page = http.get("/assist")
    data = {"csrftoken": csrf_token(page.text), "worker": worker.id, "pin": "4826"}
    assert http.post("/assist", data=data).status_code == 200
    check = households.change(http, ref, {"village": "siaya"})
    households.send(http, check, {"consent": "yes"})
    [change] = _changes(http)
    assert change.actor == f"worker:{worker.id}"


def _choose(client, language: str) -> None:
    page = client.get("/language")
    client.post("/language", data={"csrftoken": csrf_token(page.text), "language": language})


def _said(language: str, state: str) -> str:
    """The status page's words for a case change in ``state``, in ``language``."""
    words = case_progress.TEXTS[state]
    return locales.translations(language).gettext(words)


def _status(client, ref: str, language: str = "en") -> str:
    if language != "en":
        _choose(client, language)
    return client.get("/status", params={"reference": ref}).text


def test_the_status_page_follows_the_office_on_a_changed_household(http):
    ref, case_id, fields = _at_central(http)
    sent = households.send(http, households.change(http, ref, {"village": "kakamega"}))
    assert "data-case-state" not in _status(http, sent), "not at the office yet"
    _acknowledged(http)
    assert "data-case-state" not in _status(http, sent), "central's answer not pulled yet"

    _pull(http, case_id, 2, {**fields, "village": "kakamega"}, conflicts=["village"])
    page = _status(http, sent)
    assert 'data-case-state="checking"' in page
    assert _said("en", "checking") in page

    _pull(http, case_id, 3, {**fields, "village": "siaya"})
    page = _status(http, sent, "fr")
    french = locales.translations("fr").gettext
    assert 'data-case-state="decided"' in page
    assert french(case_progress.TEXTS["decided"]) in page
    assert ">Ménage<" in page and "Village" in page and "Siaya" in page


def test_a_change_that_clashed_with_nothing_is_recorded(http):
    ref, case_id, fields = _at_central(http)
    sent = households.send(http, households.change(http, ref, {"new_phone": NEW_PHONE}))
    _acknowledged(http)
    _pull(http, case_id, 2, {**fields, "phones": [*REGISTERED["phones"], OTHER_PHONE, NEW_PHONE]})
    page = _status(http, sent, "sw")
    assert 'data-case-state="recorded"' in page
    assert _said("sw", "recorded") in page
    assert 'lang="en"' in page and "Phone numbers" in page, "the case type has no Swahili"
    assert f"{REGISTERED['phones'][0]}, {OTHER_PHONE}, {NEW_PHONE}" in page


def test_the_migration_upgrades_a_kiosk_database_of_the_previous_shape(tmp_path):
    names = [migration.name for migration in KIOSK]
    mine = names.index("2026-11-26-kiosk-cases")
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *inbox.MIGRATIONS, *KIOSK[:mine]])
    db.execute(
        "INSERT INTO submissions (id, reference, change_id, form_id, form_version, language,"
        " answers, submitted_at) VALUES ('s1', 'K01-00001-X', 'c1', 'f', '1', 'en', '{}', 'now')"
    )
    assert migrate(db, [*outbox.MIGRATIONS, *inbox.MIGRATIONS, *KIOSK[: mine + 1]]) == [
        "2026-11-26-kiosk-cases"
    ]
    assert db.execute("SELECT case_change FROM submissions").fetchone()[0] is None
