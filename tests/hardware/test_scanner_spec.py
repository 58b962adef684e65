"""The scanner setting: every documented spec opens; a bad one is a clear ValueError."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from hardware.scanner import KeyboardScanner, SerialScanner, SimulatedScanner, open_scanner

README = (Path(__file__).resolve().parents[2] / "hardware" / "README.md").read_text()
DOCUMENTED = {
    "keyboard": KeyboardScanner,
    "serial:/dev/ttyACM0": SerialScanner,
    "serial:/dev/ttyACM0?baudrate=115200": SerialScanner,
    "simulated": SimulatedScanner,
    "simulated?fault=offline": SimulatedScanner,
}


@pytest.mark.parametrize(("spec", "kind"), DOCUMENTED.items())
def test_documented_specs_open(spec, kind):
    assert f"`{spec}`" in README
    scanner = open_scanner(spec)
    assert isinstance(scanner, kind)
    scanner.close()


def test_serial_port_and_speed():
    master, slave = os.openpty()
    try:
        scanner = open_scanner(f"serial:{os.ttyname(slave)}?baudrate=19200")
        assert (scanner.port, scanner.baudrate) == (os.ttyname(slave), 19200)
        assert scanner.health().ok
        scanner.close()
    finally:
        os.close(master)
        os.close(slave)


def test_serial_defaults_to_9600(tmp_path):
    scanner = open_scanner(f"serial:{tmp_path}/ttyUSB0")
    assert scanner.baudrate == 9600
    scanner.close()


def test_a_simulated_fault():
    assert open_scanner("simulated?fault=busy").read(0).code == "busy"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "unknown backend ''"),
        ("usb", "unknown backend 'usb'"),
        ("serial", "serial needs a port"),
        ("serial:", "serial needs a port"),
        ("keyboard:/dev/hidraw0", "keyboard takes no port"),
        ("serial:/dev/ttyACM0?baudrate=fast", "baudrate must be one of"),
        ("serial:/dev/ttyACM0?baudrate=1234", "baudrate must be one of"),
        ("serial:/dev/ttyACM0?parity=E", "unknown option 'parity'"),
        ("keyboard?fault=offline", "unknown option 'fault'"),
        ("simulated?fault=jammed", "fault must be one of"),
        ("simulated?fault=busy&fault=offline", "an option is given twice"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec, problem):
    with pytest.raises(
        ValueError, match=rf"^scanner: .*{re.escape(problem)}.* \(got {re.escape(spec)}\)$"
    ):
        open_scanner(spec)
