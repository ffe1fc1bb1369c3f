"""Disputes and fees of a Stripe payment, from signed webhooks and status reads over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from invoices.factories import InvoiceFactory
from payments.factories import PaymentFactory
from payments.models import PaymentGatewayConfig
from payments.state import PaymentStatus
from payments.tests.gateways import stripe_payloads as sp
from payments.tests.gateways.conftest import PUBLISHABLE_KEY, TEST_SECRET_KEY
from payments.transitions import recompute_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def stripe_config(owner_client, fake_stripe):  # type: ignore[no-untyped-def]
    body = owner_client.post(
        "/api/payment/gateways/",
        {"gateway_name": "stripe", "credentials": {"secret_key": TEST_SECRET_KEY, "publishable_key": PUBLISHABLE_KEY}},
        format="json",
    ).json()
    return PaymentGatewayConfig.objects.get(pk=body["id"])


@pytest.fixture
def paid(owner, stripe_config, fake_stripe):  # type: ignore[no-untyped-def]
    """A USD 1250.00 invoice paid in full through Stripe (Stripe took 36.55)."""
    invoice = InvoiceFactory(owner=owner, items=[("Retainer", 1, "1250.00")])
    payment = PaymentFactory(invoice=invoice, gateway_config=stripe_config, gateway_name="stripe", status=PaymentStatus.PENDING)
    session, charge = fake_stripe.paid_session(payment_id=str(payment.pk), amount=125000, fee=3655)
    payment.gateway_session_id = session["id"]
    payment.save()
    recompute_invoice(invoice.pk)
    return payment, charge


def deliver(client, config, event_type, obj, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    body = sp.encode(sp.event(event_type, obj))
    secret = config.get_credentials()["webhook_secret"].split(",")[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/payment/webhook/stripe/{config.pk}/", body, content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sp.sign(body, secret),
        )
    assert response.status_code == 200, response.content
    return response


def payments_of(client, invoice_id):  # type: ignore[no-untyped-def]
    listed = client.get(f"/api/payment/invoice/{invoice_id}/payments/").json()
    return listed["results"] if isinstance(listed, dict) else listed


def test_the_charge_event_records_the_fee_from_its_balance_transaction(
    owner_client, stripe_config, paid, django_capture_on_commit_callbacks
):
    payment, charge = paid

    deliver(owner_client, stripe_config, "charge.succeeded", charge, django_capture_on_commit_callbacks)

    (shown,) = payments_of(owner_client, payment.invoice_id)
    assert shown["status"] == "succeeded"
    assert (shown["fee"], shown["net"], shown["fee_currency"]) == ("36.55", "1213.45", "USD")
    assert owner_client.get(f"/api/invoices/{payment.invoice_id}/").json()["amount_paid"] == "1250.00"


def test_a_status_read_records_the_fee_too(stripe_config, paid):
    from payments.services import PaymentService

    payment, _ = paid
    PaymentService().refresh_if_due(payment=payment)
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert (payment.fee, payment.net, payment.fee_currency) == (Decimal("36.55"), Decimal("1213.45"), "USD")


def test_a_dispute_lifecycle_ending_lost(owner_client, stripe_config, paid, django_capture_on_commit_callbacks):
    payment, charge = paid
    deliver(owner_client, stripe_config, "charge.succeeded", charge, django_capture_on_commit_callbacks)
    due_by = int(datetime(2026, 12, 20, tzinfo=UTC).timestamp())
    dispute = sp.dispute(payment_intent=charge["payment_intent"], amount=125000, due_by=due_by)

    deliver(owner_client, stripe_config, "charge.dispute.created", dispute, django_capture_on_commit_callbacks)

    (shown,) = payments_of(owner_client, payment.invoice_id)
    assert [(d["amount"], d["reason"], d["status"]) for d in shown["disputes"]] == [("1250.00", "fraudulent", "needs_response")]
    assert shown["disputes"][0]["evidence_due_by"].startswith("2026-12-20")
    invoice = owner_client.get(f"/api/invoices/{payment.invoice_id}/").json()
    assert (invoice["amount_paid"], invoice["amount_disputed"], invoice["status"]) == ("1250.00", "0.00", "paid")

    deliver(owner_client, stripe_config, "charge.dispute.updated", {**dispute, "status": "under_review"}, django_capture_on_commit_callbacks)
    deliver(owner_client, stripe_config, "charge.dispute.closed", {**dispute, "status": "lost"}, django_capture_on_commit_callbacks)
    # A late, out-of-order update never reopens a decided dispute.
    deliver(owner_client, stripe_config, "charge.dispute.updated", {**dispute, "status": "under_review"}, django_capture_on_commit_callbacks)

    (shown,) = payments_of(owner_client, payment.invoice_id)
    assert [d["status"] for d in shown["disputes"]] == ["lost"]
    invoice = owner_client.get(f"/api/invoices/{payment.invoice_id}/").json()
    assert (invoice["amount_paid"], invoice["amount_disputed"]) == ("0.00", "1250.00")
    assert invoice["status"] == "sent"


def test_a_won_dispute_leaves_the_invoice_paid(owner_client, stripe_config, paid, django_capture_on_commit_callbacks):
    payment, charge = paid
    deliver(owner_client, stripe_config, "charge.succeeded", charge, django_capture_on_commit_callbacks)
    dispute = sp.dispute(payment_intent=charge["payment_intent"], amount=125000, status="won")

    deliver(owner_client, stripe_config, "charge.dispute.closed", dispute, django_capture_on_commit_callbacks)

    invoice = owner_client.get(f"/api/invoices/{payment.invoice_id}/").json()
    assert (invoice["amount_paid"], invoice["amount_disputed"], invoice["status"]) == ("1250.00", "0.00", "paid")


def test_the_admin_lists_open_disputes(admin_client, owner_client, stripe_config, paid, django_capture_on_commit_callbacks):
    payment, charge = paid
    deliver(owner_client, stripe_config, "charge.succeeded", charge, django_capture_on_commit_callbacks)
    deliver(
        owner_client, stripe_config, "charge.dispute.created",
        sp.dispute(id="dp_test_open1", payment_intent=charge["payment_intent"]), django_capture_on_commit_callbacks,
    )
    page = admin_client.get("/admin/payments/paymentdispute/?open=yes").content.decode()
    assert "dp_test_open1" in page and "1250.00" in page
    assert "dp_test_open1" not in admin_client.get("/admin/payments/paymentdispute/?open=no").content.decode()
    assert "fraudulent" in admin_client.get(f"/admin/payments/invoicepayment/{payment.pk}/change/").content.decode()


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [
        ("warning_needs_response", "needs_response"),
        ("warning_under_review", "under_review"),
        ("warning_closed", "warning_closed"),
        ("needs_response", "needs_response"),
        ("under_review", "under_review"),
        ("won", "won"),
        ("prevented", "won"),
        ("lost", "lost"),
    ],
)
def test_dispute_events_are_read_with_our_statuses(stripe_status, ours):
    from payments.gateways.base import EventKind
    from payments.gateways.stripe import events

    due_by = int(datetime(2026, 12, 20, tzinfo=UTC).timestamp())
    payload = sp.event("charge.dispute.updated", sp.dispute(id="dp_1", payment_intent="pi_9", amount=5000, status=stripe_status, due_by=due_by))
    body = sp.encode(payload)

    event = events.parse(body, sp.signed_headers(body, "whsec_x"), ["whsec_x"])

    assert (event.kind, event.payment_reference, event.currency) == (EventKind.DISPUTES_UPDATED, "pi_9", "USD")
    (dispute,) = event.disputes
    assert (dispute.dispute_id, dispute.amount, dispute.status, dispute.reason) == ("dp_1", Decimal("50.00"), ours, "fraudulent")
    assert dispute.evidence_due_by == datetime(2026, 12, 20, tzinfo=UTC)
