"""A status light from one setting string: ``gpio?red=17&green=27&blue=22``,
``simulated``, ``simulated?path=/run/fieldkiosk/light`` or ``none``."""

from __future__ import annotations

from typing import get_args
from urllib.parse import parse_qsl

from hardware.faults import FaultCode
from hardware.light.gpio import GpioLight
from hardware.light.protocol import StatusLight
from hardware.light.simulated import NoLight, SimulatedLight

KINDS = ("gpio", "simulated", "none")
PINS = ("red", "green", "blue")


def open_light(spec: str) -> StatusLight:
    """The light for ``spec``; ValueError "light: problem (got SPEC)" if bad."""
    kind, _, query = spec.strip().partition("?")
    options = _options(query, spec)
    if kind == "gpio":
        _only(options, {*PINS, "active_high"}, spec)
        pins = {colour: _pin(options[colour], spec) for colour in PINS if colour in options}
        return GpioLight(**pins, active_high=_flag(options.get("active_high", "1"), spec))
    if kind == "simulated":
        _only(options, {"path", "fault"}, spec)
        return SimulatedLight(options.get("path") or None, fault=_fault(options.get("fault"), spec))
    if kind == "none":
        _only(options, set(), spec)
        return NoLight()
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


def _pin(value: str, spec: str) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 27:
        raise _bad("a pin is a BCM GPIO number from 0 to 27", spec)
    return int(value)


def _flag(value: str, spec: str) -> bool:
    if value.lower() not in {"1", "0", "true", "false"}:
        raise _bad("active_high is true or false", spec)
    return value.lower() in {"1", "true"}


def _fault(code: str | None, spec: str) -> FaultCode | None:
    if code is None:
        return None
    if code not in get_args(FaultCode):
        raise _bad(f"fault must be one of {', '.join(get_args(FaultCode))}", spec)
    return code  # type: ignore[return-value]


def _bad(problem: str, spec: str) -> ValueError:
    return ValueError(f"light: {problem} (got {spec})")
