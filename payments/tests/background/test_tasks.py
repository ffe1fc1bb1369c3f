"""The inbox's background half, run in this process (as without a broker): the task that
applies a stored event, its retries, the sweep that finds what a lost message left, the
scheduled reconciliation and expiry, and the schedules ``migrate`` stores for beat."""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError
from prometheus_client import REGISTRY

from payments import tasks
from payments.gateways.base import EventKind
from payments.models import InvoicePayment, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver
from payments.tests.webhooks.conftest import REFERENCE, gateway_event, paid, refund_snapshot, stored
from payments.webhooks import process
from trackify.celery import app

pytestmark = pytest.mark.django_db


class Crash(RuntimeError):
    pass


class Broker:
    """A broker that is configured (tasks are not run here) and refuses every message until
    ``back()``, after which tasks run in this process again."""

    def __init__(self) -> None:
        self.refused: list[object] = []

    def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.refused.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    def down(self) -> None:
        app.conf.task_always_eager = False
        tasks.process_webhook_event.apply_async = self.refuse  # type: ignore[method-assign]

    def back(self) -> None:
        app.conf.task_always_eager = True
        vars(tasks.process_webhook_event).pop("apply_async", None)


@pytest.fixture
def broker_down():  # type: ignore[no-untyped-def]
    broker = Broker()
    broker.down()
    try:
        yield broker
    finally:
        broker.back()


def processed_count(outcome: str) -> float:
    labels = {"gateway": "sandbox", "outcome": outcome}
    return REGISTRY.get_sample_value("trackify_webhook_events_processed_total", labels) or 0.0


def _age(seconds: int) -> None:
    PaymentWebhookEvent.objects.update(updated_at=timezone.now() - timedelta(seconds=seconds))


def _checkout(invoice) -> InvoicePayment:  # type: ignore[no-untyped-def]
    return PaymentService().create_checkout(invoice_id=invoice.pk).payment


def test_with_the_broker_down_a_delivery_is_stored_and_answered_then_the_sweep_applies_it(
    broker_down, invoice, gateway, caplog
):
    payment = _checkout(invoice)
    event = completed_event(payment)

    with caplog.at_level(logging.WARNING, logger="core.background"):
        response = deliver(Client(), gateway, event)

    assert (response.status_code, response.json()["status"]) == (200, "received")
    assert len(broker_down.refused) == 1  # the enqueue was tried after the commit, and failed quietly
    assert "sweep will pick the work up" in caplog.text
    assert PaymentWebhookEvent.objects.get().status == "received"
    payment.refresh_from_db()
    assert payment.status == "pending"

    # A redelivery stores nothing more.
    assert deliver(Client(), gateway, event).status_code == 200
    assert PaymentWebhookEvent.objects.count() == 1

    broker_down.back()  # the broker is back (and runs the tasks here)
    counted = processed_count("processed")
    assert tasks.sweep_webhook_events() == {"unfinished": 0, "waiting": 0}  # too fresh to be lost
    _age(60)
    assert tasks.sweep_webhook_events() == {"unfinished": 1, "waiting": 0}

    row = PaymentWebhookEvent.objects.get()
    assert (row.status, row.attempts) == ("processed", 1)
    assert processed_count("processed") == counted + 1
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))
    _age(60)
    assert tasks.sweep_webhook_events() == {"unfinished": 0, "waiting": 0}  # nothing applied twice
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("100.00")


def test_a_failing_event_is_retried_with_a_growing_delay_then_left_failed(monkeypatch, settings, invoice, gateway):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BACKOFF_SECONDS = 5
    payment = _checkout(invoice)
    row = stored(gateway, paid(payment))
    monkeypatch.setattr(process, "move_to", lambda *a, **k: (_ for _ in ()).throw(Crash("database went away")))
    retries = []

    class Retry(Exception):
        pass

    def retry(exc=None, countdown=None, **kwargs):  # type: ignore[no-untyped-def]
        retries.append(countdown)
        return Retry()

    monkeypatch.setattr(tasks.process_webhook_event, "retry", retry)
    failed_before = processed_count("failed")
    for attempt in range(3):
        tasks.process_webhook_event.push_request(retries=attempt, is_eager=False)
        try:
            if attempt < 2:
                with pytest.raises(Retry):
                    tasks.process_webhook_event.run(str(row.pk))
            else:
                assert tasks.process_webhook_event.run(str(row.pk)) == "failed"
        finally:
            tasks.process_webhook_event.pop_request()

    assert retries == [5, 10]
    assert processed_count("failed") == failed_before + 3
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert "Crash: database went away" in row.error
    # Out of tries: the sweep leaves it to the admin.
    _age(60)
    assert tasks.sweep_webhook_events()["unfinished"] == 0
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_the_sweep_applies_a_waiting_event_once_its_payment_is_linked(invoice, gateway):
    payment = _checkout(invoice)
    InvoicePayment.objects.filter(pk=payment.pk).update(gateway_payment_reference="")
    refund = gateway_event(
        EventKind.REFUNDS_UPDATED,
        event_type="refund.updated",
        payment_reference=REFERENCE,
        refunds=(refund_snapshot("re_1", "30.00"),),
    )
    waiting = stored(gateway, refund, status="waiting")
    _age(60)
    assert tasks.sweep_webhook_events() == {"unfinished": 0, "waiting": 0}  # its payment is not linked yet

    # The completion links the payment (its own release was lost, say): the sweep applies the refund.
    InvoicePayment.objects.filter(pk=payment.pk).update(status="succeeded", gateway_payment_reference=REFERENCE)
    _age(60)
    assert tasks.sweep_webhook_events() == {"unfinished": 0, "waiting": 1}

    waiting.refresh_from_db()
    assert waiting.status == "processed"
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("30.00"))


