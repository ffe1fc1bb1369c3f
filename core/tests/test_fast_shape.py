"""The fast path's datetimes are DRF's, whatever the current time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from rest_framework import serializers

from core.fast_shape import datetime_writer

VALUES = [
    dt.datetime(2026, 3, 8, 6, 59, 59, 123456, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 8, 7, 0, tzinfo=dt.UTC),  # New York's clocks go forward
    dt.datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/New_York")),
    dt.datetime(2026, 6, 30, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
    None,
]


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_a_pages_datetimes_are_written_as_drf_writes_them(zone):
    field = serializers.DateTimeField()
    with timezone.override(zone):
        write = datetime_writer()
        written = [write(value) for value in VALUES]
        assert written == [None if value is None else field.to_representation(value) for value in VALUES]
    if zone == "UTC":
        assert written[:2] == ["2026-03-08T06:59:59.123456Z", "2026-03-08T07:00:00Z"]
    if zone == "America/New_York":
        assert written[:2] == ["2026-03-08T01:59:59.123456-05:00", "2026-03-08T03:00:00-04:00"]
