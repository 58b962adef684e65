"""What central publishes reaches a kiosk, with real processes: the office's decision on a
citizen's submission shows on the kiosk's status page in French, a form published with
``central publish-form`` appears on the home page, and ``central set-setting`` changes the
kiosk's idle timeout."""

from __future__ import annotations

from pathlib import Path

import httpx2
import pytest

import locales
from forms.library import DEFAULT_DIRECTORY, load_directory
from kiosk import formatting
from kiosk.status import DECISIONS
from sync.central import feed, storage
from sync.database import transaction
from tests import citizen, servers

pytestmark = pytest.mark.e2e
DECIDED_AT = "2026-11-22T10:00:00.000Z"
COMMENT = "Retirez le certificat à la mairie, guichet 3."


def test_decisions_forms_and_settings_reach_the_kiosk(tmp_path):
    central_data = tmp_path / "central"
    central = servers.central(central_data).start()
    code = servers.enroll_code(central_data, "Library kiosk")
    kiosk = servers.kiosk(
        tmp_path / "kiosk", central.url, "--enroll", code, "--sync-interval", "0.5"
    ).start()
    form = load_directory(DEFAULT_DIRECTORY)["pension-support"]
    try:
        with httpx2.Client(base_url=kiosk.url, follow_redirects=True, timeout=10) as client:
            ref = citizen.complete(client, form)
            servers.until(lambda: _pending(kiosk.url) == 0, "the submission reached central")
            _decide(central_data, ref, "approved", COMMENT)
            _publish(central_data, tmp_path)

            client.cookies.clear()
            page = client.get("/language")
            choose = {"csrftoken": citizen.csrf_token(page.text), "language": "fr"}
            client.post("/language", data=choose)
            decision = DECISIONS["approved"]  # not a literal in gettext(): no msgid extracted
            approved = locales.translations("fr").gettext(decision)
            status = servers.until(
                lambda: servers.has(client, f"/status?reference={ref}", approved), "the decision"
            )
            assert COMMENT in status and formatting.moment(DECIDED_AT, "fr") in status
            offered, idle = 'href="/forms/library-card"', 'data-idle-seconds="45"'
            servers.until(
                lambda: servers.has(client, "/", offered, idle), "the form and the setting"
            )
        sync = httpx2.get(kiosk.url + "/healthz").json()["sync"]
        assert sync["last_pull"] and sync["pull_error"] is None
    finally:
        kiosk.stop()
        central.stop()


def _decide(central_data: Path, ref: str, state: str, comment: str) -> None:
    """What the staff review pages will do: publish a decision to the kiosk that made it."""
    conn = storage.open_database(central_data)
    try:
        with transaction(conn):
            kiosk_id = conn.execute(
                "SELECT kiosk_id FROM submissions WHERE reference = ?", (ref,)
            ).fetchone()[0]
            body = {"reference": ref, "state": state, "comment": comment, "decided_at": DECIDED_AT}
            feed.publish(conn, "decision", ref, body, kiosk_id)
    finally:
        conn.close()


def _publish(central_data: Path, tmp_path: Path) -> None:
    library = tmp_path / "library-card.yaml"
    text = (DEFAULT_DIRECTORY / "pension-support.yaml").read_text()
    library.write_text(text.replace("id: pension-support", "id: library-card", 1))
    for args in (
        ["publish-form", str(library)],
        ["set-setting", "idle_seconds", "45"],
    ):
        result = servers.run(["central", *args, "--data", str(central_data)])
        assert result.returncode == 0, result.stderr


def _pending(kiosk_url: str) -> int:
    return int(httpx2.get(kiosk_url + "/healthz").json()["outbox"]["pending"])
