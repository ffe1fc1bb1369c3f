"""The whole story through the public API: checkout, sandbox payment, webhook, refund."""

from __future__ import annotations

import pytest

from payments.models import InvoicePayment, PaymentWebhookEvent

pytestmark = pytest.mark.django_db


def test_client_pays_in_full_and_owner_refunds_half(api_client, owner_client, invoice, checkout):
    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert session.status_code == 201
    body = session.json()
    assert body["amount"] == "100.00"
    assert body["currency"] == "USD"
    assert body["status"] == "pending"
    assert body["checkout_url"].endswith(f"/sandbox/checkout/{InvoicePayment.objects.get().gateway_session_id}")

    done = checkout.pay(body["checkout_url"], "pay")
    assert done.status_code == 302
    assert done["Location"].endswith(f"/pay/{invoice.public_id}/return?payment={body['payment_id']}")

    status = api_client.get(f"/api/payment/status/{body['payment_id']}/").json()
    assert status["status"] == "succeeded"
    assert status["amount_refunded"] == "0.00"
    assert PaymentWebhookEvent.objects.get().status == "processed"

    detail = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (detail["status"], detail["amount_paid"], detail["amount_due"]) == ("paid", "100.00", "0.00")

    refund = owner_client.post(f"/api/payment/refund/{body['payment_id']}/", {"amount": "50.00"}, format="json")
    assert refund.status_code == 201, refund.json()
    assert refund.json()["status"] == "succeeded"
    assert refund.json()["payment_status"] == "partially_refunded"
    assert refund.json()["amount"] == "50.00"

    # A refund credits the client by default: taken off what they owe, the invoice stays paid.
    detail = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert detail["status"] == "paid"
    assert (detail["amount_paid"], detail["amount_refunded"], detail["amount_credited"], detail["amount_due"]) == (
        "50.00",
        "50.00",
        "50.00",
        "0.00",
    )
