"""Roles on every route, driven from one table: each staff route's least role.

Walking ``routes()``, every route must be in :data:`ROLES` or :data:`OPEN`, so a route
added without an entry fails here until someone decides who may use it. For each entry:
nobody signed in is sent to sign in (401 for the API), every role below is refused (403,
before the record named in the address is even looked up) and the role itself gets in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from sync import feed_items, protocol
from sync.central import access, staff
from sync.central.app import create_app, routes
from sync.settings import CentralSettings
from tests.sync.central import people
from tests.sync.conftest import enrolled, wire_change

#: The least role for each staff route, as ``METHOD path`` (reviewer < supervisor < admin).
ROLES = {
    "POST /sign-out": "reviewer",
    "GET /submissions": "reviewer",
    "GET /submissions/{reference}": "reviewer",
    "POST /submissions/{reference}/review": "reviewer",
    "GET /feedback": "reviewer",
    "GET /kiosks": "reviewer",
    "POST /kiosks": "admin",
    "POST /kiosks/{code}/new-code": "admin",
    "GET /kiosks/{code}/revoke": "admin",
    "POST /kiosks/{code}/revoke": "admin",
    "GET /conflicts": "supervisor",
    "GET /conflicts/{conflict_id:int}": "supervisor",
    "GET /cases/{case_id}": "supervisor",
    "POST /cases/{case_id}/resolve": "supervisor",
    "GET /duplicates": "supervisor",
    "POST /duplicates/{duplicate_id:int}/merge": "supervisor",
    "POST /duplicates/{duplicate_id:int}/dismiss": "supervisor",
    "GET /audit": "admin",
    "GET /api/v1/submissions": "reviewer",
    "GET /api/v1/submissions/{reference}": "reviewer",
}
#: Routes without a staff session, and why that is safe.
OPEN = {
    "GET /": "only redirects to the inbox",
    "GET /sign-in": "the way in",
    "POST /sign-in": "the way in (CSRF-protected, locked after wrong passwords)",
    "GET /healthz": "says only whether the database answers",
    "GET /static": "the stylesheet",
    f"POST {protocol.ENROLL_PATH}": "kiosks: a one-time enrollment code",
    f"POST {protocol.PUSH_PATH}": "kiosks: bearer token",
    f"POST {protocol.STATUS_PATH}": "kiosks: bearer token",
    f"GET {protocol.STATE_PATH}": "kiosks: bearer token",
    f"GET {feed_items.PULL_PATH}": "kiosks: bearer token",
}
BELOW = {
    role: [r for r in access.RANKS if access.RANKS[r] < rank] for role, rank in access.RANKS.items()
}


def _keys() -> set[str]:
    keys = set()
    for route in routes():
        if isinstance(route, Mount):
            keys.add(f"GET {route.path}")
        elif isinstance(route, Route):
            keys.update(f"{m} {route.path}" for m in (route.methods or {"GET"}) - {"HEAD"})
    return keys


def test_every_route_has_an_entry_and_every_entry_a_route():
    keys = _keys()
    missing = sorted(keys - ROLES.keys() - OPEN.keys())
    assert not missing, f"decide who may use these routes, in ROLES (or OPEN): {missing}"
    stale = sorted((ROLES.keys() | OPEN.keys()) - keys)
    assert not stale, f"these entries name no route: {stale}"
    assert not ROLES.keys() & OPEN.keys()
    assert set(ROLES.values()) <= set(access.RANKS)


@pytest.fixture(scope="module")
def central(tmp_path_factory) -> Iterator[dict[str, Any]]:
    """One central with a submission, a kiosk and a user of every role."""
    settings = CentralSettings(data=tmp_path_factory.mktemp("roles") / "central")
    app = create_app(settings)
    kiosk = enrolled(settings.data)
    change = wire_change(1)
    with TestClient(app) as client:
        assert kiosk.push(client, [change]).status_code == 200
    for role in access.RANKS:
        people.add(settings.data, role)
    real = {"reference": change["payload"]["reference"], "code": kiosk.code}
    cookies = {}
    for role in access.RANKS:  # once each: Argon2 is slow on purpose
        signed_in = people.sign_in(TestClient(app, base_url="http://testserver"), role)
        cookies[role] = dict(signed_in.cookies)
    yield {"app": app, "real": real, "cookies": cookies}


def _client(central: dict[str, Any], role: str | None) -> TestClient:
    """A client of its own, signed in as ``role`` (a copy of that role's cookies)."""
    client = TestClient(central["app"], base_url="http://testserver")
    client.cookies.update(central["cookies"].get(role, {}))
    return client


def _address(path: str, params: dict[str, str]) -> str:
    """``path`` with each ``{name}`` the value in ``params``, or one that names nothing."""

    def value(match: re.Match[str]) -> str:
        return params.get(match.group(1), "999999" if match.group(2) == ":int" else "unknown")

    return re.sub(r"\{(\w+)(:\w+)?\}", value, path)


def _ask(client: TestClient, key: str, params: dict[str, str]) -> Any:
    method, path = key.split(" ", 1)
    address = _address(path, params)
    if method == "GET":
        return client.get(address, follow_redirects=False)
    data = {"csrftoken": people.token(client)}
    return client.request(method, address, data=data, follow_redirects=False)


@pytest.mark.parametrize("key", sorted(ROLES))
def test_nobody_signed_in_is_sent_to_sign_in(central, key):
    response = _ask(_client(central, None), key, {})
    if key.split(" ", 1)[1].startswith("/api/"):
        assert response.status_code == 401 and response.json()["code"] == "sign_in_required"
    else:
        assert response.status_code == 303, response.text
        assert response.headers["location"].startswith(access.SIGN_IN_PATH)


@pytest.mark.parametrize(
    ("key", "role"), [(key, below) for key, role in sorted(ROLES.items()) for below in BELOW[role]]
)
def test_a_role_below_is_refused_before_anything_is_looked_up(central, key, role):
    response = _ask(_client(central, role), key, {})  # the record named does not exist
    assert response.status_code == 403, response.text
    assert "forbidden" in response.text


@pytest.mark.parametrize("key", sorted(ROLES))
def test_the_role_itself_gets_in(central, key):
    response = _ask(_client(central, ROLES[key]), key, central["real"])
    assert response.status_code not in (401, 403), response.text
    assert not response.headers.get("location", "").startswith(access.SIGN_IN_PATH + "?")


@pytest.mark.parametrize("role", list(access.RANKS))
def test_navigation_shows_only_what_the_role_may_open(central, role):
    page = _client(central, role).get("/submissions").text
    nav = page[page.index('<nav class="sections"') : page.index("</nav>")]
    shown = re.findall(r'href="([^"]+)"', nav)
    assert "/submissions" in shown
    for href in shown:
        least = ROLES[f"GET {href}"]
        assert access.RANKS[least] <= access.RANKS[role], f"{role} is shown {href}"
    assert ("/audit" in shown) is (role == "admin")


@pytest.mark.parametrize("key", sorted(k for k in ROLES if k.startswith("POST ")))
def test_every_staff_post_needs_the_csrf_token(central, key):
    client = _client(central, "admin")
    path = _address(key.removeprefix("POST "), central["real"])
    response = client.post(path, data={"state": "approved"}, follow_redirects=False)
    assert response.status_code == 403 and "csrf_failed" in response.text


def test_an_unknown_role_and_nobody_are_allowed_nothing():
    assert not access.allows(staff.User(1, "x@example.org", "retired"), "reviewer")
    assert not access.allows(None, "reviewer")
