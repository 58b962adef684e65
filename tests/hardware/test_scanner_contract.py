"""The contract every scanner backend keeps: a scanned receipt reference arrives as one
stripped string; silence is None; an unplugged scanner is a Fault, never an exception.

The serial backend is tested through a real pseudo-terminal pair: the scanner opens the
slave side like a USB CDC device, and the test "scans" by writing to the master side.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from hardware.faults import Fault
from hardware.scanner import (
    KeyboardScanner,
    Scanner,
    SerialScanner,
    SimulatedScanner,
    open_scanner,
)

CODE = "K01-00042-X"


@dataclass
class Rig:
    scanner: Scanner
    scan: Callable[[str], None]  # hold a code under the scanner (with its line ending)
    unplug: Callable[[], None]


def _simulated() -> Iterator[Rig]:
    scanner = SimulatedScanner()
    yield Rig(scanner, scanner.feed, lambda: setattr(scanner, "fault", "offline"))


def _serial(spec: str = "") -> Iterator[Rig]:
    master, slave = os.openpty()
    path = os.ttyname(slave)
    scanner = open_scanner(f"serial:{path}{spec}") if spec else SerialScanner(path)
    fds = [master, slave]

    def unplug() -> None:
        os.close(fds.pop(0))  # the master: the USB device is gone

    try:
        yield Rig(scanner, lambda text: os.write(master, text.encode()) and None, unplug)
    finally:
        scanner.close()
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)


RIGS = {
    "simulated": _simulated,
    "serial": _serial,
    "serial-spec": lambda: _serial("?baudrate=115200"),
}


@pytest.fixture(params=list(RIGS))
def rig(request: pytest.FixtureRequest) -> Iterator[Rig]:
    yield from RIGS[request.param]()


@pytest.fixture(params=[*RIGS, "keyboard"])
def scanner(request: pytest.FixtureRequest) -> Iterator[Scanner]:
    if request.param == "keyboard":
        yield KeyboardScanner()
    else:
        for rig in RIGS[request.param]():
            yield rig.scanner


def test_is_a_scanner(scanner):
    assert isinstance(scanner, Scanner)


def test_is_healthy(scanner):
    health = scanner.health()
    assert health.ok, health
    assert health.device == "scanner"


def test_nothing_scanned_is_none_after_the_timeout(scanner):
    started = time.monotonic()
    assert scanner.read(0.2) is None
    assert 0.15 < time.monotonic() - started < 1.5


def test_closing_twice_is_safe(scanner):
    scanner.close()
    scanner.close()


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"])
def test_reads_a_scanned_code(rig, ending):
    rig.scan(CODE + ending)
    assert rig.scanner.read(2.0) == CODE


def test_codes_are_stripped(rig):
    rig.scan(f"  {CODE}\t \r\n")
    assert rig.scanner.read(2.0) == CODE


def test_codes_come_one_at_a_time_in_order(rig):
    rig.scan("K01-00041-A\r\nK01-00042-X\r\n")
    assert [rig.scanner.read(2.0), rig.scanner.read(2.0)] == ["K01-00041-A", CODE]
    assert rig.scanner.read(0.1) is None


def test_blank_lines_are_not_codes(rig):
    rig.scan(f"\r\n  \r\n{CODE}\r\n")
    assert rig.scanner.read(2.0) == CODE


def test_the_scanner_works_again_after_close(rig):
    rig.scanner.close()
    assert rig.scanner.health().ok
    rig.scan(CODE + "\r")
    assert rig.scanner.read(2.0) == CODE


def test_unplugged_is_offline_not_an_exception(rig):
    rig.unplug()
    fault = rig.scanner.read(0.5)
    assert isinstance(fault, Fault)
    assert (fault.device, fault.code) == ("scanner", "offline")
    assert rig.scanner.health().fault.code == "offline"


# The serial backend's own behaviour, beyond the contract.


@pytest.fixture
def port() -> Iterator[tuple[SerialScanner, int]]:
    """A serial scanner and the master side of its pseudo-terminal, for raw bytes."""
    master, slave = os.openpty()
    scanner = SerialScanner(os.ttyname(slave), 9600)
    yield scanner, master
    scanner.close()
    os.close(master)
    os.close(slave)


def test_a_port_that_does_not_exist_is_offline(tmp_path):
    scanner = SerialScanner(str(tmp_path / "ttyACM0"))
    assert scanner.health().fault.code == "offline"
    assert scanner.read(0.1).code == "offline"


def test_half_a_code_waits_for_the_rest(port):
    scanner, master = port
    os.write(master, b"K01-000")
    assert scanner.read(0.1) is None
    os.write(master, b"42-X\r")
    assert scanner.read(2.0) == CODE


def test_utf8_codes_are_decoded_and_other_bytes_do_not_raise(port):
    scanner, master = port
    os.write(master, "NOM-ÉLÈVE\r".encode() + b"\xff\xfeK01\r")
    assert scanner.read(2.0) == "NOM-ÉLÈVE"
    assert scanner.read(2.0) == "\ufffd\ufffdK01"


def test_endless_noise_is_an_error_then_codes_read_again(port):
    scanner, master = port
    os.write(master, b"x" * 5000)
    fault = scanner.read(2.0)
    assert isinstance(fault, Fault) and fault.code == "error"
    os.write(master, f"\r{CODE}\r".encode())
    assert scanner.read(2.0) == CODE


def test_a_port_held_by_another_process_is_busy(port):
    scanner, master = port
    assert SerialScanner(scanner.port).health().fault.code == "busy"
    os.write(master, f"{CODE}\r".encode())
    assert scanner.read(2.0) == CODE
