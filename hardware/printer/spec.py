"""The printer setting: one string that says which receipt printer a kiosk has.

    simulated[?fault=CODE]                        spool files, optionally failing with CODE
    network:HOST[:PORT][?timeout=SECONDS]         raw ESC/POS over TCP, port 9100 by default
    usb:VENDOR:PRODUCT[?timeout=SECONDS]          hexadecimal USB ids, e.g. usb:04b8:0e15
    serial:DEVICE[?baudrate=N&timeout=SECONDS]    e.g. serial:/dev/ttyUSB0?baudrate=19200

Every kind also takes ``profile=NAME`` (a python-escpos printer profile; default TM-T20II)
and ``width=DOTS`` (default: the profile's paper width, 576 for 80 mm, 384 for 58 mm). The
real kinds take ``status=off`` for a printer that cannot answer status queries (one wired
for output only). A spec that cannot be understood is a settings error: ``ValueError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args
from urllib.parse import urlsplit

from escpos.capabilities import CAPABILITIES

from hardware.faults import FaultCode
from hardware.printer.commands import DEFAULT_PROFILE, paper_width
from hardware.spec import SpecOptions

KINDS = "simulated, network:HOST[:PORT], usb:VENDOR:PRODUCT or serial:DEVICE"
NETWORK_PORT = 9100
TIMEOUT = 5.0  # seconds to connect, write or wait for a status reply
BAUDRATE = 9600
_SWITCH = {"on": True, "off": False}
_FAULTS = {code: code for code in get_args(FaultCode)}


@dataclass(frozen=True)
class Spec:
    """A parsed printer spec: which driver, and the keyword arguments to open it with."""

    kind: str
    connection: dict[str, Any] = field(default_factory=dict)
    where: str = ""
    fault: FaultCode | None = None
    profile: str = DEFAULT_PROFILE
    width: int = 576
    status: bool = True


class _Options(SpecOptions):
    """The ``?name=value&...`` part of a spec; each option is read once, leftovers are errors."""

    def __init__(self, query: str, spec: str) -> None:
        super().__init__("printer", spec, query)

    def number(self, name: str, default: float, kind: type = float) -> Any:
        text = self.pop(name, None)
        if text is None:
            return default
        try:
            value = kind(text)
        except ValueError:
            raise self.bad(f"{name} must be a number") from None
        if not 0 < value < float("inf"):
            raise self.bad(f"{name} must be a positive number")
        return value

    def choice(self, name: str, choices: dict[str, Any], default: Any) -> Any:
        text = self.pop(name, None)
        if text is None:
            return default
        if text not in choices:
            raise self.bad(f"{name} must be one of {', '.join(choices)}")
        return choices[text]

    def finish(self, kind: str) -> None:
        if self:
            raise self.bad(f"unknown option {next(iter(self))!r} for {kind}")


def parse_spec(spec: str) -> Spec:
    """Read a printer spec (see the module docstring); a bad one raises ``ValueError``."""
    head, _, query = spec.strip().partition("?")
    kind, _, address = head.partition(":")
    options = _Options(query, spec)
    if kind not in _ADDRESSES:
        raise options.bad(f"expected {KINDS}")
    connection, where = _ADDRESSES[kind](address, options)
    profile = options.choice("profile", _PROFILES, DEFAULT_PROFILE)
    width = _width(options, profile)
    if kind == "simulated":
        fault, status = options.choice("fault", _FAULTS, None), True
    else:
        fault, status = None, options.choice("status", _SWITCH, True)
    options.finish(kind)
    return Spec(kind, connection, where, fault, profile, width, status)


def _simulated(address: str, options: _Options) -> tuple[dict[str, Any], str]:
    if address:
        raise options.bad("simulated takes no address")
    return {}, "spool"


def _network(address: str, options: _Options) -> tuple[dict[str, Any], str]:
    try:
        parts = urlsplit(f"//{address}")
        host, port = parts.hostname, parts.port or NETWORK_PORT
    except ValueError:
        raise options.bad("the port must be a number from 1 to 65535") from None
    if not host or parts.path or parts.username:
        raise options.bad("network needs a host, as network:HOST[:PORT]")
    timeout = options.number("timeout", TIMEOUT)
    return {"host": host, "port": port, "timeout": timeout}, f"{host}:{port}"


def _usb(address: str, options: _Options) -> tuple[dict[str, Any], str]:
    ids = address.split(":")
    try:
        vendor, product = (int(part, 16) for part in ids)
    except ValueError:
        raise options.bad("usb needs hexadecimal ids, as usb:VENDOR:PRODUCT") from None
    if not (0 < vendor <= 0xFFFF and 0 < product <= 0xFFFF):
        raise options.bad("usb ids are from 0001 to ffff")
    timeout_ms = round(options.number("timeout", TIMEOUT) * 1000)
    connection = {"idVendor": vendor, "idProduct": product, "timeout": timeout_ms}
    return connection, f"{vendor:04x}:{product:04x}"


def _serial(address: str, options: _Options) -> tuple[dict[str, Any], str]:
    if not address:
        raise options.bad("serial needs a device, as serial:/dev/ttyUSB0")
    baudrate = options.number("baudrate", BAUDRATE, int)
    timeout = options.number("timeout", TIMEOUT)
    return {"devfile": address, "baudrate": baudrate, "timeout": timeout}, address


_ADDRESSES = {"simulated": _simulated, "network": _network, "usb": _usb, "serial": _serial}
_PROFILES = {name: name for name in sorted(CAPABILITIES["profiles"])}


def _width(options: _Options, profile: str) -> int:
    widest = paper_width(profile)
    width = options.number("width", widest, int)
    if width % 8 or width > widest:
        raise options.bad(f"width must be a multiple of 8 dots, at most {widest} for {profile}")
    return int(width)
