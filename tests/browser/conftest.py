"""Debian's chromium through Playwright, against a real central and kiosk on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def running(
    root: Path, *options: str, kiosk_options: Sequence[str] = ()
) -> Iterator[tuple[servers.Server, servers.Server]]:
    """Central and an enrolled kiosk under ``root``, as real processes, both started with
    ``options`` (``--forms DIR``, say), the kiosk with ``kiosk_options`` too (``--keyboard``);
    yields ``(central, kiosk)``."""
    central = servers.central(root / "central")
    central.args += options
    central.start()
    try:
        staff.add(str(root / "central"))
        code = servers.enroll_code(root / "central", "Browser test kiosk")
        kiosk = servers.kiosk(
            root / "kiosk", central.url, "--enroll", code, *options, *kiosk_options
        ).start()
        try:
            yield central, kiosk
        finally:
            kiosk.stop()
    finally:
        central.stop()


def signed_in(browser, central_url: str, email: str = staff.EMAIL, password: str = staff.PASSWORD):
    """A new browser context signed in to central as ``email``; returns ``(context, page)``,
    the page on wherever signing in leads."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(central_url + "/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/sign-in" not in page.url, f"{email} could not sign in"
    return context, page


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Central and an enrolled kiosk, as real processes; yields ``(central, kiosk)``."""
    with running(tmp_path_factory.mktemp("stack")) as both:
        yield both
