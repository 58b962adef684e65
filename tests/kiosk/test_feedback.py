"""Feedback after the receipt: a face, a comment or both, taken once, stored with its
outbox row in one transaction, and delivered to a real central by the kiosk's own agent."""

from __future__ import annotations

import json
import logging
import sqlite3
import time

import pytest
from starlette.testclient import TestClient

from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk import feedback, submissions
from kiosk.app import create_app
from kiosk.migrations import MIGRATIONS as KIOSK
from kiosk.settings import KioskSettings
from sync import identity, outbox, protocol
from sync.central import fleet, staff, storage
from sync.database import connect, migrate
from sync.settings import CentralSettings
from tests import staff as staff_member
from tests.citizen import complete, csrf_token
from tests.sync.conftest import LiveServer

DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
HTMX = {"HX-Request": "true", "HX-Target": "#feedback", "HX-Request-Type": "partial"}
MIGRATION = "2026-11-24-feedback"


def _receipt(client) -> tuple[str, str]:
    """A citizen sends the pension-support form; their reference and a CSRF token."""
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    page = client.get(f"/receipts/{ref}")
    return ref, csrf_token(page.text)


def _give(client, ref: str, token: str, headers=None, **fields):
    client.follow_redirects = False
    return client.post(
        f"/receipts/{ref}/feedback", data={"csrftoken": token, **fields}, headers=headers or {}
    )


def _rows(client) -> list[dict]:
    rows = client.app.state.db.execute("SELECT * FROM feedback").fetchall()
    return [dict(row) for row in rows]


def _queued(client) -> list[dict]:
    rows = client.app.state.db.execute(
        "SELECT id, payload FROM outbox WHERE kind = 'feedback.create' ORDER BY seq"
    ).fetchall()
    return [{"change_id": row["id"], **json.loads(row["payload"])} for row in rows]


def test_the_receipt_offers_five_faces_with_words_and_a_comment_box(client):
    ref, _ = _receipt(client)
    page = client.get(f"/receipts/{ref}").text
    assert "How was it? (optional)" in page and "Anything you want to tell us?" in page
    for rating, words in feedback.FACES.items():
        assert (
            f'<input class="faces__input" id="rating-{rating}" name="rating" type="radio"' in page
        )
        assert f'src="/static/faces/{rating}.svg" width="64" height="64" alt=""' in page
        assert f">{words}</span>" in page
    assert 'maxlength="2000"' in page and page.index('id="feedback"') < page.index('"/finish"')
    for rating in feedback.FACES:
        face = client.get(f"/static/faces/{rating}.svg")
        assert face.headers["content-type"].startswith("image/svg+xml")
        assert face.text.startswith("<svg") and "<script" not in face.text


@pytest.mark.parametrize(
    ("fields", "rating", "comment"),
    [
        ({"rating": "4"}, 4, ""),
        ({"comment": "  The queue was long.\r\nThe screen was clear.  "}, None, None),
        ({"rating": "1", "comment": "Too many questions"}, 1, "Too many questions"),
    ],
    ids=["face only", "comment only", "both"],
)
def test_feedback_is_stored_and_queued_in_one_go(client, fields, rating, comment):
    ref, token = _receipt(client)
    response = _give(client, ref, token, **fields)
    assert response.status_code == 303
    assert response.headers["location"] == f"/receipts/{ref}#feedback"
    comment = "The queue was long.\nThe screen was clear." if comment is None else comment
    (row,) = _rows(client)
    assert (row["reference"], row["form_id"], row["language"]) == (ref, "pension-support", "en")
    assert (row["rating"], row["comment"]) == (rating, comment)
    (queued,) = _queued(client)
    assert queued.pop("change_id") == row["change_id"]
    assert ("rating" in queued) is (rating is not None), "no face: no rating key at all"
    payload = protocol.FeedbackPayload.model_validate(queued)
    submission = client.app.state.db.execute(
        "SELECT id FROM submissions WHERE reference = ?", (ref,)
    ).fetchone()
    assert payload.submission_id == row["submission_id"] == submission["id"]
    assert payload.id == row["id"] and payload.given_at == row["given_at"]
    assert (payload.rating, payload.comment) == (rating, comment)
    receipt = client.get(f"/receipts/{ref}").text
    assert "Thank you for your feedback" in receipt and 'name="rating"' not in receipt


