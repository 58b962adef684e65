"""Assisted access: a community worker's PIN sign-in, the banner, consent, and the
assistance recorded on the submission. In process, against a real SQLite file."""

from __future__ import annotations

import hashlib
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient
from uuid6 import uuid7

from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk import workers
from kiosk.app import create_app
from kiosk.cli import main
from kiosk.migrations import open_database
from sync import clock
from tests.citizen import complete, csrf_token, fill_in, valid_answer

DEFINITIONS = load_directory(DEFAULT_DIRECTORY)
FORM = DEFINITIONS["pension-support"]
PIN = "4826"
NAME = "Grace Wanjiru"
CONSENT = {"consent": "yes"}


@pytest.fixture
def worker(client):
    return workers.add(client.app.state.db, NAME, PIN)


def _sign_in(client, worker_id: str, pin: str = PIN):
    page = client.get("/assist")
    data = {"csrftoken": csrf_token(page.text), "worker": worker_id, "pin": pin}
    return client.post("/assist", data=data)


def _post(client, path: str, **data: str):
    token = csrf_token(client.get("/").text)
    return client.post(path, data={"csrftoken": token, **data})


def _count(client, table: str) -> int:
    return client.app.state.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _payloads(client) -> list[dict]:
    rows = client.app.state.db.execute("SELECT payload FROM outbox ORDER BY seq")
    return [json.loads(row[0]) for row in rows]


def _to_check(client, definition=FORM) -> str:
    """Answer every question and stop at check your answers; returns that page."""
    return fill_in(client, definition).text


def test_the_pin_is_kept_only_as_an_argon2_hash(client, worker):
    row = client.app.state.db.execute("SELECT * FROM workers").fetchone()
    assert row["pin_hash"].startswith("$argon2id$")
    assert all(PIN not in str(value) for value in tuple(row))
    assert (row["name"], row["failed_tries"], row["locked_until"]) == (NAME, 0, None)


def test_the_right_pin_signs_in_and_every_page_names_the_worker(client, worker):
    home = client.get("/")
    assert 'href="/assist"' in home.text and "Assisted by" not in home.text
    response = _sign_in(client, worker.id)
    assert response.status_code == 200 and response.url.path == "/"
    assert f"Assisted by {NAME}" in response.text
    assert 'href="/assist"' not in response.text
    assert "Next citizen" in response.text and "Sign out" in response.text
    assert f"Assisted by {NAME}" in client.get("/status").text
    cookie = client.cookies.get(workers.COOKIE)
    stored = client.app.state.db.execute("SELECT id FROM worker_sessions").fetchall()
    assert [row[0] for row in stored] == [hashlib.sha256(cookie.encode()).hexdigest()]


def test_the_worker_cookie_is_its_own_httponly_strict_cookie(client, worker):
    client.follow_redirects = False
    response = _sign_in(client, worker.id)
    assert response.status_code == 303 and response.headers["location"] == "/"
    set_cookie = response.headers["set-cookie"].lower()
    assert set_cookie.startswith(workers.COOKIE + "=")
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie
    assert "fieldkiosk_session" not in set_cookie


def test_the_sign_in_page_lists_workers_with_big_numeric_pin_input(client, worker):
    workers.add(client.app.state.db, "Amina Diallo", "50731")
    page = client.get("/assist").text
    assert page.index("Amina Diallo") < page.index(NAME), "listed by name"
    assert f'value="{worker.id}"' in page
    assert 'inputmode="numeric"' in page and 'autocomplete="off"' in page
    assert 'type="password"' in page


def test_no_workers_yet_says_so(client):
    page = client.get("/assist")
    assert page.status_code == 200 and "No community workers" in page.text
    assert 'name="pin"' not in page.text


def test_a_wrong_pin_says_so_without_keeping_it(client, worker):
    response = _sign_in(client, worker.id, "9999")
    assert response.status_code == 401
    assert "That name and PIN do not match" in response.text
    assert 'class="error-summary"' in response.text and 'href="#pin"' in response.text
    assert 'value="9999"' not in response.text
    assert f'value="{worker.id}" checked' in response.text
    assert client.cookies.get(workers.COOKIE) is None


