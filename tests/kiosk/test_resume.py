"""Save and come back later: a short code brings a draft back, once, within its days."""

from __future__ import annotations

import re

from tests.citizen import csrf_token

FORM = "birth-certificate"
CODE = re.compile(r'class="reference">([A-Z0-9]{4}-[A-Z0-9]{4})<')


def _saved_code(client):
    page = client.get(f"/forms/{FORM}")
    first = client.post(f"/forms/{FORM}/start", data={"csrftoken": csrf_token(page.text)})
    client.post(first.url.path, data={"csrftoken": csrf_token(first.text), "answer": "my_child"})
    saved = client.post(f"/forms/{FORM}/save", data={"csrftoken": csrf_token(first.text)})
    assert saved.status_code == 200 and 'src="data:image/svg+xml' in saved.text
    return CODE.search(saved.text).group(1)


def test_a_saved_draft_comes_back_with_its_code_once(client):
    code = _saved_code(client)
    assert client.app.state.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
    client.cookies.clear()
    page = client.get("/resume")
    back = client.post("/resume", data={"csrftoken": csrf_token(page.text), "code": code.lower()})
    assert back.url.path == f"/forms/{FORM}/check"
    assert "My child" in back.text
    client.cookies.clear()
    page = client.get("/resume")
    again = client.post("/resume", data={"csrftoken": csrf_token(page.text), "code": code})
    assert again.status_code == 422 and "Check the code" in again.text


def test_an_expired_saved_draft_is_deleted(client):
    _saved_code(client)
    db = client.app.state.db
    db.execute("UPDATE saved_drafts SET expires_at = '2020-01-01T00:00:00.000+00:00'")
    from kiosk.resume import prune

    assert prune(db) == 1
    assert db.execute("SELECT count(*) FROM saved_drafts").fetchone()[0] == 0


def test_the_resume_page_is_in_the_language_chosen_on_the_home_screen(client):
    home = client.get("/")
    client.post("/language", data={"csrftoken": csrf_token(home.text), "language": "ar"})
    page = client.get("/resume")
    assert '<html lang="ar" dir="rtl"' in page.text
    wrong = client.post("/resume", data={"csrftoken": csrf_token(page.text), "code": "NOPE"})
    assert wrong.status_code == 422 and '<html lang="ar" dir="rtl"' in wrong.text
