"""PostgreSQL: a waiting event and the event that links its payment, delivered at the same moment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from invoices.factories import InvoiceFactory
from payments.models import InvoicePayment, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import POSTGRES_SKIP_REASON, deliver, run_in_threads
from payments.tests.webhooks.conftest import completion_payload, dashboard_refund_payload

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason=POSTGRES_SKIP_REASON),
]


@pytest.mark.parametrize("round_", range(10))
def test_a_dashboard_refund_sent_with_the_completion_is_always_applied(owner, gateway, round_):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    InvoicePayment.objects.filter(pk=payment.pk).update(gateway_payment_reference="")
    reference = f"pi_race_{round_}"
    refund = dashboard_refund_payload(f"evt_refund_{round_}", f"re_{round_}", "30.00", reference)
    completion = completion_payload(payment, f"evt_done_{round_}", reference)

    answers = run_in_threads(
        [lambda: deliver(Client(), gateway, refund), lambda: deliver(Client(), gateway, completion)]
    )

    assert [a.status_code for a in answers] == [200, 200]
    assert PaymentWebhookEvent.objects.get(event_id=refund["id"]).status == "processed"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("30.00"))
