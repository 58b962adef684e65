"""XLSForms that field teams already have, imported with ``fieldkiosk forms import``, are
completed by a person in chromium at a kiosk that serves them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from forms.library import load_directory
from tests import servers
from tests.browser.conftest import running
from tests.browser.test_journey import _complete, _start

pytestmark = pytest.mark.browser
WORKBOOKS = Path(__file__).resolve().parent.parent / "forms" / "xlsforms"
IMPORTED = [
    "calculate.xls",
    "choice_filter_test.xlsx",
    "group.xlsx",
    "specify_other.xlsx",
    "text_and_integer.xlsx",
    "yes_or_no_question.xlsx",
]


@pytest.fixture(scope="module")
def imported_kiosk(tmp_path_factory):
    root = tmp_path_factory.mktemp("imported")
    forms = root / "forms"
    forms.mkdir()
    for workbook in IMPORTED:
        result = servers.run(["forms", "import", str(WORKBOOKS / workbook), "--out", str(forms)])
        assert result.returncode == 0, result.stdout + result.stderr
    assert servers.run(["forms", "check", "--forms", str(forms)]).returncode == 0
    with running(root, kiosk_options=["--forms", str(forms)]) as (_, kiosk):
        yield kiosk, load_directory(forms)
    shutil.rmtree(root, ignore_errors=True)


def test_every_imported_form_can_be_completed(browser, imported_kiosk):
    kiosk, definitions = imported_kiosk
    assert len(definitions) == len(IMPORTED)
    page = browser.new_page()
    try:
        for form_id, definition in sorted(definitions.items()):
            page.goto(kiosk.url + "/")
            _start(page, form_id, definition)
            reference = _complete(page, form_id, definition=definition)
            assert reference.startswith("K"), form_id
    finally:
        page.close()
