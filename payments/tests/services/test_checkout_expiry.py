"""Voiding an invoice, or taking its payment link back, closes its open checkouts at the gateway
(``payments.services.closing`` run by ``payments.tasks.close_invoice_checkouts``): the fake
Stripe over HTTP and the sandbox's own checkout page show the checkout can no longer be paid,
and a payer who completed it first is recorded as paid."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from werkzeug import Response

from activity.models import ActivityEvent, ActivityKind
from invoices.links import regenerate_link, revoke_link
from invoices.services import void_invoice
from payments.gateways.sandbox import SandboxGateway
from payments.gateways.stripe import StripeGateway
from payments.models import InvoicePayment
from payments.services import configs
from payments.services.checkout import create_checkout
from payments.services.closing import close_checkouts
from payments.tests.gateways import stripe_payloads as sp
from payments.tests.gateways.fake_stripe import FakeStripe
from sandbox.models import SandboxSession

pytestmark = pytest.mark.django_db

KEYS = {
    "secret_key": "sk_test_51TrackifyAccountOne0000000000000000004242",
    "publishable_key": "pk_test_51TrackifyAccountOne0000000000000000004242",
    "webhook_secret": "whsec_trackifytestsecret0000000000000001",
}


class ExpiringStripe(FakeStripe):
    """The fake, plus opening Checkout Sessions and expiring them as Stripe does: only an open
    session can be expired; any other answers 400. ``fail_expires`` answers that many expire
    calls 500 first (Stripe unreachable)."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_expires = 0

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("POST", r"/v1/checkout/sessions", self._create_session),
            ("POST", r"/v1/checkout/sessions/([^/]+)/expire", self._expire),
            *super()._routes(),
        ]

    def _create_session(self, key: str, form: dict[str, list[str]]) -> Response:
        session = sp.checkout_session(
            payment_id=form["client_reference_id"][0],
            amount_total=int(form["line_items[0][price_data][unit_amount]"][0]),
        )
        session["url"] = f"https://checkout.stripe.test/{session['id']}"
        self.sessions[session["id"]] = session
        return self._json(session)

    def _expire(self, key: str, form: Any, session_id: str) -> Response:
        if self.fail_expires:
            self.fail_expires -= 1
            return self._json(sp.error("Stripe is having a moment", type="api_error"), 500)
        session = self.sessions[session_id]
        if session["status"] != "open":
            message = f'Only Checkout Sessions with a status in ["open"] can be expired. This one is `{session["status"]}`.'
            return self._json(sp.error(message), 400)
        session["status"] = "expired"
        return self._json(session)

    def payer_completes(self, session_id: str) -> None:
        """The payer pays in Stripe's page: the session completes with a PaymentIntent."""
        session = self.sessions[session_id]
        intent = sp.payment_intent(amount=session["amount_total"], currency=session["currency"])
        self.intents[intent["id"]] = intent
        session.update(status="complete", payment_status="paid", payment_intent=intent["id"])

    def expire_calls(self) -> list[str]:
        return [path for method, path, _ in self.requests if method == "POST" and path.endswith("/expire")]


@pytest.fixture
def stripe_fake(httpserver, settings) -> ExpiringStripe:  # type: ignore[no-untyped-def]
    fake = ExpiringStripe()
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request(re.compile(r"/v1/.*")).respond_with_handler(fake.handle)
    return fake


@pytest.fixture
def stripe_checkout(owner, invoice, stripe_fake) -> InvoicePayment:
    """A Stripe checkout open for the whole invoice (100.00 USD)."""
    config = configs.create_config(owner=owner, gateway_name="stripe", credentials=KEYS)
    payment = create_checkout(invoice_id=invoice.pk, gateway_config_id=config.pk).payment
    assert payment.gateway_session_id in stripe_fake.sessions
    return payment


def closed_on_timeline(invoice) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return [e.details for e in ActivityEvent.objects.filter(invoice=invoice, kind=ActivityKind.CHECKOUT_CLOSED)]


# Stripe ------------------------------------------------------------------------------------


def test_voiding_expires_the_open_stripe_checkout(invoice, stripe_checkout, stripe_fake):
    void_invoice(invoice=invoice)

    assert stripe_fake.expire_calls() == [f"/v1/checkout/sessions/{stripe_checkout.gateway_session_id}/expire"]
    assert stripe_fake.sessions[stripe_checkout.gateway_session_id]["status"] == "expired"
    stripe_checkout.refresh_from_db()
    assert (stripe_checkout.status, stripe_checkout.failure_message) == ("canceled", "The invoice was voided.")
    (closed,) = closed_on_timeline(invoice)
    assert closed == {
        "amount": "100.00", "currency": "USD", "gateway": "stripe",
        "reason": "The invoice was voided.", "closed_at_gateway": True,
    }


