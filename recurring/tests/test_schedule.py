from datetime import date

import pytest

from recurring.schedule import first_index_on_or_after, period_date


def dates(start: date, interval: str, n: int, every: int = 1) -> list[date]:
    return [period_date(start=start, interval=interval, interval_count=every, index=i) for i in range(n)]


def test_monthly_from_the_31st_clamps_to_each_month_end_and_returns_to_the_31st():
    got = dates(date(2026, 1, 31), "month", 5)
    assert got == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]


def test_leap_february_gets_the_29th():
    assert dates(date(2027, 12, 31), "month", 3)[2] == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("interval", "every", "expected"),
    [
        ("week", 1, [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19)]),
        ("week", 2, [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 2)]),
        ("quarter", 1, [date(2026, 1, 5), date(2026, 4, 5), date(2026, 7, 5)]),
        ("year", 1, [date(2026, 1, 5), date(2027, 1, 5), date(2028, 1, 5)]),
        ("month", 3, [date(2026, 1, 5), date(2026, 4, 5), date(2026, 7, 5)]),
    ],
)
def test_every_interval(interval, every, expected):
    assert dates(date(2026, 1, 5), interval, 3, every) == expected


def test_first_index_on_or_after_skips_past_periods():
    index = first_index_on_or_after(
        start=date(2026, 1, 31), interval="month", interval_count=1, day=date(2026, 4, 15), from_index=1
    )
    assert index == 3  # Apr 30
