"""Status light: online, syncing, offline or fault, readable from across the room.

``open_light("gpio?red=17&green=27&blue=22")`` on a Raspberry Pi; ``simulated`` (with
``?path=FILE`` to write the state to a file) elsewhere; ``none`` for kiosks without one.
See ``hardware/README.md``.
"""

from hardware.light.gpio import GpioLight
from hardware.light.protocol import STATES, LightState, StatusLight
from hardware.light.simulated import NoLight, SimulatedLight
from hardware.light.spec import open_light

__all__ = [
    "STATES",
    "GpioLight",
    "LightState",
    "NoLight",
    "SimulatedLight",
    "StatusLight",
    "open_light",
]
