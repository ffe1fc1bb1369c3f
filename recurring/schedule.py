"""The dates a template issues on: pure arithmetic, no database.

Monthly, quarterly and yearly periods are anchored on the start date's day of the month and
clamped to each month's last day: a template starting on the 31st issues on Jan 31, Feb 28 (29 in
a leap year), Mar 31, Apr 30. Weekly periods are every 7 x N days from the start.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_date(*, start: date, interval: str, interval_count: int, index: int) -> date:
    """The date of period ``index`` (0 is ``start``)."""
    if interval == "week":
        return start + timedelta(days=7 * interval_count * index)
    months = start.month - 1 + _MONTHS[interval] * interval_count * index
    year, month = start.year + months // 12, months % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def first_index_on_or_after(*, start: date, interval: str, interval_count: int, day: date, from_index: int) -> int:
    """The first period index at or after ``from_index`` whose date is not before ``day``."""
    index = from_index
    while period_date(start=start, interval=interval, interval_count=interval_count, index=index) < day:
        index += 1
    return index
