"""The light setting: every documented spec opens; a bad one is a clear ValueError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hardware.light import GpioLight, NoLight, SimulatedLight, open_light

README = (Path(__file__).resolve().parents[2] / "hardware" / "README.md").read_text()
DOCUMENTED = {
    "gpio?red=17&green=27&blue=22": GpioLight,
    "simulated": SimulatedLight,
    "simulated?path=/run/fieldkiosk/light": SimulatedLight,
    "simulated?fault=offline": SimulatedLight,
    "none": NoLight,
}


@pytest.mark.parametrize(("spec", "kind"), DOCUMENTED.items())
def test_documented_specs_open(spec, kind):
    assert f"`{spec}`" in README
    assert type(open_light(spec)) is kind


def test_gpio_pins_and_polarity():
    light = open_light("gpio?red=5&green=6&blue=13&active_high=false")
    assert (light.pins, light.active_high) == ((5, 6, 13), False)
    assert open_light("gpio").pins == (17, 27, 22)
    assert "`active_high=false`" in README


def test_simulated_path_and_backend_names():
    assert open_light("simulated?path=/run/fieldkiosk/light").path == Path("/run/fieldkiosk/light")
    assert open_light("simulated").health().backend == "simulated"
    assert open_light("none").health().backend == "none"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "unknown backend ''"),
        ("neopixel", "unknown backend 'neopixel'"),
        ("gpio?red=GPIO17", "a pin is a BCM GPIO number"),
        ("gpio?blue=40", "a pin is a BCM GPIO number"),
        ("gpio?yellow=5", "unknown option 'yellow'"),
        ("gpio?active_high=maybe", "active_high is true or false"),
        ("simulated?colour=red", "unknown option 'colour'"),
        ("simulated?fault=dim", "fault must be one of"),
        ("none?path=/tmp/x", "unknown option 'path'"),
        ("gpio?red=5&red=6", "an option is given twice"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec, problem):
    with pytest.raises(
        ValueError, match=rf"^light: .*{re.escape(problem)}.* \(got {re.escape(spec)}\)$"
    ):
        open_light(spec)
