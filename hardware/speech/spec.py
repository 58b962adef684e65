"""The speech setting: one string that says how the kiosk reads questions aloud.

    espeak[?voice_LANG=VOICE&...]      Debian's espeak-ng, e.g. espeak?voice_pt=pt-br
    simulated[?fault=CODE]             a tone as long as the text, optionally failing

Both take ``cache=DIR|off`` (keep synthesised audio; default DATA/speech/cache) and
``prompts=DIR|off`` (recordings that win; default DATA/speech/prompts). A spec that cannot
be understood is a settings error: ``ValueError``.
"""

from __future__ import annotations

from pathlib import Path

from hardware.spec import SpecOptions
from hardware.speech.cache import CachedSpeech
from hardware.speech.espeak import EspeakSpeech
from hardware.speech.languages import normalised
from hardware.speech.prompted import PromptedSpeech
from hardware.speech.prompts import RecordedPrompts
from hardware.speech.protocol import Speech
from hardware.speech.simulated import SimulatedSpeech

KINDS = ("espeak", "simulated")
COMMON = {"cache", "prompts"}


def open_speech(spec: str, directory: Path | str | None = None) -> PromptedSpeech:
    """The kiosk's speech for ``spec``; ValueError "speech: problem (got SPEC)" if bad.

    With ``directory`` (the kiosk's ``DATA/speech``), audio is cached in ``directory/cache``
    and recordings are looked up in ``directory/prompts`` unless the spec says otherwise.
    """
    kind, _, query = spec.strip().partition("?")
    options = SpecOptions("speech", spec, query)
    if kind == "espeak":
        voices = _voices(options)
        options.only(COMMON | {k for k in options if k.startswith("voice_")})
        backend: Speech = EspeakSpeech(voices)
    elif kind == "simulated":
        options.only(COMMON | {"fault"})
        backend = SimulatedSpeech(fault=options.fault())
    else:
        raise options.unknown_kind(kind, KINDS)
    cache = _where(options, "cache", directory)
    prompts = _where(options, "prompts", directory)
    if cache is not None:
        backend = CachedSpeech(backend, cache)
    return PromptedSpeech(RecordedPrompts(prompts) if prompts else None, backend)


def _where(options: SpecOptions, name: str, directory: Path | str | None) -> Path | None:
    """The folder an option names: given, ``off``, or by default ``directory/name``."""
    value = options.get(name)
    if value == "off":
        return None
    if value == "":
        raise options.bad(f"{name} needs a folder or off")
    if value is not None:
        return Path(value)
    return Path(directory) / name if directory is not None else None


def _voices(options: SpecOptions) -> dict[str, str]:
    """``voice_LANG=VOICE`` options as {LANG: VOICE}."""
    voices = {}
    for key, voice in options.items():
        if key.startswith("voice_"):
            tag = normalised(key.removeprefix("voice_"))
            if tag is None or not voice:
                raise options.bad(f"{key!r} needs a language and a voice: voice_LANG=VOICE")
            voices[tag] = voice
    return voices
