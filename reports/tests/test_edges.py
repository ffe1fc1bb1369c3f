"""Figures where the way a report is computed could change what it says: periods across daylight
saving changes, the latest of several payments, currencies seen only on drafts or void invoices,
a gateway with only failed checkouts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import BusinessProfile
from invoices.models import InvoiceStatus
from payments.factories import sandbox_config
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund
from payments.state import PaymentStatus, RefundStatus
from reports.tests.conftest import RANGE, invoice, payment, utc

pytestmark = pytest.mark.django_db

SEASON = {"from": "2026-03-01", "to": "2026-11-30", "currency": "USD"}


def _owner_in(zone: str) -> tuple[object, APIClient]:
    owner = UserFactory()
    BusinessProfile.objects.create(user=owner, time_zone=zone)
    client = APIClient()
    client.force_authenticate(owner)
    return owner, client


def _transitions(tz: ZoneInfo, year: int) -> list[dt.datetime]:
    """The instants in ``year`` at which the zone's offset changes (found hour by hour)."""
    found = []
    at = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    while at.year == year:
        later = at + dt.timedelta(hours=1)
        if at.astimezone(tz).utcoffset() != later.astimezone(tz).utcoffset():
            found.append(later)
        at = later
    return found


def _period(day: dt.date, interval: str) -> dt.date:
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    return day


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/Berlin", "America/Santiago"])
def test_each_movement_falls_in_its_local_period_across_daylight_saving_changes(zone):
    """Every 20 minutes for a day on each side of each change (Santiago's happen at midnight),
    a payment, and a refund of every fifth; each period holds what its local calendar says."""
    tz = ZoneInfo(zone)
    owner, client = _owner_in(zone)
    config = sandbox_config(owner=owner)
    inv = invoice(owner, "INV-DST", "Clock", "100000.00", "2026-01-05", status=InvoiceStatus.PAID)
    instants = [
        change + dt.timedelta(minutes=20 * step) for change in _transitions(tz, 2026) for step in range(-75, 75)
    ]
    assert len(instants) == 300
    payments = InvoicePayment.objects.bulk_create(
        InvoicePayment(
            invoice=inv, gateway_config=config, gateway_name=config.gateway_name, amount=Decimal(n + 1),
            currency="USD", status=PaymentStatus.SUCCEEDED, idempotency_key=f"dst-{n}", gateway_session_id=f"cs_dst_{n}",
            succeeded_at=at,
        )
        for n, at in enumerate(instants)
    )  # fmt: skip
    refunded = PaymentRefund.objects.bulk_create(
        PaymentRefund(
            payment=pay, amount=Decimal("0.25"), currency="USD", status=RefundStatus.SUCCEEDED,
            gateway_refund_id=f"re_dst_{n}",
        )
        for n, pay in enumerate(payments[::5])
    )  # fmt: skip
    for row, at in zip(refunded, instants[::5], strict=True):
        PaymentRefund.objects.filter(pk=row.pk).update(created_at=at)

    for interval in ("day", "week", "month"):
        want: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"collected": Decimal(0), "refunded": Decimal(0)})
        for n, at in enumerate(instants):
            key = _period(at.astimezone(tz).date(), interval).isoformat()
            want[key]["collected"] += n + 1
            if n % 5 == 0:
                want[key]["refunded"] += Decimal("0.25")
        series = client.get("/api/reports/timeseries/", {**SEASON, "interval": interval}).json()
        got = {p["period"]: p for p in series if p["collected"] != "0.00" or p["refunded"] != "0.00"}
        assert sorted(got) == sorted(want), interval
        for key, figures in want.items():
            assert Decimal(got[key]["collected"]) == figures["collected"], (interval, key)
            assert Decimal(got[key]["refunded"]) == figures["refunded"], (interval, key)
        assert len(series) == len({_period(dt.date(2026, 3, 1) + dt.timedelta(days=d), interval) for d in range(275)})


def test_days_to_pay_counts_to_the_latest_settled_payment(frozen_today):
    owner, client = _owner_in("UTC")
    config = sandbox_config(owner=owner)
    inv = invoice(owner, "INV-1", "Many", "300.00", "2026-01-01", status=InvoiceStatus.PAID, amount_paid="300.00")
    payment(inv, config, "100.00", utc(2026, 1, 5, 12, 0))
    payment(inv, config, "150.00", utc(2026, 1, 11, 12, 0), status=PaymentStatus.PARTIALLY_REFUNDED)
    payment(inv, config, "50.00", utc(2026, 1, 20, 12, 0), status=PaymentStatus.FAILED)  # never settled
    # A settled payment whose time was never recorded does not count.
    later = payment(inv, config, "25.00", utc(2026, 1, 30, 12, 0), status=PaymentStatus.REFUNDED)
    InvoicePayment.objects.filter(pk=later.pk).update(succeeded_at=None)
    rows = client.get("/api/reports/clients/", RANGE).json()
    assert [(r["client_name"], r["average_days_to_pay"]) for r in rows] == [("Many", 10.0)]


def test_currencies_listed_are_those_of_invoices_past_draft(frozen_today):
    owner, client = _owner_in("UTC")
    invoice(owner, "INV-1", "Anna", "10.00", "2026-02-01", currency="USD")
    invoice(owner, "INV-2", "Ben", "20.00", "2026-02-01", currency="GBP", status=InvoiceStatus.VOID)
    invoice(owner, "INV-3", "Cleo", "30.00", "2026-02-01", currency="CHF", status=InvoiceStatus.DRAFT)
    body = client.get("/api/reports/summary/", RANGE).json()
    assert body["currencies"] == ["GBP", "USD"]
    assert (body["invoiced"], body["outstanding"]) == ("10.00", "10.00")
    gbp = client.get("/api/reports/summary/", {**RANGE, "currency": "GBP"}).json()
    assert (gbp["invoiced"], gbp["outstanding"], gbp["overdue"]) == ("0.00", "0.00", "0.00")
    chf = client.get("/api/reports/summary/", {**RANGE, "currency": "CHF"}).json()
    assert (chf["currency"], chf["invoiced"], chf["collected"]) == ("CHF", "0.00", "0.00")


def test_a_gateway_with_only_failed_checkouts_has_a_row_of_zeros(seeded):
    failing = PaymentGatewayConfig.objects.create(owner=seeded.owner, gateway_name="stripe", display_name="Old Stripe")
    inv = invoice(seeded.owner, "INV-X", "Xeno", "70.00", "2026-02-10")
    payment(inv, failing, "70.00", utc(2026, 2, 11, 9, 0), status=PaymentStatus.FAILED)
    rows = {r["display_name"]: r for r in seeded.client.get("/api/reports/gateways/", RANGE).json()}
    assert {k: rows["Old Stripe"][k] for k in ("payments", "succeeded", "failed", "success_rate", "volume", "net")} == {
        "payments": 1, "succeeded": 0, "failed": 1, "success_rate": 0.0, "volume": "0.00", "net": "0.00",
    }  # fmt: skip
    assert list(rows)[-1] == "Old Stripe"  # least volume last
    summary = seeded.client.get("/api/reports/summary/", RANGE).json()
    assert sum(Decimal(r["net"]) for r in rows.values()) == Decimal(summary["net"])
