"""The accountant's CSV: its rows, its sums (equal to the summary's) and its defused cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from invoices.models import Invoice
from reports.tests.conftest import RANGE, invoice, payment, utc

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_one_row_per_payment_and_refund_oldest_first(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        rows = read_csv(seeded.client.get("/api/reports/payments.csv", RANGE))
    assert [(r["date"], r["type"], r["invoice_number"], r["client"], r["gross"], r["fee"], r["net"]) for r in rows] == [
        ("2026-01-31", "payment", "INV-A", "Acme", "100.00", "3.20", "96.80"),  # 23:30 in New York
        ("2026-02-28", "payment", "INV-B", "Bolt", "100.00", "3.20", "96.80"),
        ("2026-03-01", "refund", "INV-A", "Acme", "-40.00", "0.00", "-40.00"),
        ("2026-03-05", "payment", "INV-G", "Dune", "60.00", "2.04", "60.00"),  # fee in EUR: shown, not subtracted
    ]
    assert rows[3]["fee_currency"] == "EUR"
    assert rows[2]["refund_effect"] == "credit"
    assert rows[0]["status"] == "partially_refunded"
    assert rows[1]["gateway_reference"] == "pi_INV-B_succeeded"
    assert {r["currency"] for r in rows} == {"USD"}


def test_the_csv_sums_equal_the_summary(seeded):
    rows = read_csv(seeded.client.get("/api/reports/payments.csv", RANGE))
    summary = seeded.client.get("/api/reports/summary/", RANGE).json()
    gross = sum(Decimal(r["gross"]) for r in rows)
    fees = sum(Decimal(r["fee"]) for r in rows if r["fee_currency"] == "USD")
    assert gross == Decimal(summary["collected"]) - Decimal(summary["refunded"])
    assert fees == Decimal(summary["fees"])
    assert sum(Decimal(r["net"]) for r in rows) == Decimal(summary["net"])
    assert sum(1 for r in rows if r["fee_currency"] not in ("", "USD")) == summary["fees_excluded"]


def test_cells_a_spreadsheet_would_run_are_defused(seeded):
    evil = invoice(seeded.owner, "=1+2", '=HYPERLINK("http://x.example")', "10.00", "2026-03-10", status="paid")
    payment(evil, seeded.sandbox, "10.00", utc(2026, 3, 10, 15, 0), ref="@SUM(A1)")
    Invoice.objects.filter(pk=evil.pk).update(client_name="-cmd", number="+INV")
    rows = read_csv(seeded.client.get("/api/reports/payments.csv", RANGE))
    row = next(r for r in rows if r["date"] == "2026-03-10")
    assert (row["invoice_number"], row["client"], row["gateway_reference"]) == ("'+INV", "'-cmd", "'@SUM(A1)")
    assert row["gross"] == "10.00"
    refund = next(r for r in rows if r["type"] == "refund")
    assert refund["gross"] == "-40.00"  # our own numbers stay numbers


def test_the_file_is_named_after_the_range(seeded):
    response = seeded.client.get("/api/reports/payments.csv", RANGE)
    assert 'filename="payments-USD-2026-01-01-2026-03-31.csv"' in response["Content-Disposition"]


def test_a_csv_needs_a_currency_when_there_are_several(seeded):
    response = seeded.client.get("/api/reports/payments.csv", {"from": "2026-01-01"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_a_zero_decimal_currency_keeps_its_places(seeded):
    rows = read_csv(seeded.client.get("/api/reports/payments.csv", {**RANGE, "currency": "JPY"}))
    assert [(r["date"], r["gross"], r["fee"], r["net"]) for r in rows] == [("2026-02-10", "5000", "145", "4855")]
    assert dt.date.fromisoformat(rows[0]["date"])