def test_expire_stale_checkouts_closes_a_checkout_never_opened_once_it_expires(invoice):
    payment = _checkout(invoice)
    fresh = InvoicePayment.objects.filter(pk=payment.pk)
    fresh.update(gateway_session_id="", expires_at=timezone.now() + timedelta(minutes=5))
    assert tasks.expire_stale_checkouts() == {"checked": 0, "closed": 0}

    fresh.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert tasks.expire_stale_checkouts() == {"checked": 1, "closed": 1}
    payment.refresh_from_db()
    assert payment.status == "canceled"
    assert tasks.expire_stale_checkouts() == {"checked": 0, "closed": 0}


def test_expire_stale_checkouts_leaves_a_checkout_its_gateway_still_reports_open(invoice):
    payment = _checkout(invoice)  # open at the sandbox provider, which has not expired it
    InvoicePayment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert tasks.expire_stale_checkouts() == {"checked": 1, "closed": 0}
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_reconcile_payments_task_repairs_a_missed_webhook_once(invoice):
    payment = _checkout(invoice)
    completed_event(payment)  # paid at the provider; its webhook never arrived

    assert tasks.reconcile_payments(older_than_minutes=0) == {"checked": 1, "changed": 1, "errors": 0}
    assert tasks.reconcile_payments(older_than_minutes=0) == {"checked": 0, "changed": 0, "errors": 0}
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))


def test_a_second_reconcile_while_one_runs_does_nothing(invoice):
    payment = _checkout(invoice)
    completed_event(payment)
    assert tasks._single_flight("reconcile_payments", 60)  # another worker is reconciling

    assert tasks.reconcile_payments(older_than_minutes=0) == {"checked": 0, "changed": 0, "errors": 0}
    payment.refresh_from_db()
    assert payment.status == "pending"


# Schedules -------------------------------------------------------------------------------

SCHEDULED = {
    "payments.sweep_webhook_events": 30,
    "payments.reconcile_payments": 600,
    "payments.expire_stale_checkouts": 300,
}


def test_migrate_alone_stores_the_three_schedules_for_registered_tasks():
    rows = {row.task: row for row in PeriodicTask.objects.filter(task__in=SCHEDULED).select_related("interval")}

    assert {task: (row.interval.every, row.interval.period, row.enabled) for task, row in rows.items()} == {
        task: (seconds, "seconds", True) for task, seconds in SCHEDULED.items()
    }
    assert set(SCHEDULED) <= set(app.tasks)  # each names a task the workers know


def test_a_later_migrate_keeps_an_administrators_edits():
    sweep = PeriodicTask.objects.get(task="payments.sweep_webhook_events")
    sweep.enabled = False
    sweep.save()
    migration = importlib.import_module("payments.migrations.0006_background_schedules")

    migration.create_schedules(django_apps, None)

    assert PeriodicTask.objects.filter(task__in=SCHEDULED).count() == 3
    assert PeriodicTask.objects.get(task="payments.sweep_webhook_events").enabled is False


def test_the_schedules_are_listed_and_editable_in_the_admin(admin_client):
    listing = admin_client.get("/admin/django_celery_beat/periodictask/")
    assert listing.status_code == 200
    for name in ("Sweep unfinished webhook events", "Reconcile open payments and refunds", "Expire stale checkouts"):
        assert name in listing.content.decode()
    sweep = PeriodicTask.objects.get(task="payments.sweep_webhook_events")
    assert admin_client.get(f"/admin/django_celery_beat/periodictask/{sweep.pk}/change/").status_code == 200


def test_migrate_alone_schedules_retiring_archived_webhook_endpoints_daily(monkeypatch):
    row = PeriodicTask.objects.select_related("interval").get(task="payments.retire_webhook_endpoints")
    assert (row.interval.every, row.interval.period, row.enabled) == (1, "days", True)
    assert "payments.retire_webhook_endpoints" in app.tasks
    retired = []
    monkeypatch.setattr("payments.services.webhook_endpoints.retire_archived_endpoints", lambda: retired.append(1) or 2)
    assert tasks.retire_webhook_endpoints() == 2
    assert retired == [1]
