"""Autopay against the fake Stripe (over HTTP): the checkout asks Stripe to save the method, the
paid session's customer and method are read back, and off-session PaymentIntents charge later
invoices, with declines retried and authentication falling back to the link."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from werkzeug import Response

from invoices.models import Invoice
from notifications.models import EmailMessageLog
from payments.models import InvoicePayment
from payments.services import configs
from payments.tests.gateways import stripe_payloads as sp
from payments.tests.gateways.fake_stripe import FakeStripe
from recurring.autopay import enroll_from_payment, run_due_charges
from recurring.models import AutopayCharge
from recurring.services import issue_due

pytestmark = pytest.mark.django_db

KEYS = {
    "secret_key": "sk_test_51TrackifyAccountOne0000000000000000004242",
    "publishable_key": "pk_test_51TrackifyAccountOne0000000000000000004242",
    "webhook_secret": "whsec_trackifytestsecret0000000000000001",
}
DECLINES = {
    "pm_card_chargeDeclined": "card_declined",
    "pm_card_authenticationRequired": "authentication_required",
}


class AutopayStripe(FakeStripe):
    """The fake, plus Checkout Session creation and off-session PaymentIntents. A method named
    ``pm_card_declineOnce`` is declined the first time only."""

    def __init__(self) -> None:
        super().__init__()
        self.charged: list[dict[str, list[str]]] = []

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("POST", r"/v1/checkout/sessions", self._create_session),
            ("POST", r"/v1/payment_intents", self._create_intent),
            *super()._routes(),
        ]

    def _create_session(self, key: str, form: dict[str, list[str]]) -> Response:
        session = sp.checkout_session(payment_id=form["client_reference_id"][0], amount_total=25000)
        session["url"] = f"https://checkout.stripe.test/{session['id']}"
        self.sessions[session["id"]] = session
        return self._json(session)

    def _create_intent(self, key: str, form: dict[str, list[str]]) -> Response:
        self.charged.append(form)
        method = form["payment_method"][0]
        code = DECLINES.get(method)
        if method == "pm_card_declineOnce" and sum(f["payment_method"][0] == method for f in self.charged) == 1:
            code = "card_declined"
        intent = sp.payment_intent(
            amount=int(form["amount"][0]), status="requires_payment_method" if code else "succeeded"
        )
        self.intents[intent["id"]] = intent
        if code:
            error = sp.error(
                "Your card was declined." if code == "card_declined" else "Authentication required.",
                type="card_error",
                code=code,
            )
            error["error"]["payment_intent"] = intent
            return self._json(error, 402)
        return self._json(intent)

    def complete_with_saved_card(self, session_id: str) -> None:
        """The payer paid on Stripe's page; Stripe created the customer and kept the method."""
        session = self.sessions[session_id]
        intent = sp.payment_intent(amount=25000, payment_id=session["client_reference_id"])
        intent.update(setup_future_usage="off_session", payment_method="pm_card_visa", customer="cus_client1")
        intent["latest_charge"] = {
            **sp.charge(payment_intent=intent["id"], amount=25000),
            "payment_method_details": {"card": {"brand": "visa", "last4": "4242"}},
            "balance_transaction": None,
        }
        self.intents[intent["id"]] = intent
        session.update(status="complete", payment_status="paid", payment_intent=intent["id"], customer="cus_client1")


@pytest.fixture
def stripe_fake(httpserver, settings) -> AutopayStripe:  # type: ignore[no-untyped-def]
    import re

    fake = AutopayStripe()
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request(re.compile(r"/v1/.*")).respond_with_handler(fake.handle)
    return fake


@pytest.fixture
def stripe_config(owner, stripe_fake):  # type: ignore[no-untyped-def]
    return configs.create_config(owner=owner, gateway_name="stripe", credentials=KEYS)


def _template_on_autopay(make_template, config, method: str):  # type: ignore[no-untyped-def]
    today = timezone.now().date()
    template = make_template(start_date=today, interval="month")
    template.autopay, template.autopay_config_id = True, config.pk
    template.autopay_customer_id, template.autopay_method_id = "cus_client1", method
    template.save()
    return template


