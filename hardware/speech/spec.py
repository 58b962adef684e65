"""The speech setting: one string that says how the kiosk reads questions aloud.

    espeak[?voice_LANG=VOICE&...]      Debian's espeak-ng, e.g. espeak?voice_pt=pt-br
    simulated[?fault=CODE]             a tone as long as the text, optionally failing

Both take ``cache=DIR|off`` (keep synthesised audio; default DATA/speech/cache) and
``prompts=DIR|off`` (recordings that win; default DATA/speech/prompts). A spec that cannot
be understood is a settings error: ``ValueError``.
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args
from urllib.parse import parse_qsl

from hardware.faults import FaultCode
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
    options = _options(query, spec)
    if kind == "espeak":
        voices = _voices(options, spec)
        _only(options, COMMON | {k for k in options if k.startswith("voice_")}, spec)
        backend: Speech = EspeakSpeech(voices)
    elif kind == "simulated":
        _only(options, COMMON | {"fault"}, spec)
        backend = SimulatedSpeech(fault=_fault(options.get("fault"), spec))
    else:
        raise _bad(f"unknown backend {kind!r}, expected one of {', '.join(KINDS)}", spec)
    cache = _where(options.get("cache"), directory, "cache", spec)
    prompts = _where(options.get("prompts"), directory, "prompts", spec)
    if cache is not None:
        backend = CachedSpeech(backend, cache)
    return PromptedSpeech(RecordedPrompts(prompts) if prompts else None, backend)


def _where(value: str | None, directory: Path | str | None, name: str, spec: str) -> Path | None:
    """The folder an option names: given, ``off``, or by default ``directory/name``."""
    if value == "off":
        return None
    if value == "":
        raise _bad(f"{name} needs a folder or off", spec)
    if value is not None:
        return Path(value)
    return Path(directory) / name if directory is not None else None


def _options(query: str, spec: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError as error:
        raise _bad(f"options are not KEY=VALUE&... ({error})", spec) from None
    options = dict(pairs)
    if len(options) != len(pairs):
        raise _bad("an option is given twice", spec)
    return options


def _only(options: dict[str, str], allowed: set[str], spec: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise _bad(f"unknown option {unknown[0]!r}", spec)


def _voices(options: dict[str, str], spec: str) -> dict[str, str]:
    """``voice_LANG=VOICE`` options as {LANG: VOICE}."""
    voices = {}
    for key, voice in options.items():
        if key.startswith("voice_"):
            tag = normalised(key.removeprefix("voice_"))
            if tag is None or not voice:
                raise _bad(f"{key!r} needs a language and a voice: voice_LANG=VOICE", spec)
            voices[tag] = voice
    return voices


def _fault(code: str | None, spec: str) -> FaultCode | None:
    if code is None:
        return None
    if code not in get_args(FaultCode):
        raise _bad(f"fault must be one of {', '.join(get_args(FaultCode))}", spec)
    return code  # type: ignore[return-value]


def _bad(problem: str, spec: str) -> ValueError:
    return ValueError(f"speech: {problem} (got {spec})")
