"""The contract every status light keeps: it shows online, syncing, offline and fault, and
what it shows is what the kiosk asked; a light that cannot is a Fault, never an exception.

GpioLight runs on gpiozero's MockFactory: the pin library gpiozero ships for testing, whose
pins really change state; here the test reads the pins back.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hardware.faults import Fault
from hardware.light import STATES, GpioLight, NoLight, SimulatedLight, StatusLight, open_light
from hardware.light.gpio import COLOURS


@dataclass
class Rig:
    light: StatusLight
    shown: Callable[[], str | None]  # what a person looking at the light would see


def _simulated(tmp_path: Path) -> Iterator[Rig]:
    light = SimulatedLight()
    yield Rig(light, lambda: light.state)


def _file(tmp_path: Path) -> Iterator[Rig]:
    path = tmp_path / "run" / "fieldkiosk" / "light"
    light = open_light(f"simulated?path={path}")
    yield Rig(light, lambda: path.read_text().strip() if path.exists() else None)


def _none(tmp_path: Path) -> Iterator[Rig]:
    light = NoLight()
    yield Rig(light, lambda: light.state)


def _gpio(tmp_path: Path) -> Iterator[Rig]:
    mock = pytest.importorskip("gpiozero.pins.mock", reason="gpiozero is not installed")
    factory = mock.MockFactory()
    light = GpioLight(5, 6, 13, pin_factory=factory)
    colours = {colour: state for state, colour in COLOURS.items()}

    def shown() -> str | None:
        return colours.get(tuple(int(factory.pin(n).state) for n in (5, 6, 13)))

    yield Rig(light, shown)
    light.close()
    factory.reset()


RIGS = {"simulated": _simulated, "file": _file, "none": _none, "gpio": _gpio}


def _no_gpio() -> GpioLight:
    if os.environ.get("GPIOZERO_PIN_FACTORY") or any(
        importlib.util.find_spec(name) for name in ("lgpio", "RPi", "pigpio")
    ):
        pytest.skip("this machine may have GPIO")
    return GpioLight()


def _unwritable(tmp_path: Path) -> SimulatedLight:
    (tmp_path / "a-file").write_text("not a folder")
    return SimulatedLight(tmp_path / "a-file" / "light")


BROKEN: dict[str, tuple[Callable[[Path], StatusLight], str]] = {
    "simulated-offline": (lambda tmp: open_light("simulated?fault=offline"), "offline"),
    "gpio-without-gpio": (lambda tmp: _no_gpio(), "offline"),
    "file-unwritable": (_unwritable, "error"),
}


@pytest.fixture(params=list(RIGS))
def rig(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rig]:
    yield from RIGS[request.param](tmp_path)


def test_is_a_status_light(rig):
    assert isinstance(rig.light, StatusLight)


def test_starts_with_no_state(rig):
    assert rig.light.state is None


@pytest.mark.parametrize("state", STATES)
def test_shows_each_state(rig, state):
    assert rig.light.show(state) is None
    assert rig.light.state == state
    assert rig.shown() == state


def test_follows_the_kiosk_through_a_day(rig):
    for state in ["offline", "syncing", "online", "fault", "online"]:
        assert rig.light.show(state) is None
        assert (rig.light.state, rig.shown()) == (state, state)


@pytest.mark.parametrize("state", ["purple", "", "ONLINE", "off"])
def test_an_unknown_state_is_unsupported_and_changes_nothing(rig, state):
    rig.light.show("syncing")
    fault = rig.light.show(state)
    assert isinstance(fault, Fault)
    assert (fault.device, fault.code) == ("light", "unsupported")
    assert (rig.light.state, rig.shown()) == ("syncing", "syncing")


def test_is_healthy(rig):
    health = rig.light.health()
    assert health.ok, health
    assert health.device == "light"


def test_shows_again_after_close(rig):
    rig.light.show("online")
    rig.light.close()
    rig.light.close()
    assert rig.light.show("fault") is None
    assert rig.shown() == "fault"


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_light_that_cannot_show_returns_a_fault(name, tmp_path):
    make, code = BROKEN[name]
    light = make(tmp_path)
    fault = light.show("online")
    assert isinstance(fault, Fault)
    assert (fault.device, fault.code) == ("light", code)
    assert light.state is None
    if code == "offline":
        assert light.health().fault.code == "offline"


# Backends' own behaviour, beyond the contract.


def test_gpio_pins_held_by_another_device_are_busy():
    mock = pytest.importorskip("gpiozero.pins.mock", reason="gpiozero is not installed")
    factory = mock.MockFactory()
    first, second = GpioLight(pin_factory=factory), GpioLight(pin_factory=factory)
    assert first.show("online") is None
    assert second.show("online").code == "busy"
    first.close()
    assert second.show("online") is None
    second.close()


def test_common_anode_leds_are_driven_low():
    mock = pytest.importorskip("gpiozero.pins.mock", reason="gpiozero is not installed")
    factory = mock.MockFactory()
    light = open_light("gpio?red=5&green=6&blue=13&active_high=false")
    light.pin_factory = factory
    assert light.show("fault") is None
    assert [factory.pin(n).state for n in (5, 6, 13)] == [0, 1, 1]
    light.close()


def test_the_state_file_is_one_word_readable_by_anyone(tmp_path):
    path = tmp_path / "light"
    SimulatedLight(path).show("syncing")
    assert path.read_text() == "syncing\n"
    assert path.stat().st_mode & 0o444 == 0o444
