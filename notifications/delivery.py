"""Sending one logged email at most once.

An attempt first claims the row under its lock: only a ``queued`` row is claimed, and it becomes
``sending`` (attempts + 1) in that short transaction. The mail server is called outside any
transaction; then the row becomes ``sent``, or ``queued`` again with the error (the task retries
later), or ``failed`` when no retry is left.

A row left ``sending`` is one whose attempt reached the mail server but whose outcome was never
recorded (the worker died, or the database went away just after the server accepted it). It is
never sent again by itself: a second copy in the client's inbox is worse than a missing one. The
owner sees it and may send it again once it is older than ``models.STALE_SENDING``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from activity.models import ActivityKind
from activity.services import record
from invoices.models import PAYABLE_STATUSES
from notifications.compose import compose
from notifications.models import EmailKind, EmailMessageLog, EmailStatus

logger = logging.getLogger(__name__)

CLIENT_KINDS = {EmailKind.INVOICE, EmailKind.RECEIPT, EmailKind.REFUND}


@dataclass(frozen=True, slots=True)
class Outcome:
    status: str
    retry: bool = False


def _claim(log_id: UUID | str) -> EmailMessageLog | None:
    with transaction.atomic():
        log = EmailMessageLog.objects.select_for_update().filter(pk=log_id).first()
        if log is None or log.status != EmailStatus.QUEUED:
            return None
        if log.kind == EmailKind.REMINDER and log.invoice.status not in PAYABLE_STATUSES:
            # Paid or voided after the reminder was queued: it no longer applies.
            log.status, log.error = EmailStatus.SKIPPED, "The invoice was no longer open."
            log.save(update_fields=["status", "error", "updated_at"])
            return None
        log.status, log.attempts, log.claimed_at = EmailStatus.SENDING, log.attempts + 1, timezone.now()
        log.save(update_fields=["status", "attempts", "claimed_at", "updated_at"])
    return EmailMessageLog.objects.select_related("invoice", "invoice__owner").get(pk=log.pk)


def _record_sent(log: EmailMessageLog, subject: str) -> None:
    with transaction.atomic():
        now = timezone.now()
        EmailMessageLog.objects.filter(pk=log.pk).update(
            status=EmailStatus.SENT, subject=subject[:300], error="", sent_at=now, updated_at=now
        )
        details = {"to": log.to, "email": log.get_kind_display(), "subject": subject[:300]}
        if log.kind == EmailKind.REMINDER:
            details["offset_days"] = log.context.get("offset_days")
            record(log.invoice_id, ActivityKind.REMINDER_SENT, actor=log.actor, details=details)
        elif log.kind in CLIENT_KINDS:
            record(log.invoice_id, ActivityKind.EMAILED, actor=log.actor, details=details)


def _record_failure(log: EmailMessageLog, error: str, *, final: bool) -> Outcome:
    status = EmailStatus.FAILED if final else EmailStatus.QUEUED
    EmailMessageLog.objects.filter(pk=log.pk, status=EmailStatus.SENDING).update(
        status=status, error=error[:500], updated_at=timezone.now()
    )
    return Outcome(status, retry=not final)


def deliver(log_id: UUID | str, *, final: bool) -> Outcome:
    """Send the logged email if it is still to be sent. ``final``: no retry is left after this
    attempt, so a failure is kept as ``failed`` for the owner to see and retry."""
    log = _claim(log_id)
    if log is None:
        current = EmailMessageLog.objects.filter(pk=log_id).values_list("status", flat=True).first()
        return Outcome(current or "missing")
    try:
        message = compose(log)
    except Exception as exc:  # a missing row or no PDF support: retrying later may help
        logger.warning("Email %s could not be composed: %s", log.pk, exc)
        return _record_failure(log, f"Could not compose the email: {exc}", final=final)
    try:
        message.send()
    except Exception as exc:  # refused before the server took it (connection, auth, recipient)
        logger.warning("Email %s (%s) was not sent: %s: %s", log.pk, log.kind, type(exc).__name__, exc)
        return _record_failure(log, f"{type(exc).__name__}: {exc}", final=final)
    _record_sent(log, str(message.subject))
    logger.info("Email %s (%s) sent", log.pk, log.kind)
    return Outcome(EmailStatus.SENT)


def requeue(log: EmailMessageLog) -> bool:
    """Make a failed (or long-stuck sending) row sendable again; the caller holds its lock."""
    if not log.can_retry:
        return False
    log.status = EmailStatus.QUEUED
    log.save(update_fields=["status", "updated_at"])
    return True