def test_an_unknown_worker_is_refused_like_a_wrong_pin(client, worker):
    response = _sign_in(client, str(uuid7()), PIN)
    assert response.status_code == 401
    assert "That name and PIN do not match" in response.text


def test_a_missing_name_and_pin_are_both_named(client, worker):
    page = client.get("/assist")
    response = client.post("/assist", data={"csrftoken": csrf_token(page.text)})
    assert response.status_code == 422
    assert 'href="#worker"' in response.text and "Choose your name" in response.text
    assert 'href="#pin"' in response.text and "Enter your PIN" in response.text
    assert response.text.count("<title>Error:") == 1


def test_five_wrong_pins_lock_the_sign_in_until_the_lock_passes(client, worker):
    for _ in range(workers.MAX_TRIES - 1):
        assert _sign_in(client, worker.id, "1357").status_code == 401
    locked = _sign_in(client, worker.id, "1357")
    assert locked.status_code == 429
    assert "Too many wrong PINs. Try again in 15 minutes." in locked.text
    assert locked.headers["retry-after"] == str(15 * 60)
    right = _sign_in(client, worker.id, PIN)
    assert right.status_code == 429, "the right PIN too, until the lock passes"
    assert client.cookies.get(workers.COOKIE) is None
    db = client.app.state.db
    db.execute("UPDATE workers SET locked_until = '2020-01-01T00:00:00.000Z'")
    assert _sign_in(client, worker.id, PIN).status_code == 200
    assert f"Assisted by {NAME}" in client.get("/").text
    row = db.execute("SELECT failed_tries, locked_until FROM workers").fetchone()
    assert tuple(row) == (0, None)


def test_the_lock_lasts_as_long_as_the_setting_says(settings):
    with TestClient(create_app(settings.model_copy(update={"assist_lock_minutes": 1}))) as client:
        worker = workers.add(client.app.state.db, NAME, PIN)
        tries = workers.MAX_TRIES - 1
        client.app.state.db.execute("UPDATE workers SET failed_tries = ?", (tries,))
        response = _sign_in(client, worker.id, "1357")
        assert response.status_code == 429
        assert "Try again in 1 minute." in response.text
        locked_until = client.app.state.db.execute("SELECT locked_until FROM workers").fetchone()
        left = clock.parse(locked_until[0]) - datetime.now(UTC)
        assert timedelta(seconds=50) < left <= timedelta(minutes=1)


def test_the_sign_in_post_needs_the_csrf_token(client, worker):
    client.get("/assist")  # the browser holds a CSRF cookie
    response = client.post("/assist", data={"worker": worker.id, "pin": PIN})
    assert response.status_code == 403
    assert _count(client, "worker_sessions") == 0


def test_the_sign_out_post_needs_the_csrf_token(client, worker):
    assert _sign_in(client, worker.id).status_code == 200
    _to_check(client)  # a citizen's draft under way
    assert _count(client, "worker_sessions") == 1 and _count(client, "drafts") == 1
    response = client.post("/assist/sign-out", data={"next": f"/forms/{FORM.id}/check"})
    assert response.status_code == 403
    assert _count(client, "worker_sessions") == 1 and _count(client, "drafts") == 1
    assert f"Assisted by {NAME}" in client.get(f"/forms/{FORM.id}/check").text


def test_signed_in_the_sign_in_page_goes_home(client, worker):
    _sign_in(client, worker.id)
    client.follow_redirects = False
    response = client.get("/assist")
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_next_citizen_wipes_the_citizen_and_keeps_the_worker(client, worker):
    _sign_in(client, worker.id)
    page = client.get(f"/forms/{FORM.id}")
    first = client.post(f"/forms/{FORM.id}/start", data={"csrftoken": csrf_token(page.text)})
    field = FORM.fields[0]
    client.post(first.url.path, data={"csrftoken": csrf_token(first.text), **valid_answer(field)})
    assert _count(client, "drafts") == 1
    home = client.get("/").text
    assert 'action="/finish"' in home.split("assist-strip", 1)[1]  # the banner's Next citizen
    response = _post(client, "/finish")
    assert response.url.path == "/"
    assert _count(client, "drafts") == 0 and _count(client, "sessions") == 0
    assert client.cookies.get("fieldkiosk_session") is None
    assert f"Assisted by {NAME}" in response.text


