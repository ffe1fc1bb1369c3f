"""The reports, each from one to three grouped queries; no payment or invoice row is loaded.

Amounts leave here as the contract's decimal strings, with the currency's places
(``core.money.format_amount``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

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
    Max,
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


def _money(amount: Decimal | None, currency: str) -> str:
    return format_amount(amount or Decimal(0), currency) or "0"


def summary(query: ReportQuery) -> dict[str, Any]:
    """Totals for the range; ``outstanding`` and ``overdue`` are what is owed today."""
    cur = query.currency
    owed = rows.invoices(query).aggregate(
        invoiced=_sum("total", rows.invoiced_in_range(query)),
        outstanding=_sum(rows.AMOUNT_DUE, Q(status__in=rows.PAYABLE)),
        overdue=_sum(rows.AMOUNT_DUE, Q(status__in=rows.PAYABLE, due_date__lt=query.today)),
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
        "currencies": owner_currencies(query.owner_id),
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
        fees_excluded=Count("pk", filter=rows.fee_excluded(query)),
        count=Count("pk"),
    )


def refund_totals(query: ReportQuery) -> dict[str, Any]:
    return rows.refunds(query).aggregate(
        refunded=_sum("amount"),
        fees=_sum("fee", rows.fee_counted(query)),
        fees_excluded=Count("pk", filter=rows.fee_excluded(query)),
        count=Count("pk"),
    )


def timeseries(query: ReportQuery) -> list[dict[str, str]]:
    """Collected, refunded, fees and net per day, week (from Monday) or month of the owner's calendar."""
    cur = query.currency
    by_period: dict[dt.date, dict[str, Decimal]] = {
        period: {"collected": Decimal(0), "refunded": Decimal(0), "fees": Decimal(0)} for period in periods(query)
    }
    grouped = (
        (rows.collected(query), "succeeded_at", "amount", "collected"),
        (rows.refunds(query), "created_at", "amount", "refunded"),
    )
    for queryset, when, amount, name in grouped:
        series = (
            queryset.annotate(period=Trunc(when, query.interval, output_field=DateField(), tzinfo=query.tz))
            .values("period")
            .annotate(total=_sum(amount), fees=_sum("fee", rows.fee_counted(query)))
            .order_by()
        )
        for point in series:
            bucket = by_period.setdefault(
                point["period"], {"collected": Decimal(0), "refunded": Decimal(0), "fees": Decimal(0)}
            )
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
    last_paid = (
        InvoicePayment.objects.filter(invoice=OuterRef("pk"), status__in=rows.SETTLED_STATUSES)
        .values("invoice")
        .annotate(last=Max("succeeded_at"))
        .values("last")
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
    opened = Q(created_at__gte=query.start, created_at__lt=query.end)
    collected = rows.collected_in_range(query)
    keys = ("gateway_config_id", "gateway_config__gateway_name", "gateway_config__display_name")
    by_payment = (
        rows.payments(query)
        .filter(opened | collected)
        .values(*keys)
        .annotate(
            payments=Count("pk", filter=opened),
            succeeded=Count("pk", filter=opened & Q(status__in=rows.SETTLED_STATUSES)),
            failed=Count("pk", filter=opened & Q(status="failed")),
            volume=_sum("amount", collected),
            fees=_sum("fee", collected & rows.fee_counted(query)),
        )
        .order_by()
    )
    by_refund = {
        row["payment__gateway_config_id"]: {key.removeprefix("payment__"): value for key, value in row.items()}
        for row in rows.refunds(query)
        .values(*(f"payment__{key}" for key in keys))
        .annotate(refunded=_sum("amount"), fees=_sum("fee", rows.fee_counted(query)))
        .order_by()
    }
    # A gateway whose only movement in the range is a refund (of an older payment) has a row too.
    idle = {"payments": 0, "succeeded": 0, "failed": 0, "volume": Decimal(0), "fees": Decimal(0)}
    found = {row["gateway_config_id"]: row for row in by_payment}
    for config_id, row in by_refund.items():
        found.setdefault(config_id, {**{key: row[key] for key in keys}, **idle})
    table = []
    for row in found.values():
        refunded = by_refund.get(row["gateway_config_id"], {"refunded": Decimal(0), "fees": Decimal(0)})
        fees = row["fees"] + refunded["fees"]
        table.append(
            {
                "gateway_config_id": str(row["gateway_config_id"]),
                "gateway_name": row["gateway_config__gateway_name"],
                "display_name": row["gateway_config__display_name"] or row["gateway_config__gateway_name"],
                "payments": row["payments"],
                "succeeded": row["succeeded"],
                "failed": row["failed"],
                "success_rate": round(row["succeeded"] / row["payments"], 4) if row["payments"] else None,
                "volume": _money(row["volume"], cur),
                "refunded": _money(refunded["refunded"], cur),
                "fees": _money(fees, cur),
                "net": _money(row["volume"] - refunded["refunded"] - fees, cur),
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
