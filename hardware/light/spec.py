"""A status light from one setting string: ``gpio?red=17&green=27&blue=22``,
``simulated``, ``simulated?path=/run/fieldkiosk/light`` or ``none``."""

from __future__ import annotations

from hardware.light.gpio import GpioLight
from hardware.light.protocol import StatusLight
from hardware.light.simulated import NoLight, SimulatedLight
from hardware.spec import SpecOptions

KINDS = ("gpio", "simulated", "none")
PINS = ("red", "green", "blue")


def open_light(spec: str) -> StatusLight:
    """The light for ``spec``; ValueError "light: problem (got SPEC)" if bad."""
    kind, _, query = spec.strip().partition("?")
    options = SpecOptions("light", spec, query)
    if kind == "gpio":
        options.only({*PINS, "active_high"})
        pins = {colour: _pin(options[colour], options) for colour in PINS if colour in options}
        return GpioLight(**pins, active_high=_flag(options.get("active_high", "1"), options))
    if kind == "simulated":
        options.only({"path", "fault"})
        return SimulatedLight(options.get("path") or None, fault=options.fault())
    if kind == "none":
        options.only(set())
        return NoLight()
    raise options.unknown_kind(kind, KINDS)


def _pin(value: str, options: SpecOptions) -> int:
    if not value.isdigit() or not 0 <= int(value) <= 27:
        raise options.bad("a pin is a BCM GPIO number from 0 to 27")
    return int(value)


def _flag(value: str, options: SpecOptions) -> bool:
    if value.lower() not in {"1", "0", "true", "false"}:
        raise options.bad("active_high is true or false")
    return value.lower() in {"1", "true"}
