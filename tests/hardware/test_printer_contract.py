"""Every receipt printer backend that can run here passes the same contract.

The simulated printer runs as shipped; the ESC/POS backend talks to a real TCP server on a
loopback port that behaves like a network receipt printer on port 9100: it reads raw
ESC/POS, answers DLE EOT status queries, and records what it was sent.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from escpos.constants import RT_STATUS

from hardware.faults import Fault
from hardware.printer import Printer, open_printer
from hardware.printer.examples import ARABIC, FRENCH
from hardware.printer.simulated import SimulatedPrinter

CUT = b"\x1dV\x00"  # GS V 0: full cut
RASTER = b"\x1dv0"  # GS v 0
NATIVE_QR = b"\x1d(k"  # GS ( k
CODE_PAGE_858 = b"\x1bt\x13"  # ESC t 19
FAULTS = ["paper_out", "cover_open", "offline"]


class FakeNetworkPrinter:
    """A loopback TCP server that reads raw ESC/POS like a printer on port 9100.

    It answers the DLE EOT queries a job starts with (1: online, 2: offline cause,
    4: paper sensor) according to ``state``; ``"silent"`` answers nothing.
    """

    REPLIES = {
        "ok": {1: 0x12, 2: 0x12, 4: 0x12},
        "paper_out": {1: 0x1A, 2: 0x32, 4: 0x72},
        "cover_open": {1: 0x1A, 2: 0x16, 4: 0x12},
        "offline": {1: 0x1A, 2: 0x12, 4: 0x12},
    }

    def __init__(self) -> None:
        self.state = "ok"
        self.connections: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._lock = threading.Lock()
        self._busy = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                if not select.select([self._server], [], [], 0)[0]:
                    connection = None
                else:
                    connection, self._busy = self._server.accept()[0], True
            if connection is None:
                time.sleep(0.01)
                continue
            with connection:
                received = self._read(connection)
            with self._lock:
                self.connections.append(received)
                self._busy = False

    def _read(self, connection: socket.socket) -> bytes:
        data, answered = bytearray(), 0
        try:
            while chunk := connection.recv(65536):
                data += chunk
                while self._is_query(data, answered) and self.state != "silent":
                    connection.sendall(bytes([self.REPLIES[self.state][data[answered + 2]]]))
                    answered += 3
        except OSError:
            pass
        return bytes(data)

    @staticmethod
    def _is_query(data: bytearray, at: int) -> bool:
        return len(data) >= at + 3 and data[at : at + 2] == RT_STATUS

    def settle(self) -> list[bytes]:
        """Every connection's bytes, once all the client's connections have been read."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with self._lock:
                pending = select.select([self._server], [], [], 0)[0]
                if not pending and not self._busy:
                    return list(self.connections)
            time.sleep(0.01)
        raise AssertionError("the fake printer never finished reading")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._server.close()


def without_status_queries(data: bytes) -> bytes:
    while data.startswith(RT_STATUS):
        data = data[3:]
    return data


@dataclass
class Rig:
    """A backend under test, how to see what it printed, and how to make it fail."""

    printer: Printer
    spool: Path
    fake: FakeNetworkPrinter | None = None

    def printed(self) -> list[bytes]:
        if self.fake is None:
            return [path.read_bytes() for path in sorted(self.spool.glob("*.bin"))]
        jobs = (without_status_queries(data) for data in self.fake.settle())
        return [job for job in jobs if job]

    def fail(self, code: str | None) -> None:
        if self.fake is not None:
            self.fake.state = code or "ok"
        elif code is None:
            (self.spool / "fault").unlink()
        else:
            self.spool.mkdir(parents=True, exist_ok=True)
            (self.spool / "fault").write_text(f"{code}\n")


@pytest.fixture(params=["simulated", "network"])
def rig(request, tmp_path):
    spool = tmp_path / "printer"
    if request.param == "simulated":
        yield Rig(open_printer("simulated", spool), spool)
        return
    fake = FakeNetworkPrinter()
    try:
        yield Rig(open_printer(f"network:127.0.0.1:{fake.port}?timeout=2", spool), spool, fake)
    finally:
        fake.close()


