"""The time series, aging, clients and gateway reports on the seeded set (see conftest.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.tests.conftest import RANGE

pytestmark = pytest.mark.django_db


def test_monthly_series_follows_the_owners_calendar(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = seeded.client.get("/api/reports/timeseries/", {**RANGE, "interval": "month"})
    assert response.status_code == 200
    assert response.json() == [
        {"period": "2026-01-01", "collected": "100.00", "refunded": "0.00", "net": "96.80", "fees": "3.20"},
        {"period": "2026-02-01", "collected": "100.00", "refunded": "0.00", "net": "96.80", "fees": "3.20"},
        {"period": "2026-03-01", "collected": "60.00", "refunded": "40.00", "net": "20.00", "fees": "0.00"},
    ]


def test_daily_series_has_every_day_and_puts_midnight_movements_on_the_local_day(seeded):
    days = seeded.client.get(
        "/api/reports/timeseries/", {**RANGE, "from": "2026-02-27", "to": "2026-03-02", "interval": "day"}
    ).json()
    assert [(d["period"], d["collected"], d["refunded"]) for d in days] == [
        ("2026-02-27", "0.00", "0.00"),
        ("2026-02-28", "100.00", "0.00"),  # 03:00 UTC on Mar 1 is 22:00 on Feb 28 in New York
        ("2026-03-01", "0.00", "40.00"),
        ("2026-03-02", "0.00", "0.00"),
    ]


def test_weekly_series_starts_on_mondays(seeded):
    weeks = seeded.client.get(
        "/api/reports/timeseries/", {**RANGE, "from": "2026-02-25", "to": "2026-03-08", "interval": "week"}
    ).json()
    assert [(w["period"], w["collected"], w["refunded"]) for w in weeks] == [
        ("2026-02-23", "100.00", "40.00"),  # Feb 28 payment, Mar 1 (Sunday) refund
        ("2026-03-02", "60.00", "0.00"),
    ]


def test_the_series_adds_up_to_the_summary(seeded):
    series = seeded.client.get("/api/reports/timeseries/", {**RANGE, "interval": "week"}).json()
    summary = seeded.client.get("/api/reports/summary/", RANGE).json()
    for field in ("collected", "refunded", "fees", "net"):
        assert sum(Decimal(p[field]) for p in series) == Decimal(summary[field]), field


def test_aging_buckets_what_is_owed_today(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = seeded.client.get("/api/reports/aging/", RANGE)
    assert response.json() == [
        {"bucket": "current", "amount": "40.00", "invoices": 1},  # D, due Apr 9
        {"bucket": "1-30", "amount": "150.00", "invoices": 1},  # B, 14 days late
        {"bucket": "31-60", "amount": "0.00", "invoices": 0},
        {"bucket": "61-90", "amount": "0.00", "invoices": 0},
        {"bucket": "90+", "amount": "80.00", "invoices": 1},  # C, 120 days late
    ]


def test_clients_most_invoiced_first_with_days_to_pay(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = seeded.client.get("/api/reports/clients/", RANGE)
    assert response.json() == [
        {
            "client_name": "Bolt",
            "invoiced": "250.00",
            "paid": "100.00",
            "outstanding": "150.00",
            "average_days_to_pay": None,
        },
        # INV-A issued Jan 10, paid Jan 31 (New York): 21 days; INV-C was issued before the range.
        {
            "client_name": "Acme",
            "invoiced": "100.00",
            "paid": "60.00",
            "outstanding": "0.00",
            "average_days_to_pay": 21.0,
        },
        {
            "client_name": "Dune",
            "invoiced": "60.00",
            "paid": "60.00",
            "outstanding": "0.00",
            "average_days_to_pay": 4.0,
        },
        {
            "client_name": "Cyan",
            "invoiced": "40.00",
            "paid": "0.00",
            "outstanding": "40.00",
            "average_days_to_pay": None,
        },
    ]


def test_gateways_split_the_summary(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = seeded.client.get("/api/reports/gateways/", RANGE)
    rows = [{k: v for k, v in row.items() if k != "gateway_config_id"} for row in response.json()]
    assert rows == [
        {
            "gateway_name": "sandbox", "display_name": seeded.sandbox.display_name or "sandbox",
            "payments": 3, "succeeded": 2, "failed": 1, "success_rate": 0.6667,
            "volume": "200.00", "refunded": "40.00", "fees": "6.40", "net": "153.60",
        },
        {
            "gateway_name": "stripe", "display_name": "Stripe",
            "payments": 1, "succeeded": 1, "failed": 0, "success_rate": 1.0,
            "volume": "60.00", "refunded": "0.00", "fees": "0.00", "net": "60.00",
        },
    ]  # fmt: skip
    summary = seeded.client.get("/api/reports/summary/", RANGE).json()
    assert sum(Decimal(r["net"]) for r in rows) == Decimal(summary["net"])


def test_a_gateway_with_only_a_refund_in_the_range_still_has_its_row(seeded):
    march = {**RANGE, "from": "2026-03-01", "to": "2026-03-01"}
    rows = seeded.client.get("/api/reports/gateways/", march).json()
    assert [(r["gateway_name"], r["payments"], r["volume"], r["refunded"], r["net"]) for r in rows] == [
        ("sandbox", 0, "0.00", "40.00", "-40.00")
    ]


def test_an_owner_with_nothing_yet_gets_zeros_and_empty_lists(db, owner_client):
    assert owner_client.get("/api/reports/summary/").json()["collected"] == "0.00"
    assert owner_client.get("/api/reports/clients/").json() == []
    assert owner_client.get("/api/reports/gateways/").json() == []
    assert [b["invoices"] for b in owner_client.get("/api/reports/aging/").json()] == [0, 0, 0, 0, 0]
    assert len(owner_client.get("/api/reports/timeseries/").json()) == 12
