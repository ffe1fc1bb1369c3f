"""Fixtures for the PayPal plugin's tests: a local fake of PayPal's REST API that the real SDK
reaches over HTTP (``PAYPAL_API_BASE``), a connected owner, and the payer's side."""

from __future__ import annotations

import pytest
from paypal_fake import FakePayPal
from paypal_helpers import CLIENT_ID, CLIENT_SECRET, CREDENTIALS
from rest_framework.test import APIClient

from payments.models import InvoicePayment, PaymentGatewayConfig


@pytest.fixture
def fake_paypal(settings):
    fake = FakePayPal()
    settings.PAYPAL_API_BASE = fake.start()
    fake.add_app(CLIENT_ID, CLIENT_SECRET)
    yield fake
    fake.stop()


@pytest.fixture
def gateway(fake_paypal):
    """The adapter on its own, with a webhook registered at the fake."""
    from trackify_paypal.gateway import PayPalGateway

    endpoint = PayPalGateway(credentials=CREDENTIALS).create_webhook_endpoint(url="https://example.test/hook/")
    return PayPalGateway(credentials={**CREDENTIALS, **endpoint.credentials}, config_id="cfg")


@pytest.fixture
def owner(db):
    from accounts.factories import UserFactory

    return UserFactory()


@pytest.fixture
def owner_client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def connected(owner_client, fake_paypal):
    """The owner connects PayPal through the settings API."""
    created = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "paypal", "mode": "test", "credentials": CREDENTIALS}, format="json"
    )
    assert created.status_code == 201, created.json()
    return PaymentGatewayConfig.objects.get(pk=created.json()["id"])


@pytest.fixture
def invoice(owner, connected):
    from invoices.factories import InvoiceFactory

    return InvoiceFactory(owner=owner, items=[("Consulting", 2, "50.00")])


@pytest.fixture
def checkout(api_client, invoice, fake_paypal):
    """Open a PayPal checkout for the invoice; the payment and its PayPal order."""
    opened = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert opened.status_code == 201, opened.json()
    payment = InvoicePayment.objects.get(pk=opened.json()["payment_id"])
    assert opened.json()["checkout_url"].endswith(f"token={payment.gateway_session_id}")
    return payment
