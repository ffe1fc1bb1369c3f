"""Background work of the payments app (found by Celery's autodiscovery).

- ``process_webhook_event``: apply one stored webhook event (the inbox's second half), retried
  with exponential backoff; after its last try the event stays ``failed`` with its error, for
  the admin's "Reprocess" action.
- ``sweep_webhook_events`` (every 30 s): the stored rows are the source of truth, not the
  broker's messages. Events still ``received``, or ``failed`` with tries left, are enqueued
  again; ``waiting`` events whose payment has been linked meanwhile are applied.
- ``reconcile_payments`` (every 10 minutes): open payments and pending refunds nothing has
  changed for a while are refreshed from their gateway (what ``manage.py reconcile_payments`` does).
- ``expire_stale_checkouts`` (every 5 minutes): pending payments past their ``expires_at`` are
  closed by what their gateway says, or cancelled when their checkout was never opened.
- ``close_invoice_checkouts`` (enqueued when an invoice is voided or its link turned off or
  replaced): its open checkouts are expired at their gateway (``payments.services.closing``),
  retried with backoff while a gateway cannot be reached.

Every task is idempotent and safe with several workers: a message delivered twice, or a sweep
racing the task it re-enqueues, applies nothing twice (the event row is locked while it is
applied, and a finished one is skipped). Gateway calls never run inside a transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from core.background import enqueue
from payments import state
from payments.connections import gateway_for
from payments.errors import PaymentError
from payments.gateways import registry
from payments.gateways.base import PaymentGatewayBase
from payments.models import InvoicePayment, PaymentWebhookEvent, WebhookEventStatus
from payments.services import PaymentService, closing, reconcile
from payments.webhooks import codec
from payments.webhooks.process import DONE, failed, find_payment, process
from payments.webhooks.replay import recheck, release_waiting
from trackify import metrics

logger = logging.getLogger(__name__)

SWEEP_BATCH = 500


def retry_delay(tries_so_far: int) -> int:
    """Seconds before the next try: the backoff doubles each time, up to ten minutes."""
    return int(min(settings.WEBHOOK_RETRY_BACKOFF_SECONDS * 2**tries_so_far, 600))


@shared_task(bind=True, name="payments.process_webhook_event", acks_late=True, max_retries=None)
def process_webhook_event(self: Any, event_pk: str) -> str:
    """Apply a stored event, then the events that were waiting for the payment it linked.

    A try that fails is recorded on the event (``failed``, its error, one more attempt). While
    the event has tries left (``WEBHOOK_MAX_ATTEMPTS``) the task is retried after a growing
    delay; then it is left ``failed``. Without a broker (the one-process demo) there is no
    waiting retry inside the web request: the sweep, a redelivery or the admin tries again.
    """
    row = PaymentWebhookEvent.objects.select_related("gateway_config").filter(pk=event_pk).first()
    if row is None or row.status in DONE:
        return "done" if row else "missing"
    try:
        outcome = _apply_stored(row)
    except Exception as exc:
        _count(row.gateway_name, WebhookEventStatus.FAILED)
        attempts = PaymentWebhookEvent.objects.filter(pk=event_pk).values_list("attempts", flat=True).first() or 0
        tries = max(attempts, self.request.retries + 1)
        if self.request.is_eager or tries >= settings.WEBHOOK_MAX_ATTEMPTS:
            logger.warning("Webhook event %s failed for good after %s tries: %s", event_pk, tries, exc)
            return WebhookEventStatus.FAILED
        raise self.retry(exc=exc, countdown=retry_delay(tries - 1)) from exc
    _count(row.gateway_name, outcome)
    return outcome


def _count(gateway_name: str, outcome: str) -> None:
    """One try of an event, in the processed-events metric (a gateway the registry does not
    know is counted as ``unknown``: a label never grows from stored data)."""
    label = gateway_name if registry.is_registered(gateway_name) else "unknown"
    if outcome in metrics.PROCESSED_OUTCOMES:
        metrics.webhook_processed(label, outcome)


def _gateway_of(row: PaymentWebhookEvent) -> PaymentGatewayBase:
    """The adapter that verified the event: its config's, or the platform's own."""
    if row.gateway_config_id and row.gateway_config:
        return gateway_for(row.gateway_config)
    return registry.get(row.gateway_name)(credentials={}, mode="live", config_id=None)


def _apply_stored(row: PaymentWebhookEvent) -> str:
    """Apply one stored event; raise (with the event kept ``failed``) when it cannot be."""
    try:
        event = codec.decode(row.normalized, payload=row.payload)
        gateway = _gateway_of(row)
    except Exception as exc:  # a stored reading or a gateway this install cannot read
        raise failed(row, exc) from exc
    row = process(row, event, gateway=gateway)
    release_waiting(row)
    return str(recheck(row, event).status)


# Sweep -----------------------------------------------------------------------------------


@shared_task(name="payments.sweep_webhook_events", acks_late=True)
def sweep_webhook_events() -> dict[str, int]:
    """Enqueue again the events a lost message left unapplied; apply waiting events whose
    payment is now linked. Returns how many of each were enqueued."""
    cutoff = timezone.now() - timedelta(seconds=settings.WEBHOOK_SWEEP_AFTER_SECONDS)
    unfinished = Q(status=WebhookEventStatus.RECEIVED) | Q(
        status=WebhookEventStatus.FAILED, attempts__lt=settings.WEBHOOK_MAX_ATTEMPTS
    )
    stuck = list(
        PaymentWebhookEvent.objects.filter(unfinished, updated_at__lte=cutoff)
        .order_by("received_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in stuck:
        enqueue(process_webhook_event, str(pk))
    linked = 0
    waiting = PaymentWebhookEvent.objects.filter(status=WebhookEventStatus.WAITING, updated_at__lte=cutoff)
    for row in waiting.order_by("received_at")[:SWEEP_BATCH]:
        event = codec.decode(row.normalized, payload=row.payload)
        if find_payment(event, gateway_name=row.gateway_name, config_id=row.gateway_config_id) is not None:
            enqueue(process_webhook_event, str(row.pk))
            linked += 1
    if stuck or linked:
        logger.info("Webhook sweep: %s unfinished and %s waiting event(s) enqueued again", len(stuck), linked)
    return {"unfinished": len(stuck), "waiting": linked}


# Reconcile and expire --------------------------------------------------------------------


def _single_flight(name: str, seconds: int) -> bool:
    """Whether this run may go ahead: one run of a gateway-calling schedule at a time across
    workers (each run is idempotent anyway; this only spares the gateways' rate limits)."""
    try:
        return bool(cache.add(f"task-running:{name}", 1, timeout=seconds))
    except Exception:  # the shared cache is down: run anyway
        logger.warning("No cache for the %s lock; running without it", name, exc_info=True)
        return True


def _release(name: str) -> None:
    try:
        cache.delete(f"task-running:{name}")
    except Exception:
        logger.warning("Could not release the %s lock; it expires by itself", name, exc_info=True)


@shared_task(name="payments.reconcile_payments", acks_late=True)
def reconcile_payments(older_than_minutes: float = 10.0, limit: int = 5000) -> dict[str, int]:
    """The scheduled ``reconcile_payments``: returns how many were checked, changed, unreachable."""
    if not _single_flight("reconcile_payments", 15 * 60):
        return {"checked": 0, "changed": 0, "errors": 0}
    try:
        cutoff = timezone.now() - timedelta(minutes=older_than_minutes)
        results = reconcile.reconcile(unchanged_since=cutoff, limit=limit)
    finally:
        _release("reconcile_payments")
    errors = sum(bool(result.error) for result in results)
    changed = sum(result.changed for result in results)
    return {"checked": len(results), "changed": changed, "errors": errors}


@shared_task(name="payments.expire_stale_checkouts", acks_late=True)
def expire_stale_checkouts(limit: int = 1000) -> dict[str, int]:
    """Close pending payments past their ``expires_at``: as their gateway reports them (an
    expired checkout), or cancelled when their checkout was never opened. One the gateway
    still reports open (the payer is paying) stays as it is."""
    if not _single_flight("expire_stale_checkouts", 10 * 60):
        return {"checked": 0, "closed": 0}
    try:
        stale = list(
            InvoicePayment.objects.select_related("gateway_config")
            .filter(status=state.PaymentStatus.PENDING, expires_at__lt=timezone.now())
            .order_by("expires_at")[:limit]
        )
        closed = 0
        service = PaymentService()
        for payment in stale:
            try:
                closed += service.refresh_payment(payment=payment).status != state.PaymentStatus.PENDING
            except PaymentError as exc:
                logger.warning("Could not close stale checkout %s: %s", payment.pk, exc.code)
    finally:
        _release("expire_stale_checkouts")
    return {"checked": len(stale), "closed": closed}


# Closing checkouts -----------------------------------------------------------------------

# Tries after the first while a gateway cannot be reached: 30 s, 1, 2, 4 and 8 minutes, well
# inside a checkout's own lifetime. Without a broker (the one-process demo) there is one
# immediate second try: the void's request must not wait out an outage.
CLOSE_RETRIES = 5
CLOSE_RETRIES_IN_PROCESS = 1


@shared_task(bind=True, name="payments.close_invoice_checkouts", acks_late=True, max_retries=CLOSE_RETRIES)
def close_invoice_checkouts(
    self: Any, invoice_id: str, reason: str, opened_before: str | None = None
) -> dict[str, int]:
    """Expire an invoice's open checkouts at their gateway (the invoice was voided, or its link
    turned off or replaced: ``reason``); ``opened_before`` (ISO 8601) limits it to checkouts
    opened through a link replaced then. A checkout whose gateway cannot be reached stays
    pending while tries are left (the task runs again for those only, each run idempotent);
    after the last one it is closed on our side only and money that still arrives is recorded."""
    limit = CLOSE_RETRIES_IN_PROCESS if self.request.is_eager else CLOSE_RETRIES
    last_try = self.request.retries >= limit
    before = datetime.fromisoformat(opened_before) if opened_before else None
    outcome = closing.close_checkouts(UUID(invoice_id), reason=reason, opened_before=before, last_try=last_try)
    if outcome.unreachable:
        logger.info("Checkouts %s of invoice %s not closed yet; trying again", outcome.unreachable, invoice_id)
        raise self.retry(countdown=30 * 2**self.request.retries)
    return {"closed": outcome.closed, "paid": outcome.paid}


@shared_task(name="payments.retire_webhook_endpoints", acks_late=True)
def retire_webhook_endpoints() -> int:
    """The scheduled ``retire_webhook_endpoints``: delete the managed endpoints of archived
    configs whose payments can no longer change; returns how many were deleted."""
    from payments.services import webhook_endpoints

    return webhook_endpoints.retire_archived_endpoints()
