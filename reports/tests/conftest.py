"""A seeded owner for the report tests, with figures worked out by hand in each test.

The owner lives in New York (UTC-5 in winter); "today" is 2026-03-15. In USD:

| invoice | client | total | issued | due | what happened |
|---|---|---|---|---|---|
| INV-A | Acme | 100.00 | 2026-01-10 | 01-20 | paid 100.00 at 2026-02-01 04:30 UTC (Jan 31, 23:30 in New York), fee 3.20; 40.00 refunded (credit) at 2026-03-01 05:30 UTC (Mar 1, 00:30) |
| INV-B | Bolt | 250.00 | 2026-02-15 | 03-01 | 100.00 paid at 2026-03-01 03:00 UTC (Feb 28, 22:00), fee 3.20; a failed checkout of 150.00 on 03-02 |
| INV-C | Acme | 80.00 | 2025-11-01 | 2025-11-15 | unpaid (120 days late) |
| INV-D | Cyan | 40.00 | 2026-03-10 | 04-09 | unpaid |
| INV-G | Dune | 60.00 | 2026-03-01 | - | paid 60.00 through a Stripe config at 2026-03-05 15:00 UTC, fee 2.04 in EUR |
| INV-E | Draft | 999.00 | 2026-02-01 | - | a draft: never counted |
| INV-F | Void | 500.00 | 2026-02-01 | - | void: never counted |

In EUR: INV-H (Euro Ltd) 500.00 paid 2026-02-02, fee 14.80 EUR. In JPY: INV-J 5000 paid 2026-02-10, fee 145 JPY.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import BusinessProfile
from invoices.factories import InvoiceFactory
from invoices.models import InvoiceStatus
from payments.factories import sandbox_config
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund
from payments.state import PaymentStatus, RefundStatus

TODAY = dt.datetime(2026, 3, 15, 17, 0, tzinfo=dt.UTC)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@dataclass
class Seeded:
    owner: object
    client: APIClient
    sandbox: PaymentGatewayConfig
    stripe: PaymentGatewayConfig


def invoice(owner, number, client, total, issued, *, due=None, status=InvoiceStatus.SENT, currency="USD", **amounts):
    return InvoiceFactory(
        owner=owner,
        number=number,
        client_name=client,
        currency=currency,
        issue_date=dt.date.fromisoformat(issued),
        due_date=dt.date.fromisoformat(due) if due else None,
        status=status,
        items=[("Work", 1, total)],
        **{key: Decimal(value) for key, value in amounts.items()},
    )


def payment(inv, config, amount, at, *, status=PaymentStatus.SUCCEEDED, fee=None, fee_currency="", ref=None):
    row = InvoicePayment.objects.create(
        invoice=inv,
        gateway_config=config,
        gateway_name=config.gateway_name,
        amount=Decimal(amount),
        currency=inv.currency,
        status=status,
        idempotency_key=f"key-{inv.number}-{amount}-{status}",
        gateway_session_id=f"cs_{inv.number}_{status}",
        gateway_payment_reference=ref or f"pi_{inv.number}_{status}",
        succeeded_at=at if status in (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED) else None,
        fee=Decimal(fee) if fee is not None else None,
        fee_currency=fee_currency,
    )
    InvoicePayment.objects.filter(pk=row.pk).update(created_at=at - dt.timedelta(minutes=10))
    return row


def refund(pay, amount, at, *, fee="0.00"):
    row = PaymentRefund.objects.create(
        payment=pay,
        amount=Decimal(amount),
        currency=pay.currency,
        status=RefundStatus.SUCCEEDED,
        gateway_refund_id=f"re_{pay.pk.hex[:8]}",
        fee=Decimal(fee),
        net=-Decimal(amount) - Decimal(fee),
        fee_currency=pay.currency,
    )
    PaymentRefund.objects.filter(pk=row.pk).update(created_at=at)
    return row


@pytest.fixture
def seeded(db, frozen_today) -> Seeded:
    owner = UserFactory()
    BusinessProfile.objects.create(user=owner, time_zone="America/New_York")
    sandbox = sandbox_config(owner=owner)
    stripe = PaymentGatewayConfig.objects.create(owner=owner, gateway_name="stripe", display_name="Stripe")
    paid = InvoiceStatus.PAID
    a = invoice(owner, "INV-A", "Acme", "100.00", "2026-01-10", due="2026-01-20", status=paid,
                amount_paid="60.00", amount_refunded="40.00", amount_credited="40.00")  # fmt: skip
    p1 = payment(a, sandbox, "100.00", utc(2026, 2, 1, 4, 30), status=PaymentStatus.PARTIALLY_REFUNDED,
                 fee="3.20", fee_currency="USD")  # fmt: skip
    refund(p1, "40.00", utc(2026, 3, 1, 5, 30))
    b = invoice(owner, "INV-B", "Bolt", "250.00", "2026-02-15", due="2026-03-01",
                status=InvoiceStatus.PARTIALLY_PAID, amount_paid="100.00")  # fmt: skip
    payment(b, sandbox, "100.00", utc(2026, 3, 1, 3, 0), fee="3.20", fee_currency="USD")
    payment(b, sandbox, "150.00", utc(2026, 3, 2, 12, 0), status=PaymentStatus.FAILED)
    invoice(owner, "INV-C", "Acme", "80.00", "2025-11-01", due="2025-11-15")
    invoice(owner, "INV-D", "Cyan", "40.00", "2026-03-10", due="2026-04-09")
    g = invoice(owner, "INV-G", "Dune", "60.00", "2026-03-01", status=paid, amount_paid="60.00")
    payment(g, stripe, "60.00", utc(2026, 3, 5, 15, 0), fee="2.04", fee_currency="EUR")
    invoice(owner, "INV-E", "Draft", "999.00", "2026-02-01", status=InvoiceStatus.DRAFT)
    invoice(owner, "INV-F", "Void", "500.00", "2026-02-01", status=InvoiceStatus.VOID)
    h = invoice(owner, "INV-H", "Euro Ltd", "500.00", "2026-02-01", status=paid, currency="EUR", amount_paid="500.00")
    payment(h, sandbox, "500.00", utc(2026, 2, 2, 10, 0), fee="14.80", fee_currency="EUR")
    j = invoice(owner, "INV-J", "Nippon", "5000", "2026-02-01", status=paid, currency="JPY", amount_paid="5000")
    payment(j, sandbox, "5000", utc(2026, 2, 10, 10, 0), fee="145", fee_currency="JPY")
    client = APIClient()
    client.force_authenticate(owner)
    return Seeded(owner=owner, client=client, sandbox=sandbox, stripe=stripe)


RANGE = {"currency": "USD", "from": "2026-01-01", "to": "2026-03-31"}


@pytest.fixture
def owner_client(db) -> APIClient:
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client