def test_sign_out_goes_back_to_the_same_page_and_the_draft_carries_on(client, worker):
    _sign_in(client, worker.id)
    _to_check(client)
    response = _post(client, "/assist/sign-out", next=f"/forms/{FORM.id}/check")
    assert response.url.path == f"/forms/{FORM.id}/check"
    assert "Assisted by" not in response.text and 'name="consent"' not in response.text
    assert _count(client, "worker_sessions") == 0 and _count(client, "drafts") == 1
    sent = client.post(f"/forms/{FORM.id}/submit", data={"csrftoken": csrf_token(response.text)})
    assert sent.status_code == 200 and sent.url.path.startswith("/receipts/")
    assert "assisted" not in _payloads(client)[0]


def test_sign_out_never_leaves_the_kiosk(client, worker):
    _sign_in(client, worker.id)
    client.follow_redirects = False
    response = _post(client, "/assist/sign-out", next="//evil.example")
    assert response.headers["location"] == "/"


def test_submitting_without_consent_is_422_and_loses_nothing(client, worker):
    _sign_in(client, worker.id)
    check = _to_check(client)
    assert "Your consent" in check
    assert f"I agree that {NAME} helped me fill in this form and saw my answers." in check
    response = client.post(f"/forms/{FORM.id}/submit", data={"csrftoken": csrf_token(check)})
    assert response.status_code == 422
    assert 'class="error-summary"' in response.text and 'href="#consent"' in response.text
    assert "Tick the box to say you agree to this help" in response.text
    assert 'aria-invalid="true"' in response.text
    assert _count(client, "drafts") == 1 and _count(client, "outbox") == 0
    again = client.post(
        f"/forms/{FORM.id}/submit", data={"csrftoken": csrf_token(response.text), **CONSENT}
    )
    assert again.status_code == 200 and again.url.path.startswith("/receipts/")


def test_the_consent_is_asked_and_refused_in_the_citizens_language(client, worker):
    _sign_in(client, worker.id)
    _post(client, "/language", language="fr", next="/")
    check = _to_check(client)
    assert "Votre accord" in check
    response = client.post(f"/forms/{FORM.id}/submit", data={"csrftoken": csrf_token(check)})
    assert response.status_code == 422 and 'lang="fr"' in response.text
    assert "Cochez la case" in response.text


