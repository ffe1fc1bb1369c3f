"""payments.webhooks.receive: verify, store once, process (through the public endpoint)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from payments.models import InvoicePayment, PaymentWebhookEvent
from payments.tests.reliability.conftest import deliver
from payments.tests.webhooks.conftest import REFERENCE, completion_payload, dashboard_refund_payload
from payments.webhooks import codec

pytestmark = pytest.mark.django_db


def test_a_fresh_event_is_encoded_once_and_applied_from_its_stored_reading(gateway, payment, monkeypatch):
    # The worker that applies an event has only its row: the stored reading is what is applied.
    encoded, decoded = [], []
    real_encode, real_decode = codec.encode, codec.decode

    def encode(event):  # type: ignore[no-untyped-def]
        encoded.append(event.event_id)
        return real_encode(event)

    def decode(data, **kwargs):  # type: ignore[no-untyped-def]
        decoded.append(data["event_id"])
        return real_decode(data, **kwargs)

    monkeypatch.setattr(codec, "encode", encode)
    monkeypatch.setattr(codec, "decode", decode)

    response = deliver(Client(), gateway, completion_payload(payment))

    assert (response.status_code, response.json()["status"]) == (200, "processed")
    assert (encoded, decoded) == (["evt_completed"], ["evt_completed"])
    assert PaymentWebhookEvent.objects.get().normalized["payment_id"] == str(payment.pk)
    payment.refresh_from_db()
    assert payment.status == "succeeded"


def test_a_redelivery_of_a_failed_event_is_applied_from_its_stored_reading(gateway, payment):
    deliver(Client(), gateway, completion_payload(payment))
    PaymentWebhookEvent.objects.update(status="failed", error="boom")
    InvoicePayment.objects.filter(pk=payment.pk).update(status="pending")

    response = deliver(Client(), gateway, completion_payload(payment))

    assert response.json()["status"] == "processed"
    row = PaymentWebhookEvent.objects.get()
    assert (row.attempts, row.error) == (2, "")


def test_a_refund_before_its_payment_is_linked_waits_then_is_applied_by_the_completion(gateway, payment):
    client = Client()
    early = deliver(client, gateway, dashboard_refund_payload("evt_refund", "re_dash", "30.00"))
    assert (early.status_code, early.json()["status"]) == (200, "waiting")

    assert deliver(client, gateway, completion_payload(payment)).json()["status"] == "processed"

    waiting = PaymentWebhookEvent.objects.get(event_id="evt_refund")
    assert (waiting.status, waiting.payment_id) == ("processed", payment.pk)
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("30.00"))


def test_a_redelivered_waiting_event_looks_for_its_payment_again(gateway, payment):
    """Waiting is not finished: the gateway's retry is a second chance to find the payment (one
    stored before the completion committed, say, so the completion could not release it)."""
    client = Client()
    refund = dashboard_refund_payload("evt_refund", "re_dash", "30.00")
    assert deliver(client, gateway, refund).json()["status"] == "waiting"
    assert deliver(client, gateway, refund).json()["status"] == "waiting"  # still nothing to link
    InvoicePayment.objects.filter(pk=payment.pk).update(gateway_payment_reference=REFERENCE, status="succeeded")

    assert deliver(client, gateway, refund).json()["status"] == "processed"
    assert PaymentWebhookEvent.objects.get().attempts == 3
