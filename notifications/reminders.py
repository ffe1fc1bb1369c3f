"""Payment reminders: which are due now, and claiming each exactly once.

A schedule is a list of day offsets from the due date (-3: three days before, 0: on the due
date, 7: a week after), the invoice's own or its owner's default. Days are counted in the
owner's time zone (the business profile's). A reminder is due from its day until
``REMINDER_GRACE_DAYS`` after it (a scheduler that was down catches up, an old one is not sent
late); only the latest due one is sent. Only open invoices (sent, partially paid) with a due
date, a client email and a working link get reminders.

Never two copies: before queueing, a run inserts the ``ReminderClaim`` row (invoice, offset),
unique in the database, in the same transaction as the queued email. A retried run, or a second
scheduler at the same moment, fails to insert it and skips; the email itself is then sent at
most once (notifications/delivery.py).
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import profile_for
from invoices.models import PAYABLE_STATUSES, Invoice
from notifications.models import DEFAULT_REMINDER_OFFSETS, EmailKind, NotificationPreferences, ReminderClaim
from notifications.services import queue_email

logger = logging.getLogger(__name__)

# Offsets allowed in a schedule (days from the due date).
MIN_OFFSET, MAX_OFFSET = -60, 90


def owner_today(owner: Any, now: datetime) -> date:
    try:
        zone = ZoneInfo(profile_for(owner).time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return timezone.localtime(now, zone).date()


def schedule_of(invoice: Invoice, prefs: NotificationPreferences | None) -> list[int]:
    """The offsets that apply to this invoice ([] when its reminders are off)."""
    own = getattr(invoice, "reminder_schedule", None)
    if own is not None:
        return sorted(set(own.offsets)) if own.enabled else []
    if prefs is not None:
        return sorted(set(prefs.reminder_offsets)) if prefs.reminders_enabled else []
    return list(DEFAULT_REMINDER_OFFSETS)


def due_offset(due_date: date, offsets: list[int], today: date, grace: int) -> int | None:
    """The latest offset whose day has come, if it came at most ``grace`` days ago."""
    passed = [offset for offset in offsets if due_date + timedelta(days=offset) <= today]
    if not passed:
        return None
    latest = max(passed)
    return latest if (today - (due_date + timedelta(days=latest))).days <= grace else None


def candidates(now: datetime) -> Any:
    today = now.date()
    return (
        Invoice.objects.filter(
            status__in=PAYABLE_STATUSES,
            link_enabled=True,
            due_date__gte=today - timedelta(days=MAX_OFFSET + settings.REMINDER_GRACE_DAYS + 2),
            due_date__lte=today + timedelta(days=-MIN_OFFSET + 2),
        )
        .exclude(client_email="")
        .select_related("owner", "reminder_schedule")
        .order_by("due_date", "id")
    )


def claim_and_queue(invoice: Invoice, offset: int) -> bool:
    """Claim (invoice, offset) and queue its email in one transaction; False if already claimed."""
    try:
        with transaction.atomic():
            claim = ReminderClaim.objects.create(invoice=invoice, offset_days=offset)
            log = queue_email(
                invoice=invoice, kind=EmailKind.REMINDER, to=invoice.client_email, context={"offset_days": offset}
            )
            claim.email = log
            claim.save(update_fields=["email"])
    except IntegrityError:
        return False
    return True


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue every reminder due now; returns how many were queued by this run."""
    now = now or timezone.now()
    grace = settings.REMINDER_GRACE_DAYS
    owners: dict[Any, tuple[NotificationPreferences | None, date]] = {}
    queued = 0
    for invoice in candidates(now):
        if invoice.owner_id not in owners:
            prefs = NotificationPreferences.objects.filter(user_id=invoice.owner_id).first()
            owners[invoice.owner_id] = (prefs, owner_today(invoice.owner, now))
        prefs, today = owners[invoice.owner_id]
        if not invoice.is_payable or invoice.due_date is None:
            continue
        offset = due_offset(invoice.due_date, schedule_of(invoice, prefs), today, grace)
        if offset is not None and claim_and_queue(invoice, offset):
            queued += 1
    if queued:
        logger.info("Queued %s payment reminder(s)", queued)
    return queued
