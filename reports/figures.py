"""The reports, each from one to three grouped queries; no payment or invoice row is loaded.

Amounts leave here as the contract's decimal strings, with the currency's places
(``core.money.format_amount``).

The payment queries are shaped for the report indexes on ``InvoicePayment`` (see
``payments/migrations/0008_report_indexes.py``): each reads only columns those indexes hold
(nothing is counted by ``id``), so PostgreSQL answers from the index alone instead of reading
every wide payment row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Trunc, TruncDate

from core.money import format_amount
from payments.models import DisputeStatus, InvoicePayment, PaymentDispute
from reports import querysets as rows
from reports.params import ReportQuery, owner_currencies

OPEN_DISPUTES = (DisputeStatus.NEEDS_RESPONSE, DisputeStatus.UNDER_REVIEW)
AGING_BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")
TOP_CLIENTS = 50


def _sum(field: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), rows.ZERO, output_field=rows.MONEY)


def _count(condition: Q | None = None) -> Count:
    # Counts the rows by their currency (every row has one): a column the report indexes hold,
    # where ``COUNT(id)`` would send PostgreSQL to the table. ``Count("*")`` takes no filter.
    return Count("currency", filter=condition)


def _money(amount: Decimal | None, currency: str) -> str:
    return format_amount(amount or Decimal(0), currency) or "0"


def summary(query: ReportQuery) -> dict[str, Any]:
    """Totals for the range; ``outstanding`` and ``overdue`` are what is owed today."""
    cur = query.currency
    # Only the invoices some figure counts: those invoiced in the range, and those still payable.
    owed = (
        rows.invoices(query)
        .filter(Q(status__in=rows.PAYABLE) | rows.invoiced_in_range(query))
        .aggregate(
            invoiced=_sum("total", rows.invoiced_in_range(query)),
            outstanding=_sum(rows.AMOUNT_DUE, Q(status__in=rows.PAYABLE)),
            overdue=_sum(rows.AMOUNT_DUE, Q(status__in=rows.PAYABLE, due_date__lt=query.today)),
        )
    )
    paid = payment_totals(query)
    refunded = refund_totals(query)
    disputes = PaymentDispute.objects.filter(payment__invoice__owner_id=query.owner_id, currency=cur).aggregate(
        lost=_sum("amount", Q(status=DisputeStatus.LOST, updated_at__gte=query.start, updated_at__lt=query.end)),
        open=Count("pk", filter=Q(status__in=OPEN_DISPUTES)),
    )
    fees = paid["fees"] + refunded["fees"]
    return {
        "currency": cur,
        "currencies": list(query.currencies if query.currencies is not None else owner_currencies(query.owner_id)),
        "from": query.date_from.isoformat(),
        "to": query.date_to.isoformat(),
        "invoiced": _money(owed["invoiced"], cur),
        "collected": _money(paid["collected"], cur),
        "refunded": _money(refunded["refunded"], cur),
        "net": _money(paid["collected"] - refunded["refunded"] - fees, cur),
        "fees": _money(fees, cur),
        "outstanding": _money(owed["outstanding"], cur),
        "overdue": _money(owed["overdue"], cur),
        "payments": paid["count"],
        "refunds": refunded["count"],
        "fees_excluded": paid["fees_excluded"] + refunded["fees_excluded"],
        "disputed": _money(disputes["lost"], cur),
        "disputes_open": disputes["open"],
    }


def payment_totals(query: ReportQuery) -> dict[str, Any]:
    return rows.collected(query).aggregate(
        collected=_sum("amount"),
        fees=_sum("fee", rows.fee_counted(query)),
        fees_excluded=_count(rows.fee_excluded(query)),
        count=_count(),
    )


def refund_totals(query: ReportQuery) -> dict[str, Any]:
    return rows.refunds(query).aggregate(
        refunded=_sum("amount"),
        fees=_sum("fee", rows.fee_counted(query)),
        fees_excluded=_count(rows.fee_excluded(query)),
        count=_count(),
    )


def timeseries(query: ReportQuery) -> list[dict[str, str]]:
    """Collected, refunded, fees and net per day, week (from Monday) or month of the owner's calendar."""
    cur = query.currency
    starts = periods(query)
    by_period: dict[dt.date, dict[str, Decimal]] = {
        period: {"collected": Decimal(0), "refunded": Decimal(0), "fees": Decimal(0)} for period in starts
    }
    grouped = (
        (rows.collected(query), "succeeded_at", "amount", "collected"),
        (rows.refunds(query), "created_at", "amount", "refunded"),
    )
    for queryset, when, amount, name in grouped:
        series = (
            queryset.annotate(period=_period(query, when, starts))
            .values("period")
            .annotate(total=_sum(amount), fees=_sum("fee", rows.fee_counted(query)))
            .order_by()
        )
        for point in series:
            period = point["period"]
            # On PostgreSQL the period is its number in ``starts`` (1 is the first).
            period = starts[period - 1] if isinstance(period, int) else period
            bucket = by_period.setdefault(period, {"collected": Decimal(0), "refunded": Decimal(0), "fees": Decimal(0)})
            bucket[name] += point["total"]
            bucket["fees"] += point["fees"]
    return [
        {
            "period": period.isoformat(),
            "collected": _money(v["collected"], cur),
            "refunded": _money(v["refunded"], cur),
            "net": _money(v["collected"] - v["refunded"] - v["fees"], cur),
            "fees": _money(v["fees"], cur),
        }
        for period, v in sorted(by_period.items())
    ]


