"""Spoken audio as the kiosk serves it: bytes plus a media type, compressed when possible."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)

OGG = "audio/ogg"
WAV = "audio/wav"
MEDIA_TYPES = {".ogg": OGG, ".opus": OGG, ".oga": OGG, ".mp3": "audio/mpeg", ".wav": WAV}
BLOCK = 16384  # frames per write
EXTENSIONS = {OGG: ".ogg", "audio/mpeg": ".mp3", WAV: ".wav"}


@dataclass(frozen=True)
class Audio:
    """One utterance, ready to send to the browser's ``<audio>`` element."""

    data: bytes
    media_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.media_type, ".bin")


def compressed(wav: bytes) -> Audio:
    """The WAV as Ogg/Vorbis (about a seventh of the size), or as it is if that fails.

    libsndfile writes Ogg/Vorbis but not at 22,050 Hz in Opus, espeak-ng's rate, so Vorbis
    it is. Where libsndfile is missing or cannot write Ogg, the kiosk still gets the WAV.
    """
    try:
        import soundfile
    except (ImportError, OSError) as error:  # OSError: the shared libsndfile is missing
        log.warning("speech: serving WAV, soundfile unavailable: %s", error)
        return Audio(wav, WAV)
    if "VORBIS" not in soundfile.available_subtypes("OGG"):
        return Audio(wav, WAV)
    try:
        return Audio(_vorbis(soundfile, wav), OGG)
    except (soundfile.LibsndfileError, RuntimeError, ValueError) as error:
        log.warning("speech: serving WAV, Ogg encoding failed: %s", error)
        return Audio(wav, WAV)


def _vorbis(soundfile: Any, wav: bytes) -> bytes:
    samples, rate = soundfile.read(io.BytesIO(wav), dtype="int16")
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    out = io.BytesIO()
    with soundfile.SoundFile(out, "w", rate, channels, format="OGG", subtype="VORBIS") as ogg:
        # In blocks: libvorbis overflows its stack on one long write (libsndfile #1095).
        for start in range(0, len(samples), BLOCK):
            ogg.write(samples[start : start + BLOCK])
    return out.getvalue()
