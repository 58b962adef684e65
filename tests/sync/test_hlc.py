"""The hybrid logical clock: monotonic per node, past every timestamp it has seen."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync import hlc

walls = st.integers(min_value=1_700_000_000_000, max_value=1_800_000_000_000)


def test_text_form_round_trips_and_sorts_like_the_clock():
    early, late = hlc.Timestamp(1763717400125, 3, "K01"), hlc.Timestamp(1763717400125, 10, "K01")
    assert str(early) == "1763717400125.0003@K01"
    assert hlc.parse(str(early)) == early
    assert sorted([str(late), str(early)]) == [str(early), str(late)]


@pytest.mark.parametrize("text", ["", "1763717400125@K01", "1763717400125.3@K01", "x.0001@K"])
def test_malformed_text_is_refused(text):
    with pytest.raises(ValueError):
        hlc.parse(text)


drifts = st.integers(min_value=-hlc.MAX_DRIFT_MS, max_value=hlc.MAX_DRIFT_MS)


@given(st.lists(st.tuples(walls, st.booleans(), drifts), min_size=1, max_size=50))
def test_every_event_is_later_than_everything_before_it(events):
    clock = hlc.ZERO
    seen = []
    for wall, remote, drift in events:
        if remote:
            other = hlc.Timestamp(wall + drift, 7, "K02")
            clock = hlc.receive(clock, other, "K01", wall)
            assert clock > other
        else:
            clock = hlc.tick(clock, "K01", wall)
        assert all(clock > before for before in seen)
        assert clock.wall >= wall
        seen.append(clock)


def test_a_clock_a_day_ahead_is_refused():
    now = hlc.wall_ms()
    with pytest.raises(ValueError, match="ahead"):
        hlc.receive(hlc.ZERO, hlc.Timestamp(now + hlc.MAX_DRIFT_MS + 60_000, 0, "K09"), "C", now)


def test_counter_overflow_borrows_the_next_millisecond():
    full = hlc.Timestamp(1763717400125, hlc.MAX_COUNTER, "K01")
    assert hlc.tick(full, "K01", 1763717400000) == hlc.Timestamp(1763717400126, 0, "K01")
