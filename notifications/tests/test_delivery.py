"""Sending a logged email at most once, whatever retries and redeliveries happen."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.core import mail

from notifications import delivery
from notifications.models import EmailKind, EmailMessageLog, EmailStatus
from notifications.tasks import send_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(invoice):
    return EmailMessageLog.objects.create(invoice=invoice, kind=EmailKind.INVOICE, to="client@example.com")


def test_a_redelivered_task_sends_nothing_more(queued):
    assert send_email.apply(args=[str(queued.pk)]).get() == "sent"
    assert send_email.apply(args=[str(queued.pk)]).get() == "sent"

    assert len(mail.outbox) == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (EmailStatus.SENT, 1)


def test_a_retry_after_the_server_accepted_does_not_send_twice(queued, monkeypatch):
    # The server took the message, then the worker could not record it (the database went away).
    def lost(log, subject):
        raise ConnectionError("database connection lost")

    monkeypatch.setattr(delivery, "_record_sent", lost)
    with pytest.raises(ConnectionError):
        delivery.deliver(queued.pk, final=False)
    monkeypatch.undo()

    # The broker delivers the task again.
    assert send_email.apply(args=[str(queued.pk)]).get() == "sending"

    assert len(mail.outbox) == 1
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (EmailStatus.SENDING, 1)
    assert queued.can_retry is False  # too recent to tell: the owner is not offered a second copy


def test_a_refused_send_is_queued_again_then_sent(queued, monkeypatch):
    calls = []

    def refuse_once(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("Connection refused")
        return original(self, *args, **kwargs)

    from django.core.mail import EmailMultiAlternatives

    original = EmailMultiAlternatives.send
    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse_once)

    first = delivery.deliver(queued.pk, final=False)
    queued.refresh_from_db()
    assert first.retry is True and queued.status == EmailStatus.QUEUED
    assert queued.error == "OSError: Connection refused"

    second = delivery.deliver(queued.pk, final=False)
    queued.refresh_from_db()
    assert second.status == "sent" and (queued.status, queued.attempts, queued.error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_the_task_retries_a_refused_send_on_a_worker(queued, monkeypatch):
    monkeypatch.setattr(delivery, "compose", lambda log: (_ for _ in ()).throw(OSError("no route")))

    # Not eager, as on a worker: the task asks Celery to retry later.
    with pytest.raises(Retry):
        send_email.run.__func__(_WorkerTask(retries=0), str(queued.pk))
    queued.refresh_from_db()
    assert queued.status == EmailStatus.QUEUED

    # Its last try keeps the email failed for the owner to see.
    assert send_email.run.__func__(_WorkerTask(retries=send_email.max_retries), str(queued.pk)) == "failed"
    queued.refresh_from_db()
    assert queued.status == EmailStatus.FAILED and "no route" in queued.error and queued.can_retry
    assert mail.outbox == []


class _WorkerTask:
    """Stands in for ``self`` of the bound task as a worker runs it (not eagerly)."""

    max_retries = send_email.max_retries

    def __init__(self, retries: int) -> None:
        self.request = type("Request", (), {"is_eager": False, "retries": retries})()

    def retry(self, countdown: int):
        return Retry("retry later", when=countdown)
