from datetime import date

import pytest

from forms.relative_dates import is_relative, resolve

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", date(2026, 11, 20)),
        ("today-18y", date(2008, 11, 20)),
        ("today+30d", date(2026, 12, 20)),
        ("today-6m", date(2026, 5, 20)),
        ("today+2m", date(2027, 1, 20)),
        ("today-0d", date(2026, 11, 20)),
        ("today-999y", date(1027, 11, 20)),
    ],
)
def test_resolve(text, day):
    assert is_relative(text)
    assert resolve(text, TODAY) == day


@pytest.mark.parametrize(
    ("text", "today", "day"),
    [
        ("today-6m", date(2026, 8, 31), date(2026, 2, 28)),
        ("today-1m", date(2024, 3, 31), date(2024, 2, 29)),
        ("today-18y", date(2024, 2, 29), date(2006, 2, 28)),
        ("today+1y", date(2024, 2, 29), date(2025, 2, 28)),
        ("today+1d", date(2026, 12, 31), date(2027, 1, 1)),
    ],
)
def test_a_month_without_the_day_gives_its_last_day(text, today, day):
    assert resolve(text, today) == day


@pytest.mark.parametrize(
    "text",
    ["tomorrow", "Today", "today-18", "today - 18y", "today-18w", "today-1000y", "today-1y2m", 18],
)
def test_other_text_is_not_relative(text):
    assert not is_relative(text)


def test_resolve_refuses_what_is_not_relative():
    with pytest.raises(ValueError, match="not a relative date"):
        resolve("yesterday", TODAY)
