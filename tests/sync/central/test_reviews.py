"""Reviewing a submission: the decision is stored, in its history, in the audit log and on
the feed for the kiosk that made the submission (and no other), in one transaction; a
comment is required for has issues and rejected; what was typed is never lost."""

from __future__ import annotations

import re

import pytest

from sync import feed_items
from sync.central import audit, feed, reviews, storage, submissions
from sync.database import connect, migrate
from tests.sync.central import people
from tests.sync.conftest import EMAIL, csrf_token, enrolled, wire_change

COMMENT = "Collect the certificate at the town hall, counter 3."
SEEN = re.compile(r'name="seen" value="(\d+)"')


@pytest.fixture
def ref(staff_client, kiosk) -> str:
    change = wire_change(1)
    assert kiosk.push(staff_client, [change]).status_code == 200
    return str(change["payload"]["reference"])


def _review(client, ref: str, seen: str | None = None, **form: str):
    page = client.get(f"/submissions/{ref}").text
    data = {"csrftoken": csrf_token(page), "seen": seen or SEEN.search(page).group(1), **form}
    return client.post(f"/submissions/{ref}/review", data=data, follow_redirects=False)


def _stored(conn, ref: str) -> tuple:
    found = submissions.find(conn, ref)
    assert found is not None
    decided = [r.state for r in reviews.history(conn, found.id)]
    return found.review.state, decided, feed.latest(conn, "decision", ref, found.kiosk_id)


def test_an_approval_is_stored_audited_and_sent_to_the_kiosk(staff_client, kiosk, ref, central_db):
    response = _review(staff_client, ref, state="approved", comment=f"  {COMMENT}\r\n")
    assert response.status_code == 303 and response.headers["location"] == f"/submissions/{ref}"
    page = staff_client.get(f"/submissions/{ref}").text
    assert "Your decision is saved" in page and COMMENT in page and EMAIL in page
    assert "Your decision is saved" not in staff_client.get(f"/submissions/{ref}").text

    found = submissions.find(central_db, ref)
    assert found.review.state == "approved" and found.review.comment == COMMENT
    assert found.review.decided_by == EMAIL and found.review.decided_at
    item = feed.latest(central_db, "decision", ref, kiosk.id)
    assert item.body == {
        "reference": ref,
        "state": "approved",
        "comment": COMMENT,
        "decided_at": found.review.decided_at,
    }
    assert feed_items.DecisionBody.model_validate(item.body).state == "approved"
    entry = audit.newest(central_db, 1, target=ref)[0]
    assert (entry.action, entry.actor) == ("submission.review", "staff:1")
    assert entry.details == {"state": "approved", "previous": "received", "decision": 1}


def test_the_decision_goes_to_the_kiosk_that_made_it_and_no_other(
    staff_client, kiosk, ref, central_settings
):
    other = enrolled(central_settings.data, "Market kiosk")
    assert other.push(staff_client, [wire_change(1, other.code)]).status_code == 200
    _review(staff_client, ref, state="has_issues", comment="The date of birth is missing.")
    mine = staff_client.get(
        feed_items.PULL_PATH, headers={"authorization": kiosk.headers["authorization"]}
    )
    theirs = staff_client.get(
        feed_items.PULL_PATH, headers={"authorization": other.headers["authorization"]}
    )
    decisions = [i for i in mine.json()["items"] if i["kind"] == "decision"]
    assert [(i["key"], i["body"]["state"]) for i in decisions] == [(ref, "has_issues")]
    assert not [i for i in theirs.json()["items"] if i["kind"] == "decision"]


@pytest.mark.parametrize("state", ["has_issues", "rejected"])
def test_a_comment_is_required_to_say_what_is_wrong(staff_client, ref, central_db, state):
    response = _review(staff_client, ref, state=state, comment="  \r\n ")
    assert response.status_code == 400
    assert "Write a comment for the citizen" in response.text
    assert 'href="#comment"' in response.text and 'aria-invalid="true"' in response.text
    assert re.search(rf'value="{state}"\s+checked', response.text), "the choice is kept"
    assert _stored(central_db, ref) == ("received", [], None)
    assert audit.newest(central_db, 10, target=ref) == []


def test_nothing_typed_is_lost_when_no_decision_is_chosen(staff_client, ref, central_db):
    response = _review(staff_client, ref, comment="<b>Half</b> a thought")
    assert response.status_code == 400 and "Choose a decision" in response.text
    assert "&lt;b&gt;Half&lt;/b&gt; a thought</textarea>" in response.text
    assert 'href="#state-has_issues"' in response.text
    long = _review(staff_client, ref, state="approved", comment="x" * (reviews.MAX_COMMENT + 1))
    assert long.status_code == 400 and "at most 2000 characters" in long.text
    assert "x" * (reviews.MAX_COMMENT + 1) in long.text
    assert _stored(central_db, ref) == ("received", [], None)


