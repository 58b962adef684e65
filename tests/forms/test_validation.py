from datetime import date

import pytest

from forms.errors import FieldError
from forms.schema import FormDefinition
from forms.validation import display_value, parse_answer, validate_answers

TODAY = date(2026, 11, 20)


@pytest.fixture
def definition() -> FormDefinition:
    return FormDefinition.model_validate(
        {
            "id": "appointment",
            "version": "1",
            "languages": ["en", "fr", "ar"],
            "title": "Book an appointment",
            "description": "Choose a day.",
            "fields": [
                {"name": "day", "type": "date", "label": "Which day?", "min": "today"},
                {"name": "people", "type": "integer", "label": "How many?", "max": 3},
                {"name": "note", "type": "text", "label": "Anything else?", "required": False},
                {"name": "first_visit", "type": "yes_no", "label": "First visit?"},
                {
                    "name": "office",
                    "type": "select_one",
                    "label": "Which office?",
                    "choices": [
                        {"value": "town", "label": {"en": "Town hall", "fr": "Mairie"}},
                        {"value": "port", "label": "Port office"},
                    ],
                },
            ],
        }
    )


def test_a_complete_draft_has_no_errors(definition):
    answers = {
        "day": "2026-11-20",
        "people": 2,
        "note": None,
        "first_visit": False,
        "office": "port",
    }
    assert validate_answers(definition, answers, TODAY) == {}


def test_missing_answers_are_reported_in_question_order(definition):
    errors = validate_answers(definition, {"people": 2, "extra": "ignored"}, TODAY)
    assert list(errors) == ["day", "first_visit", "office"]
    assert set(errors.values()) == {FieldError("required")}


def test_an_answer_that_was_valid_yesterday_may_not_be_today(definition):
    answers = {"day": "2026-11-20", "people": 1, "first_visit": True, "office": "town"}
    assert validate_answers(definition, answers, TODAY) == {}
    errors = validate_answers(definition, answers, date(2026, 11, 21))
    assert errors == {"day": FieldError("date_too_early", {"min": "2026-11-21"})}


def test_a_stored_value_of_the_wrong_kind_is_an_error(definition):
    answers = {"day": "2026-12-01", "people": True, "first_visit": 1, "office": "moon"}
    assert validate_answers(definition, answers, TODAY) == {
        "people": FieldError("not_integer"),
        "first_visit": FieldError("not_yes_no"),
        "office": FieldError("not_a_choice"),
    }


def test_validate_answers_defaults_to_the_real_today(definition):
    answers = {"day": "2000-01-01", "people": 1, "first_visit": True, "office": "town"}
    assert validate_answers(definition, answers)["day"].code == "date_too_early"


def test_only_date_fields_take_three_boxes(definition):
    with pytest.raises(TypeError, match="only date fields"):
        parse_answer(definition.field("people"), {"day": "1"}, TODAY)


def test_text_is_stored_in_one_unicode_form(definition):
    # "é" typed as e + combining accent is stored as the single character
    assert parse_answer(definition.field("note"), "  cafe\u0301 ", TODAY) == "caf\u00e9"


@pytest.mark.parametrize(
    ("name", "value", "language", "shown"),
    [
        ("first_visit", True, "en", "Yes"),
        ("first_visit", False, "fr", "Non"),
        ("first_visit", True, "ar", "نعم"),
        ("office", "town", "fr", "Mairie"),
        ("office", "town", "ar", "Town hall"),  # no Arabic label: the default language
        ("office", "port", "fr", "Port office"),
        ("office", "gone", "en", "gone"),  # a choice an older version had
        ("people", 3, "fr", "3"),
        ("day", "2026-11-20", "fr", "2026-11-20"),
        ("note", None, "en", ""),
    ],
)
def test_display_value(definition, name, value, language, shown):
    assert display_value(definition.field(name), value, language, "en") == shown
