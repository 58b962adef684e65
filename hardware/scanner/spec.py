"""A scanner from one setting string: ``serial:/dev/ttyACM0?baudrate=9600``, ``keyboard``
or ``simulated`` (``simulated?fault=offline`` to rehearse an unplugged scanner)."""

from __future__ import annotations

from hardware.scanner.keyboard import KeyboardScanner
from hardware.scanner.protocol import Scanner
from hardware.scanner.serial_port import SerialScanner
from hardware.scanner.simulated import SimulatedScanner
from hardware.spec import SpecOptions

KINDS = ("serial:PORT", "keyboard", "simulated")
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


def open_scanner(spec: str) -> Scanner:
    """The scanner for ``spec``; ValueError "scanner: problem (got SPEC)" if bad."""
    name, _, query = spec.strip().partition("?")
    kind, colon, port = name.partition(":")
    options = SpecOptions("scanner", spec, query)
    if kind == "serial":
        if not port:
            raise options.bad("serial needs a port, as in serial:/dev/ttyACM0")
        options.only({"baudrate"})
        return SerialScanner(port, _baudrate(options.get("baudrate", "9600"), options))
    if colon:
        raise options.bad(f"{kind} takes no port")
    if kind == "keyboard":
        options.only(set())
        return KeyboardScanner()
    if kind == "simulated":
        options.only({"fault"})
        return SimulatedScanner(fault=options.fault())
    raise options.unknown_kind(kind, KINDS)


def _baudrate(value: str, options: SpecOptions) -> int:
    if not value.isdigit() or int(value) not in BAUDRATES:
        raise options.bad(f"baudrate must be one of {', '.join(map(str, BAUDRATES))}")
    return int(value)
