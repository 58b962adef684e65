"""A decision made on central's review form reaches the citizen, with real processes: the
kiosk sends a submission, a reviewer approves it with a comment through central's web
form, the kiosk's agent pulls, and the kiosk's status page for that reference says
"Approved" with the comment."""

from __future__ import annotations

import re

import httpx2
import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk.status import DECISIONS
from tests import citizen, servers, staff

pytestmark = pytest.mark.e2e
COMMENT = "Collect the certificate at the town hall, counter 3."


def test_an_approval_on_the_review_form_shows_on_the_kiosk_status_page(tmp_path):
    central_data = tmp_path / "central"
    central = servers.central(central_data).start()
    code = servers.enroll_code(central_data, "Library kiosk")
    kiosk = servers.kiosk(
        tmp_path / "kiosk", central.url, "--enroll", code, "--sync-interval", "0.5"
    ).start()
    staff.add(str(central_data))
    form = load_directory(DEFAULT_DIRECTORY)["birth-certificate"]
    try:
        with httpx2.Client(base_url=kiosk.url, follow_redirects=True, timeout=10) as client:
            ref = citizen.complete(client, form)
            status = client.get(f"/status?reference={ref}").text
            assert DECISIONS["approved"] not in status
            with staff.signed_in(central.url) as office:
                page = servers.until(lambda: _page(office, f"/submissions/{ref}"), "the submission")
                seen = re.search(r'name="seen" value="(\d+)"', page)
                assert seen, "the page has the review form"
                form_data = {
                    "csrftoken": citizen.csrf_token(page),
                    "seen": seen.group(1),
                    "state": "approved",
                    "comment": COMMENT,
                }
                saved = office.post(f"/submissions/{ref}/review", data=form_data)
                assert saved.status_code == 200 and "Your decision is saved" in saved.text
                assert saved.url.path == f"/submissions/{ref}"
            shown = servers.until(
                lambda: servers.has(
                    client, f"/status?reference={ref}", DECISIONS["approved"], COMMENT
                ),
                "the decision on the kiosk's status page",
            )
            assert "Approved" in shown
    finally:
        kiosk.stop()
        central.stop()


def _page(client: httpx2.Client, path: str) -> str | None:
    response = client.get(path)
    return response.text if response.status_code == 200 else None
