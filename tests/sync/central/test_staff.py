from __future__ import annotations

import pytest

from sync.central import staff
from sync.problems import Problem


def test_add_user_and_authenticate(central_settings, central_db):
    user = staff.add_user(
        central_settings.data, "Admin@Example.org", "a long enough secret", "admin"
    )
    assert user.role == "admin"
    stored = central_db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert stored.startswith("$argon2id$") and "secret" not in stored
    assert staff.authenticate(central_db, "admin@example.org", "a long enough secret") == user
    with pytest.raises(Problem, match="sign_in_failed"):
        staff.authenticate(central_db, "admin@example.org", "wrong")
    with pytest.raises(Problem, match="sign_in_failed"):
        staff.authenticate(central_db, "nobody@example.org", "a long enough secret")


@pytest.mark.parametrize(
    ("email", "password", "role", "code"),
    [
        ("not-an-email", "a long enough secret", "admin", "user_invalid"),
        ("a@example.org", "short", "admin", "user_invalid"),
        ("a@example.org", "a long enough secret", "owner", "user_invalid"),
    ],
)
def test_add_user_refuses_bad_input(central_settings, email, password, role, code):
    with pytest.raises(Problem) as raised:
        staff.add_user(central_settings.data, email, password, role)
    assert raised.value.kind.code == code


def test_emails_are_unique_whatever_the_case(central_settings):
    staff.add_user(central_settings.data, "a@example.org", "a long enough secret", "reviewer")
    with pytest.raises(Problem) as raised:
        staff.add_user(central_settings.data, "A@example.org", "a long enough secret", "reviewer")
    assert raised.value.kind.code == "user_exists"
