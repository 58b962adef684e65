"""forms.expressions: reading XLSForm expressions, their canonical text, and ODK's semantics
for the operators (the functions are in test_expressions_functions.py)."""

import dataclasses
import math
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from forms.evaluation import NO, YES
from forms.expressions import ExpressionError, compile_expression, parse, truthy

TODAY = date(2026, 11, 21)


def value(text, current=None, **answers):
    return parse(text).evaluate(answers, current=current, today=TODAY)


def same(actual, expected):
    """Equal, NaN included, and of the expected kind (a float is not a bool)."""
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return isinstance(actual, type(expected)) and actual == expected


# Reading text ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("1+2*3", "1 + 2 * 3"),
        ("(1 + 2) * 3", "(1 + 2) * 3"),
        ("((1))", "1"),
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("(1 - 2) - 3", "1 - 2 - 3"),
        ("8 div (4 div 2)", "8 div (4 div 2)"),
        ("10 mod 3 div 2", "10 mod 3 div 2"),
        ("-(1 + 2)", "-(1 + 2)"),
        ("- - 2", "--2"),
        ("2 - -3", "2 - -3"),
        ("-2 * 3", "-2 * 3"),
        ("${a}='x'", "${a} = 'x'"),
        ('"it\'s"', '"it\'s"'),
        ('"plain"', "'plain'"),
        ("not( ${a} = 'x' )or ${b}>2", "not(${a} = 'x') or ${b} > 2"),
        ("${a} or ${b} and ${c}", "${a} or ${b} and ${c}"),
        ("(${a} or ${b}) and ${c}", "(${a} or ${b}) and ${c}"),
        ("(1 < 2) = true()", "1 < 2 = true()"),
        ("1 < (2 = 3)", "1 < (2 = 3)"),
        (". >= 1 and . <= ${max}", ". >= 1 and . <= ${max}"),
        ("1.50", "1.5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("0.0000001", "0.0000001"),
        ("100000000000000000000", "100000000000000000000"),
        ("count-selected( ${x} )", "count-selected(${x})"),
        ("if(${a},1,2)", "if(${a}, 1, 2)"),
        ("${_choice_region} = ${region}", "${_choice_region} = ${region}"),
        ("concat()", "concat()"),
        ("1 div${b}", "1 div ${b}"),
        ("\t${a}\n=\r\n1 ", "${a} = 1"),
    ],
)
def test_str_gives_the_canonical_text(text, canonical):
    assert str(parse(text)) == canonical
    assert parse(canonical) == parse(text)


def test_expressions_are_immutable_values():
    first, second = parse("1 + 2 = ${a}"), parse("(1+2)=${a}")
    assert first == second and hash(first) == hash(second)
    assert first != parse("1 + 2 = ${b}")
    assert {first: "relevant"}[second] == "relevant"
    assert repr(first) == "Expression('1 + 2 = ${a}')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.root = parse("1").root  # type: ignore[misc]


def test_references_name_every_field_read():
    expression = parse("${age} >= 18 and selected(${needs}, 'water') or ${age} < 2")
    assert expression.references() == frozenset({"age", "needs"})
    assert parse("1 + 2").references() == frozenset()


def test_uses_current_is_true_only_with_a_dot():
    assert parse(". > 0 and . <= ${max}").uses_current()
    assert not parse("${a} > 0.5").uses_current()
    assert not parse("'.'").uses_current()


