import re
from datetime import date

import pytest

from forms.library import DEFAULT_DIRECTORY, load_directory
from forms.types import FIELD_TYPES
from forms.validation import parse_answer, validate_answers

DEMOS = load_directory(DEFAULT_DIRECTORY)
TODAY = date(2026, 11, 20)
ARABIC_LETTER = re.compile("[\u0621-\u064a]")

SAMPLE_ANSWERS = {
    "birth-certificate": {
        "whose_certificate": "my_child",
        "full_name": "Amina Salma Diallo",
        "date_of_birth": {"day": "14", "month": "2", "year": "2019"},
        "place_of_birth": "north",
        "mother_name": "",
        "copies": "2",
        "collection": "this_office",
        "phone": "+221 77 123 45 67",
    },
    "pension-support": {
        "full_name": "Jean-Baptiste Koné",
        "date_of_birth": "1955-07-01",
        "monthly_income": "85000,50",
        "lives_alone": "no",
        "household_size": "3",
        "other_pension": "yes",
        "payment_method": "mobile_money",
        "account_number": "0700112233",
        "phone": "",
    },
}


def _texts(form_id):
    definition = DEMOS[form_id]
    for location, text in definition.texts():
        yield location, {code: text.get(code, "en") for code in definition.languages}


def test_the_demo_forms_use_every_field_type():
    used = {field.type for definition in DEMOS.values() for field in definition.fields}
    assert used == set(FIELD_TYPES)


@pytest.mark.parametrize("form_id", DEMOS)
def test_a_demo_form_is_a_realistic_size_and_versioned_by_date(form_id):
    definition = DEMOS[form_id]
    assert 6 <= len(definition.fields) <= 10
    assert re.fullmatch(r"20\d\d\.\d{1,2}\.\d+", definition.version)
    assert definition.languages == ["en", "fr", "ar"]
    assert definition.what_happens_next is not None


@pytest.mark.parametrize("form_id", DEMOS)
def test_every_demo_text_is_translated(form_id):
    for location, texts in _texts(form_id):
        assert ARABIC_LETTER.search(texts["ar"]), location
        if len(texts["en"].split()) > 1:
            assert texts["fr"] != texts["en"], location


@pytest.mark.parametrize("form_id", DEMOS)
def test_demo_french_follows_french_typography(form_id):
    for location, texts in _texts(form_id):
        french = texts["fr"]
        assert not re.search(r"[^\u202f][?!;]", french), location  # thin space before ? ! ;
        assert "'" not in french, location  # typographic apostrophe


@pytest.mark.parametrize("form_id", DEMOS)
def test_a_citizen_can_fill_in_a_demo_form(form_id):
    definition = DEMOS[form_id]
    answers = {}
    for field in definition.fields:
        result = parse_answer(field, SAMPLE_ANSWERS[form_id][field.name], TODAY)
        answers[field.name] = result
    assert validate_answers(definition, answers, TODAY) == {}


def test_a_date_of_birth_cannot_be_in_the_future():
    for definition in DEMOS.values():
        field = definition.field("date_of_birth")
        assert parse_answer(field, "2026-11-21", TODAY).code == "date_too_late"


def test_pension_income_keeps_its_decimals():
    field = DEMOS["pension-support"].field("monthly_income")
    assert parse_answer(field, "85000,50", TODAY) == "85000.5"
    assert parse_answer(field, "-1", TODAY).code == "too_small"
