"""forms.expressions' static checks for ``fieldkiosk forms check``: references to fields
that do not exist, calculations that depend on themselves, and the order to work them out."""

import pytest

from forms.expressions import calculation_cycles, evaluation_order, parse, undefined_references


def calculations(**texts):
    return {name: parse(text) for name, text in texts.items()}


def test_undefined_references_name_the_owner_and_the_missing_field():
    expressions = {
        "fields.2.relevant": parse("${age} >= 18 and ${zz} = 'x' or ${aa} = 1"),
        "fields.3.constraint": parse(". <= ${age}"),
        "fields.4.calculation": parse("${nope} + 1"),
    }
    assert undefined_references(expressions, {"age"}) == [
        ("fields.2.relevant", "aa"),
        ("fields.2.relevant", "zz"),
        ("fields.4.calculation", "nope"),
    ]
    assert undefined_references(expressions, {"age", "aa", "zz", "nope"}) == []


@pytest.mark.parametrize(
    ("texts", "cycles"),
    [
        ({"a": "1", "b": "${a} + 1", "c": "${b} + ${age}"}, []),
        ({"a": "${a} + 1"}, [["a", "a"]]),
        ({"a": "${b}", "b": "${a}"}, [["a", "b", "a"]]),
        ({"d": "${a}", "a": "${b}", "b": "${c}", "c": "${a}"}, [["a", "b", "c", "a"]]),
        (
            {"a": "${b}", "b": "${a}", "c": "${d}", "d": "${c} + ${a}"},
            [["a", "b", "a"], ["c", "d", "c"]],
        ),
        ({"a": "${b} + ${c}", "b": "${a}", "c": "${a}"}, [["a", "b", "a"], ["c", "a", "c"]]),
        ({"a": "${x}", "x_calc": "${a}"}, []),
    ],
)
def test_calculation_cycles_are_paths_back_to_their_start(texts, cycles):
    assert calculation_cycles(calculations(**texts)) == cycles


def test_every_calculation_on_a_cycle_is_reported():
    found = calculation_cycles(calculations(a="${b} + ${c}", b="${a}", c="${a}", d="${a}"))
    assert {name for cycle in found for name in cycle} == {"a", "b", "c"}


def test_evaluation_order_puts_what_is_read_first_and_otherwise_keeps_the_given_order():
    order = evaluation_order(
        calculations(total="${price} * ${count}", price="${base} + 1", label="'x'", base="2")
    )
    assert order == ["label", "base", "price", "total"]
    assert evaluation_order(calculations(a="1", b="2", c="${outside}")) == ["a", "b", "c"]
    assert evaluation_order({}) == []


def test_evaluation_order_refuses_a_cycle():
    with pytest.raises(ValueError, match="calculations depend on themselves: a → b → a"):
        evaluation_order(calculations(a="${b}", b="${a}", c="1"))
