"""The public payment link's lifecycle: revoke it, replace it with a new one, give it an expiry.

The link carries ``Invoice.public_id``, never the invoice's own id, so taking a link back is
changing or disabling that one value. Each change is written on the invoice's timeline.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from activity.models import ActivityKind
from activity.services import record
from invoices.errors import InvoiceInvalid, LinkExpired, LinkRevoked
from invoices.models import Invoice, RetiredLink
from invoices.signals import invoice_link_retired

_GONE = {"revoked": LinkRevoked, "expired": LinkExpired}


def check_link(invoice: Invoice, *, now: datetime | None = None) -> Invoice:
    """The invoice if its public link answers now; ``LinkRevoked`` or ``LinkExpired`` (410) if not."""
    state = invoice.link_state(now or timezone.now())
    if state in _GONE:
        raise _GONE[state]()
    return invoice


def revoke_link(*, invoice: Invoice, actor: str = "owner") -> Invoice:
    """Turn the current link off: its public endpoints answer 410 until a new link is made, and
    the checkouts opened through it are closed at their gateway once this commits (whoever
    holds the link must not pay through a checkout left open). Revoking a link that is already
    off changes nothing and writes nothing."""
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.link_enabled:
            invoice.link_enabled = False
            invoice.save(update_fields=["link_enabled", "updated_at"])
            record(invoice.pk, ActivityKind.LINK_REVOKED, actor=actor)
            invoice_link_retired.send(sender=Invoice, invoice=invoice, reason="link_revoked", at=timezone.now())
    return invoice


def regenerate_link(*, invoice: Invoice, actor: str = "owner") -> Invoice:
    """Issue a new public id (the old link answers 410 from now on, and the checkouts opened
    through it are closed at their gateway once this commits) and turn the link on.

    An expiry already in the past is cleared, or the new link would be dead on arrival; one
    still ahead is kept.
    """
    now = timezone.now()
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        RetiredLink.objects.create(public_id=invoice.public_id, invoice=invoice, retired_at=now)
        invoice.public_id = uuid.uuid4()
        invoice.link_enabled = True
        invoice.link_issued_at = now
        if invoice.link_expires_at is not None and invoice.link_expires_at <= now:
            invoice.link_expires_at = None
        invoice.save(update_fields=["public_id", "link_enabled", "link_issued_at", "link_expires_at", "updated_at"])
        record(invoice.pk, ActivityKind.LINK_REGENERATED, actor=actor)
        invoice_link_retired.send(sender=Invoice, invoice=invoice, reason="link_replaced", at=now)
    return invoice


def check_expiry(value: Any, *, now: datetime | None = None) -> None:
    """A new expiry must lie ahead: one in the past would kill the link the moment it is saved
    (turning a link off is what revoke is for)."""
    if value is not None and value <= (now or timezone.now()):
        message = "The link's expiry must be in the future; revoke the link to turn it off now."
        raise InvoiceInvalid(message, details={"link_expires_at": [message]})


def check_payment_link(invoice: Invoice, *, opened_at: datetime) -> Invoice:
    """Like ``check_link``, for a payment opened through the invoice's link at ``opened_at``: a
    payment opened through a link since replaced answers 410 too, so its status never hands
    out the new link's id to whoever held the old one."""
    check_link(invoice)
    if invoice.link_issued_at is not None and opened_at < invoice.link_issued_at:
        raise LinkRevoked()
    return invoice
