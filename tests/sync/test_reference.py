from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync import reference

ALPHABET = string.digits + string.ascii_uppercase
codes = st.integers(min_value=1, max_value=5000).map(reference.kiosk_code)
numbers = st.integers(min_value=1, max_value=10**9)


def test_shape():
    made = reference.make("K01", 42)
    assert made[:10] == "K01-00042-"
    assert len(made) == 11


@given(codes, numbers)
def test_made_references_normalise_to_themselves(code, number):
    made = reference.make(code, number)
    assert reference.normalise(made) == made
    assert reference.normalise(made.lower().replace("-", " ")) == made
    assert reference.normalise(made.replace("-", "")) == made


@given(codes, numbers, st.data())
def test_every_single_substitution_is_caught(code, number, data):
    made = reference.make(code, number)
    positions = [i for i, c in enumerate(made) if c != "-"]
    position = data.draw(st.sampled_from(positions))
    wrong = data.draw(st.sampled_from([c for c in ALPHABET if c != made[position]]))
    mistyped = made[:position] + wrong + made[position + 1 :]
    assert reference.normalise(mistyped) is None


def test_every_substitution_exhaustively():
    made = reference.make("K07", 123)
    for position, right in enumerate(made):
        for wrong in ALPHABET:
            if right != "-" and wrong != right:
                assert reference.normalise(made[:position] + wrong + made[position + 1 :]) is None


@pytest.mark.parametrize(
    "text", ["", "K01", "K01-0004-X", "01-00042-X", "K01-00000-0", "K01-000042-Z"]
)
def test_not_references(text):
    assert reference.normalise(text) is None


def test_kiosk_codes_are_distinct_and_unambiguous():
    made = [reference.kiosk_code(n) for n in range(1, 3000)]
    assert made[:3] == ["K01", "K02", "K03"]
    assert made[98:100] == ["K99", "L01"]
    assert len(set(made)) == len(made)


def test_make_refuses_bad_input():
    with pytest.raises(ValueError, match="kiosk code"):
        reference.make("k1", 1)
    with pytest.raises(ValueError, match="number"):
        reference.make("K01", 0)
