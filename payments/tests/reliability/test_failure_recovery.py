"""Nothing is lost when processing fails: failed webhooks are kept and retried, and a crash
between a gateway call and our own write is repaired by the next attempt or by reconcile_payments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from payments.gateways.sandbox import SandboxGateway
from payments.models import InvoicePayment, PaymentRefund, PaymentWebhookEvent
from payments.services import PaymentService, checkout, refunds
from payments.tests.reliability.conftest import completed_event, deliver, session_of
from payments.webhooks import process
from sandbox.models import SandboxSession

pytestmark = pytest.mark.django_db


class Crash(RuntimeError):
    pass


def fail_once(monkeypatch, module, name: str, *, on_call: int = 1) -> list[int]:  # type: ignore[no-untyped-def]
    """Make ``module.name`` raise on its ``on_call``-th call only; later calls work as before."""
    original = getattr(module, name)
    calls = [0]

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        if calls[0] == on_call:
            raise Crash("the database went away mid-write")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, flaky)
    return calls


def _open_checkout(invoice) -> InvoicePayment:  # type: ignore[no-untyped-def]
    return PaymentService().create_checkout(invoice_id=invoice.pk).payment


def test_a_failed_event_is_stored_answered_200_and_applied_on_redelivery(monkeypatch, invoice, gateway):
    payment = _open_checkout(invoice)
    event = completed_event(payment)
    fail_once(monkeypatch, process, "move_to")

    first = deliver(Client(), gateway, event)

    # Stored before the answer: a processing failure is ours to retry, not the gateway's.
    assert first.status_code == 200
    assert first.json()["status"] == "failed"
    stored = PaymentWebhookEvent.objects.get()
    assert stored.status == "failed"
    assert "Crash: the database went away mid-write" in stored.error
    payment.refresh_from_db()
    assert payment.status == "pending"

    again = deliver(Client(), gateway, event)

    assert again.status_code == 200
    assert again.json()["status"] == "processed"
    stored.refresh_from_db()
    assert (stored.status, stored.error, stored.attempts) == ("processed", "", 2)
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))


def test_a_failed_event_is_applied_by_replay_webhook_events(monkeypatch, invoice, gateway):
    payment = _open_checkout(invoice)
    fail_once(monkeypatch, process, "move_to")
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200
    assert PaymentWebhookEvent.objects.get().status == "failed"

    out = StringIO()
    call_command("replay_webhook_events", stdout=out)

    assert "1 done, 0 failed" in out.getvalue()
    assert PaymentWebhookEvent.objects.get().status == "processed"
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    # Replaying again changes nothing: the event was applied once.
    call_command("replay_webhook_events", stdout=StringIO())
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("100.00")


def test_a_missed_webhook_is_repaired_by_reconcile_payments(invoice):
    payment = _open_checkout(invoice)
    completed_event(payment)  # the payer paid; the provider's webhook never arrived

    call_command("reconcile_payments", "--older-than", "0", stdout=StringIO())

    payment.refresh_from_db()
    assert payment.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))


def test_a_crash_after_the_gateway_opened_a_checkout_opens_no_second_one(monkeypatch, api_client, invoice):
    fail_once(monkeypatch, checkout, "lock_payment")
    body = {"invoice_id": str(invoice.public_id)}

    crashed = api_client.post("/api/payment/create-session/", body, format="json")

    assert crashed.status_code == 500
    assert crashed.json()["code"] == "server_error"
    assert InvoicePayment.objects.get().checkout_url == ""

    retried = api_client.post("/api/payment/create-session/", body, format="json")

    assert retried.status_code in (200, 201)
    payment = InvoicePayment.objects.get()  # still one payment
    assert str(payment.pk) == retried.json()["payment_id"]
    assert SandboxSession.objects.count() == 1  # and one checkout at the provider
    assert payment.checkout_url.endswith(payment.gateway_session_id)


def test_a_checkout_whose_opening_crashed_is_closed_by_reconcile_payments_once_it_expires(
    monkeypatch, api_client, invoice
):
    fail_once(monkeypatch, checkout, "lock_payment")
    assert (
        api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").status_code
        == 500
    )
    InvoicePayment.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("reconcile_payments", "--older-than", "0", stdout=StringIO())

    payment = InvoicePayment.objects.get()
    assert payment.status == "canceled"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.amount_due) == ("sent", Decimal("0"), Decimal("100.00"))


def test_a_crash_after_the_gateway_refunded_is_repaired_by_reconcile_payments(
    monkeypatch, owner_client, invoice, gateway
):
    payment = _open_checkout(invoice)
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200
    # The first lock holds the amount before the gateway call; the second writes its answer.
    fail_once(monkeypatch, refunds, "lock_payment", on_call=2)

    crashed = owner_client.post(f"/api/payment/refund/{payment.pk}/", {"amount": "40.00"}, format="json")

    assert crashed.status_code == 500
    refund = PaymentRefund.objects.get()
    assert refund.status == "pending"  # its amount is held: nobody can refund it twice
    assert len(session_of(payment).refunds) == 1  # the provider did refund
    again = owner_client.post(f"/api/payment/refund/{payment.pk}/", {"amount": "70.00"}, format="json")
    assert again.status_code == 400

    call_command("reconcile_payments", "--older-than", "0", stdout=StringIO())

    refund.refresh_from_db()
    assert refund.status == "succeeded"
    assert len(session_of(payment).refunds) == 1  # resent with the same idempotency key: no second refund
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("40.00"))
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.amount_refunded) == (Decimal("60.00"), Decimal("40.00"))


def test_a_checkout_paid_after_its_invoice_was_voided_is_counted_and_refundable(
    owner_client, invoice, gateway, monkeypatch
):
    # A gateway that cannot expire its checkouts (PayPal): the void closes ours only.
    monkeypatch.setattr(SandboxGateway, "supports_checkout_expiry", False)
    payment = _open_checkout(invoice)
    assert owner_client.post(f"/api/invoices/{invoice.pk}/void/").status_code == 200
    # The payer still had the checkout open and pays: the money must show, not vanish.
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200

    shown = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (shown["status"], shown["amount_paid"]) == ("void", "100.00")
    refund = owner_client.post(f"/api/payment/refund/{payment.pk}/", {}, format="json")
    assert refund.status_code == 201, refund.json()
    shown = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (shown["amount_paid"], shown["amount_refunded"]) == ("0.00", "100.00")
