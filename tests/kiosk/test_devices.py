"""The kiosk's devices as its settings open them, and the status light's rules."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from kiosk.devices import light_state, open_devices
from sync.options import SettingsError


def _status(failures=0, pending=0):
    return SimpleNamespace(failures=failures, pending=pending)


@pytest.mark.parametrize(
    ("status", "failing", "state"),
    [
        (None, False, "offline"),
        (_status(failures=2), False, "offline"),
        (_status(pending=4), False, "syncing"),
        (_status(), False, "online"),
        (_status(), True, "fault"),
    ],
)
def test_the_light_says_what_matters_most(status, failing, state):
    assert light_state(status, failing) == state


def test_a_bad_device_setting_stops_start_up_like_any_bad_setting(settings):
    broken = settings.model_copy(update={"printer": "telepathy:now"})
    with pytest.raises(SettingsError, match=r"printer: .*\(got telepathy:now\)"):
        open_devices(broken)


def test_the_simulated_light_follows_the_kiosk(settings, client):
    light = client.app.state.devices.light
    for _ in range(50):
        if light.state is not None:
            break
        time.sleep(0.05)
    assert light.state == "offline", "no sync agent runs in this kiosk"
    (settings.data / "printer").mkdir(exist_ok=True)
    (settings.data / "printer" / "fault").write_text("cover_open")
    assert client.app.state.devices.failing()
    health = client.get("/healthz").json()["devices"]
    printer = next(device for device in health if device["device"] == "printer")
    assert printer["ok"] is False and printer["fault"]["code"] == "cover_open"
