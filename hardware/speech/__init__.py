"""Speech: questions read aloud for citizens who cannot read them.

``open_speech("espeak", DATA / "speech")`` gives a :class:`PromptedSpeech`: a recording
from ``DATA/speech/prompts`` when one exists, else espeak-ng, cached in
``DATA/speech/cache``. See ``hardware/README.md``.
"""

from hardware.speech.audio import Audio
from hardware.speech.cache import CachedSpeech
from hardware.speech.espeak import EspeakSpeech
from hardware.speech.prompted import PromptedSpeech
from hardware.speech.prompts import RecordedPrompts, prompt_key
from hardware.speech.protocol import Speech
from hardware.speech.simulated import SimulatedSpeech
from hardware.speech.spec import open_speech

__all__ = [
    "Audio",
    "CachedSpeech",
    "EspeakSpeech",
    "PromptedSpeech",
    "RecordedPrompts",
    "SimulatedSpeech",
    "Speech",
    "open_speech",
    "prompt_key",
]
