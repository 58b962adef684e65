"""The simulated receipt printer that ships with the kiosk: receipts become spool files.

Each receipt writes ``<spool>/<reference>.bin``, the exact ESC/POS bytes a real printer
would receive (python-escpos's ``Dummy`` driver runs the same commands as the real
ones), and ``<spool>/<reference>.png``, the receipt as it looks on paper.

A fault can be set three ways: ``simulated?fault=paper_out`` in the settings,
:meth:`SimulatedPrinter.set_fault`, or a control file ``<spool>/fault`` holding a fault
code, read at every print, so a test can make a running kiosk's printer fail.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import cast, get_args

from escpos.printer import Dummy
from PIL import Image

from hardware.faults import Fault, FaultCode, Health
from hardware.printer.commands import DEFAULT_PROFILE, paper_width, write_receipt
from hardware.printer.layout import render_receipt
from hardware.printer.receipt import Receipt

FAULT_CODES: tuple[str, ...] = get_args(FaultCode)
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class SimulatedPrinter:
    name = "simulated"

    def __init__(
        self,
        spool: Path,
        fault: FaultCode | None = None,
        *,
        profile: str = DEFAULT_PROFILE,
        width: int | None = None,
    ) -> None:
        self.spool = Path(spool)
        self.profile = profile
        self.width = width or paper_width(profile)
        self._fault: FaultCode | None = None
        self.set_fault(fault)

    @property
    def control_file(self) -> Path:
        """Write a fault code here to make the printer fail; delete it to recover."""
        return self.spool / "fault"

    def set_fault(self, code: str | None) -> None:
        """Fail every receipt with ``code`` from now on (``None``: work again)."""
        if code is not None and code not in FAULT_CODES:
            raise ValueError(f"printer: fault must be one of {', '.join(FAULT_CODES)} (got {code})")
        self._fault = cast(FaultCode | None, code)

    def print_receipt(self, receipt: Receipt) -> Fault | None:
        fault = self._current_fault()
        if fault is not None:
            return fault
        if not _FILE_NAME.fullmatch(receipt.reference):
            detail = f"reference {receipt.reference!r} cannot name a spool file"
            return Fault("printer", "error", detail)
        try:
            self.spool.mkdir(parents=True, exist_ok=True)
            _save(
                self.spool / f"{receipt.reference}.png", _png(render_receipt(receipt, self.width))
            )
            _save(self.spool / f"{receipt.reference}.bin", self.job(receipt))
        except Exception as error:  # noqa: BLE001 - a device problem is a fault, never a crash
            return Fault("printer", "error", f"{type(error).__name__}: {error}")
        return None

    def job(self, receipt: Receipt) -> bytes:
        """The ESC/POS bytes for ``receipt``, as a real printer with this profile gets them."""
        dummy = Dummy(profile=self.profile)
        write_receipt(dummy, receipt, self.width)
        return dummy.output

    def health(self) -> Health:
        return Health("printer", self.name, self._current_fault())

    def _current_fault(self) -> Fault | None:
        try:
            written = self.control_file.read_text().strip()
        except FileNotFoundError:
            written = ""
        except OSError as error:
            return Fault("printer", "error", f"{self.control_file}: {error}")
        if written and written not in FAULT_CODES:
            return Fault("printer", "error", f"{self.control_file}: unknown fault {written!r}")
        if written:
            return Fault(
                "printer", cast(FaultCode, written), f"simulated, from {self.control_file}"
            )
        if self._fault:
            return Fault("printer", self._fault, "simulated")
        return None


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _save(path: Path, data: bytes) -> None:
    """Write ``data`` whole or not at all, so a reader never sees half a receipt."""
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)
