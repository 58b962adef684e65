"""forms.functions: every function an expression can call, with ODK's semantics for empty
answers, NaN and values of the wrong kind."""

import math
from datetime import date, datetime

import pytest

from forms.expressions import parse
from forms.functions import FUNCTIONS, pattern_problem

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, 30)
ANSWERS = {
    "a": "a",
    "n": 2,
    "m": ["a", "b"],
    "text_m": "a b c",
    "agree": True,
    "dob": "2000-01-31",
    "r": [1, 2, "3"],
    "holes": [1, ""],
    "empty_list": [],
    "big": 10**300,
}


def value(text):
    return parse(text).evaluate(ANSWERS, today=TODAY, now=NOW)


def same(actual, expected):
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(actual, float) and math.isnan(actual)
    return isinstance(actual, type(expected)) and actual == expected


CASES = {
    "if": [
        ("if(${a} = 'a', 'yes', 'no')", "yes"),
        ("if(${missing}, 1, 2)", 2.0),
        ("if(0 div 0, 1, 2)", 2.0),
    ],
    "not": [("not(1 = 2)", True), ("not('x')", False), ("not(${missing})", True)],
    "true": [("true()", True)],
    "false": [("false()", False)],
    "boolean": [
        ("boolean('')", False),
        ("boolean('0')", True),
        ("boolean(0)", False),
        ("boolean(number('x'))", False),
        ("boolean(${m})", True),
    ],
    "selected": [
        ("selected(${m}, 'b')", True),
        ("selected(${m}, ' b ')", True),
        ("selected(${m}, 'c')", False),
        ("selected(${text_m}, 'c')", True),
        ("selected(${missing}, 'a')", False),
        ("selected(${agree}, 'yes')", True),
    ],
    "count-selected": [
        ("count-selected(${m})", 2.0),
        ("count-selected(${text_m})", 3.0),
        ("count-selected(${missing})", 0.0),
        ("count-selected(${empty_list})", 0.0),
    ],
    "selected-at": [
        ("selected-at(${text_m}, 1)", "b"),
        ("selected-at(${m}, 0)", "a"),
        ("selected-at(${m}, 2)", ""),
        ("selected-at(${m}, -1)", ""),
        ("selected-at(${m}, number(''))", ""),
    ],
    "string": [
        ("string(1)", "1"),
        ("string(0.5)", "0.5"),
        ("string(-2.50)", "-2.5"),
        ("string(1 div 3)", "0.333333333333333"),
        ("string(100000000000000000000)", "100000000000000000000"),
        ("string(number(''))", "NaN"),
        ("string(1 div 0)", "Infinity"),
        ("string(-1 div 0)", "-Infinity"),
        ("string(-0)", "0"),
        ("string(true())", "true"),
        ("string(today())", "2026-11-21"),
        ("string(${m})", "a b"),
        ("string(${agree})", "yes"),
        ("string(${missing})", ""),
    ],
    "string-length": [
        ("string-length('abc')", 3.0),
        ("string-length(${missing})", 0.0),
        ("string-length(12.5)", 4.0),
    ],
    "concat": [
        ("concat()", ""),
        ("concat('a', ${n}, 'c')", "a2c"),
        ("concat(${missing}, 'x', ${m})", "xa b"),
    ],
    "join": [
        ("join(', ', ${m})", "a, b"),
        ("join('-', 'x', ${m})", "x-a-b"),
        ("join(', ', ${missing})", ""),
        ("join(', ')", ""),
    ],
    "contains": [("contains('hello', 'ell')", True), ("contains(${missing}, 'a')", False)],
    "starts-with": [("starts-with('hello', 'he')", True), ("starts-with('hello', 'lo')", False)],
    "ends-with": [("ends-with('hello', 'lo')", True), ("ends-with('hello', 'he')", False)],
    "substr": [
        ("substr('hello', 1, 3)", "el"),
        ("substr('hello', 2)", "llo"),
        ("substr('hello', -1, 99)", "hello"),
        ("substr('hello', 3, 1)", ""),
        ("substr('hello', number('x'))", ""),
    ],
    "coalesce": [
        ("coalesce(${missing}, 'x')", "x"),
        ("coalesce(${a}, 'x')", "a"),
        ("coalesce(${empty_list}, 0)", 0.0),
        ("coalesce('', '')", ""),
        ("coalesce(${missing}, ${missing}, 3)", 3.0),
    ],
    "regex": [
        ("regex('12345', '^[0-9]{5}$')", True),
        ("regex('123456', '^[0-9]{5}$')", False),
        ("regex('abc', 'b')", True),
        ("regex(${missing}, '^$')", True),
        ("regex('aaa', ${a})", True),
        ("regex('aaa', concat('(a+', ')+'))", False),
        ("regex('aaa', concat('(', ''))", False),
    ],
    "number": [
        ("number('12.5')", 12.5),
        ("number(' 7 ')", 7.0),
        ("number('-3')", -3.0),
        ("number('+3')", math.nan),
        ("number('1e3')", math.nan),
        ("number('1,5')", math.nan),
        ("number('')", math.nan),
        ("number('abc')", math.nan),
        ("number(true())", 1.0),
        ("number(${agree})", 1.0),
        ("number('1970-01-11')", 10.0),
        ("number(date('1970-01-02'))", 1.0),
    ],
    "int": [
        ("int(3.7)", 3.0),
        ("int(-3.7)", -3.0),
        ("int('')", math.nan),
        ("int(1 div 0)", math.inf),
    ],
    "floor": [("floor(-3.5)", -4.0), ("floor(3.5)", 3.0), ("floor('x')", math.nan)],
    "ceiling": [("ceiling(-3.5)", -3.0), ("ceiling(3.2)", 4.0)],
    "abs": [("abs(-3.5)", 3.5), ("abs('')", math.nan)],
    "round": [
        ("round(2.5)", 3.0),
        ("round(-2.5)", -3.0),
        ("round(2.675, 2)", 2.68),
        ("round(1234.5, -2)", 1200.0),
        ("round(1.5, number(''))", math.nan),
        ("round(number(''), 2)", math.nan),
        ("round(1 div 0, 2)", math.inf),
        ("round(${big}, 2)", 1e300),
        ("round(5, 1 div 0)", 5.0),
    ],
    "count": [
        ("count(${r})", 3.0),
        ("count(${missing})", 0.0),
        ("count(${empty_list})", 0.0),
        ("count(${a})", 1.0),
    ],
    "sum": [
        ("sum(${r})", 6.0),
        ("sum(${empty_list})", 0.0),
        ("sum(${missing})", 0.0),
        ("sum(${holes})", math.nan),
        ("sum(${n})", 2.0),
    ],
    "max": [
        ("max(1, 5, 3)", 5.0),
        ("max(${r})", 3.0),
        ("max(${r}, 10)", 10.0),
        ("max(${missing})", math.nan),
        ("max(1, ${missing})", 1.0),
        ("max(1, 'x')", math.nan),
    ],
    "min": [("min(4, 2, 3)", 2.0), ("min(${r})", 1.0), ("min(${holes})", math.nan)],
    "today": [("today()", TODAY)],
    "now": [("now()", NOW)],
    "date": [
        ("date('2020-02-29')", date(2020, 2, 29)),
        ("date('2021-02-29')", ""),
        ("date(0)", date(1970, 1, 1)),
        ("date(1.9)", date(1970, 1, 2)),
        ("date(${dob} + 1)", date(2000, 2, 1)),
        ("date(today())", TODAY),
        ("date(now())", TODAY),
        ("date('2020-01-01T23:00:00')", date(2020, 1, 1)),
        ("date(${missing})", ""),
        ("date(1 div 0)", ""),
        ("date(100000000)", ""),
    ],
    "decimal-date-time": [
        ("decimal-date-time('1970-01-02T12:00:00')", 1.5),
        ("round(decimal-date-time(now()) - decimal-date-time(today()), 4)", 0.3958),
        ("decimal-date-time('x')", math.nan),
    ],
}


def test_every_function_has_cases():
    assert set(CASES) == set(FUNCTIONS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [case for cases in CASES.values() for case in cases],
    ids=[text for cases in CASES.values() for text, _ in cases],
)
def test_function(text, expected):
    assert same(value(text), expected)


@pytest.mark.parametrize(
    "pattern",
    [
        "^[0-9]{5}$",
        r"^\+?[0-9 ]{6,15}$",
        r"^(\d{3}-)?\d{4}$",
        "[a-z]+@[a-z]+",
        "(ab|cd)+",
        r"\(a+\)+",
    ],
)
def test_ordinary_patterns_are_accepted(pattern):
    assert pattern_problem(pattern) is None


@pytest.mark.parametrize(
    "pattern", ["(a+)+", "(a*)*b", "((ab)*c)+", "(x{2,})*", "([a-z]+)*$", "(a+){2,}"]
)
def test_patterns_that_can_take_forever_are_refused(pattern):
    assert "repeats a group that repeats" in str(pattern_problem(pattern))
