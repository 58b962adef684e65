"""A scanner from one setting string: ``serial:/dev/ttyACM0?baudrate=9600``, ``keyboard``
or ``simulated`` (``simulated?fault=offline`` to rehearse an unplugged scanner)."""

from __future__ import annotations

from typing import get_args
from urllib.parse import parse_qsl

from hardware.faults import FaultCode
from hardware.scanner.keyboard import KeyboardScanner
from hardware.scanner.protocol import Scanner
from hardware.scanner.serial_port import SerialScanner
from hardware.scanner.simulated import SimulatedScanner

KINDS = ("serial:PORT", "keyboard", "simulated")
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)


def open_scanner(spec: str) -> Scanner:
    """The scanner for ``spec``; ValueError "scanner: problem (got SPEC)" if bad."""
    name, _, query = spec.strip().partition("?")
    kind, colon, port = name.partition(":")
    options = _options(query, spec)
    if kind == "serial":
        if not port:
            raise _bad("serial needs a port, as in serial:/dev/ttyACM0", spec)
        _only(options, {"baudrate"}, spec)
        return SerialScanner(port, _baudrate(options.get("baudrate", "9600"), spec))
    if colon:
        raise _bad(f"{kind} takes no port", spec)
    if kind == "keyboard":
        _only(options, set(), spec)
        return KeyboardScanner()
    if kind == "simulated":
        _only(options, {"fault"}, spec)
        return SimulatedScanner(fault=_fault(options.get("fault"), spec))
    raise _bad(f"unknown backend {kind!r}, expected one of {', '.join(KINDS)}", spec)


def _options(query: str, spec: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as error:
        raise _bad(f"options are not KEY=VALUE&... ({error})", spec) from None
    options = dict(pairs)
    if len(options) != len(pairs):
        raise _bad("an option is given twice", spec)
    return options


def _only(options: dict[str, str], allowed: set[str], spec: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise _bad(f"unknown option {unknown[0]!r}", spec)


def _baudrate(value: str, spec: str) -> int:
    if not value.isdigit() or int(value) not in BAUDRATES:
        raise _bad(f"baudrate must be one of {', '.join(map(str, BAUDRATES))}", spec)
    return int(value)


def _fault(code: str | None, spec: str) -> FaultCode | None:
    if code is None:
        return None
    if code not in get_args(FaultCode):
        raise _bad(f"fault must be one of {', '.join(get_args(FaultCode))}", spec)
    return code  # type: ignore[return-value]


def _bad(problem: str, spec: str) -> ValueError:
    return ValueError(f"scanner: {problem} (got {spec})")