def test_nothing_chosen_is_a_422_with_an_error_summary(client):
    ref, token = _receipt(client)
    response = _give(client, ref, token, comment="   ")
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text
    assert '<a href="#rating-1">Choose a face or write a comment</a>' in response.text
    assert response.text.count("<title>Error:") == 1
    assert (
        'aria-invalid="true"' in response.text and "Your answers have been saved" in response.text
    )
    assert _rows(client) == [] and _queued(client) == []


def test_a_comment_too_long_is_a_422_that_keeps_what_was_given(client):
    ref, token = _receipt(client)
    long = "x" * (protocol.MAX_COMMENT + 1)
    response = _give(client, ref, token, rating="2", comment=long)
    assert response.status_code == 422
    assert "Your comment must be 2,000 characters or fewer" in response.text
    assert f">{long}</textarea>" in response.text
    assert 'value="2" checked' in response.text
    assert _rows(client) == [] and _queued(client) == []
    exactly = _give(client, ref, token, comment="y" * protocol.MAX_COMMENT)
    assert exactly.status_code == 303 and len(_rows(client)[0]["comment"]) == protocol.MAX_COMMENT


def test_the_error_is_in_the_citizens_language(client):
    ref, token = _receipt(client)
    client.post("/language", data={"csrftoken": token, "language": "fr", "next": "/"})
    response = _give(client, ref, token, rating="9")
    assert response.status_code == 422
    assert "Choisissez un visage ou écrivez un commentaire" in response.text
    assert '<html lang="fr"' in response.text


def test_with_htmx_only_the_feedback_section_comes_back(client):
    ref, token = _receipt(client)
    wrong = _give(client, ref, token, headers=HTMX)
    assert wrong.status_code == 422 and "<html" not in wrong.text
    assert 'class="error-summary"' in wrong.text and "<title>Error:" in wrong.text
    assert 'hx-target="#feedback"' in wrong.text and "Finish" not in wrong.text
    thanks = _give(client, ref, token, headers=HTMX, rating="5")
    assert thanks.status_code == 200 and "<html" not in thanks.text
    assert "Thank you for your feedback" in thanks.text and "<form" not in thanks.text
    assert 'id="feedback-title"' in thanks.text


def test_feedback_is_given_once(client):
    ref, token = _receipt(client)
    assert _give(client, ref, token, rating="3").status_code == 303
    again = _give(client, ref, token, rating="5", comment="Changed my mind")
    assert again.status_code == 303
    empty = _give(client, ref, token, headers=HTMX)
    assert empty.status_code == 200 and "Thank you for your feedback" in empty.text
    assert [(row["rating"], row["comment"]) for row in _rows(client)] == [(3, "")]
    assert len(_queued(client)) == 1


def test_only_the_session_that_sent_it_can_give_feedback(client):
    ref, token = _receipt(client)
    client.cookies.clear()
    page = client.get("/")  # someone else at the kiosk, with a session of their own
    response = _give(client, ref, csrf_token(page.text), rating="1", comment="Bad")
    assert response.status_code == 404
    assert _rows(client) == [] and _queued(client) == []


def test_feedback_needs_the_csrf_token(client):
    ref, _ = _receipt(client)
    client.follow_redirects = False
    response = client.post(f"/receipts/{ref}/feedback", data={"rating": "4"})
    assert response.status_code == 403
    assert _rows(client) == [] and _queued(client) == []


