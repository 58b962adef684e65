"""Property tests for forms.expressions: the parser never crashes, evaluation is a function
of its inputs and never raises, and the canonical text reads back as the same expression."""

import re
import warnings
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from forms.expressions import ExpressionError, parse
from forms.functions import FUNCTIONS, pattern_problem

TODAY = date(2026, 11, 21)
NOW = datetime(2026, 11, 21, 9, 30)
NAMES = ["a", "b", "n", "m", "d", "agree", "_choice_x"]
OPERATORS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
PATTERNS = ["'^[0-9]{5}$'", "'a'", "'^$'", "'(ab|cd)+'", "${a}"]
PIECES = [
    "${a}",
    "${",
    "}",
    "$",
    "'",
    '"',
    "'x'",
    '"y"',
    "(",
    ")",
    ",",
    ".",
    "-",
    "+",
    "*",
    "div",
    "mod",
    "and",
    "or",
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "1",
    "2.5",
    ".5",
    "not",
    "if",
    "selected",
    "count-selected",
    "today()",
    "regex",
    "'(a+)+'",
    "yes",
    " ",
    "#",
    "é",
    "٣",
]


leaves = st.one_of(
    st.sampled_from(NAMES).map(lambda name: f"${{{name}}}"),
    st.just("."),
    st.integers(0, 10**6).map(str),
    st.decimals(0, 1000, places=3).map(str),
    st.text(alphabet="ab yes0.1-:", max_size=6).map(lambda text: f"'{text}'"),
    st.text(alphabet="ab' 2", max_size=4).map(lambda text: f'"{text}"'),
)


def _call(name, arguments):
    return f"{name}({', '.join(arguments)})"


def _calls(children):
    def for_name(name):
        function = FUNCTIONS[name]
        most = function.least + 2 if function.most is None else function.most
        return st.lists(children, min_size=function.least, max_size=most).map(
            lambda arguments: _call(name, arguments)
        )

    general = st.sampled_from(sorted(set(FUNCTIONS) - {"regex"})).flatmap(for_name)
    regex = st.tuples(children, st.sampled_from(PATTERNS)).map(lambda pair: _call("regex", pair))
    return general | regex


def _extend(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(OPERATORS), children).map(" ".join),
        st.tuples(children, st.sampled_from(OPERATORS), children).map(
            lambda parts: f"({' '.join(parts)})"
        ),
        children.map(lambda child: f"-{child}"),
        children.map(lambda child: f"( {child} )"),
        _calls(children),
    )


expressions = st.recursive(leaves, _extend, max_leaves=25)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["", "12", " 12.5 ", "-3", "2020-02-29", "2021-02-29", "a b", "yes", "no"]),
    st.dates().map(date.isoformat),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    st.lists(st.sampled_from(["a", "b", "water"]), max_size=3),
    st.lists(st.one_of(st.none(), st.integers(-5, 5), st.text(max_size=3)), max_size=3),
)
answer_sets = st.dictionaries(st.sampled_from(NAMES), values)


def _key(result):
    """A result as something ``==`` compares, NaN included."""
    return type(result), repr(result)


@settings(max_examples=500)
@given(st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=30).map("".join)))
def test_the_parser_returns_an_expression_or_raises_expression_error(text):
    try:
        expression = parse(text)
    except ExpressionError as error:
        assert 0 <= error.position <= len(text)
        assert error.message
        return
    assert parse(str(expression)) == expression
    expression.evaluate({"a": "x", "m": ["a"]}, current="1", today=TODAY, now=NOW)


@settings(max_examples=300)
@given(expressions, answer_sets, values)
def test_evaluating_twice_gives_the_same_result_and_never_raises(text, answers, current):
    expression = parse(text)
    first = expression.evaluate(answers, current=current, today=TODAY, now=NOW)
    again = parse(text).evaluate(dict(answers), current=current, today=TODAY, now=NOW)
    assert _key(first) == _key(again)


@settings(max_examples=300)
@given(expressions)
def test_the_canonical_text_reads_back_as_the_same_expression(text):
    expression = parse(text)
    canonical = str(expression)
    assert parse(canonical) == expression
    assert str(parse(canonical)) == canonical
    assert hash(parse(canonical)) == hash(expression)


@given(expressions)
def test_references_are_the_fields_written(text):
    written = set(re.findall(r"\$\{(\w+)\}", text))
    assert parse(text).references() == written
    assert parse(text).uses_current() == (
        "." in re.sub(r"'[^']*'|\"[^\"]*\"|[0-9.]*[0-9]", "", text)
    )


@settings(max_examples=300)
@given(st.text(alphabet="()[]{}*+?|\\^$-.,&~:=!<Pa1 ", max_size=20))
def test_a_pattern_that_passes_the_check_compiles_without_warnings(pattern):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        if pattern_problem(pattern) is None:
            re.compile(pattern)
    result = parse("regex(${a}, ${b})").evaluate({"a": "aaaa", "b": pattern})
    assert result in (True, False)
