"""Emails that follow a payment's, a refund's or a dispute's change (``payments.signals``).

The signals are sent inside the transaction that made the change: the rows written here commit
or roll back with it, and the worker is handed the email only after the commit. A problem here
is logged and never undoes the payment's change (each receiver runs in its own savepoint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from notifications.models import EmailKind, NotificationPreferences
from notifications.services import owner_address, preferences_for, queue_email
from payments import state
from payments.models import DisputeStatus
from payments.signals import dispute_changed, payment_status_changed, refund_status_changed

logger = logging.getLogger(__name__)


def _guarded(func: Callable[..., None]) -> Callable[..., None]:
    @wraps(func)
    def run(**kwargs: Any) -> None:
        try:
            with transaction.atomic():
                func(**kwargs)
        except Exception:
            logger.exception("Could not queue the emails for %s", func.__name__)

    return run


def _to_client(invoice: Any, prefs: NotificationPreferences, kind: str, context: dict[str, str]) -> None:
    if invoice.client_email and prefs.send_receipts:
        queue_email(invoice=invoice, kind=kind, to=invoice.client_email, context=context)


def _to_owner(invoice: Any, prefs: NotificationPreferences, kind: str, switch: str, context: dict[str, str]) -> None:
    if not getattr(prefs, switch):  # switched off: the owner's address is not even looked up
        return
    address = owner_address(invoice.owner)
    if address:
        queue_email(invoice=invoice, kind=kind, to=address, context=context)


@receiver(payment_status_changed, dispatch_uid="notifications.payment_status_changed")
@_guarded
def on_payment_status_changed(*, payment: Any, previous: str, **_: Any) -> None:
    context = {"payment_id": str(payment.pk)}
    if payment.status == state.PaymentStatus.SUCCEEDED and previous not in state.SETTLED:
        invoice = payment.invoice
        prefs = preferences_for(invoice.owner)
        _to_client(invoice, prefs, EmailKind.RECEIPT, context)
        _to_owner(invoice, prefs, EmailKind.OWNER_PAYMENT, "notify_payment_succeeded", context)
    elif payment.status == state.PaymentStatus.FAILED and previous != state.PaymentStatus.FAILED:
        invoice = payment.invoice
        _to_owner(
            invoice, preferences_for(invoice.owner), EmailKind.OWNER_PAYMENT_FAILED, "notify_payment_failed", context
        )


@receiver(refund_status_changed, dispatch_uid="notifications.refund_status_changed")
@_guarded
def on_refund_status_changed(*, refund: Any, previous: str | None, **_: Any) -> None:
    if refund.status != state.RefundStatus.SUCCEEDED or previous == state.RefundStatus.SUCCEEDED:
        return
    invoice, context = refund.payment.invoice, {"refund_id": str(refund.pk)}
    prefs = preferences_for(invoice.owner)
    _to_client(invoice, prefs, EmailKind.REFUND, context)
    _to_owner(invoice, prefs, EmailKind.OWNER_REFUND, "notify_refund", context)


@receiver(dispute_changed, dispatch_uid="notifications.dispute_changed")
@_guarded
def on_dispute_changed(*, dispute: Any, previous: str | None, **_: Any) -> None:
    # The owner hears of a new dispute, and of its outcome (won or lost).
    outcome = dispute.status in (DisputeStatus.WON, DisputeStatus.LOST) and previous != dispute.status
    if previous is None or outcome:
        invoice = dispute.payment.invoice
        prefs = preferences_for(invoice.owner)
        _to_owner(invoice, prefs, EmailKind.OWNER_DISPUTE, "notify_dispute", {"dispute_id": str(dispute.pk)})
