"""What every status light backend offers the kiosk."""

from __future__ import annotations

from typing import Literal, Protocol, get_args, runtime_checkable

from hardware.faults import Fault, Health

DEVICE = "light"

LightState = Literal[
    "online",  # green: central reachable, nothing waiting
    "syncing",  # blue: submissions are being sent
    "offline",  # amber: working offline, submissions kept until central answers
    "fault",  # red: a device or the kiosk needs a technician
]
STATES: tuple[LightState, ...] = get_args(LightState)


@runtime_checkable
class StatusLight(Protocol):
    """A light a technician or queueing citizen can read from across the room."""

    def show(self, state: str) -> Fault | None:
        """Show ``state`` (one of :data:`STATES`); a Fault if the light cannot (an unknown
        state gives ``unsupported``). Never raises for device problems."""
        ...

    @property
    def state(self) -> LightState | None:
        """The state last shown successfully; None before the first."""
        ...

    def health(self) -> Health: ...

    def close(self) -> None:
        """Release the device (GPIO pins). Safe to call twice."""
        ...


def unknown_state(state: str) -> Fault | None:
    """The Fault for a state that is not one of :data:`STATES`, else None."""
    if state in STATES:
        return None
    return Fault(DEVICE, "unsupported", f"no light state {state!r}; one of {', '.join(STATES)}")
