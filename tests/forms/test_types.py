import json
from decimal import Decimal
from typing import get_args

import pytest

from forms.errors import ERROR_CODES, FieldError
from forms.schema import Field, FieldTypeName, FormDefinition
from forms.types import EXAMPLE_TODAY, FIELD_TYPES, decimal_text
from forms.validation import parse_answer, validate_answers

VALID = [
    pytest.param(field_type, raw, value, id=f"{name}-{raw!r}")
    for name, field_type in FIELD_TYPES.items()
    for raw, value in field_type.valid
]
INVALID = [
    pytest.param(field_type, raw, error, id=f"{name}-{raw!r}")
    for name, field_type in FIELD_TYPES.items()
    for raw, error in field_type.invalid
]


def test_every_type_the_schema_allows_is_declared():
    assert set(FIELD_TYPES) == set(get_args(FieldTypeName))
    for name, field_type in FIELD_TYPES.items():
        assert field_type.name == name


@pytest.mark.parametrize("field_type", FIELD_TYPES.values(), ids=list(FIELD_TYPES))
def test_every_type_has_examples_of_both_kinds(field_type):
    assert len(field_type.valid) >= 2
    if field_type.required_code is None:  # a note takes no answer, so none is wrong
        assert field_type.invalid == ()
    else:
        assert len(field_type.invalid) >= 3
        assert (None, FieldError(field_type.required_code)) in field_type.invalid
    assert field_type.example_field().type == field_type.name


def test_the_examples_use_every_error_code():
    used = {error.code for field_type in FIELD_TYPES.values() for _, error in field_type.invalid}
    # not a field type's: the form's own constraint, and the kiosk's about a case number
    assert used == set(ERROR_CODES) - {"constraint", "case_unknown"}


@pytest.mark.parametrize(("field_type", "raw", "value"), VALID)
def test_valid_example(field_type, raw, value):
    result = parse_answer(field_type.example_field(), raw, EXAMPLE_TODAY)
    assert result == value
    assert type(result) is type(value)  # True is not 1, "12" is not 12
    assert json.loads(json.dumps(result)) == result


@pytest.mark.parametrize(("field_type", "raw", "error"), INVALID)
def test_invalid_example(field_type, raw, error):
    assert parse_answer(field_type.example_field(), raw, EXAMPLE_TODAY) == error


@pytest.mark.parametrize(("field_type", "raw", "value"), VALID)
def test_a_stored_valid_answer_checks_again_as_valid(field_type, raw, value):
    definition = FormDefinition(
        id="examples",
        version="1",
        languages=["en"],
        title="Examples",
        description="Examples",
        fields=[field_type.example_field()],
    )
    assert validate_answers(definition, {"example": value}, EXAMPLE_TODAY) == {}


@pytest.mark.parametrize("field_type", FIELD_TYPES.values(), ids=list(FIELD_TYPES))
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_blank_optional_answer_is_none(field_type, blank):
    field = field_type.example_field().model_copy(update={"required": False})
    assert parse_answer(field, blank, EXAMPLE_TODAY) is None


def test_a_blank_optional_date_from_three_boxes_is_none():
    field = FIELD_TYPES["date"].example_field().model_copy(update={"required": False})
    assert parse_answer(field, {"day": "", "month": "", "year": ""}, EXAMPLE_TODAY) is None
    assert parse_answer(field, {}, EXAMPLE_TODAY) is None


def test_a_partly_filled_optional_date_is_still_checked():
    field = FIELD_TYPES["date"].example_field().model_copy(update={"required": False})
    result = parse_answer(field, {"day": "3", "month": "", "year": ""}, EXAMPLE_TODAY)
    assert result == FieldError("not_date")


@pytest.mark.parametrize(
    ("bounds", "raw", "result"),
    [
        ({"max": "today-18y"}, "2008-11-20", "2008-11-20"),
        ({"max": "today-18y"}, "2008-11-21", FieldError("date_too_late", {"max": "2008-11-20"})),
        ({"min": "today+30d"}, "2026-12-20", "2026-12-20"),
        ({"min": "today+30d"}, "2026-12-19", FieldError("date_too_early", {"min": "2026-12-20"})),
        ({"min": "today-6m"}, "2026-05-19", FieldError("date_too_early", {"min": "2026-05-20"})),
        ({"min": "today-6m", "max": "today"}, "2026-05-20", "2026-05-20"),
    ],
)
def test_date_bounds_can_be_counted_from_today(bounds, raw, result):
    example = FIELD_TYPES["date"].example_field()
    field = example.model_copy(update={"min": None, "max": None, **bounds})
    assert parse_answer(field, raw, EXAMPLE_TODAY) == result


def test_a_bound_from_today_moves_with_the_day_given():
    definition = FormDefinition.model_validate(
        {
            "id": "adults",
            "version": "1",
            "languages": ["en"],
            "title": "Adults",
            "description": "Adults only",
            "fields": [{"name": "born", "type": "date", "label": "Born", "max": "today-18y"}],
        }
    )
    answers = {"born": "2008-11-21"}
    assert validate_answers(definition, answers, EXAMPLE_TODAY) == {
        "born": FieldError("date_too_late", {"max": "2008-11-20"})
    }
    assert validate_answers(definition, answers, EXAMPLE_TODAY.replace(day=21)) == {}


def test_long_text_takes_2000_characters_unless_told_otherwise():
    field = Field.model_validate({"name": "story", "type": "long_text", "label": "Your story"})
    assert parse_answer(field, "a" * 2000, EXAMPLE_TODAY) == "a" * 2000
    assert parse_answer(field, "a" * 2001, EXAMPLE_TODAY) == FieldError("too_long", {"max": 2000})


def test_only_select_multiple_takes_a_list():
    with pytest.raises(TypeError, match="only select_multiple fields take a list"):
        parse_answer(FIELD_TYPES["text"].example_field(), ["a", "b"], EXAMPLE_TODAY)


def test_today_is_the_day_given():
    field = FIELD_TYPES["date"].example_field()
    tomorrow = "2026-11-21"
    assert parse_answer(field, tomorrow, EXAMPLE_TODAY) == FieldError(
        "date_too_late", {"max": "2026-11-20"}
    )
    assert parse_answer(field, tomorrow, EXAMPLE_TODAY.replace(day=21)) == tomorrow


@pytest.mark.parametrize(
    ("value", "text"),
    [("12.50", "12.5"), ("100", "100"), ("1E+3", "1000"), ("-0.00", "0"), ("0.10", "0.1")],
)
def test_decimal_text_has_no_exponent_and_no_trailing_zeros(value, text):
    assert decimal_text(Decimal(value)) == text


def test_decimal_answers_keep_every_digit():
    field = FIELD_TYPES["decimal"].example_field().model_copy(update={"max": None})
    digits = "1234567890123456789012345678901234.5678901"
    assert parse_answer(field, digits, EXAMPLE_TODAY) == digits


def test_a_field_error_refuses_unknown_codes_and_wrong_details():
    with pytest.raises(ValueError, match="unknown answer error code"):
        FieldError("too_big")
    with pytest.raises(ValueError, match="needs details"):
        FieldError("too_long")
    assert FieldError("too_long", {"max": 3}).as_json() == {
        "code": "too_long",
        "params": {"max": 3},
    }