def _period(query: ReportQuery, when: str, starts: list[dt.date]) -> Any:
    """The period an instant falls in, in the owner's calendar.

    PostgreSQL: the number of the period (``width_bucket`` over the first instant of each
    period in the owner's time zone), a binary search per row instead of converting each
    timestamp to local time and truncating it, which cost most of the query. Both give the same
    period, since an instant's local date only moves forward. SQLite: the local date, truncated.
    """
    if connection.vendor == "postgresql":
        instants = [dt.datetime.combine(day, dt.time.min, tzinfo=query.tz) for day in starts]
        return PeriodNumber(F(when), Value(instants))
    return Trunc(when, query.interval, output_field=DateField(), tzinfo=query.tz)


class PeriodNumber(Func):
    """``width_bucket(instant, first instants of the periods)`` (PostgreSQL only)."""

    function = "width_bucket"
    template = "%(function)s(%(expressions)s::timestamptz[])"
    output_field = IntegerField()


def periods(query: ReportQuery) -> list[dt.date]:
    """Every period of the range, so a quiet month is a zero and not a gap in the chart."""
    day = query.date_from
    if query.interval == "week":
        day -= dt.timedelta(days=day.weekday())
    elif query.interval == "month":
        day = day.replace(day=1)
    found = []
    while day <= query.date_to:
        found.append(day)
        if query.interval == "day":
            day += dt.timedelta(days=1)
        elif query.interval == "week":
            day += dt.timedelta(days=7)
        else:
            day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return found


def aging(query: ReportQuery) -> list[dict[str, Any]]:
    """What is owed today, by how many days past its due date (no due date: current)."""
    today = query.today
    ago = [today - dt.timedelta(days=n) for n in (30, 60, 90)]
    bucket = Case(
        When(due_date__isnull=True, then=Value("current")),
        When(due_date__gte=today, then=Value("current")),
        When(due_date__gte=ago[0], then=Value("1-30")),
        When(due_date__gte=ago[1], then=Value("31-60")),
        When(due_date__gte=ago[2], then=Value("61-90")),
        default=Value("90+"),
        output_field=CharField(),
    )
    grouped = (
        rows.invoices(query)
        .filter(status__in=rows.PAYABLE)
        .annotate(due=rows.AMOUNT_DUE)
        .filter(due__gt=0)
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(amount=_sum("due"), invoices=Count("pk"))
        .order_by()
    )
    found = {row["bucket"]: row for row in grouped}
    return [
        {
            "bucket": name,
            "amount": _money(found.get(name, {}).get("amount"), query.currency),
            "invoices": found.get(name, {}).get("invoices", 0),
        }
        for name in AGING_BUCKETS
    ]


