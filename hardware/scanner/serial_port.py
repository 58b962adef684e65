"""Scanners that send each code as a line over a serial port (USB CDC: ``/dev/ttyACM0``)."""

from __future__ import annotations

import errno
import threading
import time

import serial

from hardware.faults import Fault, Health
from hardware.scanner.protocol import DEVICE, LONGEST_CODE

BACKEND = "serial"
ENDINGS = (b"\r", b"\n")


class SerialScanner:
    """Reads CR, LF or CRLF terminated codes with pyserial.

    The port is opened at once (so codes scanned before the first ``read`` wait in the
    OS buffer) and opened again after an unplug, on the next ``read`` or ``health``.
    """

    def __init__(self, port: str, baudrate: int = 9600) -> None:
        self.port = port
        self.baudrate = baudrate
        self._serial: serial.Serial | None = None
        self._buffer = b""
        self._lock = threading.Lock()  # health() may run beside a reading thread
        self._open()

    def read(self, timeout: float) -> str | None | Fault:
        fault = self._open()
        if fault:
            return fault
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            code = self._next_line()
            if code:
                return code
            if len(self._buffer) > LONGEST_CODE:
                self._buffer = b""
                return Fault(DEVICE, "error", f"no line ending in {LONGEST_CODE} bytes")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            fault = self._receive(remaining)
            if fault:
                return fault

    def health(self) -> Health:
        return Health(DEVICE, BACKEND, self._open())

    def close(self) -> None:
        with self._lock:
            if self._serial is not None:
                self._serial.close()
                self._serial = None
            self._buffer = b""

    def _open(self) -> Fault | None:
        with self._lock:
            if self._serial is not None:
                return None
            try:
                self._serial = serial.Serial(self.port, self.baudrate, timeout=0, exclusive=True)
            except (serial.SerialException, OSError, ValueError) as error:
                locked = getattr(error, "errno", None) == errno.EAGAIN  # another process has it
                return Fault(DEVICE, "busy" if locked else "offline", str(error))
            return None

    def _receive(self, timeout: float) -> Fault | None:
        """Wait up to ``timeout`` for bytes and add them to the buffer."""
        port = self._serial
        if port is None:  # closed by another thread
            return Fault(DEVICE, "offline", f"{self.port}: closed while reading")
        try:
            port.timeout = timeout
            chunk = port.read(1)
            chunk += port.read(port.in_waiting) if chunk else b""
        except (serial.SerialException, OSError) as error:
            self.close()
            return Fault(DEVICE, "offline", f"{self.port}: {error}")
        self._buffer += chunk
        return None

    def _next_line(self) -> str | None:
        """The first non-empty line in the buffer, removed from it; None if none is whole."""
        while True:
            ends = [i for i in (self._buffer.find(e) for e in ENDINGS) if i >= 0]
            if not ends:
                return None
            line, self._buffer = self._buffer[: min(ends)], self._buffer[min(ends) + 1 :]
            code = line.decode("utf-8", "replace").strip()
            if code:
                return code
