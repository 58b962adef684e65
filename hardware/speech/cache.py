"""Speech served from disk the second time: espeak-ng runs once per text, language and voice."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from hardware.faults import Fault, Health
from hardware.speech.audio import EXTENSIONS, MEDIA_TYPES, Audio
from hardware.speech.languages import normalised
from hardware.speech.protocol import Speech
from hardware.speech.text import cleaned

log = logging.getLogger(__name__)


class CachedSpeech:
    """Wraps a backend; keeps each utterance in ``directory/ab/<sha256>.ogg``.

    Faults are never cached. A cache that cannot be read or written (a full or read-only
    disk) only costs speed: the backend answers instead.
    """

    def __init__(self, backend: Speech, directory: Path | str) -> None:
        self.backend = backend
        self.directory = Path(directory)

    def synthesise(self, text: str, language: str) -> Audio | Fault:
        voice = self.backend.voice_for(language)
        if voice is None:
            return self.backend.synthesise(text, language)
        key = cache_key(cleaned(text), language, voice)
        hit = self._read(key)
        if hit is not None:
            return hit
        audio = self.backend.synthesise(text, language)
        if isinstance(audio, Audio) and audio.media_type in EXTENSIONS:
            self._write(key, audio)
        return audio

    def voices(self) -> set[str]:
        return self.backend.voices()

    def voice_for(self, language: str) -> str | None:
        return self.backend.voice_for(language)

    def health(self) -> Health:
        return self.backend.health()

    def path(self, key: str, extension: str) -> Path:
        return self.directory / key[:2] / f"{key}{extension}"

    def _read(self, key: str) -> Audio | None:
        for extension in EXTENSIONS.values():
            try:
                data = self.path(key, extension).read_bytes()
            except FileNotFoundError:
                continue
            except OSError as error:
                log.warning("speech cache: cannot read %s: %s", key, error)
                return None
            return Audio(data, MEDIA_TYPES[extension])
        return None

    def _write(self, key: str, audio: Audio) -> None:
        target = self.path(key, audio.extension)
        part = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as part:
                part.write(audio.data)
            os.replace(part.name, target)
        except OSError as error:
            log.warning("speech cache: cannot write %s: %s", target, error)
            if part is not None:
                Path(part.name).unlink(missing_ok=True)


def cache_key(text: str, language: str, voice: str) -> str:
    """SHA-256 of the (text, language, voice) triple: the cache file's name."""
    triple = json.dumps([text, normalised(language) or language, voice], ensure_ascii=False)
    return hashlib.sha256(triple.encode()).hexdigest()
