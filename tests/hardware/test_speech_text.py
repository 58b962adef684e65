"""What espeak-ng is given: clean, capped text; and how language tags are read."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from hardware.speech.languages import VOICES, candidates, lookup, normalised
from hardware.speech.text import MAX_CHARS, cleaned


def test_control_characters_become_spaces():
    assert cleaned("\x00Bonjour\x1b[31m\r\n\tmadame\x07") == "Bonjour [31m madame"


def test_arabic_joiners_are_kept():
    assert cleaned("لا\u200cإله") == "لا\u200cإله"


def test_long_text_is_cut_at_a_word():
    text = cleaned("Veuillez répondre. " * 500)
    assert len(text) <= MAX_CHARS
    assert text.endswith("répondre.")


def test_a_single_huge_word_is_cut_exactly():
    assert len(cleaned("a" * 10_000)) == MAX_CHARS


@given(st.text())
def test_cleaned_text_is_short_printable_and_utf8(text):
    result = cleaned(text)
    assert len(result) <= MAX_CHARS
    assert not any(unicodedata.category(c) in {"Cc", "Cs"} for c in result)
    assert result == result.strip()
    result.encode()


def test_tags_are_normalised():
    assert normalised(" pt_BR ") == "pt-br"
    assert normalised("fr;rm") is None
    assert normalised("") is None


def test_candidates_go_from_region_to_language():
    assert candidates("pt-BR") == ["pt-br", "pt"]
    assert candidates("sw") == ["sw"]


def test_the_voice_table_covers_the_kiosk_languages():
    assert {"en", "fr", "es", "pt", "sw", "ar"} <= set(VOICES)
    assert lookup(VOICES, "pt-BR") == "pt-br"
    assert lookup(VOICES, "fr-CA") == "fr"
    assert lookup(VOICES, "zz") is None
