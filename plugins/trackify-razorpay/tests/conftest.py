"""Fixtures for the Razorpay plugin's tests: a local fake of Razorpay's API that the official
SDK reaches over HTTP (``RAZORPAY_API_BASE``), a connected owner, and an open checkout."""

from __future__ import annotations

import pytest
from razorpay_fake import FakeRazorpay
from razorpay_helpers import CREDENTIALS, KEY_ID, KEY_SECRET
from rest_framework.test import APIClient

from payments.models import InvoicePayment, PaymentGatewayConfig


@pytest.fixture
def fake_razorpay(settings):
    fake = FakeRazorpay()
    settings.RAZORPAY_API_BASE = fake.start()
    fake.add_key(KEY_ID, KEY_SECRET)
    yield fake
    fake.stop()


@pytest.fixture
def gateway(fake_razorpay):
    """The adapter on its own."""
    from trackify_razorpay.gateway import RazorpayGateway

    return RazorpayGateway(credentials=CREDENTIALS, config_id="cfg")


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
def connected(owner_client, fake_razorpay):
    """The owner connects Razorpay through the settings API."""
    created = owner_client.post(
        "/api/payment/gateways/",
        {"gateway_name": "razorpay", "mode": "test", "credentials": CREDENTIALS},
        format="json",
    )
    assert created.status_code == 201, created.json()
    return PaymentGatewayConfig.objects.get(pk=created.json()["id"])


@pytest.fixture
def invoice(owner, connected):
    from invoices.factories import InvoiceFactory

    return InvoiceFactory(owner=owner, currency="INR", items=[("Consulting", 2, "500.00")])


@pytest.fixture
def checkout(api_client, invoice, fake_razorpay):
    """Open a Razorpay checkout for the invoice; the payment (its link id as session id)."""
    opened = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json")
    assert opened.status_code == 201, opened.json()
    payment = InvoicePayment.objects.get(pk=opened.json()["payment_id"])
    assert opened.json()["checkout_url"] == fake_razorpay.links[payment.gateway_session_id]["short_url"]
    return payment
