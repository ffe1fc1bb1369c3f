"""Every order of one payment's events, delivered one after another, ends in the same state.

The PostgreSQL concurrency tests deliver them at once; this runs on every database.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.test import Client

from invoices.factories import InvoiceFactory
from payments.models import InvoicePayment, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver, gateway_refund, session_of
from sandbox import provider

pytestmark = pytest.mark.django_db

# Paid, refunded 30, refunded 20 more, and the provider's late "expired".
STORY = ("paid", "refund-30", "refund-50", "expired")


def _story(owner, tag: str):  # type: ignore[no-untyped-def]
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    sent = {
        "paid": completed_event(payment),
        "refund-30": gateway_refund(payment, "30.00", f"{tag}-1"),
        "refund-50": gateway_refund(payment, "20.00", f"{tag}-2"),
        "expired": provider.event("checkout.expired", session_of(payment)),
    }
    return invoice, payment, sent


@pytest.mark.parametrize("order", list(itertools.permutations(STORY)), ids="/".join)
def test_any_order_of_a_payments_events_ends_as_the_ordered_delivery(owner, gateway, order):
    invoice, payment, sent = _story(owner, "-".join(order))

    for name in order:
        response = deliver(Client(), gateway, sent[name])
        assert response.status_code == 200, response.json()

    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("50.00"))
    assert sorted(r.amount for r in payment.refunds.filter(status="succeeded")) == [Decimal("20.00"), Decimal("30.00")]
    # Refunds made in the provider's dashboard are credits: nothing is due again.
    assert (invoice.status, invoice.amount_paid, invoice.amount_refunded, invoice.amount_credited, invoice.amount_due) == (
        "paid",
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("0"),
    )
    assert PaymentWebhookEvent.objects.filter(status="failed").count() == 0
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 1
