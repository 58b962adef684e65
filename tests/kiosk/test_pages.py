"""The citizen's journey through the kiosk's routes, in process, against a real SQLite file."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import date

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.pages import pages
from hardware.speech.text import cleaned
from tests.citizen import complete, csrf_token, valid_answer

DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
HTMX = {"HX-Request": "true", "HX-Target": "main#main", "HX-Request-Type": "partial"}


def _first(client, form_id="birth-certificate"):
    page = client.get(f"/forms/{form_id}")
    return client.post(f"/forms/{form_id}/start", data={"csrftoken": csrf_token(page.text)})


def test_home_lists_every_service(client):
    page = client.get("/")
    assert page.status_code == 200
    for definition in DEFINITIONS.values():
        assert f'href="/forms/{definition.id}"' in page.text
        assert definition.title.get("en", definition.default_language) in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert "<script>" not in page.text and " style=" not in page.text


def test_scripts_and_styles_carry_only_the_headers_that_govern_them(client):
    """A script or stylesheet is never a document: nosniff and no referrer, but no CSP or
    frame rules (0.4 KB each on the first load). An SVG can be opened as a page: full set."""
    for asset in ("/static/kiosk.js", "/static/kiosk.css"):
        response = client.get(asset)
        assert response.status_code == 200
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "content-security-policy" not in response.headers
        assert "x-frame-options" not in response.headers
    face = client.get("/static/faces/1.svg")
    assert face.status_code == 200
    assert face.headers["content-security-policy"].startswith("default-src 'self'")
    assert face.headers["x-frame-options"] == "DENY"


def test_a_whole_form_is_stored_with_its_outbox_row(client, settings):
    definition = DEFINITIONS["birth-certificate"]
    client.follow_redirects = True
    ref = complete(client, definition)
    assert ref.startswith("K01-")
    db = sqlite3.connect(settings.data / "kiosk.db")
    row = db.execute("SELECT id, answers, change_id FROM submissions WHERE reference = ?", (ref,))
    submission_id, answers, change_id = row.fetchone()
    assert set(json.loads(answers)) == {field.name for field in definition.all_fields()}
    payload = db.execute("SELECT payload FROM outbox WHERE id = ?", (change_id,)).fetchone()
    assert json.loads(payload[0])["id"] == submission_id
    assert db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_the_first_question_shows_progress_and_a_back_link(client):
    page = client.get(_first(client).url.path)
    total = len(pages(DEFINITIONS["birth-certificate"], {}, date.today()))
    assert f"Question 1 of {total}" in page.text
    assert 'href="/forms/birth-certificate"' in page.text


def test_a_wrong_answer_gets_an_error_summary_and_keeps_what_was_typed(client):
    definition = DEFINITIONS["pension-support"]
    page = _first(client, definition.id)
    url = f"/forms/{definition.id}/questions/monthly_income"
    response = client.post(url, data={"csrftoken": csrf_token(page.text), "answer": "lots"})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text
    assert "Enter a number, like 12.50" in response.text
    assert 'value="lots"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert response.text.count("<title>Error:") == 1


def test_an_answer_that_breaks_the_forms_constraint_gets_its_message_in_the_language(client):
    page = _first(client, "pension-support")
    token = csrf_token(page.text)
    base = "/forms/pension-support/questions"
    client.post(f"{base}/payment_method", data={"csrftoken": token, "answer": "bank"})
    response = client.post(f"{base}/account_number", data={"csrftoken": token, "answer": "123"})
    assert response.status_code == 422
    assert "Enter the whole number: it has at least 6 characters" in response.text
    assert 'value="123"' in response.text
    client.post("/language", data={"csrftoken": token, "language": "fr"})
    response = client.post(f"{base}/account_number", data={"csrftoken": token, "answer": "12"})
    assert response.status_code == 422
    assert "il a au moins 6 caractères" in response.text
    assert '<span lang="' not in response.text.split('class="error-summary"')[1].split("</div>")[0]
    # the form has no Swahili: its message comes in English, marked so (WCAG 3.1.2)
    client.post("/language", data={"csrftoken": token, "language": "sw"})
    response = client.post(f"{base}/account_number", data={"csrftoken": token, "answer": "1"})
    assert response.status_code == 422 and '<html lang="sw"' in response.text
    marked = '<span lang="en" dir="ltr">Enter the whole number: it has at least 6 characters'
    assert response.text.count(marked) == 2  # in the error summary and under the field
    accepted = client.post(f"{base}/account_number", data={"csrftoken": token, "answer": "123456"})
    assert accepted.status_code in (200, 303)


def test_htmx_gets_only_the_question_area(client):
    page = _first(client)
    fragment = client.get(page.url.path, headers=HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<title>" in fragment.text
    assert 'class="question__heading"' in fragment.text
    restore = client.get(page.url.path, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_htmx_answer_answers_with_the_next_fragment(client):
    definition = DEFINITIONS["birth-certificate"]
    page = _first(client, definition.id)
    first = definition.fields[0]
    response = client.post(
        page.url.path,
        data={"csrftoken": csrf_token(page.text), **valid_answer(first)},
        headers=HTMX,
    )
    assert response.status_code == 200 and not response.history
    next_url = f"/forms/{definition.id}/questions/{definition.fields[1].name}"
    assert response.headers["hx-push-url"] == next_url
    assert "<html" not in response.text
    assert "Question 2 of" in response.text


def test_a_post_without_the_csrf_token_is_refused(client):
    _first(client)
    response = client.post("/forms/birth-certificate/start", data={"nothing": "here"})
    assert response.status_code == 403
    assert "open for too long" in response.text


def test_unknown_form_and_question_are_404_pages(client):
    assert client.get("/forms/no-such-form").status_code == 404
    _first(client)
    missing = client.get("/forms/birth-certificate/questions/no_such_question")
    assert missing.status_code == 404
    assert "no question" in missing.text


def test_an_oversized_body_is_refused_with_413(client, settings):
    page = _first(client)
    big = "x" * (settings.max_body + 1)
    response = client.post(page.url.path, data={"csrftoken": csrf_token(page.text), "answer": big})
    assert response.status_code == 413
    assert "too large" in response.text


def test_questions_without_a_draft_go_back_to_the_start_page(client):
    client.follow_redirects = False
    first = DEFINITIONS["birth-certificate"].fields[0].name
    response = client.get(f"/forms/birth-certificate/questions/{first}")
    assert response.status_code == 303
    assert response.headers["location"] == "/forms/birth-certificate"


def test_a_receipt_is_only_shown_to_the_session_that_submitted(client, settings):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    assert client.get(f"/receipts/{ref}").status_code == 200
    client.cookies.clear()
    assert client.get(f"/receipts/{ref}").status_code == 404


def test_submitting_with_a_missing_answer_returns_to_check_with_errors(client):
    definition = DEFINITIONS["birth-certificate"]
    page = _first(client, definition.id)
    response = client.post(
        f"/forms/{definition.id}/submit", data={"csrftoken": csrf_token(page.text)}
    )
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text


def test_healthz_reports_the_outbox(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["outbox"]["pending"] == 0
    assert body["kiosk"] == "K01"


def test_the_status_page_finds_a_reference_however_it_is_typed(client):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    client.cookies.clear()  # another citizen, later, with only the receipt
    typed = ref.lower().replace("-", " ")
    page = client.get("/status", params={"reference": typed})
    assert page.status_code == 200
    assert ref in page.text
    assert DEFINITIONS["pension-support"].title.get("en", "en") in page.text
    assert "Saved at this kiosk" in page.text
    assert "Amina" not in page.text, "the status page never shows answers"


def test_the_status_page_explains_a_mistyped_reference(client):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    wrong = ref[:-1] + ("A" if ref[-1] != "A" else "B")
    page = client.get("/status", params={"reference": wrong})
    assert page.status_code == 422
    assert 'class="error-summary"' in page.text and "looks like K01-00042-X" in page.text
    unknown = client.get("/status", params={"reference": "K09-00001-" + ref[-1]})
    assert unknown.status_code == 422


def test_a_printed_receipt_lands_in_the_simulated_spool(client, settings):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["birth-certificate"])
    spool = settings.data / "printer"
    assert (spool / f"{ref}.png").stat().st_size > 1000
    assert ref.encode() in (spool / f"{ref}.bin").read_bytes()
    assert "Your receipt is printing" in client.get(f"/receipts/{ref}").text


def test_a_question_its_hint_and_each_choice_can_be_heard(client):
    page = _first(client)
    base = f"{page.url.path}/audio?slot=0"
    for part in ("part=label", "part=hint", "part=choice&amp;value=my_child"):
        assert f'href="{base}&amp;{part}"' in page.text
    definition = DEFINITIONS["birth-certificate"]
    field = pages(definition, {}, date.today())[0].slots[0].field
    me = {choice.value: choice.label for choice in definition.choices(field)}["me"]
    spoken = client.app.state.devices.speech.fallback.backend.spoken  # simulated, cached
    bodies = {}
    for part, extra, text in [
        ("label", {}, field.label),
        ("hint", {}, field.hint),
        ("choice", {"value": "me"}, me),
    ]:
        heard = client.get(f"{page.url.path}/audio", params={"slot": "0", "part": part, **extra})
        assert heard.status_code == 200 and heard.headers["content-type"].startswith("audio/")
        assert spoken[-1] == (cleaned(text.get("en", definition.default_language)), "en"), part
        bodies[part] = heard.content
    assert len(spoken) == 3 and len(set(bodies.values())) == 3, "each part says its own words"
    assert (
        client.get(f"{page.url.path}/audio", params={"part": "choice", "value": "x"}).status_code
        == 404
    )
    audio = client.get(page.url.path + "/audio")
    assert audio.status_code == 200
    assert audio.headers["content-type"].startswith("audio/")
    assert len(audio.content) > 1000
    again = client.get(page.url.path + "/audio")
    assert again.content == audio.content, "the second request comes from the cache"
    assert len(spoken) == 3, "the label was not synthesised again"
    assert client.get(page.url.path + "/audio", params={"part": "nonsense"}).status_code == 404


def test_speech_that_fails_is_a_clear_503_not_a_crash(settings):
    from starlette.testclient import TestClient

    from kiosk.app import create_app

    broken = settings.model_copy(update={"speech": "simulated?fault=offline&cache=off"})
    with TestClient(create_app(broken)) as client:
        page = _first(client)
        audio = client.get(page.url.path + "/audio")
    assert audio.status_code == 503
    assert "Reading aloud is not working" in audio.text


def test_a_code_from_a_serial_scanner_opens_its_status(settings):
    from starlette.testclient import TestClient

    from kiosk.app import create_app

    with TestClient(create_app(settings.model_copy(update={"scanner": "simulated"}))) as client:
        page = client.get("/status")
        assert 'hx-get="/status/scanned?after=0"' in page.text
        assert client.get("/status/scanned?after=0").status_code == 204
        client.app.state.devices.scanner.feed("K01-00007-Q")
        for _ in range(40):
            answer = client.get("/status/scanned?after=0")
            if answer.status_code == 200:
                break
            time.sleep(0.05)
        assert answer.headers["hx-redirect"] == "/status?reference=K01-00007-Q"
        assert client.get("/status/scanned?after=1").status_code == 204


def test_a_keyboard_scanner_needs_no_polling(client):
    assert "/status/scanned" not in client.get("/status").text


def test_an_idle_session_is_wiped_even_without_javascript(client, settings):
    page = _first(client)
    old = "2020-01-01T00:00:00.000+00:00"
    client.app.state.db.execute("UPDATE sessions SET seen_at = ?", (old,))
    client.follow_redirects = False
    response = client.get(page.url.path)
    assert (
        response.status_code == 303 and response.headers["location"] == "/forms/birth-certificate"
    )
    assert client.app.state.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0


def test_the_receipt_shows_a_summary_and_a_qr_code_of_the_reference(client):
    client.follow_redirects = True
    ref = complete(client, DEFINITIONS["pension-support"])
    receipt = client.get(f"/receipts/{ref}").text
    assert "Your answers" in receipt and "Amina Okafor" in receipt
    assert f'src="/receipts/{ref}/code.svg"' in receipt
    code = client.get(f"/receipts/{ref}/code.svg")
    assert code.headers["content-type"].startswith("image/svg+xml")
    assert code.text.startswith("<?xml") and f"<title>{ref}</title>" in code.text
    # a full QR code (21, 25, … modules a side), not a Micro QR that phone scanners ignore
    modules = int(re.search(r'width="(\d+)"', code.text)[1]) // 8 - 2 * 2
    assert modules >= 21 and (modules - 21) % 4 == 0
    client.cookies.clear()
    assert client.get(f"/receipts/{ref}/code.svg").status_code == 404


def test_check_page_errors_mark_the_forms_words_with_their_language(client):
    """A Swahili reader of an English-only form: the question in each error line is marked
    English, the kiosk's own sentence after it is Swahili like the page (WCAG 3.1.2)."""
    page = _first(client, "pension-support")
    token = csrf_token(page.text)
    client.post("/language", data={"csrftoken": token, "language": "sw"})
    response = client.post("/forms/pension-support/submit", data={"csrftoken": token})
    assert response.status_code == 422 and '<html lang="sw"' in response.text
    summary = response.text.split('class="error-summary"')[1].split("</div>")[0]
    lines = re.findall(r"<li><a [^>]+>(.*?)</a></li>", summary)
    assert lines
    sentence = locales.translations("sw").gettext("Answer this question to continue")
    for line in lines:
        assert line.startswith('<span lang="en" dir="ltr">'), line
        assert line.count("<span") == 1
    assert any(line.endswith(f"</span>: {sentence}") for line in lines)