def test_a_decision_made_meanwhile_is_shown_before_yours_is_taken(
    staff_client, client, ref, central_settings, central_db
):
    page = staff_client.get(f"/submissions/{ref}").text
    seen = SEEN.search(page).group(1)
    people.add(central_settings.data, "supervisor")
    other = people.sign_in(type(client)(client.app, base_url="http://testserver"), "supervisor")
    assert _review(other, ref, state="rejected", comment="Not ours.").status_code == 303
    late = _review(staff_client, ref, seen=seen, state="approved", comment=COMMENT)
    assert late.status_code == 409 and "Someone else decided" in late.text
    assert (
        COMMENT in late.text
        and "Not ours." in late.text
        and people.email("supervisor") in late.text
    )
    assert _stored(central_db, ref)[:2] == ("rejected", ["rejected"])
    again = _review(staff_client, ref, state="approved", comment=COMMENT)
    assert again.status_code == 303
    state, history, item = _stored(central_db, ref)
    assert (state, history, item.body["state"]) == (
        "approved",
        ["approved", "rejected"],
        "approved",
    )


def test_the_same_decision_sent_twice_is_taken_once(staff_client, ref, central_db):
    page = staff_client.get(f"/submissions/{ref}").text
    data = {"csrftoken": csrf_token(page), "seen": "0", "state": "approved", "comment": COMMENT}
    for _ in range(2):
        response = staff_client.post(
            f"/submissions/{ref}/review", data=data, follow_redirects=False
        )
        assert response.status_code == 303
    assert _stored(central_db, ref)[1] == ["approved"]


def test_history_is_on_the_page_and_in_the_api_latest_first(staff_client, ref):
    _review(staff_client, ref, state="has_issues", comment="Add the father’s name.")
    _review(staff_client, ref, state="approved", comment="")
    page = staff_client.get(f"/submissions/{ref}").text
    history = page[page.index('id="history-title"') :]
    assert history.index("Approved") < history.index("Has issues") < history.index("father’s")
    body = staff_client.get(f"/api/v1/submissions/{ref}").json()
    assert body["review"]["state"] == "approved" and body["review"]["decided_by"] == EMAIL
    assert [r["state"] for r in body["reviews"]] == ["approved", "has_issues"]
    assert body["reviews"][1]["comment"] == "Add the father’s name."


def test_a_review_without_the_csrf_token_changes_nothing(staff_client, ref, central_db):
    response = staff_client.post(f"/submissions/{ref}/review", data={"state": "approved"})
    assert response.status_code == 403 and "csrf_failed" in response.text
    assert _stored(central_db, ref) == ("received", [], None)


def test_a_decision_that_cannot_be_published_is_not_stored_either(
    staff_client, ref, central_db, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the feed is broken")

    monkeypatch.setattr(feed, "publish", broken)
    with pytest.raises(RuntimeError):
        _review(staff_client, ref, state="approved", comment=COMMENT)
    assert _stored(central_db, ref) == ("received", [], None)
    assert audit.newest(central_db, 10, target=ref) == []


def test_unknown_submission_cannot_be_reviewed(staff_client):
    token = csrf_token(staff_client.get("/submissions").text)
    data = {"csrftoken": token, "state": "approved"}
    assert staff_client.post("/submissions/K01-99999-X/review", data=data).status_code == 404


def test_migration_upgrades_a_database_of_the_previous_shape(tmp_path):
    conn = connect(tmp_path / "central.db")
    migrate(conn, [m for m in storage.MIGRATIONS if m.name < "2026-11-26a-reviews"])
    conn.execute(
        "INSERT INTO kiosks (id, code, name, number, created_at)"
        " VALUES ('k1', 'K01', 'Library', 1, '2026-11-21T09:00:00.000Z')"
    )
    conn.execute(
        "INSERT INTO changes (id, kiosk_id, seq, kind, created_at, sha256, payload, received_at)"
        " VALUES ('c1', 'k1', 1, 'submission.create', 't', 'x', '{}', 't')"
    )
    conn.execute(
        "INSERT INTO submissions (id, reference, kiosk_id, change_id, form_id, form_version,"
        " language, answers, submitted_at, received_at)"
        " VALUES ('s1', 'K01-00001-X', 'k1', 'c1', 'f', '1', 'en', '{}', 't', 't')"
    )
    assert "2026-11-26a-reviews" in migrate(conn, storage.MIGRATIONS)
    found = submissions.find(conn, "K01-00001-X")
    assert found is not None and found.review == reviews.Review()
    assert reviews.history(conn, "s1") == []
    with pytest.raises(Exception, match="CHECK"):
        conn.execute("UPDATE submissions SET review_state = 'lost'")
