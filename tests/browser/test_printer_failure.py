"""A printer that fails never costs a submission: the reference is shown on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_journey import _arrives, _complete, _start

pytestmark = pytest.mark.browser


def _spool(kiosk) -> Path:
    return Path(kiosk.args[kiosk.args.index("--data") + 1]) / "printer"


def test_out_of_paper_shows_the_reference_and_keeps_the_submission(browser, stack):
    central, kiosk = stack
    spool = _spool(kiosk)
    spool.mkdir(parents=True, exist_ok=True)
    (spool / "fault").write_text("paper_out")
    page = browser.new_page()
    try:
        page.goto(kiosk.url + "/")
        _start(page, "birth-certificate")
        reference = _complete(page, "birth-certificate")
        alert = page.inner_text("[role=alert]")
        assert "out of paper" in alert and "reference on screen" in alert
        assert reference in page.inner_text("main")
        assert not (spool / f"{reference}.png").exists()
        assert _arrives(central.url, reference), "the submission was not saved and sent"

        (spool / "fault").unlink()
        page.click("text=Try printing again")
        page.wait_for_selector("text=Your receipt is printing")
        assert (spool / f"{reference}.png").exists() and (spool / f"{reference}.bin").exists()
    finally:
        (spool / "fault").unlink(missing_ok=True)
        page.close()
