"""The speech the kiosk uses: a recorded prompt when there is one, else a backend."""

from __future__ import annotations

from hardware.faults import Fault, Health
from hardware.speech.audio import Audio
from hardware.speech.prompts import RecordedPrompts
from hardware.speech.protocol import Speech


class PromptedSpeech:
    """Recorded prompts win; everything else goes to ``fallback`` (cached espeak, say).

    It is a :class:`Speech` itself, with one more, optional, argument: ``prompt_key``.
    """

    def __init__(self, prompts: RecordedPrompts | None, fallback: Speech) -> None:
        self.prompts = prompts
        self.fallback = fallback

    def synthesise(self, text: str, language: str, prompt_key: str | None = None) -> Audio | Fault:
        if prompt_key and self.prompts is not None:
            recorded = self.prompts.get(prompt_key, language)
            if recorded is not None:
                return recorded
        return self.fallback.synthesise(text, language)

    def voices(self) -> set[str]:
        """Languages in which any text can be spoken (recordings cover only their keys)."""
        return self.fallback.voices()

    def voice_for(self, language: str) -> str | None:
        return self.fallback.voice_for(language)

    def health(self) -> Health:
        return self.fallback.health()
