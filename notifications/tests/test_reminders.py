"""Payment reminders under a frozen clock: on their days, in the owner's time zone, once each."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import connection

from accounts.models import BusinessProfile
from activity.models import ActivityEvent, ActivityKind
from invoices.factories import InvoiceFactory
from invoices.models import InvoiceStatus
from notifications.models import EmailMessageLog, InvoiceReminderSchedule, NotificationPreferences, ReminderClaim
from notifications.reminders import send_due_reminders
from notifications.tasks import send_due_reminders as sweep_task

DUE = dt.date(2026, 3, 10)


def at(day: str, hour: int = 12):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00"), tick=False)


@pytest.fixture
def due_invoice(owner, gateway):
    return InvoiceFactory(owner=owner, number="INV-0099", client_email="client@example.com", due_date=DUE)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    def run() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return sweep_task.apply().get()

    return run


@pytest.mark.django_db
def test_the_default_schedule_sends_before_on_and_after_the_due_date(due_invoice, sweep):
    sent_on = {}
    for day in [
        "2026-03-05",
        "2026-03-07",
        "2026-03-08",
        "2026-03-10",
        "2026-03-11",
        "2026-03-16",
        "2026-03-17",
        "2026-03-30",
    ]:
        with at(day):
            before = len(mail.outbox)
            sweep()
            sent_on[day] = [m.subject for m in mail.outbox[before:]]

    assert sent_on == {
        "2026-03-05": [],
        "2026-03-07": ["Reminder: invoice INV-0099 from Acme Studio is due soon"],
        "2026-03-08": [],
        "2026-03-10": ["Reminder: invoice INV-0099 from Acme Studio is due today"],
        "2026-03-11": [],
        "2026-03-16": [],
        "2026-03-17": ["Reminder: invoice INV-0099 from Acme Studio is overdue"],
        "2026-03-30": [],
    }
    assert "100.00 USD is still to pay" in mail.outbox[2].body
    assert f"/pay/{due_invoice.public_id}" in mail.outbox[2].body
    timeline = ActivityEvent.objects.filter(invoice=due_invoice, kind=ActivityKind.REMINDER_SENT)
    assert sorted(e.details["offset_days"] for e in timeline) == [-3, 0, 7]


@pytest.mark.django_db
def test_running_the_sweep_again_sends_no_second_copy(due_invoice, sweep):
    with at("2026-03-10", 9):
        assert sweep() == 1
    with at("2026-03-10", 10):
        assert sweep() == 0
        assert sweep() == 0

    assert len(mail.outbox) == 1
    assert list(ReminderClaim.objects.values_list("offset_days", flat=True)) == [0]


@pytest.mark.django_db
def test_a_scheduler_that_was_down_catches_up_with_the_latest_reminder_only(due_invoice, sweep):
    with at("2026-03-11"):
        sweep()

    [message] = mail.outbox
    assert message.subject.endswith("is due today")


@pytest.mark.django_db
def test_paid_or_void_invoices_get_no_reminders(owner, gateway, sweep):
    InvoiceFactory(owner=owner, due_date=DUE, status=InvoiceStatus.PAID, amount_paid=Decimal("100"))
    InvoiceFactory(owner=owner, due_date=DUE, status=InvoiceStatus.VOID)
    InvoiceFactory(owner=owner, due_date=DUE, status=InvoiceStatus.DRAFT)
    InvoiceFactory(owner=owner, due_date=DUE, client_email="")

    with at("2026-03-10"):
        assert sweep() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_reminder_queued_before_the_invoice_was_paid_is_not_sent(due_invoice, django_capture_on_commit_callbacks):
    with at("2026-03-10"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert send_due_reminders() == 1
        due_invoice.status = InvoiceStatus.PAID
        due_invoice.save(update_fields=["status"])
        for callback in callbacks:
            callback()

    assert mail.outbox == []
    assert EmailMessageLog.objects.get().status == "skipped"


@pytest.mark.django_db
def test_days_are_counted_in_the_owners_time_zone(owner, due_invoice, sweep):
    BusinessProfile.objects.filter(user=owner).update(time_zone="Pacific/Auckland")

    # 11:30 UTC on 9 March is already 10 March, 00:30, in Auckland: the due date there.
    with at("2026-03-09", 11):
        sweep()

    assert [m.subject for m in mail.outbox] == ["Reminder: invoice INV-0099 from Acme Studio is due today"]


@pytest.mark.django_db
def test_an_invoice_schedule_replaces_the_owners_default(owner, due_invoice, sweep):
    NotificationPreferences.objects.create(user=owner, reminder_offsets=[1])
    InvoiceReminderSchedule.objects.create(invoice=due_invoice, offsets=[2])
    other = InvoiceFactory(owner=owner, client_email="other@example.com", due_date=DUE)

    with at("2026-03-11"):
        sweep()
    with at("2026-03-12"):
        sweep()

    assert [(m.to[0], m.subject.endswith("overdue")) for m in mail.outbox] == [
        ("other@example.com", True),
        ("client@example.com", True),
    ]
    assert ReminderClaim.objects.get(invoice=other).offset_days == 1


@pytest.mark.django_db
def test_reminders_switched_off(owner, due_invoice, sweep):
    NotificationPreferences.objects.create(user=owner, reminders_enabled=False)

    with at("2026-03-10"):
        assert sweep() == 0
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_send_one_reminder(due_invoice):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    start = threading.Barrier(2)
    counts: list[int] = []

    def scheduler() -> None:
        try:
            start.wait()
            counts.append(send_due_reminders(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)))
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(counts) == [0, 1]
    assert ReminderClaim.objects.count() == 1
    assert len(mail.outbox) == 1
    assert EmailMessageLog.objects.get().status == "sent"


@pytest.mark.django_db
def test_the_scheduler_has_the_hourly_sweep_after_migrate():
    from django_celery_beat.models import PeriodicTask

    from trackify.celery import app

    task = PeriodicTask.objects.get(name="Send due payment reminders")
    assert task.enabled and (task.interval.every, task.interval.period) == (1, "hours")
    assert task.task in app.tasks
