"""Fixtures for the PayPal plugin's tests: a local fake of PayPal's REST API that the real SDK
reaches over HTTP (``PAYPAL_API_BASE``), a connected owner, and the payer's side."""

from __future__ import annotations

import pytest
from paypal_fake import FakePayPal
from rest_framework.test import APIClient

from payments.models import InvoicePayment, PaymentGatewayConfig

CLIENT_ID = "AZfakeClientId0123456789abcdefXYZ"
CLIENT_SECRET = "EFfakeSecret0123456789abcdefghijXYZ"
CREDENTIALS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


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


def deliver(api_client, fake_paypal, config, event_type, resource, *, times=1):  # type: ignore[no-untyped-def]
    """PayPal delivers one event (``times`` times: redeliveries of the same event)."""
    body, headers = fake_paypal.delivery(event_type, resource, webhook_id=config.get_credentials()["webhook_id"])
    extra = {"HTTP_" + name.replace("-", "_"): value for name, value in headers.items()}
    answers = [
        api_client.post(config.webhook_path, body, content_type="application/json", **extra) for _ in range(times)
    ]
    assert {answer.status_code for answer in answers} == {200}, [answer.json() for answer in answers]
    return answers[-1]
