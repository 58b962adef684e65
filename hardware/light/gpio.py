"""A status light on a Raspberry Pi's GPIO pins: one RGB LED or three single LEDs.

gpiozero is imported only when the light is first used, so kiosks without GPIO (and
without gpiozero) still start; there the light reports ``offline`` instead of raising.
"""

from __future__ import annotations

import threading
import warnings
from typing import Any, cast

from hardware.faults import Fault, FaultCode, Health
from hardware.light.protocol import DEVICE, LightState, unknown_state

BACKEND = "gpio"
# state -> (red, green, blue); amber is red and green together.
COLOURS: dict[LightState, tuple[int, int, int]] = {
    "online": (0, 1, 0),
    "syncing": (0, 0, 1),
    "offline": (1, 1, 0),
    "fault": (1, 0, 0),
}


class GpioLight:
    """Drives BCM pins ``red``, ``green`` and ``blue`` through gpiozero's ``RGBLED``.

    ``active_high=False`` is for common-anode LEDs. ``pin_factory`` picks gpiozero's pin
    library; None means gpiozero's default for this board.
    """

    def __init__(
        self,
        red: int = 17,
        green: int = 27,
        blue: int = 22,
        *,
        active_high: bool = True,
        pin_factory: Any = None,
    ) -> None:
        self.pins = (red, green, blue)
        self.active_high = active_high
        self.pin_factory = pin_factory
        self._led: Any = None
        self._state: LightState | None = None
        self._lock = threading.Lock()  # the sync follower and /healthz run side by side

    @property
    def state(self) -> LightState | None:
        return self._state

    def show(self, state: str) -> Fault | None:
        with self._lock:
            fault = unknown_state(state) or self._connect()
            if fault:
                return fault
            try:
                self._led.value = COLOURS[cast(LightState, state)]
            except Exception as error:  # gpiozero's own errors, OSError, RuntimeError
                self._release()
                return _fault(self.pins, error, [])
            self._state = cast(LightState, state)
            return None

    def health(self) -> Health:
        with self._lock:
            return Health(DEVICE, BACKEND, self._connect())

    def close(self) -> None:
        with self._lock:
            self._release()

    def _release(self) -> None:
        if self._led is not None:
            self._led.close()
            self._led = None

    def _connect(self) -> Fault | None:
        if self._led is not None:
            return None
        with warnings.catch_warnings(record=True) as fallbacks:
            warnings.simplefilter("always")  # gpiozero warns once per pin library it skips
            try:
                from gpiozero import RGBLED

                self._led = RGBLED(
                    *self.pins,
                    active_high=self.active_high,
                    pwm=False,
                    pin_factory=self.pin_factory,
                )
            except Exception as error:  # ImportError, BadPinFactory, GPIOPinInUse...
                return _fault(self.pins, error, [str(w.message) for w in fallbacks])
        return None


def _fault(pins: tuple[int, int, int], error: Exception, reasons: list[str]) -> Fault:
    """``busy`` if another device holds the pins, else ``offline``, with gpiozero's reasons."""
    code: FaultCode = "busy" if type(error).__name__ == "GPIOPinInUse" else "offline"
    because = f" ({'; '.join(reasons)})" if reasons else ""
    return Fault(DEVICE, code, f"GPIO {'/'.join(map(str, pins))}: {error}{because}")
