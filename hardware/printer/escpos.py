"""A real ESC/POS receipt printer on the network, USB or a serial port, via python-escpos.

Each receipt opens a connection, asks the printer for its status (paper, online, cover),
sends the job and closes. Whatever goes wrong on the way comes back as a
:class:`~hardware.faults.Fault`: an unreachable printer is ``offline``, a printer that
reports no paper is ``paper_out``, anything else the driver raises is ``error``.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

from escpos.constants import RT_STATUS
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.printer import Network

from hardware.faults import Fault, Health
from hardware.printer.commands import write_receipt
from hardware.printer.layout import WIDTH_80MM
from hardware.printer.receipt import Receipt

# DLE EOT 2, "offline cause": python-escpos asks for online and paper status but not this.
RT_STATUS_OFFLINE_CAUSE = RT_STATUS + b"\x02"
COVER_OPEN = 0x04  # bit 2 of the offline-cause reply
NO_REPLY = "no reply to the status query; use status=off if this printer cannot report status"


class EscposPrinter:
    """A printer reached through a python-escpos driver (``Network``, ``Usb``, ``Serial``).

    ``connect`` makes a fresh, unopened driver object for each job (a ``functools.partial``
    of the driver class); ``where`` names the device in fault details.
    """

    def __init__(
        self,
        name: str,
        connect: Callable[[], Escpos],
        *,
        width: int = WIDTH_80MM,
        status: bool = True,
        where: str = "",
    ) -> None:
        self.name = name
        self.width = width
        self._connect = connect
        self._status = status
        self._where = where or name
        self._lock = threading.Lock()
        self._last: Fault | None = None

    def print_receipt(self, receipt: Receipt) -> Fault | None:
        with self._lock:
            self._last = self._session(lambda printer: write_receipt(printer, receipt, self.width))
            return self._last

    def health(self) -> Health:
        """Asks the printer now (this waits on the device); while printing, the last answer."""
        if not self._lock.acquire(blocking=False):
            return Health("printer", self.name, self._last)
        try:
            self._last = self._session(lambda printer: None)
        finally:
            self._lock.release()
        return Health("printer", self.name, self._last)

    def _session(self, job: Callable[[Escpos], None]) -> Fault | None:
        """Open, check status, run ``job``, close: every failure becomes a fault."""
        printer = None
        try:
            printer = self._connect()
            printer.open()
            fault = device_status(printer, self._where) if self._status else None
            if fault is None:
                job(printer)
            return fault
        except Exception as error:  # noqa: BLE001 - a device problem is a fault, never a crash
            return fault_from(error, self._where)
        finally:
            if printer is not None:
                with contextlib.suppress(Exception):
                    printer.close()


def device_status(printer: Escpos, where: str) -> Fault | None:
    """The fault the printer reports about itself (real-time DLE EOT queries), if any."""
    if printer.paper_status() == 0:
        return Fault("printer", "paper_out", f"{where}: the paper sensor reports no paper")
    if printer.is_online():
        return None
    cause = printer.query_status(RT_STATUS_OFFLINE_CAUSE)
    if not cause:
        return Fault("printer", "offline", f"{where}: {NO_REPLY}")
    if cause[0] & COVER_OPEN:
        return Fault("printer", "cover_open", f"{where}: the printer reports its cover open")
    return Fault("printer", "offline", f"{where}: the printer reports itself offline")


def fault_from(error: Exception, where: str) -> Fault:
    """A driver exception as a fault: no connection is ``offline``, the rest ``error``."""
    offline = isinstance(error, DeviceNotFoundError | OSError)
    detail = " ".join(f"{where}: {type(error).__name__}: {error}".split())
    return Fault("printer", "offline" if offline else "error", detail)


class NetworkDriver(Network):
    """python-escpos's ``Network`` with an ``open`` that closes its socket when it fails.

    python-escpos 3.1 leaks the socket of a refused connection and speaks IPv4 only;
    ``socket.create_connection`` closes on failure and resolves IPv6 as well.
    """

    def open(self, raise_not_found: bool = True) -> None:
        self.close()
        connection: socket.socket | None = None
        try:
            connection = socket.create_connection((self.host, self.port), self.timeout)
        except OSError as error:
            if raise_not_found:
                raise DeviceNotFoundError(
                    f"no connection to {self.host}:{self.port}: {error}"
                ) from error
        finally:
            self.device = connection
