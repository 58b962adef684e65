"""The speech cache: espeak-ng runs once per (text, language, voice); the disk answers after."""

from __future__ import annotations

import re
import shutil

import pytest

from hardware.faults import Fault
from hardware.speech import Audio, CachedSpeech, EspeakSpeech, SimulatedSpeech
from hardware.speech.cache import cache_key

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="Debian's espeak-ng is missing: apt-get install espeak-ng",
)


@pytest.fixture
def backend() -> SimulatedSpeech:
    """A real backend that also counts what it was asked to say (``spoken``)."""
    return SimulatedSpeech()


def test_the_second_request_is_served_from_disk(backend, tmp_path):
    cached = CachedSpeech(backend, tmp_path)
    first = cached.synthesise("Jina kamili la mtoto?", "sw")
    second = cached.synthesise("Jina kamili la mtoto?", "sw")
    assert isinstance(first, Audio)
    assert second == first
    assert len(backend.spoken) == 1


def test_the_cache_outlives_the_process(backend, tmp_path):
    first = CachedSpeech(backend, tmp_path).synthesise("Bonjour", "fr")
    again = CachedSpeech(SimulatedSpeech(), tmp_path)
    assert again.synthesise("Bonjour", "fr") == first
    assert again.backend.spoken == []


def test_text_language_and_voice_each_make_a_new_entry(backend, tmp_path):
    cached = CachedSpeech(backend, tmp_path)
    for text, language in [("Bonjour", "fr"), ("Bonsoir", "fr"), ("Bonjour", "sw")]:
        cached.synthesise(text, language)
    assert len(backend.spoken) == 3
    other_voice = CachedSpeech(SimulatedSpeech(languages={"fr-be"}), tmp_path)
    other_voice.synthesise("Bonjour", "fr-be")
    assert len(other_voice.backend.spoken) == 1


def test_the_same_words_differently_spaced_are_one_entry(backend, tmp_path):
    cached = CachedSpeech(backend, tmp_path)
    cached.synthesise("Bonjour  madame", "fr")
    cached.synthesise("\nBonjour\tmadame\x00", "FR")
    assert len(backend.spoken) == 1


def test_files_are_named_by_sha256(backend, tmp_path):
    CachedSpeech(backend, tmp_path).synthesise("Bonjour", "fr")
    (path,) = (p for p in tmp_path.rglob("*") if p.is_file())
    assert re.fullmatch(r"[0-9a-f]{64}\.ogg", path.name)
    assert path.stem == cache_key("Bonjour", "fr", backend.voice_for("fr"))
    assert path.parent.name == path.name[:2]


def test_faults_are_not_cached(backend, tmp_path):
    cached = CachedSpeech(backend, tmp_path)
    backend.fault = "offline"
    assert isinstance(cached.synthesise("Bonjour", "fr"), Fault)
    backend.fault = None
    assert isinstance(cached.synthesise("Bonjour", "fr"), Audio)
    assert not isinstance(cached.synthesise("Bonjour", "zz"), Audio)
    assert list(tmp_path.rglob("*.ogg")) != []


def test_a_cache_that_cannot_be_written_only_costs_speed(backend, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cached = CachedSpeech(backend, blocked)
    assert isinstance(cached.synthesise("Bonjour", "fr"), Audio)
    assert isinstance(cached.synthesise("Bonjour", "fr"), Audio)
    assert len(backend.spoken) == 2


@needs_espeak
def test_cached_espeak_answers_even_after_espeak_ng_is_gone(tmp_path):
    espeak = EspeakSpeech()
    cached = CachedSpeech(espeak, tmp_path)
    first = cached.synthesise("Habari yako", "sw")
    espeak.binary = str(tmp_path / "no-espeak-ng")  # from now on espeak-ng cannot run
    assert cached.synthesise("Habari yako", "sw") == first
    assert cached.synthesise("Asante sana", "sw").code == "offline"