def test_compile_expression_parses_each_text_once():
    assert compile_expression("${a} = 1") is compile_expression("${a} = 1")
    with pytest.raises(ExpressionError):
        compile_expression("${a} =")


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("${age} >= ", 10, "expected a value"),
        ("", 0, "expected a value (${name}, a number, 'text', a function or '('), found the end"),
        ("   ", 3, "found the end"),
        ("${age} >= 18 18", 13, "expected an operator or the end, found '18'"),
        ("1 and", 5, "expected a value"),
        (
            "and 1",
            0,
            "expected a value (${name}, a number, 'text', a function or '('), found 'and'",
        ),
        ("${a} == 1", 6, "expected a value"),
        ("foo(1)", 0, "unknown function foo()"),
        ("1 + bar(2)", 4, "unknown function bar()"),
        ("${agree} = yes", 11, "unexpected word 'yes': put text in quotes, like 'yes'"),
        ("if(1, 2)", 0, "if() takes 3 arguments, got 2"),
        ("true(1)", 0, "true() takes no arguments, got 1"),
        ("number(1, 2)", 0, "number() takes 1 argument, got 2"),
        ("round()", 0, "round() takes 1 to 2 arguments, got 0"),
        ("max()", 0, "max() takes at least 1 argument, got 0"),
        ("concat", 6, "expected '(' after concat, found the end"),
        ("(1 + 2", 6, "expected ')' to close the '(' at character 1, found the end"),
        ("max(1 2)", 6, "expected ',' or ')' after an argument, found '2'"),
        ("max(1,)", 6, "expected a value"),
        ("'abc", 0, "this text is not closed: expected a ' to end it"),
        ('x = "abc', 4, 'expected a " to end it'),
        ("${age", 0, "expected a field reference like ${age}"),
        ("${ age }", 0, "expected a field reference"),
        ("$age", 0, "expected a field reference"),
        ("1 # 2", 2, "unexpected character '#'"),
        ("1.2.3", 3, "expected an operator or the end, found '.3'"),
        (". .", 2, "expected an operator or the end, found '.'"),
        ("regex(., '(a+)+$')", 9, "repeats a group that repeats"),
        ("regex(., '(')", 9, "not a valid regular expression"),
        ("regex(., '(x)\\1')", 9, "back-reference"),
        ("regex(., '[[a]')", 9, "inside [...]"),
        ("regex(., '" + "a" * 201 + "')", 9, "longer than 200 characters"),
        ("1" + "0" * 400, 0, "this number is too large"),
        ("(" * 150 + "1" + ")" * 150, 100, "nested too deeply"),
        ("1" + " + 1" * 150, 0, "nested too deeply"),
    ],
)
def test_parse_errors_say_what_was_expected_and_where(text, position, message):
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert caught.value.position == position
    assert message in caught.value.message
    assert str(caught.value) == f"{caught.value.message} (at character {position + 1})"
    assert isinstance(caught.value, ValueError)


def test_a_pattern_given_as_an_answer_is_checked_when_the_expression_runs():
    assert parse("regex(., ${pattern})").evaluate({"pattern": "(a+)+$"}, current="aaa") is False


def test_long_but_shallow_expressions_are_fine():
    assert value(" + ".join(["1"] * 90)) == 90.0
    assert value("concat(" + ", ".join(["'a'"] * 500) + ")") == "a" * 500


# Precedence and the operators ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("1 + 2 * 3 = 7", {}, True),
        ("(1 + 2) * 3", {}, 9.0),
        ("not(${a} = 'x') or ${b} > 2", {"a": "x", "b": 3}, True),
        ("not(${a} = 'x') or ${b} > 2", {"a": "x", "b": 2}, False),
        ("not(${a} = 'x') or ${b} > 2", {"a": "y"}, True),
        ("${a} = 1 or ${b} = 2 and ${c} = 3", {"a": 1, "b": 2}, True),
        ("(${a} = 1 or ${b} = 2) and ${c} = 3", {"a": 1, "b": 2}, False),
        ("1 < 2 = true()", {}, True),
        ("-2 * 3", {}, -6.0),
        ("- 2 - 3", {}, -5.0),
        ("2 - -3", {}, 5.0),
        ("7 mod 3 * 2", {}, 2.0),
        ("8 div 2 div 2", {}, 2.0),
        ("10 - 4 - 3", {}, 3.0),
        ("1 + 1 = 2 and 2 * 2 = 4", {}, True),
    ],
)
def test_precedence_is_xpaths(text, answers, expected):
    assert same(value(text, **answers), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2", 3.0),
        ("1 - 2.5", -1.5),
        ("3 * 4", 12.0),
        ("7 div 2", 3.5),
        ("7 mod 3", 1.0),
        ("-7 mod 3", -1.0),
        ("7 mod -3", 1.0),
        ("7.5 mod 2", 1.5),
        ("1 div 0", math.inf),
        ("-1 div 0", -math.inf),
        ("0 div 0", math.nan),
        ("5 mod 0", math.nan),
        ("(1 div 0) mod 2", math.nan),
        ("(1 div 0) - (1 div 0)", math.nan),
        ("-'3'", -3.0),
        ("-''", math.nan),
        ("'2' + '3'", 5.0),
        ("'a' + 1", math.nan),
        ("true() + true()", 2.0),
        ("0.1 + 0.2", 0.30000000000000004),
        ("1 = 1", True),
        ("1 != 1", False),
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 2", True),
        ("2 >= 3", False),
        ("'a' and ''", False),
        ("'' or 0", False),
        ("0 or 'x'", True),
    ],
)
def test_operators(text, expected):
    assert same(value(text), expected)


