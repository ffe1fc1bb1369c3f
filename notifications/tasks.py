"""Background work of the notifications app (found by Celery's autodiscovery)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from notifications import delivery, reminders

# Waits between attempts of one email: 1, 5, 15, 60 minutes, then the email is kept as failed.
RETRY_DELAYS = (60, 300, 900, 3600)


@shared_task(bind=True, name="notifications.send_email", max_retries=len(RETRY_DELAYS), acks_late=True)
def send_email(self: Any, log_id: str) -> str:
    """Send one logged email. Safe to run twice: only a ``queued`` row is sent (see delivery)."""
    # Run in-process (no broker): no waiting retries inside the web request; a failure is kept
    # as failed at once and the owner retries it.
    final = bool(self.request.is_eager) or self.request.retries >= self.max_retries
    outcome = delivery.deliver(log_id, final=final)
    if outcome.retry:
        raise self.retry(countdown=RETRY_DELAYS[min(self.request.retries, len(RETRY_DELAYS) - 1)])
    return outcome.status


@shared_task(name="notifications.send_due_reminders", acks_late=True)
def send_due_reminders() -> int:
    """The scheduler's sweep (django-celery-beat, hourly): claims and queues the reminders due now."""
    return reminders.send_due_reminders()
