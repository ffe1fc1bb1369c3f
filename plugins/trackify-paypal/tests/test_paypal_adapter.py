"""The PayPal adapter against the local fake of PayPal's API, through the real SDK over HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from paypal_helpers import CLIENT_ID, CREDENTIALS
from trackify_paypal.amounts import to_paypal_value
from trackify_paypal.gateway import PayPalGateway

from payments.errors import (
    GatewayCredentialsInvalid,
    GatewayError,
    GatewayRequestRejected,
    InvalidAmount,
    WebhookSignatureInvalid,
)
from payments.gateways.base import CheckoutRequest, EventKind, RefundRequest


def checkout_request(amount: str = "100.00", currency: str = "USD", key: str = "trk-pay-1") -> CheckoutRequest:
    return CheckoutRequest(
        payment_id="7b0e4c1e-1111-4222-8333-944455556666",
        invoice_id="inv-1",
        invoice_number="INV-0001",
        description="Invoice INV-0001",
        amount=Decimal(amount),
        currency=currency,
        customer_email=None,
        success_url="https://app.test/pay/inv-1/return?payment=p",
        cancel_url="https://app.test/pay/inv-1?payment=p",
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        idempotency_key=key,
    )


@pytest.mark.parametrize(
    ("amount", "currency", "sent"),
    [("12.50", "USD", "12.50"), ("1500", "JPY", "1500"), ("1500.00", "JPY", "1500"), ("99.00", "HUF", "99"),
     ("250", "TWD", "250"), ("7.1", "EUR", "7.10")],
)  # fmt: skip
def test_amounts_follow_paypal_currency_rules(amount, currency, sent):
    assert to_paypal_value(Decimal(amount), currency) == sent


@pytest.mark.parametrize(
    ("amount", "currency"), [("1500.50", "JPY"), ("10.5", "HUF"), ("10.00", "INR"), ("1.005", "USD"), ("0", "USD")]
)
def test_amounts_paypal_cannot_take_are_refused(amount, currency):
    with pytest.raises(InvalidAmount):
        to_paypal_value(Decimal(amount), currency)


def test_unsupported_currency_is_refused_before_any_call(gateway, fake_paypal):
    before = len(fake_paypal.requests)
    with pytest.raises(InvalidAmount, match="PayPal does not accept payments in INR"):
        gateway.create_checkout(checkout_request(currency="INR"))
    assert len(fake_paypal.requests) == before


def test_credentials_are_checked_for_shape_then_with_paypal(fake_paypal):
    with pytest.raises(GatewayCredentialsInvalid) as bad:
        PayPalGateway.validate_credentials(
            {"client_id": "short", "client_secret": CREDENTIALS["client_secret"]}, mode="test"
        )
    assert set(bad.value.details) == {"client_id"}
    assert PayPalGateway(credentials=CREDENTIALS).verify_credentials()["api"] == "sandbox"
    wrong = {"client_id": CLIENT_ID, "client_secret": "EFwrongSecret0123456789abcdefghijXYZ"}
    with pytest.raises(GatewayCredentialsInvalid):
        PayPalGateway(credentials=wrong).verify_credentials()
    assert "EFwrong" not in repr(PayPalGateway(credentials=wrong))


def test_order_carries_our_ids_urls_and_request_id(gateway, fake_paypal):
    session = gateway.create_checkout(checkout_request(amount="1500", currency="JPY"))
    order = fake_paypal.orders[session.session_id]
    unit = order["purchase_units"][0]
    assert order["intent"] == "CAPTURE"
    assert unit["amount"] == {"currency_code": "JPY", "value": "1500"}
    assert unit["custom_id"] == unit["reference_id"] == unit["invoice_id"] == "7b0e4c1e-1111-4222-8333-944455556666"
    assert order["experience"]["return_url"] == "https://app.test/pay/inv-1/return?payment=p"
    assert session.checkout_url.endswith(f"token={session.session_id}")
    created = fake_paypal.calls("POST", "/v2/checkout/orders")
    assert created[-1][2]["paypal-request-id"] == "trk-pay-1"
    # The same key (a retry after a lost answer) gets the same order, not a second one.
    assert gateway.create_checkout(checkout_request(amount="1500", currency="JPY")).session_id == session.session_id
    assert len(fake_paypal.orders) == 1


def test_capture_once_with_its_own_key_and_fee(gateway, fake_paypal):
    session = gateway.create_checkout(checkout_request())
    assert gateway.retrieve_payment(session_id=session.session_id).needs_capture is False
    fake_paypal.approve(session.session_id)
    approved = gateway.retrieve_payment(session_id=session.session_id)
    assert (approved.status, approved.needs_capture) == ("pending", True)
    first = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="k-capture")
    again = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="k-capture")
    assert first.status == again.status == "succeeded"
    assert first.payment_reference == again.payment_reference
    assert len(fake_paypal.orders[session.session_id]["purchase_units"][0]["payments"]["captures"]) == 1
    assert (first.amount, first.currency) == (Decimal("100.00"), "USD")
    assert first.fee is not None and (first.fee.fee, first.fee.net) == (Decimal("3.49"), Decimal("96.51"))


def test_pending_and_declined_captures(gateway, fake_paypal):
    for outcome, status in (("PENDING", "processing"), ("DECLINED", "failed")):
        fake_paypal.capture_status = outcome
        session = gateway.create_checkout(checkout_request(key=f"k-{outcome}"))
        fake_paypal.approve(session.session_id)
        snapshot = gateway.capture_payment(
            session_id=session.session_id, payment_reference=None, idempotency_key=f"c-{outcome}"
        )
        assert snapshot.status == status
    assert "DECLINED" in snapshot.failure_message


def test_partial_refund_pending_then_settled(gateway, fake_paypal):
    session = gateway.create_checkout(checkout_request())
    fake_paypal.approve(session.session_id)
    capture = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="c")
    fake_paypal.refund_status = "PENDING"
    request = RefundRequest(
        refund_id="ref-1", payment_id="p", session_id=session.session_id, payment_reference=capture.payment_reference,
        amount=Decimal("30.00"), currency="USD", reason="Overbilled", idempotency_key="trk-ref-1",
    )  # fmt: skip
    refund = gateway.refund(request)
    assert (refund.status, refund.amount, refund.our_refund_id) == ("pending", Decimal("30.00"), "ref-1")
    assert gateway.refund(request).refund_id == refund.refund_id  # same key: same refund
    fake_paypal.refunds[refund.refund_id]["status"] = "COMPLETED"
    assert gateway.retrieve_refund(refund_id=refund.refund_id).status == "succeeded"
    snapshot = gateway.retrieve_payment(session_id=session.session_id)
    assert [r.amount for r in snapshot.refunds] == [Decimal("30.00")]


def test_managed_webhook_endpoint_is_created_and_deleted(fake_paypal):
    gateway = PayPalGateway(credentials=CREDENTIALS)
    endpoint = gateway.create_webhook_endpoint(url="https://app.test/api/payment/webhook/paypal/cfg/")
    registered = fake_paypal.webhooks[endpoint.endpoint_id]
    assert registered["url"] == "https://app.test/api/payment/webhook/paypal/cfg/"
    assert {e["name"] for e in registered["event_types"]} >= {"CHECKOUT.ORDER.APPROVED", "PAYMENT.CAPTURE.COMPLETED"}
    assert endpoint.credentials == {"webhook_id": endpoint.endpoint_id}
    gateway.delete_webhook_endpoint(endpoint_id=endpoint.endpoint_id)
    assert fake_paypal.webhooks == {}
    gateway.delete_webhook_endpoint(endpoint_id=endpoint.endpoint_id)  # already gone: not an error


def test_webhooks_are_verified_by_paypal_over_the_exact_body(gateway, fake_paypal):
    webhook_id = gateway.credentials["webhook_id"]
    resource = {
        "id": "ORDER1",
        "status": "APPROVED",
        "purchase_units": [{"custom_id": "pay-1", "amount": {"currency_code": "USD", "value": "5.00"}}],
    }
    body, headers = fake_paypal.delivery("CHECKOUT.ORDER.APPROVED", resource, webhook_id=webhook_id)
    lowered = {k.lower(): v for k, v in headers.items()}
    event = gateway.parse_webhook(body=body, headers=lowered, secrets=gateway.webhook_secrets())
    assert (event.kind, event.session_id, event.payment_id, event.amount) == (
        EventKind.PAYMENT_APPROVED,
        "ORDER1",
        "pay-1",
        Decimal("5.00"),
    )
    # The same event re-encoded (compact JSON) is not the body PayPal signed.
    compact = json.dumps(json.loads(body)).encode()
    with pytest.raises(WebhookSignatureInvalid):
        gateway.parse_webhook(body=compact, headers=lowered, secrets=gateway.webhook_secrets())
    tampered = body.replace(b'"5.00"', b'"0.01"')
    with pytest.raises(WebhookSignatureInvalid):
        gateway.parse_webhook(body=tampered, headers=lowered, secrets=gateway.webhook_secrets())
    without = {k: v for k, v in lowered.items() if k != "paypal-transmission-sig"}
    with pytest.raises(WebhookSignatureInvalid, match="paypal-transmission-sig"):
        gateway.parse_webhook(body=body, headers=without, secrets=gateway.webhook_secrets())


def test_unreachable_paypal_is_a_gateway_error_with_nothing_sent(gateway, fake_paypal, settings):
    fake_paypal.stop()
    with pytest.raises(GatewayError) as raised:
        gateway.create_checkout(checkout_request())
    assert raised.value.http_status == 502 and raised.value.outcome_unknown is False


def test_capture_refused_for_the_order_state_answers_the_order_as_it_is(gateway, fake_paypal):
    session = gateway.create_checkout(checkout_request())
    not_yet = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="c1")
    assert (not_yet.status, not_yet.needs_capture) == ("pending", False)
    fake_paypal.approve(session.session_id)
    fake_paypal.capture_status = "INSTRUMENT_DECLINED"
    declined = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="c2")
    assert (declined.status, declined.needs_capture) == ("pending", False)
    fake_paypal.capture_status = "COMPLETED"
    done = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="c3")
    # Captured already, asked again with another key: the one capture, not a second.
    again = gateway.capture_payment(session_id=session.session_id, payment_reference=None, idempotency_key="c4")
    assert done.status == again.status == "succeeded" and done.payment_reference == again.payment_reference
    assert len(fake_paypal.orders[session.session_id]["purchase_units"][0]["payments"]["captures"]) == 1


def test_capture_of_an_unknown_order_is_refused(gateway, fake_paypal):
    with pytest.raises(GatewayRequestRejected):
        gateway.capture_payment(session_id="NO-SUCH-ORDER", payment_reference=None, idempotency_key="c")
