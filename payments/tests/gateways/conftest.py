"""Fixtures for the gateway tests: a local HTTP server standing in for Stripe's API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import stripe
from pytest_httpserver import HTTPServer

from payments.gateways.base import CheckoutRequest
from payments.gateways.stripe import StripeGateway
from payments.tests.gateways.fake_stripe import FakeStripe, serve

TEST_SECRET_KEY = "sk_test_51TrackifyAccountOne0000000000000000004242"
OTHER_SECRET_KEY = "sk_test_51TrackifyAccountTwo0000000000000000009999"
PUBLISHABLE_KEY = "pk_test_51TrackifyAccountOne0000000000000000004242"
WEBHOOK_SECRET = "whsec_trackifytestsecret0000000000000001"


@pytest.fixture
def stripe_api(httpserver: HTTPServer, settings: Any) -> Iterator[HTTPServer]:
    """The local server, with every Stripe call of the app pointed at it (``STRIPE_API_BASE``)."""
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    yield httpserver
    # Nothing in the suite may fall back on the SDK's global key.
    assert stripe.api_key is None


@pytest.fixture
def make_gateway() -> Callable[..., StripeGateway]:
    def make(secret_key: str = TEST_SECRET_KEY, *, mode: str = "test", webhook_secret: str | None = None) -> StripeGateway:
        credentials = {"secret_key": secret_key, "publishable_key": PUBLISHABLE_KEY}
        if webhook_secret:
            credentials["webhook_secret"] = webhook_secret
        return StripeGateway(credentials=credentials, mode=mode, config_id="6a1f0c1e-0000-4000-8000-000000000001")

    return make


@pytest.fixture
def gateway(stripe_api: HTTPServer, make_gateway: Callable[..., StripeGateway]) -> StripeGateway:
    return make_gateway()


@pytest.fixture
def checkout_request() -> Callable[..., CheckoutRequest]:
    """A ``CheckoutRequest`` for USD 1250.00 unless told otherwise."""

    def make(**overrides: Any) -> CheckoutRequest:
        values: dict[str, Any] = {
            "payment_id": "0b9a3f5e-7c2d-4e1a-9f00-000000000101",
            "invoice_id": "5c6d7e8f-1a2b-4c3d-8e9f-000000000201",
            "invoice_number": "INV-0042",
            "description": "Website redesign, phase 1",
            "amount": Decimal("1250.00"),
            "currency": "USD",
            "customer_email": "client@example.com",
            "success_url": "https://app.example.com/pay/0b9a3f5e/success",
            "cancel_url": "https://app.example.com/pay/0b9a3f5e/cancel",
            "expires_at": datetime.now(tz=UTC) + timedelta(hours=1),
            "idempotency_key": "checkout-0b9a3f5e-1",
            "metadata": {},
        }
        values.update(overrides)
        return CheckoutRequest(**values)

    return make


@pytest.fixture
def fake_stripe(httpserver: HTTPServer, settings: Any) -> FakeStripe:
    """A stateful fake of Stripe's API over HTTP, every Stripe call of the app pointed at it."""
    return serve(httpserver, settings)
