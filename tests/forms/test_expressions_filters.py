"""forms.expressions.parse_filter: a choice filter, whose bare names are the columns of
the choice being tested, read one way by the kiosk (forms.answers.choices) and by
``fieldkiosk forms check`` (forms.logic)."""

import pytest

from forms.expressions import (
    CHOICE,
    ExpressionError,
    compile_filter,
    parse,
    parse_filter,
    truthy,
)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("region = ${region}", "${_choice_region} = ${region}"),
        ("name != 'region'", "${_choice_name} != 'region'"),
        ("kind = \"a b\" or kind = 'c'", "${_choice_kind} = 'a b' or ${_choice_kind} = 'c'"),
        ("selected(${needs}, need)", "selected(${needs}, ${_choice_need})"),
        ("min_age div 2 mod 3 < ${age}", "${_choice_min_age} div 2 mod 3 < ${age}"),
        ("not(closed)", "not(${_choice_closed})"),
    ],
)
def test_bare_names_are_the_choices_columns(text, canonical):
    assert str(parse_filter(text)) == canonical
    assert str(parse_filter(text)) == str(parse(canonical))


def test_only_the_columns_are_choice_references():
    expression = parse_filter("region = ${region} and ${age} >= min_age")
    assert expression.references() == {"region", "age", CHOICE + "region", CHOICE + "min_age"}


def test_a_filter_tests_each_choice_with_its_columns():
    expression = parse_filter("region = ${region}")
    answers = {"region": "north"}
    assert truthy(expression.evaluate({**answers, CHOICE + "region": "north"}))
    assert not truthy(expression.evaluate({**answers, CHOICE + "region": "south"}))


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("region = ${region} and (", 24, "expected a value"),
        ("region = ${regoin", 9, "expected a field reference"),
        ("regoin(region) = ${region}", 0, "unknown function regoin()"),
        ("region = 'north", 9, "this text is not closed"),
    ],
)
def test_filter_errors_are_placed_in_the_text_as_written(text, position, message):
    with pytest.raises(ExpressionError) as caught:
        parse_filter(text)
    assert caught.value.position == position
    assert caught.value.message.startswith(message)


def test_a_filter_is_parsed_once():
    assert compile_filter("region = ${region}") is compile_filter("region = ${region}")


def test_bare_names_stay_an_error_outside_filters():
    with pytest.raises(ExpressionError, match="unexpected word 'region'"):
        parse("region = ${region}")
