"""The receipt printer: one Protocol, a simulated backend, and real ESC/POS backends.

``open_printer(spec, spool)`` turns the kiosk's printer setting into a :class:`Printer`
(see :mod:`hardware.printer.spec` for the syntax). Every backend passes the contract
suite in ``tests/hardware/test_printer_contract.py``.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Protocol

from escpos.printer import Serial, Usb

from hardware.faults import Fault, Health
from hardware.printer.escpos import EscposPrinter, NetworkDriver
from hardware.printer.receipt import Receipt
from hardware.printer.simulated import SimulatedPrinter
from hardware.printer.spec import parse_spec

__all__ = ["EscposPrinter", "Printer", "Receipt", "SimulatedPrinter", "open_printer"]

_DRIVERS = {"network": NetworkDriver, "usb": Usb, "serial": Serial}


class Printer(Protocol):
    """A receipt printer. Device problems come back as faults; nothing here raises them."""

    name: str  # the backend: simulated, network, usb or serial

    def print_receipt(self, receipt: Receipt) -> Fault | None:
        """Print and cut one receipt: ``None`` once it is printed, else what went wrong."""
        ...

    def health(self) -> Health:
        """The printer's state now (device ``printer``)."""
        ...


def open_printer(spec: str, spool: Path) -> Printer:
    """The printer a spec names; ``spool`` is where the simulated printer writes receipts.

    A spec that cannot be understood raises ``ValueError`` ("printer: ... (got SPEC)");
    opening does not touch the device, so an unplugged printer is a fault at print time.
    """
    parsed = parse_spec(spec)
    if parsed.kind == "simulated":
        return SimulatedPrinter(spool, parsed.fault, profile=parsed.profile, width=parsed.width)
    driver = partial(_DRIVERS[parsed.kind], profile=parsed.profile, **parsed.connection)
    return EscposPrinter(
        parsed.kind, driver, width=parsed.width, status=parsed.status, where=parsed.where
    )
