"""The kiosk's devices, opened from its settings, and the status light that follows sync.

A device spec that cannot be understood stops start-up like any other bad setting; a
device that fails at run time is a fault the kiosk reports, never an error page.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from hardware.faults import Health
from hardware.light import StatusLight, open_light
from hardware.printer import Printer, open_printer
from hardware.scanner import Scanner, open_scanner
from hardware.speech import Speech, open_speech
from kiosk.settings import KioskSettings
from sync.options import SettingsError

LIGHT_PERIOD = 2.0
DEVICE_CHECKS = 15  # ask the devices themselves every 15 light periods (30 s)


@dataclass
class Devices:
    printer: Printer
    speech: Speech
    scanner: Scanner
    light: StatusLight

    def health(self) -> list[Health]:
        return [device.health() for device in (self.printer, self.speech, self.scanner, self.light)]

    def failing(self) -> bool:
        """Whether a device a citizen relies on (printer, speech, scanner) has a fault."""
        return any(not device.health().ok for device in (self.printer, self.speech, self.scanner))


def open_devices(settings: KioskSettings) -> Devices:
    try:
        return Devices(
            printer=open_printer(settings.printer, settings.data / "printer"),
            speech=open_speech(settings.speech, settings.data / "speech"),
            scanner=open_scanner(settings.scanner),
            light=open_light(settings.light),
        )
    except ValueError as error:
        raise SettingsError(str(error)) from None


def light_state(agent_status: Any | None, failing: bool = False) -> str:
    """``fault`` when a device fails, else ``online``, ``syncing`` or ``offline`` from the
    sync agent's last known state."""
    if failing:
        return "fault"
    if agent_status is None or agent_status.failures:
        return "offline"
    return "syncing" if agent_status.pending else "online"


@contextlib.asynccontextmanager
async def light_follows_sync(devices: Devices, agent: Any | None) -> AsyncIterator[None]:
    """While the app runs, keep the status light in step with the sync agent."""

    async def follow() -> None:
        failing, beat = False, 0
        while True:
            if beat % DEVICE_CHECKS == 0:
                failing = await asyncio.to_thread(devices.failing)
            status = await asyncio.to_thread(lambda: agent.status if agent else None)
            devices.light.show(light_state(status, failing))
            beat += 1
            await asyncio.sleep(LIGHT_PERIOD)

    task = asyncio.create_task(follow())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
