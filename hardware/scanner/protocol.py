"""What every QR/barcode scanner backend offers the kiosk."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from hardware.faults import Fault, Health

DEVICE = "scanner"
LONGEST_CODE = 4096  # characters; a longer "line" is noise, not a code


@runtime_checkable
class Scanner(Protocol):
    """Gives the codes a citizen scans, one at a time (a receipt's ``K01-00042-X``)."""

    def read(self, timeout: float) -> str | None | Fault:
        """The next scanned code, stripped; None if none came within ``timeout`` seconds;
        a Fault if the scanner is gone (``offline``). Never raises for device problems."""
        ...

    def health(self) -> Health: ...

    def close(self) -> None:
        """Release the device. Safe to call twice; a later ``read`` opens it again."""
        ...
