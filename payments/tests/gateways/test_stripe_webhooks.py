"""StripeGateway.parse_webhook: signature checks and each event type's meaning for Trackify."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from payments.errors import WebhookPayloadInvalid, WebhookSignatureInvalid
from payments.gateways.base import EventKind, RefundSnapshot
from payments.gateways.stripe import StripeGateway
from payments.tests.gateways import stripe_payloads as sp

SECRET = "whsec_trackifytestsecret0000000000000001"
OLD_SECRET = "whsec_trackifytestsecret0000000000000000"
PAYMENT_ID = "0b9a3f5e-7c2d-4e1a-9f00-000000000101"
REFUND_ID = "9d8c7b6a-5e4f-4a3b-8c2d-000000000301"


@pytest.fixture
def gateway() -> StripeGateway:
    # Webhooks need no API call and no secret key.
    return StripeGateway(credentials={"webhook_secret": SECRET}, mode="test", config_id="c1")


def _parse(gateway, payload, *, secret=SECRET, secrets=None, timestamp=None):
    body = sp.encode(payload)
    return gateway.parse_webhook(body=body, headers=sp.signed_headers(body, secret, timestamp), secrets=secrets or [SECRET])


# Signatures -------------------------------------------------------------------------------


def test_a_correctly_signed_event_is_accepted(gateway):
    payload = sp.event("checkout.session.completed", sp.checkout_session(status="complete", payment_status="paid"), created=1767225600)

    event = _parse(gateway, payload)

    assert event.event_id == payload["id"]
    assert event.event_type == "checkout.session.completed"
    assert event.payload == payload
    assert event.occurred_at == datetime(2026, 1, 1, tzinfo=UTC)


def test_the_documented_hmac_scheme_is_accepted(gateway):
    # t=<timestamp>,v1=<hex HMAC-SHA256 over "<timestamp>.<body>">, computed by hand.
    body = sp.encode(sp.event("customer.created", {"id": "cus_1", "object": "customer"}))
    timestamp = int(time.time())
    digest = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()

    event = gateway.parse_webhook(body=body, headers={"stripe-signature": f"t={timestamp},v1={digest}"}, secrets=[SECRET])

    assert event.kind is EventKind.IGNORED


def test_the_secret_from_the_config_is_what_webhook_secrets_returns(gateway):
    rotating = StripeGateway(credentials={"webhook_secret": f"{SECRET},{OLD_SECRET}"}, mode="test")
    assert list(rotating.webhook_secrets()) == [SECRET, OLD_SECRET]


def test_during_a_rotation_either_secret_is_accepted(gateway):
    payload = sp.event("checkout.session.expired", sp.checkout_session(status="expired"))

    assert _parse(gateway, payload, secret=OLD_SECRET, secrets=[SECRET, OLD_SECRET]).kind is EventKind.PAYMENT_EXPIRED
    assert _parse(gateway, payload, secret=SECRET, secrets=[SECRET, OLD_SECRET]).kind is EventKind.PAYMENT_EXPIRED


@pytest.mark.parametrize(
    "case",
    ["wrong_secret", "stale", "missing_header", "no_secret_configured", "tampered_body", "garbled_header", "not_utf8"],
)
def test_bad_signatures_are_refused(gateway, case):
    body = sp.encode(sp.event("checkout.session.completed", sp.checkout_session()))
    headers = sp.signed_headers(body, SECRET)
    secrets = [SECRET]
    if case == "wrong_secret":
        headers = sp.signed_headers(body, "whsec_somebodyelse")
    elif case == "stale":
        headers = sp.signed_headers(body, SECRET, timestamp=int(time.time()) - 301)
    elif case == "missing_header":
        headers = {"content-type": "application/json"}
    elif case == "no_secret_configured":
        secrets = []
    elif case == "tampered_body":
        body = body.replace(b"125000", b"125")
    elif case == "garbled_header":
        headers = {"stripe-signature": "v1=deadbeef"}
    elif case == "not_utf8":
        body = b"\xff\xfe" + body

    with pytest.raises(WebhookSignatureInvalid):
        gateway.parse_webhook(body=body, headers=headers, secrets=secrets)


def test_a_timestamp_within_five_minutes_is_accepted(gateway):
    payload = sp.event("checkout.session.expired", sp.checkout_session(status="expired"))
    assert _parse(gateway, payload, timestamp=int(time.time()) - 290).kind is EventKind.PAYMENT_EXPIRED


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'{"object": "charge", "id": "ch_1"}', b'{"object": "event", "id": "evt_1"}'],
)
def test_a_signed_body_that_is_not_an_event_is_refused(gateway, body):
    with pytest.raises(WebhookPayloadInvalid):
        gateway.parse_webhook(body=body, headers=sp.signed_headers(body, SECRET), secrets=[SECRET])


@pytest.mark.parametrize("event_type", ["checkout.session.completed", "refund.updated", "charge.refunded", "payment_intent.canceled"])
def test_a_known_event_without_its_object_is_refused(gateway, event_type):
    payload = sp.event(event_type, {})
    with pytest.raises(WebhookPayloadInvalid):
        _parse(gateway, payload)


# Normalization ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_type", "payment_status", "kind"),
    [
        ("checkout.session.completed", "paid", EventKind.PAYMENT_SUCCEEDED),
        ("checkout.session.completed", "no_payment_required", EventKind.PAYMENT_SUCCEEDED),
        ("checkout.session.completed", "unpaid", EventKind.PAYMENT_PROCESSING),
        ("checkout.session.async_payment_succeeded", "paid", EventKind.PAYMENT_SUCCEEDED),
        ("checkout.session.async_payment_failed", "unpaid", EventKind.PAYMENT_FAILED),
        ("checkout.session.expired", "unpaid", EventKind.PAYMENT_EXPIRED),
    ],
)
def test_session_events(gateway, event_type, payment_status, kind):
    session = sp.checkout_session(
        status="expired" if kind is EventKind.PAYMENT_EXPIRED else "complete",
        payment_status=payment_status,
        payment_intent="pi_test_9",
        payment_id=PAYMENT_ID,
        amount_total=125000,
        currency="usd",
    )

    event = _parse(gateway, sp.event(event_type, session))

    assert event.kind is kind
    assert event.payment_id == PAYMENT_ID
    assert event.session_id == session["id"]
    assert event.payment_reference == "pi_test_9"
    assert event.amount == Decimal("1250.00")
    assert event.currency == "USD"


@pytest.mark.parametrize(
    ("amount_total", "currency", "amount"),
    [(5000, "jpy", Decimal(5000)), (12340, "kwd", Decimal("12.340")), (1500000, "isk", Decimal(15000))],
)
def test_session_amounts_come_back_in_major_units(gateway, amount_total, currency, amount):
    session = sp.checkout_session(status="complete", payment_status="paid", amount_total=amount_total, currency=currency)

    event = _parse(gateway, sp.event("checkout.session.completed", session))

    assert event.amount == amount
    assert event.currency == currency.upper()


def test_the_payment_id_falls_back_on_metadata(gateway):
    session = sp.checkout_session(status="complete", payment_status="paid", client_reference_id="", metadata={"trackify_payment_id": PAYMENT_ID})

    assert _parse(gateway, sp.event("checkout.session.completed", session)).payment_id == PAYMENT_ID


def test_a_session_from_elsewhere_has_no_payment_id(gateway):
    session = sp.checkout_session(status="complete", payment_status="paid", payment_intent=None)

    event = _parse(gateway, sp.event("checkout.session.completed", session))

    assert event.payment_id is None and event.payment_reference is None


def test_payment_failed(gateway):
    intent = sp.payment_intent(
        id="pi_test_f",
        status="requires_payment_method",
        payment_id=PAYMENT_ID,
        last_payment_error={"code": "card_declined", "message": "Your card was declined."},
    )

    event = _parse(gateway, sp.event("payment_intent.payment_failed", intent))

    assert event.kind is EventKind.PAYMENT_FAILED
    assert event.payment_id == PAYMENT_ID
    assert event.payment_reference == "pi_test_f"
    assert event.session_id is None
    assert event.failure_message == "Your card was declined."


def test_payment_canceled(gateway):
    intent = sp.payment_intent(id="pi_test_c", status="canceled", payment_id=PAYMENT_ID, cancellation_reason="abandoned")

    event = _parse(gateway, sp.event("payment_intent.canceled", intent))

    assert event.kind is EventKind.PAYMENT_CANCELED
    assert event.payment_reference == "pi_test_c"
    assert event.payment_id == PAYMENT_ID


def test_charge_refunded_with_its_refunds(gateway):
    refund = sp.refund(id="re_1", amount=10050, payment_intent="pi_test_r", refund_id=REFUND_ID)
    charge = sp.charge(payment_intent="pi_test_r", amount_refunded=10050, refunds=[refund])

    event = _parse(gateway, sp.event("charge.refunded", charge))

    assert event.kind is EventKind.REFUNDS_UPDATED
    assert event.payment_reference == "pi_test_r"
    assert event.refunds == (
        RefundSnapshot(refund_id="re_1", amount=Decimal("100.50"), currency="USD", status="succeeded", our_refund_id=REFUND_ID, reason="requested_by_customer"),
    )


def test_charge_refunded_without_the_refunds_list(gateway):
    # Current API versions leave charge.refunds out: the service reads them with retrieve_payment.
    event = _parse(gateway, sp.event("charge.refunded", sp.charge(payment_intent="pi_test_r", amount_refunded=500)))

    assert event.kind is EventKind.REFUNDS_UPDATED
    assert event.payment_reference == "pi_test_r"
    assert event.refunds == ()


@pytest.mark.parametrize(
    ("event_type", "stripe_status", "status"),
    [
        ("refund.created", "pending", "pending"),
        ("refund.updated", "succeeded", "succeeded"),
        ("refund.updated", "requires_action", "pending"),
        ("refund.failed", "failed", "failed"),
        ("charge.refund.updated", "canceled", "canceled"),
    ],
)
def test_refund_events(gateway, event_type, stripe_status, status):
    failure = "lost_or_stolen_card" if stripe_status == "failed" else None
    refund = sp.refund(id="re_9", amount=2000, currency="eur", status=stripe_status, payment_intent="pi_test_r", refund_id=REFUND_ID, payment_id=PAYMENT_ID, failure_reason=failure)

    event = _parse(gateway, sp.event(event_type, refund))

    assert event.kind is EventKind.REFUNDS_UPDATED
    assert event.payment_reference == "pi_test_r"
    assert event.payment_id == PAYMENT_ID
    assert event.refunds == (
        RefundSnapshot(
            refund_id="re_9",
            amount=Decimal("20.00"),
            currency="EUR",
            status=status,
            our_refund_id=REFUND_ID,
            reason="requested_by_customer",
            failure_reason=failure or "",
        ),
    )


def test_a_refund_made_in_the_dashboard_has_no_refund_id_of_ours(gateway):
    refund = sp.refund(id="re_dash", payment_intent="pi_test_r", reason=None)

    (snapshot,) = _parse(gateway, sp.event("refund.created", refund)).refunds

    assert snapshot.our_refund_id is None and snapshot.reason == ""


@pytest.mark.parametrize("event_type", ["customer.created", "payment_intent.succeeded", "checkout.session.async_payment_pending", "plan.created"])
def test_other_events_are_ignored(gateway, event_type):
    event = _parse(gateway, sp.event(event_type, {"id": "obj_1", "object": "thing"}))

    assert event.kind is EventKind.IGNORED
    assert event.payment_id is None and event.refunds == ()
