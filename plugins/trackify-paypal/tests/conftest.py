"""Fixtures for the PayPal plugin's tests: a local fake of PayPal's REST API that the real SDK
reaches over HTTP (``PAYPAL_API_BASE``), a connected owner, and the payer's side."""

from __future__ import annotations

import pytest
from paypal_fake import FakePayPal
from rest_framework.test import APIClient

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
