"""The contract every speech backend keeps: the kiosk reads questions aloud in French,
Swahili and Arabic, and hears a Fault, never an exception, when it cannot."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import soundfile

from hardware.faults import Fault
from hardware.speech import (
    Audio,
    CachedSpeech,
    EspeakSpeech,
    SimulatedSpeech,
    Speech,
    open_speech,
)

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="Debian's espeak-ng is missing: apt-get install espeak-ng",
)

WORKING: dict[str, Callable[[Path], Speech]] = {
    "simulated": lambda tmp: SimulatedSpeech(),
    "espeak": lambda tmp: EspeakSpeech(),
    "cached-simulated": lambda tmp: CachedSpeech(SimulatedSpeech(), tmp / "cache"),
    "cached-espeak": lambda tmp: CachedSpeech(EspeakSpeech(), tmp / "cache"),
    "opened-espeak": lambda tmp: open_speech("espeak", tmp),
}
BROKEN: dict[str, Callable[[Path], Speech]] = {
    "simulated-offline": lambda tmp: SimulatedSpeech(fault="offline"),
    "espeak-missing": lambda tmp: EspeakSpeech(binary=str(tmp / "no-espeak-ng")),
    "cached-espeak-missing": lambda tmp: CachedSpeech(
        EspeakSpeech(binary=str(tmp / "no-espeak-ng")), tmp / "cache"
    ),
    "opened-simulated-offline": lambda tmp: open_speech("simulated?fault=offline", tmp),
}
SAYINGS = {
    "fr": "Quel est le nom complet de l'enfant ?",
    "sw": "Jina kamili la mtoto ni nani?",
    "ar": "ما هو الاسم الكامل للطفل؟",
}
FORMATS = {"audio/ogg": "OGG", "audio/wav": "WAV"}


def _param(name: str) -> object:
    return pytest.param(name, marks=needs_espeak if "espeak" in name else ())


@pytest.fixture(params=[_param(name) for name in WORKING])
def speech(request: pytest.FixtureRequest, tmp_path: Path) -> Speech:
    return WORKING[request.param](tmp_path)


@pytest.fixture(params=list(BROKEN))
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Speech:
    return BROKEN[request.param](tmp_path)


def seconds(audio: Audio) -> float:
    """The audio's length, decoded by libsndfile, checking its media type on the way."""
    info = soundfile.info(io.BytesIO(audio.data))
    assert info.format == FORMATS[audio.media_type]
    return info.duration


def test_is_a_speech(speech):
    assert isinstance(speech, Speech)


@pytest.mark.parametrize("language", list(SAYINGS))
def test_speaks_the_kiosk_languages(speech, language):
    audio = speech.synthesise(SAYINGS[language], language)
    assert isinstance(audio, Audio), audio
    assert audio.data
    assert seconds(audio) > 0.2


def test_lists_the_languages_it_speaks(speech):
    assert {"en", "fr", "es", "pt", "sw", "ar"} <= speech.voices()


@pytest.mark.parametrize("language", ["fr-FR", "pt_BR", "SW", "ar-EG"])
def test_regional_tags_find_their_language(speech, language):
    assert isinstance(speech.synthesise("Bonjour", language), Audio)


@pytest.mark.parametrize("language", ["zz", "tlh", "", "../../etc/passwd", "fr;rm -rf /"])
def test_an_unknown_language_is_unsupported(speech, language):
    fault = speech.synthesise("Hello", language)
    assert isinstance(fault, Fault)
    assert (fault.device, fault.code) == ("speech", "unsupported")
    assert speech.voice_for(language) is None


@pytest.mark.parametrize("text", ["", "   ", "\x00\x1b\r\n"])
def test_nothing_to_say_is_unsupported(speech, text):
    fault = speech.synthesise(text, "fr")
    assert isinstance(fault, Fault) and fault.code == "unsupported"


@pytest.mark.parametrize(
    "text",
    [
        "\x00Bonjour\x1b[31m,\r\nmadame\x07\ud800",  # controls, an escape, a lone surrogate
        "-v en --stdout; $(reboot) `reboot` | tee /etc/passwd",  # options and shell are text
        "Veuillez répondre à la question suivante. " * 200,  # past the length cap
    ],
)
def test_awkward_text_is_still_spoken(speech, text):
    audio = speech.synthesise(text, "fr")
    assert isinstance(audio, Audio), audio
    assert 0.2 < seconds(audio) < 300


def test_is_healthy(speech):
    health = speech.health()
    assert health.ok, health
    assert health.device == "speech"


def test_a_broken_backend_reports_offline_without_raising(broken):
    assert broken.health().fault.code == "offline"
    fault = broken.synthesise(SAYINGS["sw"], "sw")
    assert isinstance(fault, Fault)
    assert (fault.device, fault.code) == ("speech", "offline")
    assert broken.voices() == set()
