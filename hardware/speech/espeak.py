"""Speech from Debian's espeak-ng: offline, small, and it speaks Swahili and Arabic."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping

from hardware.faults import Fault, FaultCode, Health
from hardware.speech.audio import Audio, compressed
from hardware.speech.languages import VOICES, lookup
from hardware.speech.protocol import DEVICE
from hardware.speech.text import cleaned

BACKEND = "espeak"


class EspeakSpeech:
    """Runs ``espeak-ng -v VOICE --stdin --stdout`` (no shell; the text goes on stdin)."""

    def __init__(
        self,
        voices: Mapping[str, str] | None = None,
        *,
        binary: str = "espeak-ng",
        timeout: float = 30.0,
    ) -> None:
        self.map = {**VOICES, **(voices or {})}
        self.binary = binary
        self.timeout = timeout
        self._installed: frozenset[str] | None = None

    def synthesise(self, text: str, language: str) -> Audio | Fault:
        installed = self._installed_voices()
        if isinstance(installed, Fault):
            return installed
        voice = self.voice_for(language)
        if voice is None or voice.lower() not in installed:
            return _fault("unsupported", f"no espeak-ng voice for language {language!r}")
        words = cleaned(text)
        if not words:
            return _fault("unsupported", "nothing to say: the text is empty")
        wav = self._run(["-v", voice, "-b", "1", "--stdin", "--stdout"], words)
        return wav if isinstance(wav, Fault) else compressed(wav)

    def voices(self) -> set[str]:
        installed = self._installed_voices()
        if isinstance(installed, Fault):
            return set()
        return {lang for lang, voice in self.map.items() if voice.lower() in installed}

    def voice_for(self, language: str) -> str | None:
        return lookup(self.map, language)

    def health(self) -> Health:
        installed = self._installed_voices()
        fault = installed if isinstance(installed, Fault) else None
        return Health(DEVICE, BACKEND, fault)

    def _installed_voices(self) -> frozenset[str] | Fault:
        """Voice and language names espeak-ng knows, asked once it is installed (and
        asked again while it is missing, so installing it later is noticed)."""
        if shutil.which(self.binary) is None:
            return _fault("offline", f"{self.binary} is not installed (apt-get install espeak-ng)")
        if self._installed is None:
            listing = self._run(["--voices"], "")
            if isinstance(listing, Fault):
                return listing
            self._installed = _voice_names(listing.decode("utf-8", "replace"))
        return self._installed

    def _run(self, args: list[str], text: str) -> bytes | Fault:
        """espeak-ng's standard output, or the fault that stopped it."""
        path = shutil.which(self.binary)
        if path is None:
            return _fault("offline", f"{self.binary} is not installed (apt-get install espeak-ng)")
        try:
            done = subprocess.run(
                [path, *args], input=text.encode(), capture_output=True, timeout=self.timeout
            )
        except subprocess.TimeoutExpired:
            return _fault("busy", f"espeak-ng took longer than {self.timeout:g} s")
        except OSError as error:
            return _fault("offline", f"espeak-ng could not start: {error}")
        if done.returncode != 0 or not done.stdout:
            detail = done.stderr.decode("utf-8", "replace").strip() or "no output"
            return _fault("error", f"espeak-ng exited {done.returncode}: {detail}")
        return done.stdout


def _voice_names(listing: str) -> frozenset[str]:
    """Every name ``-v`` accepts from ``espeak-ng --voices``: language and file name."""
    names = set()
    for line in listing.splitlines()[1:]:
        columns = line.split()
        if len(columns) >= 5:
            names.add(columns[1].lower())
            names.add(columns[4].rsplit("/", 1)[-1].lower())
    return frozenset(names)


def _fault(code: FaultCode, detail: str) -> Fault:
    return Fault(DEVICE, code, detail)
