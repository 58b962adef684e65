"""The fleet pages in chromium, against central as a real process: an admin adds a kiosk
(its code as text and QR, read back by a real decoder off the screen), a kiosk enrolls
with it, the admin revokes it, and its refused attempts show. axe checks each page."""

from __future__ import annotations

import shutil
import subprocess

import httpx2
import pytest

from sync import protocol
from sync.central import storage
from tests import servers, staff
from tests.browser.axe import report, violations
from tests.browser.conftest import signed_in

pytestmark = pytest.mark.browser
ADMIN = "admin@example.org"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    root = tmp_path_factory.mktemp("fleet")
    server = servers.central(root / "central").start()
    staff.add(str(root / "central"), ADMIN, role="admin")
    servers.enroll_code(root / "central", "Expired kiosk")  # from the command line
    conn = storage.open_database(root / "central")
    conn.execute("UPDATE kiosks SET enrollment_expires_at = '2020-01-01T00:00:00.000Z'")
    conn.close()
    yield server
    server.stop()


@pytest.fixture
def page(browser, central):
    context, page = signed_in(browser, central.url, ADMIN)
    yield page
    context.close()


def _axe(page) -> None:
    found = violations(page)
    assert not found, f"{page.url}\n{report(found)}"


def test_add_enroll_revoke_and_see_it_still_trying(page, central, tmp_path):
    page.goto(central.url + "/kiosks")
    assert "Code expired" in page.inner_text("#kiosk-K01")
    _axe(page)
    page.fill("#kiosk-name", "Town library")
    with page.expect_navigation():
        page.click("text=Add the kiosk")
    code = page.inner_text("#enrollment-code").strip()
    assert page.locator("img.enrollment-qr").get_attribute("alt").endswith(code)
    _axe(page)
    assert shutil.which("zbarimg"), "make test installs zbar-tools"
    page.locator("img.enrollment-qr").screenshot(path=str(tmp_path / "qr.png"))
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert read.stdout.strip() == code
    page.reload()  # the browser sends the form again: the code is not shown again
    assert code not in page.content() and page.locator(".error-summary").count()
    enrolled = httpx2.post(central.url + protocol.ENROLL_PATH, json={"code": code})
    assert enrolled.status_code == 200
    token, kiosk_code = enrolled.json()["token"], enrolled.json()["code"]

    page.goto(central.url + "/kiosks")
    with page.expect_navigation():
        page.click(f"#kiosk-{kiosk_code} a[href$='/revoke']")
    _axe(page)
    with page.expect_navigation():
        page.click("text=Revoke the kiosk")
    assert page.locator(".error-summary").count()  # no reason given
    _axe(page)
    page.fill("#revoke-reason", "Stolen from the library")
    with page.expect_navigation():
        page.click("text=Revoke the kiosk")

    refused = httpx2.get(
        central.url + protocol.STATE_PATH, headers={"authorization": f"Bearer {token}"}
    )
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    page.reload()
    row = page.inner_text(f"#kiosk-{kiosk_code}")
    assert "Revoked" in row and "Still trying:" in row and protocol.STATE_PATH in row
    _axe(page)
