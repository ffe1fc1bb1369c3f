"""GET /api/payment/status/<id>/: asks the gateway while a payment is open, at most so often."""

from __future__ import annotations

import pytest

from payments.models import InvoicePayment

pytestmark = pytest.mark.django_db


def test_status_fields(api_client, invoice, pay):
    payment_id = pay(invoice)
    body = api_client.get(f"/api/payment/status/{payment_id}/").json()
    assert set(body) >= {
        "payment_id", "invoice_id", "status", "amount", "amount_refunded", "currency", "gateway_name", "created_at", "updated_at"
    }
    assert (body["invoice_id"], body["gateway_name"], body["amount"]) == (str(invoice.public_id), "sandbox", "100.00")


def test_pay_later_settles_through_the_status_read(api_client, owner_client, invoice, pay):
    payment_id = pay(invoice, outcome="pay_later_success")
    # The checkout completed unpaid: processing until the provider settles (at once in tests).
    assert InvoicePayment.objects.get(pk=payment_id).status == "processing"
    assert api_client.get(f"/api/payment/status/{payment_id}/").json()["status"] == "succeeded"
    assert owner_client.get(f"/api/invoices/{invoice.pk}/").json()["status"] == "paid"


def test_pay_later_failure(api_client, owner_client, invoice, pay):
    payment_id = pay(invoice, outcome="pay_later_failure")
    assert api_client.get(f"/api/payment/status/{payment_id}/").json()["status"] == "failed"
    detail = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (detail["status"], detail["amount_due"]) == ("sent", "100.00")


def test_refresh_is_rate_limited(api_client, invoice, pay, monkeypatch, settings):
    from payments.gateways.sandbox import SandboxGateway

    settings.PAYMENT_REFRESH_INTERVAL_SECONDS = 60
    calls = []
    real = SandboxGateway.retrieve_payment

    def counted(self, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return real(self, **kwargs)

    monkeypatch.setattr(SandboxGateway, "retrieve_payment", counted)
    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    for _ in range(5):
        assert api_client.get(f"/api/payment/status/{session['payment_id']}/").json()["status"] == "pending"
    assert len(calls) == 1


def test_missed_webhook_is_caught_by_the_status_read(api_client, invoice, checkout, monkeypatch):
    from payments.webhooks import receive

    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    monkeypatch.setattr(receive, "receive", lambda **kwargs: None)  # the webhook never arrives
    checkout.pay(session["checkout_url"])
    assert InvoicePayment.objects.get().status == "pending"
    assert api_client.get(f"/api/payment/status/{session['payment_id']}/").json()["status"] == "succeeded"


def test_a_gateway_outage_leaves_the_status_as_it_was(api_client, invoice, monkeypatch):
    from payments.errors import GatewayError
    from payments.gateways.sandbox import SandboxGateway

    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()

    def down(self, **kwargs):  # type: ignore[no-untyped-def]
        raise GatewayError("unreachable", outcome_unknown=True)

    monkeypatch.setattr(SandboxGateway, "retrieve_payment", down)
    response = api_client.get(f"/api/payment/status/{session['payment_id']}/")
    assert (response.status_code, response.json()["status"]) == (200, "pending")


def test_unknown_payment_is_404(api_client, db):
    response = api_client.get("/api/payment/status/6b0f6a8e-7a4e-4c55-9d0b-2a1f3c4d5e6f/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
