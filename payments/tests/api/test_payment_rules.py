"""What the payment API tells the web app, so the app keeps no copy of the server's rules:
whether a payment can be refunded and for how much, statuses in words, the currency's precision."""

from __future__ import annotations

import pytest

from payments.models import InvoicePayment

pytestmark = pytest.mark.django_db


def listed(client, invoice) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get(f"/api/payment/invoice/{invoice.pk}/payments/").json()["results"]


def test_a_paid_payment_can_be_refunded_until_nothing_is_left(owner_client, invoice, pay):
    payment_id = pay(invoice)
    [payment] = listed(owner_client, invoice)
    assert (payment["can_refund"], payment["amount_refundable"], payment["status_display"]) == (True, "100.00", "Succeeded")

    owner_client.post(f"/api/payment/refund/{payment_id}/", {"amount": "40.00"}, format="json")
    [payment] = listed(owner_client, invoice)
    assert (payment["can_refund"], payment["amount_refundable"], payment["status_display"]) == (
        True, "60.00", "Partially refunded"
    )
    assert payment["refunds"][0]["status_display"] == "Succeeded"

    owner_client.post(f"/api/payment/refund/{payment_id}/", {}, format="json")
    [payment] = listed(owner_client, invoice)
    assert (payment["can_refund"], payment["amount_refundable"]) == (False, "0.00")
    refused = owner_client.post(f"/api/payment/refund/{payment_id}/", {}, format="json")
    assert refused.status_code == 409


def test_a_declined_payment_cannot_be_refunded(owner_client, invoice, pay):
    pay(invoice, outcome="decline")
    [payment] = listed(owner_client, invoice)
    assert (payment["status"], payment["can_refund"], payment["amount_refundable"]) == ("failed", False, "0.00")


def test_status_and_public_invoice_carry_the_precision_and_the_status_in_words(api_client, invoice, pay):
    payment_id = pay(invoice)
    status = api_client.get(f"/api/payment/status/{payment_id}/").json()
    public = api_client.get(f"/api/payment/public/invoice/{invoice.public_id}/").json()
    assert (status["currency_exponent"], status["status_display"]) == (2, "Succeeded")
    assert (public["currency_exponent"], public["status_display"]) == (2, "Paid")


def test_the_schema_describes_the_new_fields(api_client):
    schemas = api_client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    owner_payment = schemas["OwnerPayment"]["properties"]
    assert owner_payment["can_refund"]["type"] == "boolean"
    assert owner_payment["currency_exponent"]["type"] == "integer"
    assert schemas["PublicInvoice"]["properties"]["currency_exponent"]["type"] == "integer"
    assert schemas["Refund"]["properties"]["status_display"]["type"] == "string"


@pytest.mark.parametrize(
    ("status", "is_open", "is_paid"),
    [
        ("pending", True, False),
        ("processing", True, False),
        ("succeeded", False, True),
        ("partially_refunded", False, True),
        ("refunded", False, True),
        ("failed", False, False),
        ("expired", False, False),
        ("canceled", False, False),
    ],
)
def test_the_status_says_whether_it_is_still_open_and_whether_it_was_paid(api_client, invoice, status, is_open, is_paid):
    # Which statuses are final (not open) was a table in the web app; the API says it now.
    payment = InvoicePayment.objects.create(
        invoice=invoice,
        gateway_config=invoice.owner.gateway_configs.first(),
        gateway_name="sandbox",
        amount="100.00",
        currency="USD",
        idempotency_key=f"key-{status}",
        status=status,
    )
    body = api_client.get(f"/api/payment/status/{payment.pk}/").json()
    assert (body["is_open"], body["is_paid"]) == (is_open, is_paid)
