"""What acknowledging and applying one webhook event cost the database, in statements.

The acknowledgement reads its config and inserts the event (in autocommit, as a request runs:
the INSERT is its own transaction), and hands the task to the broker. Applying a payment's
completion in a worker locks the event, the payment and the invoice, writes the three and the
timeline, and looks for events waiting for the payment; the owner's emails, when switched on,
add their own rows. These counts are what the benchmark's figures rest on: a change that adds a
statement per event shows here first.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from celery.app.task import Task
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from notifications.models import EmailMessageLog, NotificationPreferences
from payments import tasks
from payments.models import PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver
from trackify.celery import app

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """A configured broker that takes every task handed to it (none runs here): (name, args)."""
    sent: list[tuple[str, tuple[Any, ...]]] = []

    def take(self: Task, args: tuple[Any, ...] = (), kwargs: Any = None, **options: Any) -> None:
        sent.append((self.name, tuple(args)))

    monkeypatch.setattr(Task, "apply_async", take)
    app.conf.task_always_eager = False
    try:
        yield sent
    finally:
        app.conf.task_always_eager = True


def _stored_completion(invoice: Any, gateway: Any) -> PaymentWebhookEvent:
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    assert deliver(Client(), gateway, completed_event(payment)).status_code == 200
    return PaymentWebhookEvent.objects.get()


def test_acknowledging_a_new_event_is_one_read_and_one_insert(broker, invoice, gateway):
    payment = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    event = completed_event(payment)
    broker.clear()

    with CaptureQueriesContext(connection) as queries:
        response = deliver(Client(), gateway, event)

    assert (response.status_code, response.json()["status"]) == (200, "received")
    assert len(queries) == 2, [query["sql"] for query in queries.captured_queries]
    row = PaymentWebhookEvent.objects.get()
    assert broker == [("payments.process_webhook_event", (str(row.pk),))]

    # A redelivery before the first copy is applied: the refused INSERT, then the stored row.
    with CaptureQueriesContext(connection) as queries:
        response = deliver(Client(), gateway, event)
    assert (response.status_code, response.json()["status"]) == (200, "received")
    assert len(queries) == 3, [query["sql"] for query in queries.captured_queries]
    assert PaymentWebhookEvent.objects.count() == 1
    assert broker[-1] == ("payments.process_webhook_event", (str(row.pk),))


def test_applying_a_completion_is_fifteen_statements_with_the_owners_emails_off(broker, invoice, gateway, owner):
    NotificationPreferences.objects.create(user=owner, send_receipts=False, notify_payment_succeeded=False)
    row = _stored_completion(invoice, gateway)

    with CaptureQueriesContext(connection) as queries:
        outcome = tasks.process_webhook_event.apply(args=(str(row.pk),)).result

    assert outcome == "processed"
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))
    assert len(queries) == 15, [query["sql"] for query in queries.captured_queries]
    assert not EmailMessageLog.objects.exists()


def test_each_email_switched_on_adds_its_own_row_and_nothing_else(broker, invoice, gateway, owner):
    row = _stored_completion(invoice, gateway)

    with CaptureQueriesContext(connection) as queries:
        assert tasks.process_webhook_event.apply(args=(str(row.pk),)).result == "processed"

    # The client's receipt and the owner's notice: one row each (the owner was read with the invoice).
    assert sorted(EmailMessageLog.objects.values_list("kind", flat=True)) == ["owner_payment", "receipt"]
    assert len(queries) == 15 + 2, [query["sql"] for query in queries.captured_queries]
    assert [name for name, _ in broker].count("notifications.send_email") == 2
