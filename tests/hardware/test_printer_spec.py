"""The printer setting: what each spec opens, and a clear ValueError for a bad one."""

from __future__ import annotations

import pytest

from hardware.printer import EscposPrinter, SimulatedPrinter, open_printer
from hardware.printer.spec import parse_spec


@pytest.mark.parametrize(
    ("spec", "kind", "connection", "width"),
    [
        ("simulated", "simulated", {}, 576),
        ("network:10.0.0.5", "network", {"host": "10.0.0.5", "port": 9100, "timeout": 5.0}, 576),
        (
            "network:printer.lan:9101?timeout=2",
            "network",
            {"host": "printer.lan", "port": 9101, "timeout": 2.0},
            576,
        ),
        (
            "network:[fd00::5]:9100",
            "network",
            {"host": "fd00::5", "port": 9100, "timeout": 5.0},
            576,
        ),
        ("usb:04b8:0e15", "usb", {"idVendor": 0x04B8, "idProduct": 0x0E15, "timeout": 5000}, 576),
        (
            "serial:/dev/ttyUSB0",
            "serial",
            {"devfile": "/dev/ttyUSB0", "baudrate": 9600, "timeout": 5.0},
            576,
        ),
        (
            "serial:/dev/ttyS0?baudrate=19200&width=384",
            "serial",
            {"devfile": "/dev/ttyS0", "baudrate": 19200, "timeout": 5.0},
            384,
        ),
        (
            "usb:0416:5011?profile=POS-5890",
            "usb",
            {"idVendor": 0x0416, "idProduct": 0x5011, "timeout": 5000},
            384,
        ),
    ],
)
def test_a_spec_names_a_driver_and_its_connection(spec, kind, connection, width):
    parsed = parse_spec(spec)
    assert (parsed.kind, parsed.connection, parsed.width) == (kind, connection, width)


def test_options_reach_the_spec():
    assert parse_spec("simulated?fault=paper_out").fault == "paper_out"
    assert parse_spec("network:10.0.0.5?status=off").status is False
    assert parse_spec("network:10.0.0.5").status is True
    assert parse_spec("network:10.0.0.5?profile=TM-T88V").width == 512


def test_open_printer_builds_the_backend_without_touching_the_device(tmp_path):
    assert isinstance(open_printer("simulated", tmp_path), SimulatedPrinter)
    for spec, name in [
        ("network:10.0.0.5", "network"),
        ("usb:04b8:0e15", "usb"),
        ("serial:/dev/ttyUSB9", "serial"),
    ]:
        printer = open_printer(spec, tmp_path)
        assert isinstance(printer, EscposPrinter) and printer.name == name
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "laser",
        "simulated:x",
        "simulated?fault=jammed",
        "simulated?fault=paper_out&fault=offline",
        "network:",
        "network::9100",
        "network:printer:port",
        "network:printer:70000",
        "network:printer?colour=red",
        "network:printer?timeout=-1",
        "network:printer?timeout=soon",
        "network:printer?timeout=nan",
        "network:printer?status=maybe",
        "network:printer?fault=paper_out",
        "usb:04b8",
        "usb:zz:0e15",
        "usb:0:0e15",
        "usb:04b8:0e15:1",
        "serial:",
        "serial:/dev/ttyUSB0?baudrate=fast",
        "simulated?profile=nope",
        "simulated?width=580",
        "simulated?width=640",
        "network:printer?profile=POS-5890&width=576",
    ],
)
def test_a_bad_spec_is_a_settings_error_that_names_the_spec(spec, tmp_path):
    with pytest.raises(ValueError) as raised:
        open_printer(spec, tmp_path)
    message = str(raised.value)
    assert message.startswith("printer: ") and message.endswith(f"(got {spec})")
