"""The fleet pages: admins add kiosks (the code shown once, as text and QR), give new codes
and revoke kiosks; every other role sees the fleet and nothing more."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest
import segno
from PIL import Image
from starlette.testclient import TestClient

from sync import protocol
from sync.central import audit, fleet
from sync.central.app import create_app
from tests.sync.central import people
from tests.sync.conftest import csrf_token

CODE = re.compile(r'<p class="enrollment-code" id="enrollment-code">([A-Z0-9-]+)</p>')
QR = re.compile(r'<img class="enrollment-qr" src="([^"]+)"')
ADMIN_ROUTES = [
    ("POST", "/kiosks"),
    ("POST", "/kiosks/K01/new-code"),
    ("GET", "/kiosks/K01/revoke"),
    ("POST", "/kiosks/K01/revoke"),
]


@pytest.fixture
def admin(client, central_settings) -> TestClient:
    return people.signed_in(client, central_settings.data, "admin")


def _added(admin: TestClient, name: str = "Town library") -> tuple[str, str]:
    """Add a kiosk from the page; its enrollment code and the QR code's data URI."""
    response = people.post(admin, "/kiosks", name=name)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return CODE.search(response.text)[1], QR.search(response.text)[1].replace("&amp;", "&")


def test_an_admin_adds_a_kiosk_and_sees_its_code_once(admin, client, central_db):
    code, _ = _added(admin)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){2}", code)
    again = people.post(admin, "/kiosks", name="Town library")  # the browser sends the form again
    assert again.status_code == 409 and code not in again.text
    assert "There is already a kiosk called" in again.text
    listed = admin.get("/kiosks").text
    assert code not in listed and "Waiting for enrollment" in listed
    stored = central_db.execute("SELECT enrollment_sha256 FROM kiosks").fetchone()[0]
    assert stored == fleet.digest(code.replace("-", ""))
    enrolled = client.post(protocol.ENROLL_PATH, json={"code": code})
    assert enrolled.status_code == 200 and enrolled.json()["code"] == "K01"
    row = admin.get("/kiosks").text.split('id="kiosk-K01"')[1]
    assert "Enrolled" in row.split("</tr>")[0]


def test_the_qr_code_holds_the_code(admin, tmp_path):
    code, uri = _added(admin)
    modules = _modules(uri)
    expected = segno.make_qr(code, error="m")
    assert (expected.version, expected.is_micro) == (1, False)
    assert modules == [list(map(bool, row)) for row in expected.matrix_iter(border=4)]
    assert shutil.which("zbarimg"), "zbarimg is missing: make test installs zbar-tools"
    picture = tmp_path / "qr.png"
    _draw(modules, picture)
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(picture)], capture_output=True, text=True, check=True
    )
    assert read.stdout.strip() == code


def test_adding_a_bad_name_says_why(admin):
    response = people.post(admin, "/kiosks", name="   ")
    assert response.status_code == 400
    assert "a kiosk name has 1 to 100 characters" in response.text
    assert 'aria-invalid="true"' in response.text and "enrollment-code" not in response.text


def test_an_expired_code_shows_as_expired_with_a_new_code(admin, client, central_db):
    first, _ = _added(admin)
    central_db.execute("UPDATE kiosks SET enrollment_expires_at = '2020-01-01T00:00:00.000Z'")
    page = admin.get("/kiosks").text
    assert "Code expired" in page and 'action="/kiosks/K01/new-code"' in page
    issued = re.search(r'name="issued" value="([^"]*)"', page)[1]
    assert issued == "2020-01-01T00:00:00.000Z"
    renewed = people.post(admin, "/kiosks/K01/new-code", issued=issued)
    assert renewed.status_code == 200 and renewed.headers["cache-control"] == "no-store"
    code = CODE.search(renewed.text)[1]
    assert code != first and "no longer works" in renewed.text
    resent = people.post(admin, "/kiosks/K01/new-code", issued=issued)
    assert resent.status_code == 409 and "code_renewed" in resent.text
    assert client.post(protocol.ENROLL_PATH, json={"code": first}).status_code == 403
    assert client.post(protocol.ENROLL_PATH, json={"code": code}).status_code == 200


def test_revoking_asks_for_a_reason_then_marks_the_kiosk(admin, kiosk, central_db):
    confirm = admin.get("/kiosks/K01/revoke")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    empty = people.post(admin, "/kiosks/K01/revoke", reason="  ")
    assert empty.status_code == 400 and "Say why the kiosk is revoked" in empty.text
    assert central_db.execute("SELECT revoked_at FROM kiosks").fetchone()[0] is None
    done = people.post(admin, "/kiosks/K01/revoke", reason="Stolen on 3 March")
    assert done.status_code == 303 and done.headers["location"] == "/kiosks#kiosk-K01"
    row = central_db.execute("SELECT revoked_at, revoked_by, revoke_reason FROM kiosks").fetchone()
    assert row["revoked_at"] and row["revoke_reason"] == "Stolen on 3 March"
    page = admin.get("/kiosks").text
    assert 'class="revoked"' in page and "by admin@example.org" in page
    assert 'action="/kiosks/K01/new-code"' not in page
    assert admin.get("/kiosks/K01/revoke", follow_redirects=False).status_code == 303
    refused = people.post(admin, "/kiosks/K01/new-code", issued="")
    assert refused.status_code == 409 and "kiosk_revoked" in refused.text


