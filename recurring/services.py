"""Writes to recurring templates: create, change, pause, resume, cancel, and issue what is due.

Issuing claims each period exactly once: the template's row is locked, the period's
``RecurringPeriod`` row (unique per template and date) is inserted, and the invoice is created
and sent, all in one transaction. A retry, or a second scheduler, either waits for the lock and
then finds the period already past, or fails on the unique row and issues nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.services import profile_for
from invoices.models import Invoice
from invoices.services import create_invoice, send_invoice
from recurring.errors import TemplateCanceled, TemplateInvalid
from recurring.models import RecurringInvoice, RecurringPeriod, TemplateStatus
from recurring.schedule import first_index_on_or_after, period_date

logger = logging.getLogger(__name__)

_EDITABLE = (
    "client_name",
    "client_email",
    "currency",
    "items",
    "allow_partial_payments",
    "notes",
    "interval",
    "interval_count",
    "start_date",
    "end_date",
    "count",
    "days_until_due",
)
_SCHEDULE = ("interval", "interval_count", "start_date", "end_date", "count")


def owner_today(owner: Any) -> date:
    """Today in the owner's time zone (their business profile; UTC when unset or unknown)."""
    try:
        zone = ZoneInfo(profile_for(owner).time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def _date_of(template: RecurringInvoice, index: int) -> date:
    return period_date(
        start=template.start_date, interval=template.interval, interval_count=template.interval_count, index=index
    )


def _place(template: RecurringInvoice, index: int) -> None:
    """Point the template at period ``index``, or at nothing once its end or count is reached."""
    when = _date_of(template, index)
    ended = (template.end_date is not None and when > template.end_date) or (
        template.count is not None and template.issued_count >= template.count
    )
    template.next_index = index
    template.next_issue_date = None if ended else when


def _check(data: Mapping[str, Any]) -> None:
    end, start = data.get("end_date"), data.get("start_date")
    if end is not None and start is not None and end < start:
        raise TemplateInvalid(
            "The end date is before the start date.", details={"end_date": ["Before the start date."]}
        )


def create_template(*, owner: Any, data: Mapping[str, Any]) -> RecurringInvoice:
    """A new active template; its first invoice is issued on ``start_date``."""
    _check(data)
    template = RecurringInvoice(owner=owner, **{name: data[name] for name in _EDITABLE if name in data})
    _place(template, 0)
    template.save()
    return template


def update_template(*, template: RecurringInvoice, data: Mapping[str, Any]) -> RecurringInvoice:
    """Change a template. A new schedule takes effect from the next period not yet issued."""
    with transaction.atomic():
        template = RecurringInvoice.objects.select_for_update().get(pk=template.pk)
        if template.status == TemplateStatus.CANCELED:
            raise TemplateCanceled()
        merged = {"start_date": template.start_date, "end_date": template.end_date, **data}
        _check(merged)
        for name in _EDITABLE:
            if name in data:
                setattr(template, name, data[name])
        if any(name in data for name in _SCHEDULE):
            _replace_schedule(template)
        template.save()
    return template


def _replace_schedule(template: RecurringInvoice) -> None:
    last = template.periods.order_by("-period_date").values_list("period_date", flat=True).first()
    after = last + timedelta(days=1) if last else template.start_date
    index = first_index_on_or_after(
        start=template.start_date,
        interval=template.interval,
        interval_count=template.interval_count,
        day=after,
        from_index=0,
    )
    _place(template, index)


def pause_template(*, template: RecurringInvoice) -> RecurringInvoice:
    """Nothing is issued while paused."""
    return _set_status(template, TemplateStatus.PAUSED)


def resume_template(*, template: RecurringInvoice) -> RecurringInvoice:
    """Start issuing again from the first period on or after today; periods missed while paused
    are skipped, not issued late (a client is never sent a stack of back-dated invoices)."""
    return _set_status(template, TemplateStatus.ACTIVE)


def cancel_template(*, template: RecurringInvoice) -> RecurringInvoice:
    """Stop for good; the invoices it issued stay as they are."""
    return _set_status(template, TemplateStatus.CANCELED)


def _set_status(template: RecurringInvoice, status: str) -> RecurringInvoice:
    with transaction.atomic():
        template = RecurringInvoice.objects.select_for_update().get(pk=template.pk)
        if template.status == TemplateStatus.CANCELED:
            if status == TemplateStatus.CANCELED:
                return template
            raise TemplateCanceled()
        if status == TemplateStatus.ACTIVE and template.status == TemplateStatus.PAUSED:
            index = first_index_on_or_after(
                start=template.start_date,
                interval=template.interval,
                interval_count=template.interval_count,
                day=owner_today(template.owner),
                from_index=template.next_index,
            )
            _place(template, index)
        if status == TemplateStatus.CANCELED:
            template.next_issue_date = None
        template.status = status
        template.save()
    return template


def issue_due(*, as_of: date | None = None) -> int:
    """Issue every period due by ``as_of`` (else each owner's today); returns how many invoices.

    A template behind by several periods (the scheduler was down) issues each one, with its own
    period date. Safe to run twice at once and to retry.
    """
    issued = 0
    latest = as_of or timezone.now().date() + timedelta(days=1)  # no time zone is a day ahead of UTC+14
    due = RecurringInvoice.objects.filter(status=TemplateStatus.ACTIVE, next_issue_date__lte=latest)
    for template in due.select_related("owner").iterator():
        today = as_of or owner_today(template.owner)
        while (step := issue_next(template_id=template.pk, today=today)) is not False:
            issued += step is not True
    return issued


def issue_next(*, template_id: Any, today: date) -> Invoice | bool:
    """Issue the template's next period if it is due by ``today``: the invoice; True when that
    period had been claimed already (skipped past it); False when nothing is due."""
    with transaction.atomic():
        template = RecurringInvoice.objects.select_for_update().select_related("owner").get(pk=template_id)
        if template.status != TemplateStatus.ACTIVE or template.next_issue_date is None:
            return False
        when = template.next_issue_date
        if when > today:
            return False
        try:
            with transaction.atomic():
                period = RecurringPeriod.objects.create(template=template, period_date=when, index=template.next_index)
        except IntegrityError:
            logger.info("Period %s of recurring invoice %s was already issued", when, template.pk)
            template.issued_count = template.periods.count()
            _place(template, template.next_index + 1)
            template.save(update_fields=["next_index", "next_issue_date", "issued_count", "updated_at"])
            return True
        invoice = _issue_invoice(template, when)
        period.invoice = invoice
        period.save(update_fields=["invoice"])
        template.issued_count += 1
        _place(template, template.next_index + 1)
        template.save(update_fields=["next_index", "next_issue_date", "issued_count", "updated_at"])
        _after_issue(template, invoice)
    return invoice


def _issue_invoice(template: RecurringInvoice, when: date) -> Invoice:
    data = {
        "client_name": template.client_name,
        "client_email": template.client_email,
        "currency": template.currency,
        "issue_date": when,
        "due_date": when + timedelta(days=template.days_until_due),
        "notes": template.notes,
        "allow_partial_payments": template.allow_partial_payments,
        "items": [_item(item) for item in template.items],
    }
    invoice = create_invoice(owner=template.owner, data=data, actor="system")
    Invoice.objects.filter(pk=invoice.pk).update(recurring_invoice=template)
    invoice.recurring_invoice = template
    return send_invoice(invoice=invoice, actor="system")


def _item(item: Mapping[str, Any]) -> dict[str, Any]:
    from decimal import Decimal

    return {
        "description": item["description"],
        "quantity": Decimal(str(item["quantity"])),
        "unit_price": Decimal(str(item["unit_price"])),
    }


def _after_issue(template: RecurringInvoice, invoice: Invoice) -> None:
    """Email the client (when there is an address) or start autopay; both run after the commit."""
    from recurring import autopay

    if invoice.client_email:
        from notifications.services import email_invoice

        email_invoice(invoice=invoice, actor="system")
    if template.autopay and template.autopay_method_id:
        autopay.schedule_charge(template=template, invoice=invoice)
