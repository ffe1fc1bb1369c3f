"""The Razorpay adapter on its own, against the local fake over HTTP through the official SDK:
the exact requests, the error mapping, webhook signatures and malformed deliveries."""

from __future__ import annotations

import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from razorpay_fake import FakeRazorpay
from razorpay_helpers import CREDENTIALS, WEBHOOK_SECRET
from trackify_razorpay.gateway import RazorpayGateway

from payments.errors import (
    GatewayCredentialsInvalid,
    GatewayError,
    GatewayRequestRejected,
    InvalidAmount,
    WebhookPayloadInvalid,
    WebhookSignatureInvalid,
)
from payments.gateways.base import CheckoutRequest, EventKind, RefundRequest


def request(**overrides):  # type: ignore[no-untyped-def]
    fields = {
        "payment_id": "6f1c2b9e-0000-4000-8000-000000000001",
        "invoice_id": "inv-1",
        "invoice_number": "INV-0001",
        "description": "",
        "amount": Decimal("1499.50"),
        "currency": "INR",
        "customer_email": "client@example.test",
        "success_url": "https://app.test/pay/return",
        "cancel_url": "https://app.test/pay",
        "expires_at": datetime.now(tz=UTC) + timedelta(hours=1),
        "idempotency_key": "key-1",
        **overrides,
    }
    return CheckoutRequest(**fields)


def signed(event, *, secret=WEBHOOK_SECRET, event_id="evtAbc123"):  # type: ignore[no-untyped-def]
    body, headers = FakeRazorpay.delivery(event, secret=secret, event_id=event_id)
    return body, {name.lower(): value for name, value in headers.items()}


def test_checkout_sends_paise_and_the_payer(gateway, fake_razorpay):
    session = gateway.create_checkout(request())
    _, _, body = fake_razorpay.calls("POST", "/v1/payment_links")[0]
    assert body["amount"] == 149950 and body["currency"] == "INR"
    assert body["customer"] == {"email": "client@example.test"} and body["description"] == "Invoice INV-0001"
    assert session.checkout_url == fake_razorpay.links[session.session_id]["short_url"]


def test_a_checkout_expiring_too_soon_for_razorpay_gets_its_minimum(gateway, fake_razorpay):
    soon = datetime.now(tz=UTC) + timedelta(minutes=5)
    session = gateway.create_checkout(request(expires_at=soon))
    assert session.expires_at is not None and session.expires_at >= soon + timedelta(minutes=10)


@pytest.mark.parametrize(("amount", "currency"), [(Decimal("0.50"), "INR"), (Decimal("10.001"), "INR")])
def test_amounts_razorpay_cannot_take_are_refused_before_any_call(gateway, fake_razorpay, amount, currency):
    with pytest.raises(InvalidAmount):
        gateway.create_checkout(request(amount=amount, currency=currency))
    assert fake_razorpay.requests == []


def test_refused_keys_unknown_request_and_outage_map_to_trackifys_errors(fake_razorpay):
    wrong = RazorpayGateway(credentials={**CREDENTIALS, "key_secret": "WrongSecret0123456789abcd"})
    with pytest.raises(GatewayCredentialsInvalid) as refused:
        wrong.verify_credentials()
    assert "key_secret" in refused.value.details
    gateway = RazorpayGateway(credentials=CREDENTIALS)
    with pytest.raises(GatewayRequestRejected):
        gateway.retrieve_refund(refund_id="rfnd_missing")
    fake_razorpay.fail_next = [500]
    with pytest.raises(GatewayError) as outage:
        gateway.retrieve_payment(session_id="plink_any")
    assert outage.value.outcome_unknown is True


def test_a_razorpay_that_never_answers_is_an_outcome_unknown_error(settings):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    settings.RAZORPAY_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
    gateway = RazorpayGateway(credentials=CREDENTIALS)
    gateway.timeout_seconds = 0.5
    try:
        with pytest.raises(GatewayError) as timed_out:
            gateway.create_checkout(request())
        assert timed_out.value.outcome_unknown is True
    finally:
        threading.Thread(target=silent.close).start()


