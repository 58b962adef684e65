import pytest

from forms.errors import FieldError
from forms.identity import MAX_LENGTH, digits_only
from forms.types import EXAMPLE_TODAY, FIELD_TYPES
from forms.validation import parse_answer

EXAMPLE = FIELD_TYPES["national_id"].example_field()


def _field(**settings):
    return EXAMPLE.model_copy(update={"id_rule": "none", "id_length": None, **settings})


@pytest.mark.parametrize(
    ("raw", "result"),
    [
        ("2363", "2363"),
        ("2364", FieldError("id_check_failed")),
        ("2336", FieldError("id_check_failed")),  # two digits swapped
        ("4991 1866 5246", "499118665246"),  # a 12-digit Aadhaar-style number
        ("4991 1866 5242", FieldError("id_check_failed")),
    ],
)
def test_the_verhoeff_rule(raw, result):
    assert parse_answer(_field(id_rule="verhoeff"), raw, EXAMPLE_TODAY) == result


def test_without_a_rule_or_a_length_letters_are_allowed_and_capitalised():
    field = _field()
    assert not digits_only(field)
    assert parse_answer(field, "ab-123 456", EXAMPLE_TODAY) == "AB123456"
    assert parse_answer(field, "AB/123", EXAMPLE_TODAY) == FieldError("not_an_id")
    assert parse_answer(field, "É123", EXAMPLE_TODAY) == FieldError("not_an_id")
    assert parse_answer(field, "9" * MAX_LENGTH, EXAMPLE_TODAY) == "9" * MAX_LENGTH
    assert parse_answer(field, "9" * (MAX_LENGTH + 1), EXAMPLE_TODAY) == FieldError("not_an_id")


def test_a_length_alone_asks_for_that_many_digits():
    field = _field(id_length=8)
    assert digits_only(field)
    assert parse_answer(field, "1234 5678", EXAMPLE_TODAY) == "12345678"
    assert parse_answer(field, "1234567A", EXAMPLE_TODAY) == FieldError("not_an_id")
    assert parse_answer(field, "1234567", EXAMPLE_TODAY) == FieldError("not_an_id")


def test_a_rule_without_a_length_takes_any_number_of_digits():
    field = _field(id_rule="luhn")
    assert digits_only(field)
    assert parse_answer(field, "18", EXAMPLE_TODAY) == "18"
    assert parse_answer(field, "79927398713", EXAMPLE_TODAY) == "79927398713"
    assert parse_answer(field, "AB18", EXAMPLE_TODAY) == FieldError("not_an_id")
