import pytest
from pydantic import BaseModel, ValidationError

from forms.text import YES_NO, LocalizedText


class Page(BaseModel):
    heading: LocalizedText


def test_plain_text_is_the_same_in_every_language():
    text = LocalizedText("Hello")
    assert text.get("fr", "en") == "Hello"
    assert text.has("en", "en")
    assert not text.has("fr", "en")
    assert text.missing(["en", "fr", "ar"], "en") == ["fr", "ar"]
    assert text.written_in("en") == ["en"]


def test_translated_text_falls_back_to_the_default_language():
    text = LocalizedText({"en": "Hello", "fr": "Bonjour"})
    assert text.get("fr", "en") == "Bonjour"
    assert text.get("ar", "en") == "Hello"
    assert text.get("ar", "fr") == "Bonjour"
    assert text.missing(["en", "fr", "ar"], "en") == ["ar"]
    assert text.written_in("en") == ["en", "fr"]


def test_without_the_default_language_the_first_text_is_shown():
    assert LocalizedText({"fr": "Bonjour", "ar": "مرحبا"}).get("en", "en") == "Bonjour"


@pytest.mark.parametrize("raw", ["Hello", {"en": "Hello", "fr": "Bonjour"}, {"ar": "مرحبا"}])
def test_text_serialises_in_the_shape_it_was_read(raw):
    page = Page.model_validate({"heading": raw})
    assert page.model_dump() == {"heading": raw}
    assert Page.model_validate_json(page.model_dump_json()) == page


def test_texts_compare_and_hash_by_content():
    assert LocalizedText({"en": "A"}) == LocalizedText({"en": "A"})
    assert LocalizedText({"en": "A"}) != LocalizedText("A")
    assert len({LocalizedText({"en": "A"}), LocalizedText({"en": "A"}), LocalizedText("A")}) == 2


def test_raw_is_a_copy():
    text = LocalizedText({"en": "A"})
    raw = text.raw
    assert isinstance(raw, dict)
    raw["en"] = "B"
    assert text.get("en", "en") == "A"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("  ", "must not be empty"),
        ({}, "needs text in at least one language"),
        ({"fr": " "}, "the 'fr' translation must not be empty"),
        ({"fr": 3}, "the 'fr' translation must be text (got 3); put it in quotes"),
        (True, "must be text or a mapping of language codes to text (got True); put it in quotes"),
        ({1: "one"}, "language codes must be text (got 1); put it in quotes"),
    ],
)
def test_bad_text_is_refused_with_a_clear_message(raw, message):
    with pytest.raises(ValidationError) as caught:
        Page.model_validate({"heading": raw})
    [error] = caught.value.errors()
    assert error["loc"] == ("heading",)
    assert error["msg"] == message


def test_text_has_a_json_schema():
    schema = Page.model_json_schema()["properties"]["heading"]
    assert {option["type"] for option in schema["anyOf"]} == {"string", "object"}


def test_yes_and_no_have_the_same_languages():
    assert YES_NO[True].written_in("en") == YES_NO[False].written_in("en")
    assert {"en", "fr", "ar"} <= set(YES_NO[True].written_in("en"))
