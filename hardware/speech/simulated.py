"""A speech backend that ships with the product: a soft tone as long as the text.

It needs no engine, so development machines, tests and kiosks without espeak-ng still
exercise every audio path. It remembers what it was asked to say (``spoken``), and can be
told to fail (``fault``), now or later.
"""

from __future__ import annotations

import array
import io
import math
import wave
from collections.abc import Iterable

from hardware.faults import Fault, FaultCode, Health
from hardware.speech.audio import Audio, compressed
from hardware.speech.languages import VOICES, lookup
from hardware.speech.protocol import DEVICE
from hardware.speech.text import cleaned

BACKEND = "simulated"
RATE = 16000
SECONDS_PER_CHAR = 0.05
LONGEST = 8.0


class SimulatedSpeech:
    """Speaks every language of the kiosk's voice table (or ``languages``) as a tone."""

    def __init__(
        self, languages: Iterable[str] | None = None, *, fault: FaultCode | None = None
    ) -> None:
        self.languages = set(VOICES if languages is None else languages)
        self.fault = fault
        self.spoken: list[tuple[str, str]] = []

    def synthesise(self, text: str, language: str) -> Audio | Fault:
        if self.fault:
            return Fault(DEVICE, self.fault, "simulated fault")
        if self.voice_for(language) is None:
            return Fault(DEVICE, "unsupported", f"no simulated voice for {language!r}")
        words = cleaned(text)
        if not words:
            return Fault(DEVICE, "unsupported", "nothing to say: the text is empty")
        self.spoken.append((words, language))
        return compressed(tone(min(0.3 + SECONDS_PER_CHAR * len(words), LONGEST)))

    def voices(self) -> set[str]:
        return set() if self.fault else set(self.languages)

    def voice_for(self, language: str) -> str | None:
        return lookup({lang: f"tone-{lang}" for lang in self.languages}, language)

    def health(self) -> Health:
        fault = Fault(DEVICE, self.fault, "simulated fault") if self.fault else None
        return Health(DEVICE, BACKEND, fault)


def tone(seconds: float, hertz: float = 440.0) -> bytes:
    """A quiet sine tone as a 16-bit mono WAV."""
    step = 2 * math.pi * hertz / RATE
    samples = array.array("h", (int(2000 * math.sin(step * i)) for i in range(int(seconds * RATE))))
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())
    return out.getvalue()
