"""What every speech backend offers the kiosk."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from hardware.faults import Fault, Health
from hardware.speech.audio import Audio

DEVICE = "speech"


@runtime_checkable
class Speech(Protocol):
    """Turns a question's text into audio a citizen can listen to."""

    def synthesise(self, text: str, language: str) -> Audio | Fault:
        """Audio of ``text`` spoken in ``language``, or the fault that stopped it.

        An unknown language gives ``Fault(code="unsupported")``; a missing engine gives
        ``Fault(code="offline")``. Never raises for device problems.
        """
        ...

    def voices(self) -> set[str]:
        """The languages (``"fr"``, ``"sw"``...) this backend can speak now."""
        ...

    def voice_for(self, language: str) -> str | None:
        """The voice that would speak ``language`` (part of the cache key), or None."""
        ...

    def health(self) -> Health: ...
