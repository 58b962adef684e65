"""The office's comment on the status page is in whatever language staff wrote it in: it
takes its direction from its own text (dir="auto"), as central shows it, so an Arabic
comment reads right to left on an English page and an English one left to right on an
Arabic page."""

from __future__ import annotations

import re

import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from sync import inbox, protocol
from tests.citizen import complete, csrf_token

DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
COMMENT = re.compile(r'<dd class="summary__answer status-comment"([^>]*)>([^<]*)</dd>')


def _decide(client, ref: str, comment: str) -> None:
    """The office's decision, pulled from central into the kiosk's inbox."""
    body = {"reference": ref, "state": "has_issues", "comment": comment}
    body["decided_at"] = "2026-11-22T10:00:00.000Z"
    cursor = inbox.position(client.app.state.db)[0] + 1
    item = protocol.FeedItem(cursor=cursor, kind="decision", key=ref, body=body)
    inbox.apply(client.app.state.db, protocol.PullResponse(cursor=cursor, more=False, items=[item]))


def _speak(client, language: str) -> None:
    page = client.get("/language")
    client.post("/language", data={"csrftoken": csrf_token(page.text), "language": language})


@pytest.mark.parametrize(
    ("language", "comment"),
    [("en", "أحضر بطاقة هويتك إلى المكتب."), ("ar", "Bring your ID card to the office.")],
)
def test_the_office_comment_takes_its_own_direction(client, language, comment):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    client.cookies.clear()
    _speak(client, language)
    _decide(client, ref, comment)
    page = client.get("/status", params={"reference": ref})
    assert page.status_code == 200
    assert f'lang="{language}"' in page.text.split(">", 2)[1], "the page is in that language"
    found = COMMENT.search(page.text)
    assert found, "no comment from the office on the page"
    assert 'dir="auto"' in found[1].split()
    assert found[2] == comment