def test_feedback_and_its_outbox_row_commit_together_or_not_at_all(client):
    ref, _ = _receipt(client)
    db = client.app.state.db
    submission = submissions.find(db, ref)
    db.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON feedback"
        " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        feedback.give(db, submission, "en", 4, "")
    assert _queued(client) == [] and not db.in_transaction
    db.execute("DROP TRIGGER refuse")
    given = feedback.give(db, submission, "en", 4, "")
    assert [row["change_id"] for row in _queued(client)] == [given.change_id]


def test_feedback_stays_when_the_session_is_wiped(client):
    ref, token = _receipt(client)
    _give(client, ref, token, rating="4", comment="Kind staff")
    assert client.post("/finish", data={"csrftoken": token}).status_code == 303
    assert client.app.state.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    assert [(row["reference"], row["comment"]) for row in _rows(client)] == [(ref, "Kind staff")]
    assert client.get(f"/receipts/{ref}").status_code == 404


def test_the_migration_upgrades_a_kiosk_database_of_the_previous_shape(tmp_path):
    names = [migration.name for migration in KIOSK]
    mine = names.index(MIGRATION)
    db = connect(tmp_path / "kiosk.db")
    migrate(db, [*outbox.MIGRATIONS, *KIOSK[:mine]])
    db.execute(
        "INSERT INTO submissions (id, reference, change_id, form_id, form_version, language,"
        " answers, submitted_at) VALUES ('s1', 'K01-00001-X', 'c1', 'f', '1', 'en', '{}', 'now')"
    )
    assert migrate(db, [*outbox.MIGRATIONS, *KIOSK[: mine + 1]]) == [MIGRATION]
    assert db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 0
    assert db.execute("SELECT reference FROM submissions").fetchone()[0] == "K01-00001-X"
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO feedback VALUES ('f1', 'c2', 'nope', 'K01-00001-X', 'f', 'en', 3, '', 't')"
        )


@pytest.fixture
def synced(tmp_path):
    """A kiosk with its agent running, enrolled at a central live on a loopback port. The
    agent waits ten minutes between drains unless kicked, so what arrives was kicked."""
    central = LiveServer(CentralSettings(data=tmp_path / "central")).start()
    _, code = fleet.add_kiosk(central.settings.data, "Library", 1)
    identity.enroll(tmp_path / "kiosk", central.url, code)
    settings = KioskSettings(
        data=tmp_path / "kiosk", sync_interval=600, retry_initial=0.05, retry_max=0.2
    )
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client, central
    central.stop()


def _at_central(central, reference: str) -> list[dict]:
    conn = storage.open_database(central.settings.data)
    try:
        for _ in range(100):
            rows = conn.execute("SELECT * FROM feedback WHERE reference = ?", (reference,))
            found = [dict(row) for row in rows]
            if found:
                return found
            time.sleep(0.1)
    finally:
        conn.close()
    return []


def test_the_agent_delivers_feedback_to_central(synced, caplog):
    caplog.set_level(logging.DEBUG)
    client, central = synced
    ref, token = _receipt(client)
    comment = "<script>alert('hi')</script> Merci"
    assert _give(client, ref, token, rating="4", comment=comment).status_code == 303
    (row,) = _at_central(central, ref)
    (mine,) = _rows(client)
    assert (row["id"], row["submission_id"], row["change_id"]) == (
        mine["id"],
        mine["submission_id"],
        mine["change_id"],
    )
    assert (row["form_id"], row["rating"], row["comment"]) == ("pension-support", 4, comment)
    staff.add_user(central.settings.data, staff_member.EMAIL, staff_member.PASSWORD, "reviewer")
    with staff_member.signed_in(central.url) as browser:
        detail = browser.get(f"/submissions/{ref}").text
        api = browser.get(f"/api/v1/submissions/{ref}").json()
    assert "Citizen feedback" in detail and "Good (4 of 5)" in detail
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; Merci" in detail
    assert "<script>alert" not in detail
    assert [(f["rating"], f["comment"]) for f in api["feedback"]] == [(4, comment)]
    assert "Merci" not in caplog.text, "a comment is personal data: never logged"
