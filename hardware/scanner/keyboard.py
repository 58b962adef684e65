"""Keyboard-wedge scanners: they type each code into the browser's focused field.

Nothing reaches the server but the typed text, which the kiosk's forms already accept, so
this backend reads nothing and is always healthy. It exists so that ``scanner=keyboard``
is an explicit, documented choice rather than a missing device.
"""

from __future__ import annotations

import time

from hardware.faults import Fault, Health
from hardware.scanner.protocol import DEVICE

BACKEND = "keyboard"


class KeyboardScanner:
    """``read`` waits out its timeout and returns None: codes arrive as keystrokes."""

    def read(self, timeout: float) -> str | None | Fault:
        time.sleep(max(timeout, 0.0))
        return None

    def health(self) -> Health:
        return Health(DEVICE, BACKEND)

    def close(self) -> None:
        return None
