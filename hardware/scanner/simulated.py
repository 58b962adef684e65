"""A scanner that ships with the product: codes are fed in by tests or a technician."""

from __future__ import annotations

import queue

from hardware.faults import Fault, FaultCode, Health
from hardware.scanner.protocol import DEVICE

BACKEND = "simulated"


class SimulatedScanner:
    """``feed(code)`` queues a scan; ``read`` returns queued codes in order.

    Set ``fault`` (``"offline"``...) to make ``read`` and ``health`` report it; set it back
    to None to "plug the scanner in again".
    """

    def __init__(self, *, fault: FaultCode | None = None) -> None:
        self.fault = fault
        self._codes: queue.Queue[str] = queue.Queue()

    def feed(self, code: str) -> None:
        """Scan ``code``; like a serial scanner, each non-blank line is one code."""
        for line in code.splitlines():
            if line.strip():
                self._codes.put(line.strip())

    def read(self, timeout: float) -> str | None | Fault:
        if self.fault:
            return Fault(DEVICE, self.fault, "simulated fault")
        try:
            return self._codes.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            return None

    def health(self) -> Health:
        fault = Fault(DEVICE, self.fault, "simulated fault") if self.fault else None
        return Health(DEVICE, BACKEND, fault)

    def close(self) -> None:
        return None
