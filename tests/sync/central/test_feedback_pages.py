"""Citizens' feedback on central's staff pages: under its submission, and per form (the
service) with its average rating and latest comments. Changes come from a real outbox."""

from __future__ import annotations

import pytest
from uuid6 import uuid7

from sync import outbox
from sync.database import transaction
from tests.sync.conftest import submission_payload


def _given(kiosk_db, number: int, rating: int | None, comment: str, **submission) -> dict:
    """Queue a submission and the feedback given after its receipt."""
    payload = submission_payload("K01", number, **submission)
    said = {
        "id": str(uuid7()),
        "submission_id": payload["id"],
        "reference": payload["reference"],
        "form_id": payload["form_id"],
        "language": "fr",
        **({} if rating is None else {"rating": rating}),
        "comment": comment,
        "given_at": f"2026-11-21T10:{number:02d}:00.000Z",
    }
    with transaction(kiosk_db):
        outbox.enqueue(kiosk_db, "submission.create", payload)
        outbox.enqueue(kiosk_db, "feedback.create", said)
    return said


def _push(client, kiosk, kiosk_db) -> None:
    changes = outbox.pending(kiosk_db, 100)
    response = kiosk.push(client, [change.to_wire() for change in changes])
    assert response.status_code == 200, response.text
    assert {result["status"] for result in response.json()["results"]} == {"applied"}
    outbox.acknowledge(kiosk_db, response.json()["acked_through"])


@pytest.mark.parametrize("path", ["/feedback", "/feedback?form=birth-certificate"])
def test_the_feedback_page_needs_sign_in(client, path):
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/sign-in?next=/feedback")


def test_a_submission_shows_its_feedback_in_words_and_escaped(staff_client, kiosk, kiosk_db):
    said = _given(kiosk_db, 1, 4, "<script>alert(1)</script>\nTrès bien")
    _push(staff_client, kiosk, kiosk_db)
    page = staff_client.get(f"/submissions/{said['reference']}")
    assert page.status_code == 200
    section = page.text.split("<h2>Citizen feedback</h2>", 1)[1]
    assert "Good (4 of 5)" in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;\nTrès bien" in section
    assert "<script>" not in page.text
    assert 'lang="fr" dir="auto"' in section and "2026-11-21 10:01 UTC" in section


def test_a_submission_without_feedback_says_so(staff_client, kiosk, kiosk_db):
    payload = submission_payload("K01", 1)
    with transaction(kiosk_db):
        outbox.enqueue(kiosk_db, "submission.create", payload)
    _push(staff_client, kiosk, kiosk_db)
    page = staff_client.get(f"/submissions/{payload['reference']}").text
    assert "<h2>Citizen feedback</h2>\n" in page and "<p>No feedback</p>" in page


def test_feedback_with_only_a_comment_has_no_rating(staff_client, kiosk, kiosk_db):
    said = _given(kiosk_db, 1, None, "The printer was slow")
    _push(staff_client, kiosk, kiosk_db)
    page = staff_client.get(f"/submissions/{said['reference']}").text
    assert "No rating" in page and "The printer was slow" in page
    api = staff_client.get(f"/api/v1/submissions/{said['reference']}").json()
    assert [(f["rating"], f["comment"]) for f in api["feedback"]] == [
        (None, "The printer was slow")
    ]


def test_the_feedback_page_shows_each_form_with_its_average(staff_client, kiosk, kiosk_db):
    _given(kiosk_db, 1, 5, "Quick and easy")
    _given(kiosk_db, 2, 2, "")
    _given(kiosk_db, 3, None, "Where do I <b>sign</b>?")
    _given(kiosk_db, 4, 4, "Clear questions", form_id="pension-support")
    _push(staff_client, kiosk, kiosk_db)
    page = staff_client.get("/feedback")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    rows = page.text.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert len(rows) == 2
    assert "(pension-support)" in rows[0] and "4.0 of 5" in rows[0], "newest feedback first"
    assert "(birth-certificate)" in rows[1] and "3.5 of 5" in rows[1]
    assert [cell.split("</td>")[0] for cell in rows[1].split("<td>")[1:3]] == ["3", "2"]
    comments = page.text.split("Comments about Request a copy of a birth certificate", 1)[1]
    comments = comments.split("</section>", 1)[0]
    assert comments.index("Where do I &lt;b&gt;sign&lt;/b&gt;?") < comments.index("Quick and")
    assert "No rating" in comments and "Very good (5 of 5)" in comments
    assert 'href="/submissions/K01-00001-' in comments
    assert 'href="/feedback?form=birth-certificate"' in comments
    assert '<a href="/feedback">Feedback</a>' in page.text, "in the staff navigation"


def test_one_forms_comments_come_page_by_page(staff_client, kiosk, kiosk_db):
    for number in range(1, 4):
        _given(kiosk_db, number, 3, f"Comment number {number}")
    _push(staff_client, kiosk, kiosk_db)
    first = staff_client.get("/feedback?form=birth-certificate&limit=2").text
    assert "Comment number 3" in first and "Comment number 2" in first
    assert "Comment number 1" not in first
    assert 'href="/feedback?form=birth-certificate&amp;offset=2&amp;limit=2" rel="next"' in first
    second = staff_client.get("/feedback?form=birth-certificate&limit=2&offset=2").text
    assert "Comment number 1" in second and 'rel="prev"' in second
    assert staff_client.get("/feedback?form=birth-certificate&limit=0").status_code == 400


def test_the_feedback_page_without_feedback(staff_client):
    assert "No feedback has arrived yet." in staff_client.get("/feedback").text
    page = staff_client.get("/feedback?form=no-such-form").text
    assert "No feedback about this service has arrived yet." in page
