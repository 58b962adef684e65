"""The walking skeleton end to end, with real processes: a kiosk takes 20 submissions while
central is down, then central comes up and receives each of them exactly once."""

from __future__ import annotations

import time
from collections import Counter

import httpx2
import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from tests import citizen, servers, staff

pytestmark = pytest.mark.e2e


def test_submissions_made_offline_reach_central_exactly_once(tmp_path):
    central_data = tmp_path / "central"
    central = servers.central(central_data).start()
    staff.add(str(central_data))
    code = servers.enroll_code(central_data, "Library kiosk")
    kiosk = servers.kiosk(tmp_path / "kiosk", central.url, "--enroll", code, "--retry-max", "1")
    kiosk.start()
    central.stop()
    definitions = citizen.without_cases(
        sorted(load_directory(DEFAULT_DIRECTORY).values(), key=lambda d: d.id)
    )
    try:
        references = []
        with httpx2.Client(base_url=kiosk.url, follow_redirects=True, timeout=10) as client:
            for n in range(20):
                references.append(citizen.complete(client, definitions[n % len(definitions)]))
        health = httpx2.get(kiosk.url + "/healthz").json()
        assert health["outbox"]["pending"] == 20
        assert len(set(references)) == 20

        central.start()
        received = _wait_for(central.url, 20)
        assert Counter(row["reference"] for row in received) == Counter(references)
        assert _pending(kiosk.url) == 0
        with staff.signed_in(central.url) as client:
            fleet = client.get("/kiosks").text
        assert "Library kiosk" in fleet and "All working" in fleet, "no heartbeat arrived"
    finally:
        kiosk.stop()
        central.stop()


def _wait_for(central_url: str, count: int, timeout: float = 30.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    rows: list[dict] = []
    with staff.signed_in(central_url) as client:
        while time.monotonic() < deadline:
            rows = staff.submissions(client)
            if len(rows) >= count:
                time.sleep(1.5)  # a late duplicate would show up now
                return staff.submissions(client)
            time.sleep(0.2)
    raise AssertionError(f"central has {len(rows)} of {count} submissions after {timeout}s")


def _pending(kiosk_url: str) -> int:
    for _ in range(50):
        pending = httpx2.get(kiosk_url + "/healthz").json()["outbox"]["pending"]
        if pending == 0:
            return 0
        time.sleep(0.1)
    return pending
