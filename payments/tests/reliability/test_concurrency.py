"""Concurrent webhooks, checkouts, refunds and payments against real PostgreSQL row locks.

Each thread uses its own HTTP client and its own database connection, released together by a
barrier, so the requests really overlap inside the database.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.test import Client
from rest_framework.test import APIClient

from invoices.factories import InvoiceFactory
from invoices.models import Invoice
from payments.factories import sandbox_config
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import (
    completed_event,
    deliver,
    gateway_refund,
    run_in_threads,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20


def _open_checkout(invoice, amount=None) -> InvoicePayment:  # type: ignore[no-untyped-def]
    return PaymentService().create_checkout(invoice_id=invoice.pk, amount=amount).payment


def _post(path: str, body: dict, client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or APIClient()).post(path, body, format="json")


def test_twenty_simultaneous_deliveries_of_one_event_store_it_once_and_apply_it_once(invoice, gateway):
    payment = _open_checkout(invoice)
    event = completed_event(payment)

    responses = run_in_threads([lambda: deliver(Client(), gateway, event) for _ in range(THREADS)])

    assert [r for r in responses if isinstance(r, BaseException)] == []
    assert sorted({r.status_code for r in responses}) == [200]
    assert PaymentWebhookEvent.objects.count() == 1
    stored = PaymentWebhookEvent.objects.get()
    assert (stored.status, stored.attempts) == ("processed", 1)
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))


def _payment_story(invoice, gateway, tag: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """One payment's events in the order the provider sent them: paid, then two refunds, and a
    late "expired" that must not undo the payment."""
    from payments.tests.reliability.conftest import session_of
    from sandbox import provider

    payment = _open_checkout(invoice)
    paid = completed_event(payment)
    first_refund = gateway_refund(payment, "30.00", f"{tag}-r1")
    second_refund = gateway_refund(payment, "20.00", f"{tag}-r2")
    expired = provider.event("checkout.expired", session_of(payment))
    return [paid, first_refund, second_refund, expired]


def _outcome(invoice: Invoice) -> tuple:
    invoice.refresh_from_db()
    payment = InvoicePayment.objects.get(invoice=invoice)
    refunds = sorted((r.amount, r.status, r.source) for r in PaymentRefund.objects.filter(payment=payment))
    return (
        payment.status,
        payment.amount_refunded,
        tuple(refunds),
        invoice.status,
        invoice.amount_paid,
        invoice.amount_refunded,
        invoice.amount_credited,
        invoice.amount_due,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_events_of_one_payment_delivered_concurrently_in_any_order_end_as_in_order(owner, gateway, seed):
    in_order = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    for event in _payment_story(in_order, gateway, f"ordered-{seed}"):
        assert deliver(Client(), gateway, event).status_code == 200

    shuffled = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")])
    events = _payment_story(shuffled, gateway, f"shuffled-{seed}")
    random.Random(seed).shuffle(events)
    # Each event twice, all at once: redeliveries race the first deliveries too.
    calls = [lambda e=e: deliver(Client(), gateway, e) for e in events * 2]
    responses = run_in_threads(calls)

    assert [r for r in responses if isinstance(r, BaseException)] == []
    assert sorted({r.status_code for r in responses}) == [200]
    refunds = ((Decimal("20.00"), "succeeded", "gateway"), (Decimal("30.00"), "succeeded", "gateway"))
    # Refunds made at the provider (its dashboard) are credits: the client does not owe them again.
    expected = (
        "partially_refunded",
        Decimal("50.00"),
        refunds,
        "paid",
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("50.00"),
        Decimal("0.00"),
    )
    assert _outcome(in_order) == expected
    assert _outcome(shuffled) == expected
    assert PaymentWebhookEvent.objects.filter(status="failed").count() == 0


def test_twenty_simultaneous_create_session_calls_open_one_checkout(invoice):
    body = {"invoice_id": str(invoice.public_id)}
    responses = run_in_threads([lambda: _post("/api/payment/create-session/", body) for _ in range(THREADS)])

    assert [r for r in responses if isinstance(r, BaseException)] == []
    assert {r.status_code for r in responses} <= {200, 201}, [r.json() for r in responses]
    assert sorted(r.status_code for r in responses).count(201) == 1, sorted(r.status_code for r in responses)
    assert len({r.json()["payment_id"] for r in responses}) == 1
    assert len({r.json()["checkout_url"] for r in responses}) == 1
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 1


def test_two_concurrent_refunds_of_sixty_percent_one_wins_one_is_refused(invoice, gateway, owner):
    payment = _open_checkout(invoice)
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200

    def refund():  # type: ignore[no-untyped-def]
        client = APIClient()
        client.force_authenticate(owner)
        return client.post(f"/api/payment/refund/{payment.pk}/", {"amount": "60.00"}, format="json")

    responses = run_in_threads([refund, refund])

    assert [r for r in responses if isinstance(r, BaseException)] == []
    codes = sorted(r.status_code for r in responses)
    assert codes[0] == 201 and codes[1] in (400, 409), [r.json() for r in responses]
    refused = next(r for r in responses if r.status_code != 201).json()
    assert refused["code"] in ("invalid_amount", "refund_not_allowed")
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("60.00"))
    assert PaymentRefund.objects.filter(payment=payment).count() == 1
    invoice.refresh_from_db()
    assert (invoice.amount_paid, invoice.amount_refunded) == (Decimal("40.00"), Decimal("60.00"))


def test_two_partial_checkouts_paid_at_once_are_both_counted_and_the_overpayment_shows(owner, gateway):
    invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")], allow_partial_payments=True)
    first = _open_checkout(invoice, "60.00")
    second = _open_checkout(invoice, "70.00")
    events = [completed_event(first), completed_event(second)]

    responses = run_in_threads([lambda e=e: deliver(Client(), gateway, e) for e in events for _ in range(5)])

    assert [r for r in responses if isinstance(r, BaseException)] == []
    assert sorted({r.status_code for r in responses}) == [200]
    assert sorted(InvoicePayment.objects.filter(invoice=invoice).values_list("status", flat=True)) == [
        "succeeded",
        "succeeded",
    ]
    owner_client = APIClient()
    owner_client.force_authenticate(owner)
    shown = owner_client.get(f"/api/invoices/{invoice.pk}/").json()
    assert (shown["status"], shown["amount_paid"], shown["amount_due"], shown["amount_overpaid"]) == (
        "paid",
        "130.00",
        "0.00",
        "30.00",
    )


def _make_default(owner, config_id):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(owner)
    return client.patch(f"/api/payment/gateways/{config_id}/", {"is_default": True}, format="json")


def test_ten_simultaneous_make_default_clicks_all_answer_200_and_leave_one_default(owner, gateway):
    others = [sandbox_config(owner=owner, display_name=f"Sandbox {n}") for n in range(4)]
    targets = [c.pk for c in others for _ in range(2)] + [gateway.pk, gateway.pk]

    responses = run_in_threads([lambda pk=pk: _make_default(owner, pk) for pk in targets])

    assert [r for r in responses if isinstance(r, BaseException)] == []
    assert [r.status_code for r in responses] == [200] * len(targets)
    defaults = PaymentGatewayConfig.objects.filter(owner=owner, is_default=True)
    assert defaults.count() == 1
    # The list the owner sees agrees: exactly one card says "Default".
    client = APIClient()
    client.force_authenticate(owner)
    assert [c["is_default"] for c in client.get("/api/payment/gateways/").json()].count(True) == 1


def test_ten_simultaneous_gateway_additions_and_switches_leave_one_default():
    from accounts.factories import UserFactory

    owner = UserFactory()

    def add_sandbox():  # type: ignore[no-untyped-def]
        client = APIClient()
        client.force_authenticate(owner)
        return client.post("/api/payment/gateways/", {"gateway_name": "sandbox"}, format="json")

    responses = run_in_threads([add_sandbox for _ in range(10)])

    assert [r for r in responses if isinstance(r, BaseException)] == []
    assert [r.status_code for r in responses] == [201] * 10
    assert PaymentGatewayConfig.objects.filter(owner=owner).count() == 10
    assert PaymentGatewayConfig.objects.filter(owner=owner, is_default=True).count() == 1

    # Deactivating the default while others are made default: still exactly one, and active.
    configs = list(PaymentGatewayConfig.objects.filter(owner=owner))
    default = next(c for c in configs if c.is_default)
    client = APIClient()
    client.force_authenticate(owner)
    calls = [lambda: client.patch(f"/api/payment/gateways/{default.pk}/", {"is_active": False}, format="json")]
    calls += [lambda pk=c.pk: _make_default(owner, pk) for c in configs if c.pk != default.pk][:5]
    answers = run_in_threads(calls)
    assert [getattr(a, "status_code", a) for a in answers] == [200] * len(calls)
    (now_default,) = PaymentGatewayConfig.objects.filter(owner=owner, is_default=True)
    assert now_default.is_active and now_default.pk != default.pk
