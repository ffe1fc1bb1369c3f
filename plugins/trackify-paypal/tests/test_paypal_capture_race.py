"""PostgreSQL: the payer's return and the approval webhook arrive at the same moment; PayPal is
asked to capture by both, with one key, and the payment is captured and applied once."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from paypal_helpers import deliver
from rest_framework.test import APIClient

from payments.models import PaymentWebhookEvent
from payments.tests.reliability.conftest import POSTGRES_SKIP_REASON, run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason=POSTGRES_SKIP_REASON),
]


@pytest.mark.parametrize("round_", range(5))
def test_return_and_approval_webhook_at_once_capture_once(owner_client, connected, checkout, fake_paypal, round_):
    order_id = checkout.gateway_session_id
    fake_paypal.approve(order_id)
    order = dict(fake_paypal.orders[order_id])
    cache.clear()  # the return page's refresh is due

    answers = run_in_threads(
        [
            lambda: APIClient().get(f"/api/payment/status/{checkout.pk}/"),
            lambda: deliver(APIClient(), fake_paypal, connected, "CHECKOUT.ORDER.APPROVED", order),
        ]
    )

    assert [getattr(answer, "status_code", answer) for answer in answers] == [200, 200]
    assert len(fake_paypal.orders[order_id]["purchase_units"][0]["payments"]["captures"]) == 1
    checkout.refresh_from_db()
    assert checkout.status == "succeeded"
    assert checkout.gateway_payment_reference == fake_paypal.capture_of(order_id)["id"]
    assert PaymentWebhookEvent.objects.get().status == "processed"
    invoice = owner_client.get(f"/api/invoices/{checkout.invoice_id}/").json()
    assert (invoice["status"], invoice["amount_paid"]) == ("paid", "100.00")
