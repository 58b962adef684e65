"""Debian's chromium through Playwright, against a real central and kiosk on loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
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
def running(root: Path, *options: str) -> Iterator[tuple[servers.Server, servers.Server]]:
    """Central and an enrolled kiosk under ``root``, as real processes, both started with
    ``options`` (``--forms DIR``, say); yields ``(central, kiosk)``."""
    central = servers.central(root / "central")
    central.args += options
    central.start()
    try:
        staff.add(str(root / "central"))
        code = servers.enroll_code(root / "central", "Browser test kiosk")
        kiosk = servers.kiosk(root / "kiosk", central.url, "--enroll", code, *options).start()
        try:
            yield central, kiosk
        finally:
            kiosk.stop()
    finally:
        central.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Central and an enrolled kiosk, as real processes; yields ``(central, kiosk)``."""
    with running(tmp_path_factory.mktemp("stack")) as both:
        yield both
