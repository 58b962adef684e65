"""Codes from a scanner that is not a keyboard (a serial scanner), handed to the page.

A keyboard-wedge scanner types into the status page like a person, so it needs nothing
here. A serial scanner talks to the kiosk instead: a thread reads it, and the status
page asks every second whether a new code came (``/status/scanned``), then opens it.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from hardware.faults import Fault
from hardware.scanner import KeyboardScanner, Scanner

log = logging.getLogger(__name__)
READ_TIMEOUT = 1.0


class Scans:
    """The latest code read, numbered so that a page can ask "anything after N?"."""

    def __init__(self, scanner: Scanner) -> None:
        self.scanner = scanner
        self.count, self.latest = 0, ""
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def pushes(self) -> bool:
        """Whether codes arrive here rather than as keystrokes in the page."""
        return not isinstance(self.scanner, KeyboardScanner)

    def start(self) -> None:
        if self.pushes:
            self._thread = threading.Thread(target=self._read, name="scanner", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread:
            self._thread.join(READ_TIMEOUT * 3)
        self.scanner.close()

    def since(self, after: int) -> str | None:
        with self._lock:
            return self.latest if self.count > after else None

    def _read(self) -> None:
        while not self._stopping.is_set():
            code = self.scanner.read(READ_TIMEOUT)
            if isinstance(code, Fault):
                self._stopping.wait(READ_TIMEOUT)
            elif code:
                with self._lock:
                    self.count, self.latest = self.count + 1, code


async def scanned(request: Request) -> Response:
    """``GET /status/scanned?after=N``: 204 until a new code is read, then the page for it."""
    scans: Scans = request.app.state.scans
    after = request.query_params.get("after", "0")
    code = scans.since(int(after) if after.isdigit() else 0)
    if code is None:
        return Response(status_code=204)
    return Response(
        status_code=200, headers={"hx-redirect": "/status?" + urlencode({"reference": code})}
    )