def test_every_action_is_audited_as_the_admin_without_the_code(admin, central_db):
    code, _ = _added(admin)
    renewed = CODE.search(people.post(admin, "/kiosks/K01/new-code", issued=_issued(admin)).text)[1]
    people.post(admin, "/kiosks/K01/revoke", reason="Lost")
    user_id = central_db.execute("SELECT id FROM users").fetchone()[0]
    entries = [e for e in audit.newest(central_db, 10) if _fleet(e)]
    assert [(e.action, e.target, e.actor) for e in entries] == [
        ("kiosk.revoke", "K01", f"staff:{user_id}"),
        ("kiosk.new_code", "K01", f"staff:{user_id}"),
        ("kiosk.add", "K01", f"staff:{user_id}"),
    ]
    logged = str([tuple(row) for row in central_db.execute("SELECT * FROM audit")])
    for secret in (code, renewed):
        assert secret not in logged and secret.replace("-", "") not in logged


def test_an_unknown_kiosk_is_a_404(admin):
    assert admin.get("/kiosks/K99/revoke").status_code == 404
    assert people.post(admin, "/kiosks/K99/new-code", issued="").status_code == 404


@pytest.mark.parametrize("role", ["reviewer", "supervisor"])
@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_only_admins_manage_the_fleet(
    client, central_settings, central_db, kiosk, role, method, path
):
    people.add(central_settings.data, role)
    people.sign_in(client, role)
    page = client.get("/kiosks")
    assert page.status_code == 200 and "Library kiosk" in page.text
    assert "Add a kiosk" not in page.text and "/revoke" not in page.text
    data = {"csrftoken": csrf_token(page.text), "name": "X", "reason": "x", "issued": ""}
    response = client.request(method, path, data=data if method == "POST" else None)
    assert response.status_code == 403 and "forbidden" in response.text
    unrevoked = central_db.execute("SELECT COUNT(*) FROM kiosks WHERE revoked_at IS NULL")
    assert unrevoked.fetchone()[0] == 1


@pytest.mark.parametrize(("method", "path"), [("GET", "/kiosks"), *ADMIN_ROUTES])
def test_anonymous_visitors_are_sent_to_sign_in(client, kiosk, method, path):
    response = client.request(method, path, data={"name": "X"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


@pytest.mark.parametrize("path", [p for m, p in ADMIN_ROUTES if m == "POST"])
def test_every_post_needs_the_csrf_token(admin, central_db, kiosk, path):
    response = admin.post(path, data={"name": "Other", "reason": "x", "issued": ""})
    assert response.status_code == 403 and "csrf_failed" in response.text
    row = central_db.execute("SELECT COUNT(*), MAX(revoked_at) FROM kiosks").fetchone()
    assert tuple(row) == (1, None)
    assert not [e for e in audit.newest(central_db, 10) if e.actor != "cli" and _fleet(e)]


def test_the_code_page_is_never_cached_nor_in_an_address(central_settings):
    """The code comes back only in the answer to the POST that made it."""
    with TestClient(create_app(central_settings)) as client:
        people.add(central_settings.data, "admin")
        admin = people.sign_in(client, "admin")
        response = people.post(admin, "/kiosks", name="Market")
        code = CODE.search(response.text)[1]
        assert response.headers["cache-control"] == "no-store"
        assert code not in str(response.url) and "location" not in response.headers


def _fleet(entry: audit.Entry) -> bool:
    return entry.action.startswith("kiosk.")


def _issued(client: TestClient) -> str:
    return re.search(r'name="issued" value="([^"]*)"', client.get("/kiosks").text)[1]


def _modules(uri: str) -> list[list[bool]]:
    """The dark modules of segno's SVG (one path of horizontal runs), read back."""
    svg = urllib.parse.unquote(uri.removeprefix("data:image/svg+xml;charset=utf-8,"))
    size = int(re.search(r"width='(\d+)'", svg)[1]) // int(re.search(r"scale\((\d+)\)", svg)[1])
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for command, numbers in re.findall(r"([Mmh])([-\d. ]+)", re.search(r"d='([^']+)'", svg)[1]):
        values = [float(n) for n in numbers.split()]
        if command == "h":
            for column in range(int(x), int(x + values[0])):
                grid[int(y)][column] = True
            x += values[0]
        else:
            x, y = (values[0], values[1]) if command == "M" else (x + values[0], y + values[1])
    return grid


def _draw(modules: list[list[bool]], path: Path, scale: int = 8) -> None:
    size = len(modules)
    picture = Image.new("L", (size, size), 255)
    picture.putdata([0 if dark else 255 for row in modules for dark in row])
    picture.resize((size * scale, size * scale), Image.NEAREST).save(path)
