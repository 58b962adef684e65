"""Debian's chromium through Playwright, against a real central and kiosk on loopback."""

from __future__ import annotations

import shutil

import pytest

from tests import servers, staff

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Central and an enrolled kiosk, as real processes; yields ``(central, kiosk)``."""
    root = tmp_path_factory.mktemp("stack")
    central = servers.central(root / "central").start()
    staff.add(str(root / "central"))
    code = servers.enroll_code(root / "central", "Browser test kiosk")
    kiosk = servers.kiosk(root / "kiosk", central.url, "--enroll", code).start()
    yield central, kiosk
    kiosk.stop()
    central.stop()
