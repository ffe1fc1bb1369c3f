"""Helpers for the webhook pipeline's tests: gateway events built in hand and stored as they would be."""

from __future__ import annotations

import itertools
import time
from decimal import Decimal
from typing import Any

import pytest

from payments.gateways.base import EventKind, GatewayEvent, RefundSnapshot
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentWebhookEvent, WebhookEventStatus
from payments.services import PaymentService
from payments.webhooks import codec

_ids = itertools.count(1)

# The provider's payment id (a Stripe PaymentIntent, say), known to us once the completion links it.
REFERENCE = "pi_linked_on_completion"


def gateway_event(kind: EventKind = EventKind.PAYMENT_SUCCEEDED, **fields: Any) -> GatewayEvent:
    """A sandbox-shaped event as the adapter reads it (``payload`` is not read by processing)."""
    defaults: dict[str, Any] = {
        "event_id": f"evt_test_{next(_ids)}",
        "event_type": "checkout.completed",
        "payload": {"test": True},
        "currency": "USD",
    }
    return GatewayEvent(kind=kind, **{**defaults, **fields})


def paid(payment: Any, **fields: Any) -> GatewayEvent:
    """The checkout's completion: names our payment and links the provider's payment reference."""
    defaults = {
        "payment_id": str(payment.pk),
        "session_id": payment.gateway_session_id,
        "payment_reference": REFERENCE,
        "amount": payment.amount,
    }
    return gateway_event(**{**defaults, **fields})


def stored(
    config: PaymentGatewayConfig | None,
    event: GatewayEvent,
    status: str = WebhookEventStatus.RECEIVED,
    *,
    account: str | None = None,
) -> PaymentWebhookEvent:
    """The row ``receive`` stores for a verified event."""
    return PaymentWebhookEvent.objects.create(
        gateway_name="sandbox",
        gateway_account=account or (str(config.pk) if config else "platform"),
        gateway_config=config,
        event_id=event.event_id,
        event_type=event.event_type,
        object_reference=event.payment_reference or "",
        payload=dict(event.payload),
        normalized=codec.encode(event),
        status=status,
    )


@pytest.fixture
def payment(invoice):  # type: ignore[no-untyped-def]
    """A pending 100.00 USD sandbox payment with its checkout open and, as with Stripe, no provider
    payment reference until its completion event links one."""
    created = PaymentService().create_checkout(invoice_id=invoice.pk).payment
    InvoicePayment.objects.filter(pk=created.pk).update(gateway_payment_reference="")
    created.refresh_from_db()
    return created


def refund_snapshot(refund_id: str, amount: str, currency: str = "USD") -> RefundSnapshot:
    """A refund made in the provider's dashboard, as the gateway reports it."""
    return RefundSnapshot(refund_id=refund_id, amount=Decimal(amount), currency=currency, status="succeeded")


def completion_payload(payment: Any, event_id: str = "evt_completed", reference: str = REFERENCE) -> dict[str, Any]:
    """The sandbox's signed-body shape of ``paid(payment)``."""
    return {
        "id": event_id,
        "type": "checkout.completed",
        "created": int(time.time()),
        "data": {
            "object": {
                "id": payment.gateway_session_id,
                "payment_status": "paid",
                "amount": str(payment.amount),
                "currency": payment.currency,
                "payment_reference": reference,
                "metadata": {"payment_id": str(payment.pk)},
            }
        },
    }


def dashboard_refund_payload(event_id: str, refund_id: str, amount: str, reference: str = REFERENCE) -> dict[str, Any]:
    """A refund made in the provider's dashboard, naming only the provider's payment (as Stripe's
    ``charge.refunded`` does): it can wait for its payment."""
    refund = {"id": refund_id, "amount": amount, "currency": "USD", "status": "succeeded"}
    obj = {"payment_reference": reference, "currency": "USD", "metadata": {}, "refunds": [refund]}
    return {"id": event_id, "type": "refund.updated", "created": int(time.time()), "data": {"object": obj}}
