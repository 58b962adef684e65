import json
from decimal import Decimal
from typing import get_args

import pytest

from forms.errors import ERROR_CODES, FieldError
from forms.schema import FieldTypeName, FormDefinition
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
    assert len(field_type.invalid) >= 3
    assert field_type.example_field().type == field_type.name


def test_the_examples_use_every_error_code():
    used = {error.code for field_type in FIELD_TYPES.values() for _, error in field_type.invalid}
    assert used == set(ERROR_CODES)


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
