"""The speech setting: every documented spec opens; a bad one is a clear ValueError."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hardware.speech import CachedSpeech, EspeakSpeech, PromptedSpeech, SimulatedSpeech, open_speech

README = (Path(__file__).resolve().parents[2] / "hardware" / "README.md").read_text()
DOCUMENTED = ["espeak", "espeak?voice_pt=pt-br", "simulated", "simulated?fault=offline"]


@pytest.mark.parametrize("spec", DOCUMENTED)
def test_documented_specs_open(spec, tmp_path):
    assert f"`{spec}`" in README
    assert isinstance(open_speech(spec, tmp_path), PromptedSpeech)


@pytest.mark.parametrize("option", ["cache=DIR", "cache=off", "prompts=DIR", "prompts=off"])
def test_options_are_documented(option):
    assert f"`{option}`" in README


def test_espeak_with_a_voice_and_folders(tmp_path):
    speech = open_speech(f"espeak?voice_pt=pt-br&cache={tmp_path}/c&prompts={tmp_path}/p")
    assert isinstance(speech.fallback, CachedSpeech)
    assert speech.fallback.directory == tmp_path / "c"
    assert speech.prompts.directory == tmp_path / "p"
    espeak = speech.fallback.backend
    assert isinstance(espeak, EspeakSpeech)
    assert espeak.voice_for("pt") == "pt-br"
    assert espeak.voice_for("sw") == "sw"


def test_the_data_folder_gives_the_defaults(tmp_path):
    speech = open_speech("simulated", tmp_path)
    assert speech.fallback.directory == tmp_path / "cache"
    assert speech.prompts.directory == tmp_path / "prompts"


def test_off_and_no_data_folder_mean_no_cache_and_no_prompts(tmp_path):
    for speech in (
        open_speech("simulated?cache=off&prompts=off", tmp_path),
        open_speech("simulated"),
    ):
        assert isinstance(speech.fallback, SimulatedSpeech)
        assert speech.prompts is None


def test_a_simulated_fault(tmp_path):
    assert open_speech("simulated?fault=busy").health().fault.code == "busy"


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "unknown backend ''"),
        ("festival", "unknown backend 'festival'"),
        ("espeak?fault=offline", "unknown option 'fault'"),
        ("simulated?voice_fr=fr", "unknown option 'voice_fr'"),
        ("simulated?fault=on-fire", "fault must be one of"),
        ("espeak?voice_=fr", "voice_LANG=VOICE"),
        ("espeak?voice_fr=", "voice_LANG=VOICE"),
        ("espeak?voice_français=fr", "voice_LANG=VOICE"),
        ("espeak?cache=", "cache needs a folder or off"),
        ("espeak?cache=/a&cache=/b", "an option is given twice"),
        ("espeak?cache", "options are not KEY=VALUE"),
    ],
)
def test_bad_specs_say_what_is_wrong(spec, problem):
    with pytest.raises(
        ValueError, match=rf"^speech: .*{re.escape(problem)}.* \(got {re.escape(spec)}\)$"
    ):
        open_speech(spec)
