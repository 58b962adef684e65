"""Prompts recorded by a person, which the kiosk plays instead of synthetic speech.

Layout: ``DIRECTORY/LANGUAGE/KEY.ogg`` (or ``.opus``, ``.mp3``, ``.wav``), where KEY names
what is said, usually ``FORM_ID.FIELD`` (:func:`prompt_key`): for example
``prompts/sw/birth-certificate.full_name.ogg``. A ``pt-br`` request also finds ``pt``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from hardware.speech.audio import MEDIA_TYPES, Audio
from hardware.speech.languages import candidates

log = logging.getLogger(__name__)

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$")


def prompt_key(form_id: str, field: str) -> str:
    """The key of the recording that reads out ``field`` of form ``form_id``."""
    return f"{form_id}.{field}"


class RecordedPrompts:
    """Looks recordings up by key and language; a missing one is simply None."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def path(self, key: str, language: str) -> Path | None:
        """The recording's file, or None (also for keys that are not plain file names)."""
        if not _KEY.match(key) or ".." in key:
            return None
        for tag in candidates(language):
            for extension in MEDIA_TYPES:
                path = self.directory / tag / f"{key}{extension}"
                if path.is_file():
                    return path
        return None

    def get(self, key: str, language: str) -> Audio | None:
        path = self.path(key, language)
        if path is None:
            return None
        try:
            return Audio(path.read_bytes(), MEDIA_TYPES[path.suffix])
        except OSError as error:
            log.warning("speech prompts: cannot read %s: %s", path, error)
            return None

    def languages(self) -> set[str]:
        """Languages with at least one recording directory."""
        if not self.directory.is_dir():
            return set()
        return {child.name for child in self.directory.iterdir() if child.is_dir()}
