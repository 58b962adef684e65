"""Issue #5's walkthrough with real processes: a household registered at kiosk A reaches
kiosk B; with central stopped, both kiosks change its village (to different villages) and
add a phone; central started again merges the phones and puts the village in the conflict
queue; a supervisor resolves it on the case page; kiosk B's status page, after the next
sync, shows the office's decision."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx2
import pytest

import locales
from kiosk.case_progress import TEXTS
from sync.central import cases, fleet, storage
from sync.central import staff as central_staff
from tests import citizen, households, servers, staff
from tests.households import REGISTERED, REGISTRATION

pytestmark = pytest.mark.e2e
SUPERVISOR = "supervisor@example.org"
PHONE_A, PHONE_B = "+254722000111", "+254733000222"
SYNC = ("--sync-interval", "0.5", "--retry-initial", "0.2", "--retry-max", "1")
CHOICE = re.compile(
    r'name="(choice-\d+)" value="(\d+)"[^>]*>\s*<label[^>]*>([^<]*)</label>', re.MULTILINE
)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def test_a_household_changed_at_two_kiosks_while_central_is_stopped(tmp_path):
    central_data = tmp_path / "central"
    central = servers.central(central_data).start()
    # the same as ``central add-user`` and ``central add-kiosk``, without two more processes
    central_staff.add_user(central_data, SUPERVISOR, staff.PASSWORD, "supervisor")
    codes = [fleet.add_kiosk(central_data, name, 1)[1] for name in ("Library", "Clinic")]
    kiosks = [
        servers.kiosk(tmp_path / name, central.url, "--enroll", code, *SYNC)
        for name, code in zip(("a", "b"), codes, strict=True)
    ]
    try:
        a, b = (kiosk.start() for kiosk in kiosks)
        with (
            httpx2.Client(base_url=a.url, follow_redirects=True, timeout=10) as at_a,
            httpx2.Client(base_url=b.url, follow_redirects=True, timeout=10) as at_b,
        ):
            number = citizen.complete(at_a, REGISTRATION)
            case_id = _case_of(tmp_path / "a", number)
            for name in ("a", "b"):
                servers.until(
                    lambda n=name: _pulled(tmp_path / n, case_id), f"kiosk {name} pulled it", 20
                )

            central.stop()
            changed = households.change(at_a, number, {"village": "kakamega", "new_phone": PHONE_A})
            households.send(at_a, changed)
            changed = households.change(at_b, number, {"village": "busia", "new_phone": PHONE_B})
            mine = households.send(at_b, changed)

            central.start()
            checking = _said("checking")
            servers.until(
                lambda: servers.has(at_b, f"/status?reference={mine}", checking),
                "kiosk B sees the office checking",
                20,
            )
            case = _at_central(central_data, case_id)
            assert case.conflicts == ["village"]
            assert sorted(case.fields["phones"]) == sorted(
                [*REGISTERED["phones"], PHONE_A, PHONE_B]
            )

            _resolve(central.url, case_id, "kakamega")
            decided = _said("decided")
            page = servers.until(
                lambda: servers.has(at_b, f"/status?reference={mine}", decided),
                "kiosk B sees the decision",
                20,
            )
            assert re.search(r"Village</dt>\s*<dd[^>]*>Kakamega</dd>", page), page
    finally:
        for kiosk in kiosks:
            kiosk.stop()
        central.stop()


def _resolve(central_url: str, case_id: str, value: str) -> None:
    """A supervisor sees the clash in the conflict queue and decides it on the case page."""
    with staff.signed_in(central_url, SUPERVISOR, staff.PASSWORD) as client:
        queue = client.get("/conflicts").text
        assert f'href="/cases/{case_id}"' in queue and "Amina Okafor" in queue
        assert ">Village</a>" in queue
        page = client.get(f"/cases/{case_id}").text
        choices = {label.strip(): (name, index) for name, index, label in CHOICE.findall(page)}
        assert {"kakamega", "busia"} <= set(choices), choices
        assert page.count('class="field conflict') == 1, "the phones merged, no conflict"
        name, index = choices[value]
        form = dict(HIDDEN.findall(page.split('class="resolve"', 1)[1]))
        response = client.post(f"/cases/{case_id}/resolve", data={**form, name: index})
        assert response.status_code == 200 and "?decided=1" in str(response.url), response.text


def _case_of(data: Path, ref: str) -> str:
    """The id of the case the submission ``ref`` created at the kiosk in ``data``."""
    with closing(_read(data / "kiosk.db")) as conn:
        row = conn.execute("SELECT case_change FROM submissions WHERE reference = ?", (ref,))
        return str(json.loads(row.fetchone()[0])["id"])


def _pulled(data: Path, case_id: str) -> bool:
    with closing(_read(data / "kiosk.db")) as conn:
        row = conn.execute("SELECT version FROM inbox_cases WHERE id = ?", (case_id,)).fetchone()
    return row is not None


def _at_central(central_data: Path, case_id: str) -> cases.Case:
    conn = storage.open_database(central_data)
    try:
        case = cases.get(conn, case_id)
    finally:
        conn.close()
    assert case is not None
    return case


def _read(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)


def _said(state: str) -> str:
    words = TEXTS[state]
    return locales.translations("en").gettext(words)
