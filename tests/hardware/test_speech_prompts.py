"""Recorded prompts win over synthetic speech; everything else falls back to the backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardware.speech import (
    Audio,
    PromptedSpeech,
    RecordedPrompts,
    SimulatedSpeech,
    open_speech,
    prompt_key,
)

KEY = prompt_key("birth-certificate", "full_name")


def record(root: Path, language: str, name: str, data: bytes = b"OggS recorded") -> Path:
    path = root / language / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def fallback() -> SimulatedSpeech:
    return SimulatedSpeech()


@pytest.fixture
def speech(tmp_path, fallback) -> PromptedSpeech:
    return PromptedSpeech(RecordedPrompts(tmp_path), fallback)


def test_the_key_names_form_and_field():
    assert KEY == "birth-certificate.full_name"


def test_a_recording_wins(tmp_path, speech, fallback):
    record(tmp_path, "sw", f"{KEY}.ogg")
    assert speech.synthesise("Jina kamili", "sw", prompt_key=KEY) == Audio(
        b"OggS recorded", "audio/ogg"
    )
    assert fallback.spoken == []


@pytest.mark.parametrize(
    ("name", "media_type"),
    [(f"{KEY}.ogg", "audio/ogg"), (f"{KEY}.mp3", "audio/mpeg"), (f"{KEY}.wav", "audio/wav")],
)
def test_recordings_may_be_ogg_mp3_or_wav(tmp_path, speech, name, media_type):
    record(tmp_path, "fr", name)
    assert speech.synthesise("Nom", "fr", prompt_key=KEY).media_type == media_type


def test_a_regional_tag_finds_the_language_recording(tmp_path, speech):
    record(tmp_path, "pt", f"{KEY}.ogg")
    assert speech.synthesise("Nome", "pt_BR", prompt_key=KEY).data == b"OggS recorded"


def test_a_recording_plays_in_a_language_without_a_voice(tmp_path, speech):
    record(tmp_path, "ha", f"{KEY}.ogg")
    assert speech.synthesise("Cikakken suna", "ha", prompt_key=KEY).data == b"OggS recorded"
    assert speech.synthesise("Cikakken suna", "ha").code == "unsupported"


@pytest.mark.parametrize(
    ("language", "key"),
    [("sw", None), ("sw", "birth-certificate.mother_name"), ("fr", KEY)],
)
def test_without_a_recording_the_backend_speaks(tmp_path, speech, fallback, language, key):
    record(tmp_path, "sw", f"{KEY}.ogg")
    assert speech.synthesise("Jina", language, prompt_key=key).media_type == "audio/ogg"
    assert fallback.spoken == [("Jina", language)]


@pytest.mark.parametrize("key", ["../secret", "/etc/passwd", "sw/other", "..", ".hidden", ""])
def test_keys_cannot_reach_outside_the_folder(tmp_path, key):
    prompts_dir = tmp_path / "prompts"
    record(tmp_path, "prompts", "secret.ogg")  # tmp/prompts/secret.ogg: sw/../secret
    record(prompts_dir, "sw", "other.ogg")
    assert RecordedPrompts(prompts_dir / "sw").path(key, "sw") is None
    assert RecordedPrompts(prompts_dir).path(key, "sw") is None


def test_a_missing_folder_has_no_recordings(tmp_path):
    prompts = RecordedPrompts(tmp_path / "none-here")
    assert prompts.get(KEY, "sw") is None
    assert prompts.languages() == set()


def test_languages_are_the_recorded_folders(tmp_path):
    record(tmp_path, "sw", f"{KEY}.ogg")
    record(tmp_path, "ar", f"{KEY}.wav")
    assert RecordedPrompts(tmp_path).languages() == {"sw", "ar"}


def test_opened_speech_looks_in_the_data_folder(tmp_path):
    record(tmp_path / "prompts", "sw", f"{KEY}.ogg")
    speech = open_speech("simulated", tmp_path)
    assert speech.synthesise("Jina", "sw", prompt_key=KEY).data == b"OggS recorded"
    speech.synthesise("Jina", "sw")
    assert list((tmp_path / "cache").rglob("*.ogg"))
