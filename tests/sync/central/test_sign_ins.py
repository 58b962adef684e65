"""Signing in: five wrong passwords in a row pause an email address for 15 minutes, known or
not; every attempt and every sign-out is in the audit log, never a password."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher

from sync.central import audit, sign_ins, staff, storage
from sync.database import transaction
from sync.problems import SIGN_IN_FAILED, SIGN_IN_LOCKED, Problem
from tests.sync.conftest import EMAIL, PASSWORD, csrf_token

WRONG = "not the password at all"


def _attempt(conn, email: str, password: str) -> str:
    """``ok``, or the code of the problem signing in gave."""
    try:
        sign_ins.sign_in(conn, email, password)
    except Problem as problem:
        return problem.kind.code
    return "ok"


def _unlock(conn) -> None:
    """As if the 15 minutes had passed."""
    with transaction(conn):
        conn.execute("UPDATE sign_in_failures SET locked_until = '2000-01-01T00:00:00.000Z'")


@pytest.fixture(autouse=True)
def quick_argon2(monkeypatch):
    """Argon2 still, at its cheapest: these tests count attempts, not hashing cost."""
    quick = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(staff, "_hasher", quick)
    monkeypatch.setattr(staff, "_DUMMY_HASH", quick.hash("not anyone's password"))


@pytest.fixture
def user(central_db):
    return staff.create(central_db, EMAIL, PASSWORD, "reviewer")


def test_five_wrong_passwords_pause_the_address_even_for_the_right_one(central_db, user):
    codes = [_attempt(central_db, EMAIL, WRONG) for _ in range(sign_ins.LOCK_AFTER)]
    assert codes == [SIGN_IN_FAILED.code] * sign_ins.LOCK_AFTER
    assert _attempt(central_db, EMAIL, PASSWORD) == SIGN_IN_LOCKED.code
    assert _attempt(central_db, EMAIL.upper() + " ", PASSWORD) == SIGN_IN_LOCKED.code
    _unlock(central_db)
    assert _attempt(central_db, EMAIL, PASSWORD) == "ok"
    assert central_db.execute("SELECT COUNT(*) FROM sign_in_failures").fetchone()[0] == 0


def test_the_lock_lasts_fifteen_minutes_and_says_until_when(central_db, user):
    for _ in range(sign_ins.LOCK_AFTER):
        _attempt(central_db, EMAIL, WRONG)
    until = central_db.execute("SELECT locked_until FROM sign_in_failures").fetchone()[0]
    with pytest.raises(Problem) as refused:
        sign_ins.sign_in(central_db, EMAIL, PASSWORD)
    minutes = (
        sign_ins.clock.parse(until) - sign_ins.clock.parse(sign_ins.clock.now())
    ).total_seconds() / 60
    assert sign_ins.LOCK_MINUTES - 1 < minutes <= sign_ins.LOCK_MINUTES
    assert refused.value.status == 429 and refused.value.details["until"].endswith(" UTC")


def test_a_right_password_starts_the_count_again(central_db, user):
    for _ in range(sign_ins.LOCK_AFTER - 1):
        _attempt(central_db, EMAIL, WRONG)
    assert _attempt(central_db, EMAIL, PASSWORD) == "ok"
    codes = [_attempt(central_db, EMAIL, WRONG) for _ in range(sign_ins.LOCK_AFTER - 1)]
    assert SIGN_IN_LOCKED.code not in codes
    assert _attempt(central_db, EMAIL, PASSWORD) == "ok"


def test_an_unknown_address_is_paused_exactly_like_a_known_one(central_db):
    stranger = "nobody@example.org"
    codes = [_attempt(central_db, stranger, WRONG) for _ in range(sign_ins.LOCK_AFTER + 1)]
    assert codes == [SIGN_IN_FAILED.code] * sign_ins.LOCK_AFTER + [SIGN_IN_LOCKED.code]


def test_attempts_at_once_check_no_more_than_five_passwords(central_settings, user):
    found: list[str] = []

    def attempt() -> None:
        conn = storage.open_database(central_settings.data)
        try:
            found.append(_attempt(conn, EMAIL, WRONG))
        finally:
            conn.close()

    threads = [threading.Thread(target=attempt) for _ in range(sign_ins.LOCK_AFTER * 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found.count(SIGN_IN_FAILED.code) == sign_ins.LOCK_AFTER
    assert found.count(SIGN_IN_LOCKED.code) == sign_ins.LOCK_AFTER


def test_every_attempt_is_audited_without_the_password(central_db, user):
    _attempt(central_db, EMAIL, WRONG)
    _attempt(central_db, EMAIL, PASSWORD)
    for _ in range(sign_ins.LOCK_AFTER):
        _attempt(central_db, EMAIL, WRONG)
    _attempt(central_db, EMAIL, PASSWORD)
    sign_ins.signed_out(central_db, user)
    entries = list(reversed(audit.newest(central_db, 50)))
    assert [(e.action, e.actor, e.target) for e in entries[:2]] == [
        ("sign_in.failed", "anonymous", EMAIL),
        ("sign_in", f"staff:{user.id}", EMAIL),
    ]
    assert [e.action for e in entries[2:]] == [
        *["sign_in.failed"] * sign_ins.LOCK_AFTER,
        "sign_in.refused",
        "sign_out",
    ]
    dump = "\n".join(central_db.iterdump())
    assert PASSWORD not in dump and WRONG not in dump


def test_the_sign_in_page_says_the_address_is_paused(client, central_settings):
    staff.add_user(central_settings.data, EMAIL, PASSWORD, "reviewer")
    for password in [WRONG] * sign_ins.LOCK_AFTER + [PASSWORD]:
        page = client.get("/sign-in")
        data = {"csrftoken": csrf_token(page.text), "email": EMAIL, "password": password}
        response = client.post("/sign-in", data=data, follow_redirects=False)
    assert response.status_code == 429
    assert "paused after too many wrong passwords" in response.text
    assert 'value="reviewer@example.org"' in response.text and PASSWORD not in response.text
    assert client.get("/submissions", follow_redirects=False).status_code == 303


def test_signing_out_is_audited(staff_client, central_db):
    token = csrf_token(staff_client.get("/submissions").text)
    staff_client.post("/sign-out", data={"csrftoken": token})
    actions = [entry.action for entry in audit.newest(central_db, 10)]
    assert actions[:2] == ["sign_out", "sign_in"]
