import pytest

from forms.errors import FieldError
from forms.types import EXAMPLE_TODAY, FIELD_TYPES
from forms.validation import display_value, parse_answer

EXAMPLE = FIELD_TYPES["select_multiple"].example_field()


def _field(**settings):
    return EXAMPLE.model_copy(update={"min_choices": None, "max_choices": None, **settings})


def test_the_ticked_values_are_stored_in_the_order_of_the_choices():
    assert parse_answer(_field(), ["waste", "water"], EXAMPLE_TODAY) == ["water", "waste"]
    assert parse_answer(_field(), "roads", EXAMPLE_TODAY) == ["roads"]


def test_without_limits_any_number_of_choices_can_be_ticked():
    every = [choice.value for choice in EXAMPLE.choices or ()]
    assert parse_answer(_field(), every, EXAMPLE_TODAY) == every
    assert parse_answer(_field(), ["power"], EXAMPLE_TODAY) == ["power"]


@pytest.mark.parametrize("blank", [[], [""], ["  ", ""], None])
def test_nothing_ticked_is_blank(blank):
    assert parse_answer(_field(), blank, EXAMPLE_TODAY) == FieldError("required")
    optional = _field(required=False, min_choices=2)
    assert parse_answer(optional, blank, EXAMPLE_TODAY) is None


def test_an_unknown_value_is_refused_before_the_count():
    result = parse_answer(_field(min_choices=3), ["water", "gone"], EXAMPLE_TODAY)
    assert result == FieldError("not_a_choice")


@pytest.mark.parametrize(
    ("value", "language", "shown"),
    [
        (["water", "waste"], "en", "Water, Rubbish collection"),
        (["water", "old"], "fr", "Water, old"),  # a choice an older version had
    ],
)
def test_display_value_lists_the_labels(value, language, shown):
    assert display_value(EXAMPLE, value, language, "en") == shown
