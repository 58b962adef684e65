"""A status light that ships with the product: it keeps the state, and can write it to a
file (``/run/fieldkiosk/light``) for a technician, a test or a desktop indicator to read."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import cast

from hardware.faults import Fault, FaultCode, Health
from hardware.light.protocol import DEVICE, LightState, unknown_state


class SimulatedLight:
    """Keeps the last state; with ``path``, also writes it there (one word and a newline).

    Set ``fault`` (``"offline"``...) to make ``show`` and ``health`` report it.
    """

    backend = "simulated"

    def __init__(self, path: Path | str | None = None, *, fault: FaultCode | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.fault = fault
        self._state: LightState | None = None

    @property
    def state(self) -> LightState | None:
        return self._state

    def show(self, state: str) -> Fault | None:
        fault = unknown_state(state) or self._fault() or self._write(state)
        if fault is None:
            self._state = cast(LightState, state)
        return fault

    def health(self) -> Health:
        return Health(DEVICE, self.backend, self._fault())

    def close(self) -> None:
        return None

    def _fault(self) -> Fault | None:
        return Fault(DEVICE, self.fault, "simulated fault") if self.fault else None

    def _write(self, state: str) -> Fault | None:
        if self.path is None:
            return None
        part = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self.path.parent, delete=False) as part:
                part.write(f"{state}\n")
            os.chmod(part.name, 0o644)  # readable by a technician's account
            os.replace(part.name, self.path)
        except OSError as error:
            if part is not None:
                Path(part.name).unlink(missing_ok=True)
            return Fault(DEVICE, "error", f"cannot write {self.path}: {error}")
        return None


class NoLight(SimulatedLight):
    """For kiosks without a status light (``light=none``): remembers, shows nothing."""

    backend = "none"

    def __init__(self) -> None:
        super().__init__()