# ODK's semantics for answers ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${x} = ''", True),
        ("${x} != ''", False),
        ("'' = ''", True),
        ("${x} = 0", False),
        ("${x} != 0", True),
        ("${x} > 0", False),
        ("${x} < 0", False),
        ("${x} >= ${x}", False),
        ("${x}", ""),
        ("${x} + 1", math.nan),
        ("not(${x})", True),
        ("string-length(${x}) = 0", True),
    ],
)
@pytest.mark.parametrize("unanswered", [{}, {"x": None}, {"x": ""}])
def test_an_unanswered_question_is_empty_text(text, expected, unanswered):
    assert same(parse(text).evaluate(unanswered), expected)


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${s} = 18", {"s": "18"}, True),
        ("${s} = 18", {"s": " 18.0 "}, True),
        ("${s} > 9", {"s": "18"}, True),
        ("'10' > '9'", {}, True),
        ("'10' = '10.0'", {}, False),
        ("'abc' < 'abd'", {}, False),
        ("${n} = '18'", {"n": 18}, True),
        ("${n} >= 18", {"n": 18}, True),
        ("${d} > 12.4", {"d": Decimal("12.5")}, True),
        ("${d} * 2", {"d": Decimal("12.5")}, 25.0),
        ("${d} * 2", {"d": "12.5"}, 25.0),
        ("${n} + 1", {"n": 10**400}, math.inf),
        ("${n} + 1", {"n": Decimal("sNaN")}, math.nan),
        ("0.1 + 0.2 = 0.3", {}, True),
    ],
)
def test_numbers_and_numeric_text_compare_as_numbers(text, answers, expected):
    assert same(value(text, **answers), expected)


@pytest.mark.parametrize(
    "text",
    [
        "number('') = number('')",
        "number('x') < 1",
        "number('x') >= 1",
        "0 div 0 = 0 div 0",
        "${n} = 1",
        "${n} < 1",
    ],
)
def test_a_comparison_with_nan_is_false(text):
    assert value(text, n=math.nan) is False


def test_not_equal_is_the_opposite_of_equal_even_for_nan():
    assert value("number('') != 1") is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", False),
        ("x", True),
        ("0", True),
        ("no", True),
        (0.0, False),
        (-0.5, True),
        (math.nan, False),
        (True, True),
        (False, False),
        (YES, True),
        (NO, False),
        ((), False),
        (("a",), True),
        (date(2020, 1, 1), True),
        (None, False),
        (0, False),
        (3, True),
        (Decimal("0"), False),
        (Decimal("0.5"), True),
        ([], False),
        (["a"], True),
        (object(), True),
    ],
)
def test_truthy_is_xpaths_boolean(raw, expected):
    assert truthy(raw) is expected