def test_a_payer_who_completed_just_before_the_void_is_recorded_as_paid(invoice, stripe_checkout, stripe_fake):
    stripe_fake.payer_completes(stripe_checkout.gateway_session_id)  # the webhook has not arrived yet

    void_invoice(invoice=invoice)

    assert len(stripe_fake.expire_calls()) == 1  # refused by Stripe (complete), then read back
    stripe_checkout.refresh_from_db()
    assert stripe_checkout.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("void", Decimal("100.00"))
    assert closed_on_timeline(invoice) == []
    assert ActivityEvent.objects.filter(invoice=invoice, kind=ActivityKind.PAID).count() == 1


def test_stripe_unreachable_is_tried_again_by_the_task(invoice, stripe_checkout, stripe_fake, monkeypatch):
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)  # one HTTP call per try
    stripe_fake.fail_expires = 1

    void_invoice(invoice=invoice)

    assert len(stripe_fake.expire_calls()) == 2
    stripe_checkout.refresh_from_db()
    assert stripe_checkout.status == "canceled"
    assert stripe_fake.sessions[stripe_checkout.gateway_session_id]["status"] == "expired"
    assert [c["closed_at_gateway"] for c in closed_on_timeline(invoice)] == [True]


def test_the_checkout_stays_open_while_tries_are_left_then_is_closed_on_our_side(
    invoice, stripe_checkout, stripe_fake, monkeypatch
):
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)
    stripe_fake.down = True
    invoice.status = "void"
    invoice.save(update_fields=["status"])

    early = close_checkouts(invoice.pk, reason="voided", last_try=False)
    stripe_checkout.refresh_from_db()
    assert (early.unreachable, stripe_checkout.status) == ([str(stripe_checkout.pk)], "pending")

    last = close_checkouts(invoice.pk, reason="voided", last_try=True)
    stripe_checkout.refresh_from_db()
    assert (last.closed, stripe_checkout.status) == (1, "canceled")
    assert [c["closed_at_gateway"] for c in closed_on_timeline(invoice)] == [False]


def test_a_void_with_stripe_down_for_every_try_is_closed_on_our_side(invoice, stripe_checkout, stripe_fake, monkeypatch):
    monkeypatch.setattr(StripeGateway, "max_network_retries", 0)
    stripe_fake.fail_expires = 10

    voided = void_invoice(invoice=invoice)

    assert voided.status == "void"
    assert len(stripe_fake.expire_calls()) == 2  # without a broker: the first try and one more
    stripe_checkout.refresh_from_db()
    assert (stripe_checkout.status, stripe_checkout.failure_message) == ("canceled", "The invoice was voided.")


# The sandbox -------------------------------------------------------------------------------


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_voiding_expires_the_sandbox_checkout_its_page_answers_410(owner, invoice, checkout):
    payment = create_checkout(public_id=invoice.public_id).payment
    payer = Client()

    void_invoice(invoice=invoice)

    page = payer.get(path_of(payment.checkout_url))
    paying = payer.post(path_of(payment.checkout_url), {"outcome": "pay"})
    assert (page.status_code, paying.status_code) == (410, 410)
    assert "This checkout has expired." in page.content.decode()
    assert SandboxSession.objects.get(pk=payment.gateway_session_id).payment_status == "unpaid"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("canceled", Decimal("0"))
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("void", Decimal("0"))


def test_the_gateway_is_called_outside_any_transaction(owner, invoice, monkeypatch):
    payment = create_checkout(public_id=invoice.public_id).payment
    depth = len(connection.atomic_blocks)
    seen: list[int] = []
    original = SandboxGateway.expire_checkout

    def expire(self, *, session_id):  # type: ignore[no-untyped-def]
        seen.append(len(connection.atomic_blocks))
        return original(self, session_id=session_id)

    monkeypatch.setattr(SandboxGateway, "expire_checkout", expire)
    void_invoice(invoice=invoice)

    assert seen == [depth]
    payment.refresh_from_db()
    assert payment.status == "canceled"


def test_revoking_the_link_closes_the_checkout_opened_through_it(owner, invoice):
    payment = create_checkout(public_id=invoice.public_id).payment

    revoke_link(invoice=invoice)

    assert Client().get(path_of(payment.checkout_url)).status_code == 410
    payment.refresh_from_db()
    assert (payment.status, payment.failure_message) == ("canceled", "The payment link was turned off.")
    assert [c["reason"] for c in closed_on_timeline(invoice)] == ["The payment link was turned off."]


def test_replacing_the_link_closes_the_old_links_checkouts_not_the_new_ones(owner, invoice, checkout):
    old = create_checkout(public_id=invoice.public_id).payment

    invoice = regenerate_link(invoice=invoice)
    new = create_checkout(public_id=invoice.public_id).payment

    old.refresh_from_db()
    assert (old.status, old.failure_message) == ("canceled", "The payment link was replaced.")
    assert Client().get(path_of(old.checkout_url)).status_code == 410
    checkout.pay(new.checkout_url)
    new.refresh_from_db()
    assert new.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))
