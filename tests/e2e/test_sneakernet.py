"""No network at all, with real processes: a kiosk that cannot reach central takes
submissions, a technician carries them to central on a "USB stick" and brings the return
bundle back; central holds each submission exactly once and the kiosk has nothing left
to send. Central is imported into both stopped and running (SQLite in WAL mode)."""

from __future__ import annotations

from collections import Counter

import httpx2
import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from tests import citizen, servers, staff

pytestmark = pytest.mark.e2e


def _fill(kiosk_url: str, count: int, start: int = 0) -> list[str]:
    definitions = citizen.without_cases(
        sorted(load_directory(DEFAULT_DIRECTORY).values(), key=lambda d: d.id)
    )
    with httpx2.Client(base_url=kiosk_url, follow_redirects=True, timeout=10) as client:
        return [
            citizen.complete(client, definitions[n % len(definitions)])
            for n in range(start, start + count)
        ]


def _sync(*args: object) -> str:
    result = servers.run(["sync", *map(str, args)])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout.strip()


def _pending(kiosk_url: str) -> int:
    return int(httpx2.get(kiosk_url + "/healthz", timeout=10).json()["outbox"]["pending"])


def test_submissions_carried_on_a_usb_stick_reach_central_exactly_once(tmp_path):
    central_data, data, usb = tmp_path / "central", tmp_path / "kiosk", tmp_path / "usb"
    usb.mkdir()
    central = servers.central(central_data).start()
    staff.add(str(central_data))
    code = servers.enroll_code(central_data, "Village kiosk")
    kiosk = servers.kiosk(data, central.url, "--enroll", code, "--retry-max", "1").start()
    central.stop()  # from now on the kiosk never reaches central
    elsewhere = servers.central(central_data, port=servers.free_port())
    try:
        references = _fill(kiosk.url, 4)
        first = _sync("export", "--to", usb, "--data", data)  # the kiosk keeps running
        assert first == str(usb / "fieldkiosk-K01-000001-000004.bundle")
        returned = _sync("import", first, "--data", central_data)  # central is stopped
        assert returned == str(usb / "fieldkiosk-K01-return-000004.bundle")

        elsewhere.start()  # central runs again, at an address the kiosk does not know
        references += _fill(kiosk.url, 3, start=4)
        second = _sync("export", "--to", usb, "--data", data)  # applies the return bundle
        assert second == str(usb / "fieldkiosk-K01-000005-000007.bundle")
        assert _pending(kiosk.url) == 3
        back = _sync("import", second, "--data", central_data)  # central is running
        again = servers.run(["sync", "import", first, "--data", str(central_data)])
        assert again.returncode == 0 and "already imported: nothing changed" in again.stderr
        _sync("import", back, "--data", data)

        assert _pending(kiosk.url) == 0
        with staff.signed_in(elsewhere.url) as client:
            received = staff.submissions(client)
        assert Counter(row["reference"] for row in received) == Counter(references)
        assert len(set(references)) == 7
    finally:
        kiosk.stop()
        elsewhere.stop()
        central.stop()