def test_a_latin_receipt_prints_as_text_with_a_native_qr_code_and_a_cut(rig):
    assert rig.printer.print_receipt(FRENCH) is None
    [job] = rig.printed()
    assert FRENCH.reference.encode() in job
    assert CODE_PAGE_858 in job and "Votre reçu".encode("cp858") in job
    assert NATIVE_QR in job and RASTER not in job
    assert job.endswith(CUT)


def test_an_arabic_receipt_prints_as_a_raster_image_not_as_text(rig):
    assert rig.printer.print_receipt(ARABIC) is None
    [job] = rig.printed()
    assert RASTER in job and job.endswith(CUT)
    for text in (ARABIC.heading, ARABIC.service, *ARABIC.lines[1]):
        assert text.encode() not in job
        assert text.encode("cp1256") not in job
    assert ARABIC.reference.encode() not in job  # the reference is in the picture too


def test_a_working_printer_is_healthy(rig):
    health = rig.printer.health()
    assert (health.device, health.backend, health.ok) == ("printer", rig.printer.name, True)


@pytest.mark.parametrize("code", FAULTS)
def test_a_fault_is_returned_not_raised_and_nothing_prints(rig, code):
    rig.fail(code)
    fault = rig.printer.print_receipt(FRENCH)
    assert isinstance(fault, Fault) and (fault.device, fault.code) == ("printer", code)
    assert rig.printed() == []
    assert rig.printer.health().fault.code == code


def test_a_printer_works_again_once_the_fault_is_cleared(rig):
    rig.fail("paper_out")
    assert rig.printer.print_receipt(FRENCH).code == "paper_out"
    rig.fail(None)
    assert rig.printer.print_receipt(FRENCH) is None
    assert rig.printer.health().ok
    assert len(rig.printed()) == 1


@pytest.mark.parametrize("receipt", [FRENCH, ARABIC], ids=["fr", "ar"])
def test_the_simulated_spool_holds_exactly_the_bytes_a_network_printer_receives(tmp_path, receipt):
    fake = FakeNetworkPrinter()
    try:
        printer = open_printer(f"network:127.0.0.1:{fake.port}?timeout=2", tmp_path)
        assert printer.print_receipt(receipt) is None
        [received] = fake.settle()
    finally:
        fake.close()
    simulated = SimulatedPrinter(tmp_path / "spool")
    assert simulated.print_receipt(receipt) is None
    spooled = (tmp_path / "spool" / f"{receipt.reference}.bin").read_bytes()
    assert received == RT_STATUS + b"\x04" + RT_STATUS + b"\x01" + spooled


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as server:
        return server.getsockname()[1]


def test_a_network_printer_nobody_answers_on_is_offline_quickly(tmp_path):
    printer = open_printer(f"network:127.0.0.1:{_free_port()}?timeout=2", tmp_path)
    started = time.monotonic()
    fault = printer.print_receipt(FRENCH)
    assert fault.code == "offline" and "127.0.0.1" in fault.detail
    assert printer.health().fault.code == "offline"
    assert time.monotonic() - started < 3


def test_a_network_printer_that_never_answers_status_is_offline_after_the_timeout(tmp_path):
    fake = FakeNetworkPrinter()
    fake.state = "silent"
    try:
        printer = open_printer(f"network:127.0.0.1:{fake.port}?timeout=0.5", tmp_path)
        started = time.monotonic()
        fault = printer.print_receipt(FRENCH)
        assert time.monotonic() - started < 3
        assert fault.code == "offline"
        assert all(without_status_queries(data) == b"" for data in fake.settle())
    finally:
        fake.close()


def test_status_off_prints_without_asking(tmp_path):
    fake = FakeNetworkPrinter()
    fake.state = "silent"
    try:
        printer = open_printer(f"network:127.0.0.1:{fake.port}?timeout=2&status=off", tmp_path)
        assert printer.print_receipt(FRENCH) is None
        [received] = fake.settle()
    finally:
        fake.close()
    assert received.startswith(b"\x1b@") and CUT in received
