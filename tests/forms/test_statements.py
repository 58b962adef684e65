import pytest

from forms.errors import FieldError
from forms.schema import FormDefinition
from forms.types import EXAMPLE_TODAY, FIELD_TYPES
from forms.validation import display_value, parse_answer, validate_answers

CONSENT = FIELD_TYPES["consent"].example_field()
NOTE = FIELD_TYPES["note"].example_field()


@pytest.mark.parametrize("unticked", [None, "", False, "no"])
def test_an_optional_consent_left_unticked_is_none(unticked):
    optional = CONSENT.model_copy(update={"required": False})
    assert parse_answer(optional, unticked, EXAMPLE_TODAY) is None
    assert parse_answer(CONSENT, unticked, EXAMPLE_TODAY) == FieldError("consent_required")


def test_a_note_has_no_answer_and_is_never_missing():
    definition = FormDefinition.model_validate(
        {
            "id": "notes",
            "version": "1",
            "languages": ["en"],
            "title": "Notes",
            "description": "A form with a note",
            "fields": [
                {**NOTE.model_dump(exclude_unset=True), "name": "before_you_start"},
                {**CONSENT.model_dump(exclude_unset=True), "name": "agree"},
            ],
        }
    )
    assert NOTE.required  # the default, but a note never asks
    assert validate_answers(definition, {"agree": True}, EXAMPLE_TODAY) == {}
    assert parse_answer(NOTE, "yes", EXAMPLE_TODAY) is None


@pytest.mark.parametrize(("language", "shown"), [("en", "Yes"), ("fr", "Oui")])
def test_a_given_consent_reads_as_yes(language, shown):
    assert display_value(CONSENT, True, language, "en") == shown
