"""What a report is asked for: the owner, one currency, a date range in the owner's time zone.

Every report reads the same ``ReportQuery``, so the summary, the charts and the CSV always count
the same rows. ``from`` and ``to`` are inclusive dates in the owner's time zone; the range is
turned once into a half-open span of instants ``[start, end)`` that the queries compare with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import connection
from django.utils import timezone

from accounts.services import profile_for
from core.errors import DomainError
from core.money import CURRENCIES
from invoices.models import Invoice, InvoiceStatus

INTERVALS = ("day", "week", "month")
# A day-by-day chart of ten years is nobody's chart; the range itself may span up to ten years.
MAX_RANGE_DAYS = 3660
MAX_DAY_POINTS = 400
DEFAULT_CURRENCY = "USD"


class InvalidReportQuery(DomainError):
    code = "invalid"
    http_status = 400
    default_message = "The report's parameters are not valid."


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportQuery:
    owner_id: int
    currency: str
    date_from: dt.date
    date_to: dt.date
    interval: str
    tz: ZoneInfo
    today: dt.date
    # The owner's currencies, when choosing the default currency needed them (else None).
    currencies: tuple[str, ...] | None = None

    @property
    def start(self) -> dt.datetime:
        """The first instant of ``date_from`` in the owner's time zone."""
        return dt.datetime.combine(self.date_from, dt.time.min, tzinfo=self.tz)

    @property
    def end(self) -> dt.datetime:
        """The first instant after ``date_to`` (exclusive)."""
        return dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=self.tz)


def owner_time_zone(user: object) -> ZoneInfo:
    """The owner's time zone from their business profile; UTC when unset or unknown."""
    name = profile_for(user).time_zone or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def owner_currencies(owner_id: int) -> list[str]:
    """The currencies of the owner's invoices that count (drafts aside), alphabetically.

    A skip scan: each step asks the ``invoice_owner_currency`` index for the first currency after
    the one found before, so an owner with 20,000 invoices in two currencies costs three probes of
    the index instead of a pass over every invoice.
    """
    table = connection.ops.quote_name(Invoice._meta.db_table)
    counted = "owner_id = %s AND NOT (status = %s)"
    sql = f"""
        WITH RECURSIVE found(currency) AS (
            SELECT MIN(currency) FROM {table} WHERE {counted}
            UNION ALL
            SELECT (SELECT MIN(currency) FROM {table} WHERE {counted} AND currency > found.currency)
            FROM found WHERE found.currency IS NOT NULL
        )
        SELECT currency FROM found WHERE currency IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [owner_id, InvoiceStatus.DRAFT, owner_id, InvoiceStatus.DRAFT])
        return [currency for (currency,) in cursor.fetchall()]


def parse(user: object, params: dict[str, str]) -> ReportQuery:
    """Read and check a report's query parameters (400 ``invalid`` naming the field)."""
    tz = owner_time_zone(user)
    today = timezone.now().astimezone(tz).date()
    date_to = _date(params, "to") or today
    date_from = _date(params, "from") or _months_back(date_to, 11)
    if date_from > date_to:
        raise InvalidReportQuery("The start date is after the end date.", details={"from": ["Must not be after 'to'."]})
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise InvalidReportQuery("The range is longer than ten years.", details={"from": ["At most ten years."]})
    interval = params.get("interval") or "month"
    if interval not in INTERVALS:
        raise InvalidReportQuery(
            f"The interval must be one of {', '.join(INTERVALS)}.", details={"interval": [f"'{interval}' is unknown."]}
        )
    if interval == "day" and (date_to - date_from).days >= MAX_DAY_POINTS:
        raise InvalidReportQuery(
            f"Day by day covers at most {MAX_DAY_POINTS} days: choose week or month.",
            details={"interval": ["Too many days for a day-by-day series."]},
        )
    currency, currencies = _currency(user, params.get("currency"))
    return ReportQuery(
        owner_id=user.pk,  # type: ignore[attr-defined]
        currency=currency,
        currencies=currencies,
        date_from=date_from,
        date_to=date_to,
        interval=interval,
        tz=tz,
        today=today,
    )


def _currency(user: object, given: str | None) -> tuple[str, tuple[str, ...] | None]:
    """The report's currency, and the owner's currencies if they had to be looked up for it."""
    if given:
        code = given.strip().upper()
        if code not in CURRENCIES:
            raise InvalidReportQuery(
                f"'{given}' is not a supported currency code.", details={"currency": ["Unknown currency."]}
            )
        return code, None
    currencies = owner_currencies(user.pk)  # type: ignore[attr-defined]
    if len(currencies) > 1:
        listed = ", ".join(currencies)
        raise InvalidReportQuery(
            f"You invoice in several currencies ({listed}): choose one with ?currency=.",
            details={"currency": [f"Required: one of {listed}."], "currencies": currencies},
        )
    return (currencies[0] if currencies else DEFAULT_CURRENCY), tuple(currencies)


def _date(params: dict[str, str], name: str) -> dt.date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidReportQuery(
            f"'{name}' must be a date like 2026-03-31.", details={name: ["Not a YYYY-MM-DD date."]}
        ) from None


def _months_back(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` before ``day``'s month (so the range is whole months)."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)