def clients(query: ReportQuery, limit: int = TOP_CLIENTS) -> list[dict[str, Any]]:
    """The clients invoiced in the range, most invoiced first.

    ``average_days_to_pay`` averages, over the client's paid invoices, the days from the issue
    date to the day (owner's time zone) of the invoice's last successful payment; null when none.
    """
    # The latest ``succeeded_at`` (MAX of the non-null ones), written as the first row of a
    # descending scan so PostgreSQL reads one entry of the ``payment_report_last_paid`` index.
    last_paid = (
        InvoicePayment.objects.filter(
            invoice=OuterRef("pk"), status__in=rows.SETTLED_STATUSES, succeeded_at__isnull=False
        )
        .order_by("-succeeded_at")
        .values("succeeded_at")[:1]
    )
    paid_on = TruncDate(Subquery(last_paid), tzinfo=query.tz)
    grouped = (
        rows.invoices(query)
        .filter(rows.invoiced_in_range(query))
        # Only a paid invoice looks up its last payment (a NULL elsewhere is left out of the average).
        .annotate(days=Case(When(status="paid", then=_days_between(paid_on, F("issue_date"))), default=None))
        .values("client_name")
        .annotate(
            invoiced=_sum("total"),
            paid=_sum("amount_paid"),
            outstanding=_sum(rows.AMOUNT_DUE, Q(status__in=rows.PAYABLE)),
            days_to_pay=Avg("days"),
        )
        .order_by("-invoiced", "client_name")[:limit]
    )
    cur = query.currency
    return [
        {
            "client_name": row["client_name"],
            "invoiced": _money(row["invoiced"], cur),
            "paid": _money(row["paid"], cur),
            "outstanding": _money(row["outstanding"], cur),
            "average_days_to_pay": None if row["days_to_pay"] is None else round(float(row["days_to_pay"]), 1),
        }
        for row in grouped
    ]


def gateways(query: ReportQuery) -> list[dict[str, Any]]:
    """Each gateway configuration: checkouts opened in the range and how they ended, and the money.

    ``payments``, ``succeeded`` and ``failed`` count the checkouts opened in the range (so the
    success rate is ``succeeded / payments``); ``volume``, ``refunded``, ``fees`` and ``net`` are the
    summary's figures split by gateway (their sums over the table equal the summary's).
    """
    cur = query.currency
    # Three queries, each from the owner's configurations through the rows it counts: grouped by
    # the configuration's key alone (PostgreSQL takes its name columns along), each condition
    # matching one report index read alone (opened: configuration and created_at; collected:
    # configuration and succeeded_at), instead of one pass over every row "opened or collected".
    configs = rows.configurations(query).values("id", "gateway_name", "display_name").order_by()
    opened = configs.filter(
        payments__currency=cur, payments__created_at__gte=query.start, payments__created_at__lt=query.end
    ).annotate(
        checkouts=Count("payments__currency"),
        succeeded=Count("payments__currency", filter=Q(payments__status__in=rows.SETTLED_STATUSES)),
        failed=Count("payments__currency", filter=Q(payments__status="failed")),
    )
    collected = configs.filter(rows.collected_in_range(query, "payments__"), payments__currency=cur).annotate(
        volume=_sum("payments__amount"), fees=_sum("payments__fee", rows.fee_counted(query, "payments__"))
    )
    refunded = configs.filter(rows.refunded_in_range(query, "payments__refunds__")).annotate(
        refunded=_sum("payments__refunds__amount"),
        refund_fees=_sum("payments__refunds__fee", rows.fee_counted(query, "payments__refunds__")),
    )
    # A row per configuration with checkouts opened, money collected or a refund (of an older
    # payment, say) in the range; what a configuration did not do is a zero.
    idle = {"checkouts": 0, "succeeded": 0, "failed": 0, "volume": Decimal(0), "fees": Decimal(0)}
    idle |= {"refunded": Decimal(0), "refund_fees": Decimal(0)}
    found: dict[Any, dict[str, Any]] = {}
    for row in (*opened, *collected, *refunded):
        found.setdefault(row["id"], {**idle}).update(row)
    table = []
    for row in found.values():
        fees = row["fees"] + row["refund_fees"]
        table.append(
            {
                "gateway_config_id": str(row["id"]),
                "gateway_name": row["gateway_name"],
                "display_name": row["display_name"] or row["gateway_name"],
                "payments": row["checkouts"],
                "succeeded": row["succeeded"],
                "failed": row["failed"],
                "success_rate": round(row["succeeded"] / row["checkouts"], 4) if row["checkouts"] else None,
                "volume": _money(row["volume"], cur),
                "refunded": _money(row["refunded"], cur),
                "fees": _money(fees, cur),
                "net": _money(row["volume"] - row["refunded"] - fees, cur),
            }
        )
    return sorted(table, key=lambda r: (-Decimal(r["volume"]), r["display_name"]))


def _days_between(later: Any, earlier: Any) -> ExpressionWrapper:
    """Whole days from one date to another, as an integer, on PostgreSQL and SQLite alike."""
    return ExpressionWrapper(EpochDay(later) - EpochDay(earlier), output_field=IntegerField())


class EpochDay(Func):
    """A date as the number of days since 1970-01-01 (an integer both databases subtract)."""

    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="((%(expressions)s)::date - DATE '1970-01-01')")