def test_checkout_asks_stripe_to_save_the_method_and_the_paid_session_enrols_the_template(
    make_template, stripe_config, stripe_fake
):
    from payments.services import PaymentService

    template = make_template(start_date=timezone.now().date())
    issue_due()
    invoice = Invoice.objects.get(recurring_invoice=template)

    result = PaymentService().create_checkout(public_id=invoice.public_id, save_payment_method=True)

    form = next(f for m, p, f in stripe_fake.requests if p == "/v1/checkout/sessions")
    assert form["customer_creation"] == ["always"]
    assert form["payment_intent_data[setup_future_usage]"] == ["off_session"]
    stripe_fake.complete_with_saved_card(result.payment.gateway_session_id)
    template = enroll_from_payment(payment_id=result.payment.pk)
    assert template is not None
    assert (template.autopay, template.autopay_customer_id, template.autopay_method_id) == (
        True,
        "cus_client1",
        "pm_card_visa",
    )
    assert template.autopay_method_label == "visa 4242"


def test_a_checkout_without_consent_does_not_ask_to_save(make_template, stripe_config, stripe_fake):
    from payments.services import PaymentService

    make_template(start_date=timezone.now().date())
    issue_due()
    PaymentService().create_checkout(public_id=Invoice.objects.get().public_id)

    form = next(f for m, p, f in stripe_fake.requests if p == "/v1/checkout/sessions")
    assert "customer_creation" not in form
    assert "payment_intent_data[setup_future_usage]" not in form


def test_an_off_session_charge_pays_the_invoice(make_template, stripe_config, stripe_fake, httpserver):
    template = _template_on_autopay(make_template, stripe_config, "pm_card_visa")

    issue_due()

    invoice = Invoice.objects.get(recurring_invoice=template)
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("250.00"))
    (form,) = stripe_fake.charged
    assert (form["confirm"], form["off_session"], form["customer"], form["amount"]) == (
        ["true"],
        ["true"],
        ["cus_client1"],
        ["25000"],
    )
    charge = AutopayCharge.objects.get(invoice=invoice)
    assert charge.status == "succeeded"
    (sent,) = [req for req, _ in httpserver.log if req.path == "/v1/payment_intents"]
    assert sent.headers["Idempotency-Key"] == f"trk-auto-{charge.pk.hex}-1"


def test_a_stripe_decline_is_retried_and_recovers(make_template, stripe_config, stripe_fake):
    template = _template_on_autopay(make_template, stripe_config, "pm_card_declineOnce")
    issue_due()
    invoice = Invoice.objects.get(recurring_invoice=template)
    charge = AutopayCharge.objects.get(invoice=invoice)
    assert (charge.status, charge.last_error) == ("retrying", "Your card was declined.")

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=5)):
        assert run_due_charges() == 1

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("250.00"))
    assert len(stripe_fake.charged) == 2
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 2


def test_stripe_authentication_required_falls_back_to_the_emailed_link(make_template, stripe_config, stripe_fake):
    template = _template_on_autopay(make_template, stripe_config, "pm_card_authenticationRequired")

    issue_due()

    invoice = Invoice.objects.get(recurring_invoice=template)
    charge = AutopayCharge.objects.get(invoice=invoice)
    assert (charge.status, charge.attempts) == ("gave_up", 1)
    assert invoice.status == "sent"
    assert EmailMessageLog.objects.filter(invoice=invoice, kind="invoice", to="billing@acme.example").count() == 2
    assert len(stripe_fake.charged) == 1


def test_the_gateway_reports_the_capability():
    from payments.gateways.base import PaymentGatewayBase
    from payments.gateways.registry import get

    assert get("stripe").supports_saved_payment_methods is True
    assert get("sandbox").supports_saved_payment_methods is True
    assert PaymentGatewayBase.supports_saved_payment_methods is False  # others keep plain links