def test_htmx_check_page_asks_for_consent_too(client, worker):
    _sign_in(client, worker.id)
    _to_check(client)
    fragment = client.get(f"/forms/{FORM.id}/check", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and 'name="consent"' in fragment.text
    response = client.post(
        f"/forms/{FORM.id}/submit",
        data={"csrftoken": csrf_token(fragment.text)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422 and response.headers["hx-push-url"] == "false"


def test_an_assisted_submission_records_the_worker_and_the_consent(client, worker, settings):
    _sign_in(client, worker.id)
    _post(client, "/language", language="sw", next="/")
    ref = complete(client, FORM, send=CONSENT)
    [payload] = _payloads(client)
    assisted = payload["assisted"]
    assert assisted["worker_id"] == worker.id and assisted["worker_name"] == NAME
    assert assisted["consent_language"] == "sw" and payload["language"] == "sw"
    assert assisted["consent_given_at"] <= payload["submitted_at"]
    row = client.app.state.db.execute(
        "SELECT assisted FROM submissions WHERE reference = ?", (ref,)
    ).fetchone()
    assert json.loads(row[0]) == assisted


def test_an_unassisted_submission_has_no_assisted_key(client):
    ref = complete(client, FORM)
    [payload] = _payloads(client)
    assert "assisted" not in payload
    row = client.app.state.db.execute(
        "SELECT assisted FROM submissions WHERE reference = ?", (ref,)
    ).fetchone()
    assert row[0] is None


def test_finish_after_the_receipt_keeps_the_worker_signed_in(client, worker):
    _sign_in(client, worker.id)
    complete(client, FORM, send=CONSENT)
    response = _post(client, "/finish")
    assert response.url.path == "/"
    assert _count(client, "sessions") == 0
    assert f"Assisted by {NAME}" in response.text
    complete(client, FORM, send=CONSENT)  # the next citizen, helped by the same worker
    assert [p["assisted"]["worker_id"] for p in _payloads(client)] == [worker.id] * 2


def test_an_idle_worker_is_signed_out(client, worker):
    _sign_in(client, worker.id)
    client.app.state.db.execute("UPDATE worker_sessions SET seen_at = '2020-01-01T00:00:00.000Z'")
    page = client.get("/")
    assert "Assisted by" not in page.text and 'href="/assist"' in page.text
    assert _count(client, "worker_sessions") == 0


def test_a_worker_in_use_stays_signed_in(client, worker, settings):
    _sign_in(client, worker.id)
    minutes = settings.assist_idle_minutes - 1
    client.app.state.db.execute(
        f"UPDATE worker_sessions SET seen_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now',"
        f" '-{minutes} minutes')"
    )
    assert f"Assisted by {NAME}" in client.get("/").text


def _cli(settings, *args: str, pin: str | None = None, monkeypatch=None) -> int:
    if pin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    return main(["kiosk", *args, "--data", str(settings.data)])


def test_add_worker_from_the_command_line(settings, monkeypatch, capsys):
    assert (
        _cli(settings, "add-worker", NAME, "--pin-stdin", pin="58203", monkeypatch=monkeypatch) == 0
    )
    assert f"{NAME} can now sign in" in capsys.readouterr().err
    with TestClient(create_app(settings)) as client:
        [worker] = workers.listed(client.app.state.db)
        assert worker.name == NAME
        assert _sign_in(client, worker.id, "58203").url.path == "/"
        assert f"Assisted by {NAME}" in client.get("/").text


@pytest.mark.parametrize(
    ("pin", "says"),
    [
        ("123", "a PIN is 4 to 8 digits"),
        ("123456789", "a PIN is 4 to 8 digits"),
        ("12a4", "a PIN is 4 to 8 digits"),
        ("", "a PIN is 4 to 8 digits"),
        ("0000", "too easy"),
        ("1234", "too easy"),
        ("98765", "too easy"),
    ],
)
def test_add_worker_refuses_a_weak_pin(settings, monkeypatch, capsys, pin, says):
    assert _cli(settings, "add-worker", NAME, "--pin-stdin", pin=pin, monkeypatch=monkeypatch) == 1
    error = capsys.readouterr().err
    assert "That community worker cannot be added" in error and says in error
    assert workers.listed(open_database(settings.data)) == []


def test_add_worker_asks_twice_and_refuses_two_different_pins(settings, monkeypatch, capsys):
    typed = iter(["58203", "58204"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert _cli(settings, "add-worker", NAME) == 1
    assert "the two PINs differ" in capsys.readouterr().err
    typed = iter(["58203", "58203"])
    assert _cli(settings, "add-worker", NAME) == 0


def test_the_same_name_twice_is_refused_and_remove_worker_signs_out(settings, monkeypatch, capsys):
    assert (
        _cli(settings, "add-worker", NAME, "--pin-stdin", pin="58203", monkeypatch=monkeypatch) == 0
    )
    again = _cli(
        settings, "add-worker", NAME.upper(), "--pin-stdin", pin="61940", monkeypatch=monkeypatch
    )
    assert again == 1
    assert "There is already a community worker called" in capsys.readouterr().err
    with TestClient(create_app(settings)) as client:
        [worker] = workers.listed(client.app.state.db)
        _sign_in(client, worker.id, "58203")
        assert _cli(settings, "remove-worker", NAME) == 0
        assert "Assisted by" not in client.get("/").text
        assert NAME not in client.get("/assist").text
    assert _cli(settings, "remove-worker", NAME) == 1
    assert "There is no community worker called" in capsys.readouterr().err
    assert (
        _cli(settings, "add-worker", NAME, "--pin-stdin", pin="61940", monkeypatch=monkeypatch) == 0
    )


def test_add_worker_needs_a_data_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("58203\n"))
    missing = tmp_path / "nowhere"
    assert main(["kiosk", "add-worker", NAME, "--pin-stdin", "--data", str(missing)]) == 2
    assert "is not a kiosk's data directory" in capsys.readouterr().err
    assert not missing.exists()