def test_a_refund_retried_after_a_lost_answer_is_not_made_twice(gateway, fake_razorpay):
    session = gateway.create_checkout(request())
    paid = fake_razorpay.pay(session.session_id)
    refund = RefundRequest(
        refund_id="r-1", payment_id="p", session_id=session.session_id, payment_reference=paid["id"],
        amount=Decimal("100.00"), currency="INR", reason="Duplicate", idempotency_key="rk",
    )  # fmt: skip
    first = gateway.refund(refund)
    again = gateway.refund(refund)
    assert first.refund_id == again.refund_id and first.our_refund_id == "r-1"
    assert len(fake_razorpay.refunds) == 1 and first.status == "succeeded"
    assert gateway.retrieve_refund(refund_id=first.refund_id).amount == Decimal("100.00")


def test_webhook_signature_is_checked_against_each_secret_of_a_rotation(gateway, fake_razorpay):
    event = fake_razorpay.event(
        "refund.processed",
        refund={
            "id": "rfnd_1",
            "amount": 100,
            "currency": "INR",
            "payment_id": "pay_1",
            "status": "processed",
            "notes": [],
        },
    )
    body, headers = signed(event, secret="the-new-secret")
    parsed = gateway.parse_webhook(body=body, headers=headers, secrets=["old-secret-x", "the-new-secret"])
    assert parsed.kind == EventKind.REFUNDS_UPDATED and parsed.event_id == "evtAbc123"
    assert parsed.payment_reference == "pay_1" and parsed.refunds[0].our_refund_id is None
    with pytest.raises(WebhookSignatureInvalid):
        gateway.parse_webhook(body=body + b" ", headers=headers, secrets=["the-new-secret"])
    with pytest.raises(WebhookSignatureInvalid):
        gateway.parse_webhook(body=body, headers={}, secrets=["the-new-secret"])


@pytest.mark.parametrize(
    "event",
    [
        "not json",
        [1, 2],
        {"event": "payment_link.paid", "payload": {}},
        {
            "event": "payment_link.paid",
            "payload": {
                "payment_link": {
                    "entity": {"id": "plink_1", "status": "paid", "amount": "1", "currency": "INR", "amount_paid": "1"}
                }
            },
        },
        {"event": "refund.processed", "payload": {"refund": {"entity": {"id": "r", "status": "odd"}}}},
    ],
)
def test_signed_bodies_that_cannot_be_read_are_invalid_payloads(gateway, event):
    body = event.encode() if isinstance(event, str) else json.dumps(event).encode()
    import hashlib
    import hmac

    headers = {
        "x-razorpay-signature": hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest(),
        "x-razorpay-event-id": "evt1",
    }
    with pytest.raises(WebhookPayloadInvalid):
        gateway.parse_webhook(body=body, headers=headers, secrets=[WEBHOOK_SECRET])


def test_a_delivery_without_razorpays_event_id_is_refused(gateway, fake_razorpay):
    body, headers = signed(fake_razorpay.event("payment_link.expired"))
    headers.pop("x-razorpay-event-id")
    with pytest.raises(WebhookPayloadInvalid):
        gateway.parse_webhook(body=body, headers=headers, secrets=[WEBHOOK_SECRET])


def test_events_trackify_does_not_use_are_ignored(gateway, fake_razorpay):
    body, headers = signed(fake_razorpay.event("order.paid", order={"id": "order_1"}))
    assert gateway.parse_webhook(body=body, headers=headers, secrets=[WEBHOOK_SECRET]).kind == EventKind.IGNORED


def test_credentials_shape_is_checked_on_save(fake_razorpay):
    with pytest.raises(GatewayCredentialsInvalid) as bad:
        RazorpayGateway.validate_credentials({"key_id": "key", "key_secret": "x", "webhook_secret": "s"}, mode="test")
    assert set(bad.value.details) == {"key_id", "key_secret", "webhook_secret"}
    cleaned = RazorpayGateway.validate_credentials({**CREDENTIALS, "key_id": f" {CREDENTIALS['key_id']} "}, mode="test")
    assert cleaned == CREDENTIALS
    assert RazorpayGateway.credentials_preview(CREDENTIALS)["key_secret"].endswith(CREDENTIALS["key_secret"][-4:])
    assert CREDENTIALS["key_secret"] not in repr(RazorpayGateway(credentials=CREDENTIALS))
