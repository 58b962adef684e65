"""What can go wrong with a device, as values the kiosk can show and report.

Devices return faults instead of raising them: a printer out of paper must never turn a
saved submission into an error page. Codes are stable; the kiosk maps each code to a
sentence in the citizen's language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

FaultCode = Literal[
    "paper_out",  # printer: no paper
    "cover_open",  # printer: cover or lid open
    "offline",  # the device does not answer (unplugged, powered off, unreachable)
    "busy",  # the device is in use; try again
    "unsupported",  # the device cannot do this (a language with no voice, say)
    "error",  # anything else the driver reported
]


@dataclass(frozen=True)
class Fault:
    """One device failure: which device, a stable code, and a technician's detail."""

    device: str
    code: FaultCode
    detail: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Health:
    """A device's state for ``/healthz`` and central's fleet page."""

    device: str
    backend: str
    fault: Fault | None = None

    @property
    def ok(self) -> bool:
        return self.fault is None

    def as_json(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "backend": self.backend,
            "ok": self.ok,
            "fault": self.fault.as_json() if self.fault else None,
        }
