"""Faults against a real Celery worker and a real Redis (see conftest.py for why PostgreSQL):
a worker killed mid-event, Redis stopped while deliveries arrive, an event that keeps failing.
Each test counts what a user would see (statuses, amounts, rows): nothing lost, nothing twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
import requests
from django.db import connection, transaction

from invoices.factories import InvoiceFactory
from invoices.models import Invoice
from payments.models import InvoicePayment, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.background.processes import celery_call, wait_for
from payments.tests.reliability.conftest import completed_event, gateway_refund
from sandbox import provider

pytestmark = [pytest.mark.worker_faults, pytest.mark.django_db(transaction=True)]


def post_event(url: str, config, payload: dict) -> requests.Response:  # type: ignore[no-untyped-def]
    """The provider's signed delivery, over HTTP to the web server."""
    body = provider.encode(payload)
    signature = provider.sign(body, config.get_credentials()["webhook_secret"])
    return requests.post(
        f"{url}{config.webhook_path}",
        data=body,
        headers={"Content-Type": "application/json", "Sandbox-Signature": signature},
        timeout=30,
    )


def open_checkout(invoice: Invoice) -> InvoicePayment:
    return PaymentService().create_checkout(invoice_id=invoice.pk).payment


def event_status(event_id: str) -> tuple[str, int, str]:
    row = PaymentWebhookEvent.objects.get(event_id=event_id)
    return row.status, row.attempts, row.error


def waiting_on_a_row_lock() -> bool:
    """Whether another session is blocked by this one's transaction (the worker, mid-event).

    pg_locks is read live on every call. pg_stat_activity would not do here: PostgreSQL takes it
    once per transaction, so inside the test's open transaction it never changes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_mid_event_loses_nothing_and_the_next_worker_applies_it_once(stack, web, invoice, gateway):
    payment = open_checkout(invoice)
    stack.worker()
    event = completed_event(payment)

    with transaction.atomic():
        # Hold the payment's row: the worker takes the event, locks it, and blocks on the payment.
        InvoicePayment.objects.select_for_update().get(pk=payment.pk)
        answer = post_event(web, gateway, event)
        assert (answer.status_code, answer.json()["status"]) == (200, "received")
        wait_for(waiting_on_a_row_lock, "the worker is applying the event", stack.logs())
        stack.workers[0].kill()
    # The killed worker's transaction never committed, and its message was never acknowledged.
    assert event_status(event["id"])[:2] == ("received", 0)

    stack.worker()
    wait_for(lambda: event_status(event["id"])[0] == "processed", "the event is applied", stack.logs())

    assert event_status(event["id"]) == ("processed", 1, "")
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, invoice.amount_due) == ("paid", Decimal("100.00"), Decimal("0"))


def test_with_redis_stopped_deliveries_are_stored_and_answered_then_applied_once_by_the_sweep(
    stack, web, owner, gateway
):
    invoices = [InvoiceFactory(owner=owner, items=[("Design work", 4, "25.00")]) for _ in range(3)]
    payments = [open_checkout(invoice) for invoice in invoices]
    paid = [completed_event(payment) for payment in payments]
    refund = gateway_refund(payments[0], "40.00", "dashboard-refund-1")  # made in the provider's dashboard
    stack.worker()
    stack.redis.stop()  # cache and broker down

    for payload in [*paid, refund, *paid]:  # every completion delivered twice
        answer = post_event(web, gateway, payload)
        assert (answer.status_code, answer.json()["status"]) == (200, "received"), answer.text

    assert PaymentWebhookEvent.objects.count() == 4
    assert set(PaymentWebhookEvent.objects.values_list("status", flat=True)) == {"received"}
    assert not InvoicePayment.objects.filter(status="succeeded").exists()

    stack.redis.start()  # back, empty: every message sent before is gone
    celery_call(stack.env, "payments.sweep_webhook_events")  # as beat does, every 30 s
    wait_for(
        lambda: set(PaymentWebhookEvent.objects.values_list("status", flat=True)) == {"processed"},
        "every stored event is applied",
        stack.logs(),
    )
    # A second and a third sweep find nothing to do: wait until the worker has run both.
    later = [celery_call(stack.env, "payments.sweep_webhook_events") for _ in range(2)]
    wait_for(lambda: all(stack.workers[0].has_run(task) for task in later), "both later sweeps ran", stack.logs())

    assert sorted(PaymentWebhookEvent.objects.values_list("attempts", flat=True)) == [1, 1, 1, 1]
    statuses = {str(p.pk): (p.status, p.amount_refunded) for p in InvoicePayment.objects.all()}
    assert statuses == {
        str(payments[0].pk): ("partially_refunded", Decimal("40.00")),
        str(payments[1].pk): ("succeeded", Decimal("0.00")),
        str(payments[2].pk): ("succeeded", Decimal("0.00")),
    }
    assert payments[0].refunds.count() == 1
    totals = [(i.status, i.amount_paid, i.amount_refunded) for i in Invoice.objects.order_by("created_at")]
    assert totals == [
        ("paid", Decimal("60.00"), Decimal("40.00")),
        ("paid", Decimal("100.00"), Decimal("0.00")),
        ("paid", Decimal("100.00"), Decimal("0.00")),
    ]


FAULT = """
CREATE FUNCTION trackify_test_ledger_offline() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'ledger offline'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER trackify_test_ledger_offline BEFORE UPDATE ON payments_invoicepayment
FOR EACH ROW EXECUTE FUNCTION trackify_test_ledger_offline();
"""
FIXED = "DROP TRIGGER IF EXISTS trackify_test_ledger_offline ON payments_invoicepayment; DROP FUNCTION IF EXISTS trackify_test_ledger_offline();"


def test_an_event_that_keeps_failing_ends_failed_with_its_error_and_the_admin_replays_it_once_fixed(
    stack, web, invoice, gateway, admin_client
):
    payment = open_checkout(invoice)
    event = completed_event(payment)
    with connection.cursor() as cursor:
        cursor.execute(FAULT)  # every write to a payment fails, in every process
    try:
        stack.worker()
        assert post_event(web, gateway, event).status_code == 200
        # Three tries (WEBHOOK_MAX_ATTEMPTS in the worker's environment), each recorded.
        wait_for(lambda: event_status(event["id"])[:2] == ("failed", 3), "the event fails its last try", stack.logs())
        stack.workers[0].stop()  # no retry is left queued: a stopped worker leaves nothing behind
        status, attempts, error = event_status(event["id"])
        assert (status, attempts) == ("failed", 3)
        assert "ledger offline" in error
        row = PaymentWebhookEvent.objects.get(event_id=event["id"])
        page = admin_client.get(f"/admin/payments/paymentwebhookevent/{row.pk}/change/").content.decode()
        assert "ledger offline" in page
        listing = admin_client.get("/admin/payments/paymentwebhookevent/?status__exact=failed").content.decode()
        assert event["id"] in listing and "ledger offline" in listing
    finally:
        with connection.cursor() as cursor:
            cursor.execute(FIXED)

    admin_client.post("/admin/payments/paymentwebhookevent/", {"action": "reprocess", "_selected_action": [row.pk]})
    admin_client.post("/admin/payments/paymentwebhookevent/", {"action": "reprocess", "_selected_action": [row.pk]})

    assert event_status(event["id"])[0] == "processed"
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))
