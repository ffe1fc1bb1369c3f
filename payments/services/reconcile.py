"""Reconciliation: ask the gateways about payments and refunds still open, and apply what they
say, through the same transitions as webhooks. Used by the scheduled task and by
``manage.py reconcile_payments``, so a missed webhook is repaired either way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from payments.errors import PaymentError
from payments.services import refunds, status_sync


@dataclass(frozen=True, slots=True)
class Checked:
    """One payment or refund asked about: its status before and after, or why the gateway could
    not answer (``error``, then ``after`` is the status it kept)."""

    kind: str  # "payment" or "refund"
    id: str
    before: str
    after: str
    error: str = ""

    @property
    def changed(self) -> bool:
        return not self.error and self.before != self.after


def reconcile(
    *, unchanged_since: datetime, limit: int, before_call: Callable[[Any], None] | None = None
) -> list[Checked]:
    """Refresh open payments and pending refunds nothing has changed since ``unchanged_since``,
    oldest first. ``before_call`` is given each object's gateway config id before its gateway is
    asked (to pace calls per account)."""
    results = []
    for payment in status_sync.stale_payments(unchanged_since=unchanged_since, limit=limit):
        if before_call:
            before_call(payment.gateway_config_id)
        results.append(_checked("payment", payment, lambda p=payment: status_sync.refresh_payment(payment=p)))
    for refund in status_sync.stale_refunds(unchanged_since=unchanged_since, limit=limit):
        if before_call:
            before_call(refund.payment.gateway_config_id)
        results.append(_checked("refund", refund, lambda r=refund: refunds.refresh_refund(refund=r)))
    return results


def _checked(kind: str, obj: Any, refresh: Callable[[], Any]) -> Checked:
    before = obj.status
    try:
        after = refresh().status
    except PaymentError as exc:
        return Checked(kind, str(obj.pk), before, before, error=f"{exc.code}: {exc.message}")
    return Checked(kind, str(obj.pk), before, after)
