"""StripeGateway: reading a payment's status, refunding, and verifying keys, over real HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payments.errors import (
    GatewayCredentialsInvalid,
    GatewayError,
    GatewayRequestRejected,
    InvalidAmount,
    RefundNotAllowed,
)
from payments.gateways.base import Fee, RefundRequest, RefundSnapshot
from payments.gateways.stripe import StripeGateway
from payments.tests.gateways import stripe_payloads as sp

PAYMENT_ID = "0b9a3f5e-7c2d-4e1a-9f00-000000000101"
REFUND_ID = "9d8c7b6a-5e4f-4a3b-8c2d-000000000301"


def _session_with_refunds(stripe_api, session, refunds=()):
    stripe_api.expect_request(f"/v1/checkout/sessions/{session['id']}", method="GET").respond_with_json(session)
    stripe_api.expect_request("/v1/refunds", method="GET").respond_with_json(sp.list_of(list(refunds), url="/v1/refunds"))


@pytest.mark.parametrize(
    ("status", "payment_status", "pi", "expected"),
    [
        ("open", "unpaid", None, "pending"),
        ("complete", "paid", {"status": "succeeded"}, "succeeded"),
        ("complete", "no_payment_required", None, "succeeded"),
        ("complete", "unpaid", {"status": "processing"}, "processing"),
        ("expired", "unpaid", None, "expired"),
        ("open", "unpaid", {"status": "canceled"}, "canceled"),
        (
            "complete",
            "unpaid",
            {"status": "requires_payment_method", "last_payment_error": {"message": "The bank account was closed."}},
            "failed",
        ),
        # A declined card inside an open session: the payer may still try another one.
        ("open", "unpaid", {"status": "requires_payment_method", "last_payment_error": {"message": "Declined"}}, "pending"),
    ],
)
def test_retrieve_payment_maps_the_session_and_payment_intent(stripe_api, gateway, status, payment_status, pi, expected):
    intent = sp.payment_intent(id="pi_test_1", payment_id=PAYMENT_ID, **pi) if pi else None
    session = sp.checkout_session(status=status, payment_status=payment_status, payment_intent=intent, payment_id=PAYMENT_ID)
    _session_with_refunds(stripe_api, session)

    snapshot = gateway.retrieve_payment(session_id=session["id"])

    assert snapshot.status == expected
    assert snapshot.session_id == session["id"]
    assert snapshot.amount == Decimal("1250.00")
    assert snapshot.currency == "USD"
    assert snapshot.payment_reference == ("pi_test_1" if pi else None)
    if expected == "failed":
        assert snapshot.failure_message == "The bank account was closed."


def test_retrieve_payment_expands_the_payment_intent_and_lists_its_refunds(stripe_api, gateway):
    intent = sp.payment_intent(id="pi_test_2", amount=500000, currency="jpy")
    session = sp.checkout_session(status="complete", payment_status="paid", payment_intent=intent, amount_total=500000, currency="jpy")
    ours = sp.refund(id="re_1", amount=1000, currency="jpy", payment_intent="pi_test_2", refund_id=REFUND_ID, reason_text="Late delivery")
    dashboard = sp.refund(id="re_2", amount=500, currency="jpy", status="pending", payment_intent="pi_test_2", reason=None)
    _session_with_refunds(stripe_api, session, [ours, dashboard])

    snapshot = gateway.retrieve_payment(session_id=session["id"])

    session_request = stripe_api.log[0][0]
    # The charge's balance transaction carries the fee; each refund's carries its own.
    assert session_request.args.to_dict() == {"expand[0]": "payment_intent.latest_charge.balance_transaction"}
    refunds_request = stripe_api.log[1][0]
    assert refunds_request.args["payment_intent"] == "pi_test_2"
    assert refunds_request.args["expand[0]"] == "data.balance_transaction"
    assert snapshot.amount == Decimal(500000) and snapshot.currency == "JPY"
    assert snapshot.refunds == (
        RefundSnapshot(refund_id="re_1", amount=Decimal(1000), currency="JPY", status="succeeded", our_refund_id=REFUND_ID, reason="Late delivery"),
        RefundSnapshot(refund_id="re_2", amount=Decimal(500), currency="JPY", status="pending"),
    )


def test_fees_come_from_the_expanded_balance_transactions(stripe_api, gateway):
    intent = sp.payment_intent(id="pi_test_fee", amount=125000)
    charge = sp.charge(payment_intent="pi_test_fee", amount=125000)
    # Settled in EUR: the fee and net are in the account's currency, not the invoice's.
    charge["balance_transaction"] = {"id": "txn_1", "object": "balance_transaction", "amount": 115000, "currency": "eur", "fee": 3365, "net": 111635}
    intent["latest_charge"] = charge
    session = sp.checkout_session(status="complete", payment_status="paid", payment_intent=intent)
    refund = sp.refund(id="re_fee", amount=5000, payment_intent="pi_test_fee")
    refund["balance_transaction"] = {"id": "txn_2", "object": "balance_transaction", "amount": -4600, "currency": "eur", "fee": 0, "net": -4600}
    _session_with_refunds(stripe_api, session, [refund])

    snapshot = gateway.retrieve_payment(session_id=session["id"])

    assert snapshot.fee == Fee(fee=Decimal("33.65"), net=Decimal("1116.35"), currency="EUR")
    assert snapshot.refunds[0].fee == Fee(fee=Decimal("0.00"), net=Decimal("-46.00"), currency="EUR")


def test_retrieve_payment_of_an_unknown_session_is_rejected(stripe_api, gateway):
    stripe_api.expect_request("/v1/checkout/sessions/cs_test_gone").respond_with_json(
        sp.error("No such checkout.session: 'cs_test_gone'", code="resource_missing", param="session"), status=404
    )

    with pytest.raises(GatewayRequestRejected, match="No such checkout"):
        gateway.retrieve_payment(session_id="cs_test_gone")


def _refund_request(**overrides) -> RefundRequest:
    values = {
        "refund_id": REFUND_ID,
        "payment_id": PAYMENT_ID,
        "session_id": "cs_test_paid",
        "payment_reference": "pi_test_paid",
        "amount": Decimal("100.50"),
        "currency": "USD",
        "reason": "Client returned one item",
        "idempotency_key": f"refund-{REFUND_ID}",
    }
    values.update(overrides)
    return RefundRequest(**values)


def test_refund_sends_the_payment_intent_amount_metadata_and_idempotency_key(stripe_api, gateway):
    stripe_api.expect_request("/v1/refunds", method="POST").respond_with_json(
        sp.refund(id="re_new", amount=10050, payment_intent="pi_test_paid", refund_id=REFUND_ID, payment_id=PAYMENT_ID, status="pending", reason_text="Client returned one item")
    )

    result = gateway.refund(_refund_request())

    request, _ = stripe_api.log[-1]
    assert request.headers["Idempotency-Key"] == f"refund-{REFUND_ID}"
    assert request.form.to_dict() == {
        "payment_intent": "pi_test_paid",
        "amount": "10050",
        "metadata[trackify_refund_id]": REFUND_ID,
        "metadata[trackify_payment_id]": PAYMENT_ID,
        "metadata[reason]": "Client returned one item",
        "reason": "requested_by_customer",
        "expand[0]": "balance_transaction",
    }
    assert result == RefundSnapshot(
        refund_id="re_new", amount=Decimal("100.50"), currency="USD", status="pending", our_refund_id=REFUND_ID, reason="Client returned one item"
    )


def test_a_stripe_reason_value_is_passed_on(stripe_api, gateway):
    stripe_api.expect_request("/v1/refunds", method="POST").respond_with_json(sp.refund())

    gateway.refund(_refund_request(reason="duplicate"))

    assert stripe_api.log[-1][0].form["reason"] == "duplicate"


def test_refund_without_a_known_payment_intent_reads_it_from_the_session(stripe_api, gateway):
    session = sp.checkout_session(id="cs_test_paid", status="complete", payment_status="paid", payment_intent="pi_from_session")
    stripe_api.expect_request("/v1/checkout/sessions/cs_test_paid", method="GET").respond_with_json(session)
    stripe_api.expect_request("/v1/refunds", method="POST").respond_with_json(sp.refund(payment_intent="pi_from_session"))

    gateway.refund(_refund_request(payment_reference=None))

    assert stripe_api.log[-1][0].form["payment_intent"] == "pi_from_session"


def test_refund_of_a_session_without_payment_is_not_allowed(stripe_api, gateway):
    stripe_api.expect_request("/v1/checkout/sessions/cs_test_paid").respond_with_json(sp.checkout_session(id="cs_test_paid"))

    with pytest.raises(RefundNotAllowed):
        gateway.refund(_refund_request(payment_reference=None))


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [("pending", "pending"), ("requires_action", "pending"), ("succeeded", "succeeded"), ("failed", "failed"), ("canceled", "canceled")],
)
def test_refund_status_mapping(stripe_api, gateway, stripe_status, ours):
    stripe_api.expect_request("/v1/refunds/re_x", method="GET").respond_with_json(
        sp.refund(id="re_x", status=stripe_status, failure_reason="expired_or_canceled_card" if stripe_status == "failed" else None)
    )

    snapshot = gateway.retrieve_refund(refund_id="re_x")

    assert snapshot.status == ours
    assert snapshot.failure_reason == ("expired_or_canceled_card" if stripe_status == "failed" else "")


@pytest.mark.parametrize(
    ("code", "param", "error_class"),
    [
        ("charge_already_refunded", None, RefundNotAllowed),
        ("amount_too_large", "amount", InvalidAmount),
        ("parameter_invalid_integer", "metadata", GatewayRequestRejected),
    ],
)
def test_refund_errors(stripe_api, gateway, code, param, error_class):
    stripe_api.expect_request("/v1/refunds", method="POST").respond_with_json(sp.error("Stripe says no.", code=code, param=param), status=400)

    with pytest.raises(error_class, match="Stripe says no"):
        gateway.refund(_refund_request())


def test_a_card_error_on_refund_is_a_rejection(stripe_api, gateway):
    stripe_api.expect_request("/v1/refunds", method="POST").respond_with_json(
        sp.error("This card cannot receive refunds.", type="card_error", code="card_declined"), status=402
    )

    with pytest.raises(GatewayRequestRejected, match="cannot receive refunds"):
        gateway.refund(_refund_request())


def test_refund_amount_with_a_third_decimal_stripe_cannot_move_is_refused_before_any_request(stripe_api, gateway):
    with pytest.raises(InvalidAmount):
        gateway.refund(_refund_request(amount=Decimal("1.005"), currency="KWD"))

    assert stripe_api.log == []


def test_verify_credentials_reports_the_mode(stripe_api, gateway):
    stripe_api.expect_request("/v1/balance", method="GET").respond_with_json(sp.balance(livemode=False))

    assert gateway.verify_credentials() == {"livemode": False, "mode": "test"}


@pytest.mark.parametrize(("status", "error_class"), [(401, GatewayCredentialsInvalid), (403, GatewayCredentialsInvalid), (500, GatewayError)])
def test_verify_credentials_failures(stripe_api, gateway, monkeypatch, status, error_class):
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)
    stripe_api.expect_request("/v1/balance").respond_with_json(sp.error("No.", type="invalid_request_error"), status=status)

    with pytest.raises(error_class):
        gateway.verify_credentials()


def test_verify_credentials_without_a_reachable_stripe(settings, make_gateway, monkeypatch):
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port

    with pytest.raises(GatewayError) as caught:
        make_gateway().verify_credentials()

    assert caught.value.outcome_unknown is True


def test_retrieve_payment_reads_every_page_of_refunds(stripe_api, gateway):
    intent = sp.payment_intent(id="pi_test_many")
    session = sp.checkout_session(status="complete", payment_status="paid", payment_intent=intent)
    first = [sp.refund(id=f"re_{n}", amount=100, payment_intent="pi_test_many") for n in range(2)]
    second = [sp.refund(id="re_last", amount=100, payment_intent="pi_test_many")]
    stripe_api.expect_request(f"/v1/checkout/sessions/{session['id']}").respond_with_json(session)
    stripe_api.expect_oneshot_request("/v1/refunds").respond_with_json(sp.list_of(first, url="/v1/refunds", has_more=True))
    stripe_api.expect_oneshot_request("/v1/refunds").respond_with_json(sp.list_of(second, url="/v1/refunds"))

    snapshot = gateway.retrieve_payment(session_id=session["id"])

    assert [refund.refund_id for refund in snapshot.refunds] == ["re_0", "re_1", "re_last"]
    assert stripe_api.log[-1][0].args["starting_after"] == "re_1"