@pytest.mark.parametrize(
    ("text", "agree", "expected"),
    [
        ("${agree} = 'yes'", True, True),
        ("${agree} = 'yes'", False, False),
        ("${agree} = 'no'", False, True),
        ("${agree} != 'no'", True, True),
        ("${agree} = true()", True, True),
        ("${agree} = false()", False, True),
        ("${agree}", True, "yes"),
        ("if(${agree}, 'a', 'b')", True, "a"),
        ("if(${agree}, 'a', 'b')", False, "b"),
        ("not(${agree})", False, True),
        ("${agree} + ${agree}", True, 2.0),
        ("${agree} = 1", True, True),
        ("string(${agree})", False, "no"),
        ("concat('answer: ', ${agree})", True, "answer: yes"),
        ("selected(${agree}, 'yes')", True, True),
        ("${agree} = ''", None, True),
    ],
)
def test_yes_no_answers_are_booleans_that_read_as_yes_and_no(text, agree, expected):
    assert same(value(text, agree=agree), expected)


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${dob} < today()", {"dob": "2000-01-31"}, True),
        ("today() - ${dob}", {"dob": "2026-11-01"}, 20.0),
        ("(today() - ${dob}) div 365.25 >= 18", {"dob": "2008-11-22"}, False),
        ("(today() - ${dob}) div 365.25 >= 18", {"dob": "2000-11-22"}, True),
        ("${a} < ${b}", {"a": "2020-12-31", "b": "2021-01-01"}, True),
        ("${a} = '2020-01-01'", {"a": "2020-01-01"}, True),
        ("${a} = '2020-01-01'", {"a": date(2020, 1, 1)}, True),
        ("${a} < today()", {"a": date(2020, 1, 1)}, True),
        ("today() = '2026-11-21'", {}, True),
        ("today() > ${a}", {}, False),
        ("today() = ${a}", {}, False),
        ("${a} > 0", {"a": "1970-01-02"}, True),
        ("${a} - ${b}", {"a": "2020-03-01", "b": "2020-02-28"}, 2.0),
        ("${a} < '2020-01-01T12:00:00'", {"a": "2020-01-01T06:00:00"}, True),
        (
            "${a} < ${b}",
            {"a": datetime(2020, 1, 1, 6, tzinfo=UTC), "b": "2020-01-02"},
            True,
        ),
        ("${a} < '2020-02-30'", {"a": "2020-01-01"}, False),
        ("string(today())", {}, "2026-11-21"),
    ],
)
def test_dates_compare_and_subtract_as_days(text, answers, expected):
    assert same(value(text, **answers), expected)


@pytest.mark.parametrize(
    ("text", "answers", "expected"),
    [
        ("${m} = 'a b'", {"m": ["a", "b"]}, True),
        ("${m} = 'a b'", {"m": "a b"}, True),
        ("${m} = ''", {"m": []}, True),
        ("string(${m})", {"m": ["a", "b"]}, "a b"),
        ("${m}", {"m": ["a", "b"]}, ("a", "b")),
        ("${m}", {"m": [1, None, True]}, (1.0, "", YES)),
        ("boolean(${m})", {"m": []}, False),
    ],
)
def test_select_multiple_answers_are_lists_or_space_separated_text(text, answers, expected):
    assert same(value(text, **answers), expected)


def test_the_current_value_is_a_dot():
    constraint = parse(". >= 1 and . <= ${household}")
    assert constraint.evaluate({"household": 4}, current=3) is True
    assert constraint.evaluate({"household": 4}, current=5) is False
    assert constraint.evaluate({"household": 4}) is False
    assert parse(". = ''").evaluate({}) is True
    assert parse("count-selected(.)").evaluate({}, current=["a", "b"]) == 2.0


def test_today_and_now_default_to_the_clock():
    before = date.today()
    assert before <= parse("today()").evaluate({}) <= date.today()
    assert isinstance(parse("now()").evaluate({}), datetime)
    moment = datetime(2026, 1, 2, 3, 4, 5)
    assert parse("now()").evaluate({}, now=moment) == moment
    assert parse("today()").evaluate({}, now=moment) == date(2026, 1, 2)
    assert parse("today()").evaluate({}, today=TODAY, now=moment) == TODAY


@pytest.mark.parametrize(
    "strange",
    [
        object(),
        {"nested": "dict"},
        [[["deep"]]],
        math.inf,
        Decimal("-Infinity"),
        datetime.max,
        date.min,
        "\x00",
        b"bytes",
    ],
)
def test_evaluation_never_raises_for_strange_answers(strange):
    text = (
        "${x} = ${x} or ${x} < 1 or ${x} + 1 > 0 or date(${x} + 1) = '' or "
        "sum(${x}) > 0 or max(${x}) > 0 or selected(${x}, 'a') or round(${x}, 2) = 1 or "
        "regex(${x}, '^a') or string-length(${x}) > 0 or int(${x}) = 1 or -${x} = 1"
    )
    assert parse(text).evaluate({"x": strange}, current=strange) in (True, False)
