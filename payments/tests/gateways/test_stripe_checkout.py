"""StripeGateway.create_checkout over real HTTP against a local stand-in for Stripe's API."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import stripe
from werkzeug import Request, Response

from payments.errors import (
    GatewayCredentialsInvalid,
    GatewayError,
    GatewayRequestRejected,
    InvalidAmount,
)
from payments.gateways.stripe import StripeGateway
from payments.gateways.stripe.client import STRIPE_API_VERSION
from payments.tests.gateways import stripe_payloads as sp
from payments.tests.gateways.conftest import OTHER_SECRET_KEY, TEST_SECRET_KEY

SESSIONS = "/v1/checkout/sessions"


def _respond_with_session(stripe_api, **session_fields):
    session = sp.checkout_session(**session_fields)
    stripe_api.expect_request(SESSIONS, method="POST").respond_with_json(session)
    return session


def _sent_form(stripe_api) -> dict[str, str]:
    request, _ = stripe_api.log[-1]
    return request.form.to_dict()


def test_checkout_sends_one_invoice_line_in_minor_units_with_our_ids(stripe_api, gateway, checkout_request):
    session = _respond_with_session(stripe_api, payment_intent=None)
    request = checkout_request(metadata={"source": "public_page"})

    result = gateway.create_checkout(request)

    form = _sent_form(stripe_api)
    assert form["mode"] == "payment"
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["line_items[0][price_data][unit_amount]"] == "125000"
    assert form["line_items[0][price_data][product_data][name]"] == "Invoice INV-0042"
    assert form["line_items[0][price_data][product_data][description]"] == "Website redesign, phase 1"
    assert form["client_reference_id"] == request.payment_id
    for prefix in ("metadata", "payment_intent_data[metadata]"):
        assert form[f"{prefix}[trackify_payment_id]"] == request.payment_id
        assert form[f"{prefix}[trackify_invoice_id]"] == request.invoice_id
        assert form[f"{prefix}[source]"] == "public_page"
    assert form["customer_email"] == "client@example.com"
    assert form["success_url"] == request.success_url
    assert form["cancel_url"] == request.cancel_url
    assert form["expires_at"] == str(int(request.expires_at.timestamp()))
    assert result.session_id == session["id"]
    assert result.checkout_url == session["url"]
    assert result.expires_at == datetime.fromtimestamp(session["expires_at"], tz=UTC)
    assert result.payment_reference is None


def test_checkout_carries_the_idempotency_key_the_key_and_the_pinned_api_version(stripe_api, gateway, checkout_request):
    _respond_with_session(stripe_api, payment_intent="pi_test_123")

    result = gateway.create_checkout(checkout_request(idempotency_key="checkout-abc-1"))

    request, _ = stripe_api.log[-1]
    assert request.headers["Idempotency-Key"] == "checkout-abc-1"
    assert request.headers["Authorization"] == f"Bearer {TEST_SECRET_KEY}"
    assert request.headers["Stripe-Version"] == STRIPE_API_VERSION
    assert result.payment_reference == "pi_test_123"


def test_api_version_is_the_one_the_sdk_ships_with():
    assert STRIPE_API_VERSION == stripe.api_version


def test_each_configuration_sends_its_own_key(stripe_api, make_gateway, checkout_request):
    stripe_api.expect_request(SESSIONS, method="POST").respond_with_json(sp.checkout_session())
    first, second = make_gateway(TEST_SECRET_KEY), make_gateway(OTHER_SECRET_KEY)

    first.create_checkout(checkout_request(idempotency_key="k1"))
    second.create_checkout(checkout_request(idempotency_key="k2"))
    first.create_checkout(checkout_request(idempotency_key="k3"))

    keys = [request.headers["Authorization"] for request, _ in stripe_api.log]
    assert keys == [f"Bearer {TEST_SECRET_KEY}", f"Bearer {OTHER_SECRET_KEY}", f"Bearer {TEST_SECRET_KEY}"]
    assert stripe.api_key is None


@pytest.mark.parametrize(
    ("amount", "currency", "sent_currency", "unit_amount"),
    [
        (Decimal("1250.00"), "USD", "usd", "125000"),
        (Decimal(5000), "JPY", "jpy", "5000"),
        (Decimal("12.340"), "KWD", "kwd", "12340"),
        (Decimal("0.30"), "GBP", "gbp", "30"),
        (Decimal(15000), "ISK", "isk", "1500000"),  # Stripe keeps ISK two-decimal
    ],
)
def test_unit_amount_uses_the_currency_exponent(stripe_api, gateway, checkout_request, amount, currency, sent_currency, unit_amount):
    _respond_with_session(stripe_api, currency=sent_currency)

    gateway.create_checkout(checkout_request(amount=amount, currency=currency))

    form = _sent_form(stripe_api)
    assert form["line_items[0][price_data][unit_amount]"] == unit_amount
    assert form["line_items[0][price_data][currency]"] == sent_currency


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        (Decimal("0.49"), "USD", "0.50 USD"),
        (Decimal("0.29"), "GBP", "0.30 GBP"),
        (Decimal(49), "JPY", "50 JPY"),
        (Decimal("0.40"), "EUR", "0.50 EUR"),
        (Decimal("12.345"), "KWD", "third decimal"),
        (Decimal(0), "KWD", "positive"),
    ],
)
def test_amounts_stripe_cannot_charge_are_refused_before_any_request(stripe_api, gateway, checkout_request, amount, currency, message):
    with pytest.raises(InvalidAmount, match=message):
        gateway.create_checkout(checkout_request(amount=amount, currency=currency))

    assert stripe_api.log == []


def test_expiry_is_clamped_to_stripes_window(stripe_api, gateway, checkout_request):
    _respond_with_session(stripe_api)
    now = time.time()

    gateway.create_checkout(checkout_request(expires_at=datetime.now(tz=UTC) + timedelta(minutes=5), idempotency_key="a"))
    too_soon = int(_sent_form(stripe_api)["expires_at"])
    gateway.create_checkout(checkout_request(expires_at=datetime.now(tz=UTC) + timedelta(days=3), idempotency_key="b"))
    too_late = int(_sent_form(stripe_api)["expires_at"])

    assert now + 30 * 60 < too_soon < now + 35 * 60
    assert now + 23 * 3600 < too_late <= now + 24 * 3600


def test_no_email_and_no_description_leave_the_fields_out(stripe_api, gateway, checkout_request):
    _respond_with_session(stripe_api)

    gateway.create_checkout(checkout_request(customer_email=None, description=""))

    form = _sent_form(stripe_api)
    assert "customer_email" not in form
    assert "line_items[0][price_data][product_data][description]" not in form


def test_callers_metadata_cannot_overwrite_our_ids(stripe_api, gateway, checkout_request):
    _respond_with_session(stripe_api)

    gateway.create_checkout(checkout_request(metadata={"trackify_payment_id": "someone-else"}))

    assert _sent_form(stripe_api)["metadata[trackify_payment_id]"] == "0b9a3f5e-7c2d-4e1a-9f00-000000000101"


def test_a_request_stripe_rejects_is_reported_with_its_message(stripe_api, gateway, checkout_request):
    stripe_api.expect_request(SESSIONS, method="POST").respond_with_json(
        sp.error("Not a valid URL", param="success_url", code="url_invalid"),
        status=400,
        headers={"Request-Id": "req_123"},
    )

    with pytest.raises(GatewayRequestRejected) as caught:
        gateway.create_checkout(checkout_request())

    assert caught.value.message == "Not a valid URL"
    assert caught.value.http_status == 400
    assert caught.value.details == {"stripe_request_id": "req_123", "stripe_code": "url_invalid", "param": "success_url"}
    assert len(stripe_api.log) == 1  # a 400 is final: no retry


def test_a_revoked_key_is_reported_without_the_key(stripe_api, gateway, checkout_request):
    stripe_api.expect_request(SESSIONS, method="POST").respond_with_json(
        sp.error(f"Invalid API Key provided: {TEST_SECRET_KEY[:8]}****4242", type="invalid_request_error"), status=401
    )

    with pytest.raises(GatewayCredentialsInvalid) as caught:
        gateway.create_checkout(checkout_request())

    assert "sk_" not in str(caught.value) and "sk_" not in repr(caught.value.details)


def test_server_errors_are_retried_with_the_same_idempotency_key_then_reported_as_unknown(stripe_api, gateway, checkout_request):
    stripe_api.expect_request(SESSIONS, method="POST").respond_with_json(
        sp.error("Something went wrong on Stripe's end.", type="api_error"), status=500
    )

    with pytest.raises(GatewayError) as caught:
        gateway.create_checkout(checkout_request(idempotency_key="checkout-retry-1"))

    assert caught.value.outcome_unknown is True
    assert caught.value.http_status == 502
    keys = [request.headers["Idempotency-Key"] for request, _ in stripe_api.log]
    assert keys == ["checkout-retry-1"] * (1 + StripeGateway.max_network_retries)


def test_a_server_error_then_success_returns_the_session(stripe_api, gateway, checkout_request):
    stripe_api.expect_ordered_request(SESSIONS, method="POST").respond_with_json(sp.error("boom", type="api_error"), status=503)
    stripe_api.expect_ordered_request(SESSIONS, method="POST").respond_with_json(sp.checkout_session(id="cs_test_second"))

    result = gateway.create_checkout(checkout_request(idempotency_key="checkout-retry-2"))

    assert result.session_id == "cs_test_second"
    assert {request.headers["Idempotency-Key"] for request, _ in stripe_api.log} == {"checkout-retry-2"}


def test_rate_limiting_is_reported_as_unknown_outcome(stripe_api, gateway, checkout_request, monkeypatch):
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)
    stripe_api.expect_request(SESSIONS, method="POST").respond_with_json(
        sp.error("Too many requests", type="invalid_request_error", code="rate_limit"), status=429
    )

    with pytest.raises(GatewayError) as caught:
        gateway.create_checkout(checkout_request())

    assert caught.value.outcome_unknown is True


def test_a_timeout_is_reported_as_unknown_outcome(stripe_api, make_gateway, checkout_request, monkeypatch):
    monkeypatch.setattr(StripeGateway, "timeout_seconds", 0.2)
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        return Response(sp.encode(sp.checkout_session()), content_type="application/json")

    stripe_api.expect_request(SESSIONS, method="POST").respond_with_handler(slow)
    started = time.monotonic()

    with pytest.raises(GatewayError) as caught:
        make_gateway().create_checkout(checkout_request())

    assert caught.value.outcome_unknown is True
    assert time.monotonic() - started < 0.9  # gave up at the timeout, not when Stripe answered
