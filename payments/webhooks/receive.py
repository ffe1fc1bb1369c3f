"""Receive one webhook delivery: verify it, store it once, hand it to a worker.

A delivery is verified with the gateway's own signature scheme before anything is stored, and
outside any transaction. A verified event is stored once per (gateway, account, event id), the
account being the config whose endpoint received it (or the platform's): event ids are the
sender's to choose, so one tenant's event must never shadow another's. Storing it is one INSERT,
its own transaction (a savepoint when the caller is already in one); its processing
(``payments.tasks.process_webhook_event``) is enqueued once it is committed, and the gateway is
answered 200 at once. The config is read by one query compiled to SQL once per connection.

The stored row is the source of truth: a task lost with the broker, or with a worker killed
mid-task, is found again by ``payments.tasks.sweep_webhook_events``. A redelivery changes
nothing; if its first copy is not finished yet, its processing is enqueued once more (applying
an event is idempotent). A processing failure is never the gateway's problem: it is kept on
the row (``failed``, with its error), retried by the worker, and replayable from the admin.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction

from core import json_input
from core.background import enqueue, runs_in_process
from core.prepared import PreparedQuery
from payments.connections import gateway_for
from payments.errors import PayloadTooLarge, PaymentError, UnknownGateway, WebhookPayloadInvalid
from payments.gateways import registry
from payments.gateways.base import GatewayEvent, PaymentGatewayBase
from payments.models import PLATFORM_ACCOUNT, PaymentGatewayConfig, PaymentWebhookEvent
from payments.tasks import process_webhook_event
from payments.webhooks import codec
from payments.webhooks.process import DONE

logger = logging.getLogger(__name__)

# What verifying a delivery reads of its config: the adapter's name, mode and credentials.
CONFIG_COLUMNS = ("id", "gateway_name", "mode", "credentials_encrypted")
_CONFIG = PreparedQuery(
    lambda m, _: (
        PaymentGatewayConfig.objects.filter(pk=m.uuid(), gateway_name=m.text()).order_by().values_list(*CONFIG_COLUMNS)
    )
)


def config_for(config_id: UUID, gateway_name: str) -> PaymentGatewayConfig | None:
    """The config whose endpoint received a delivery, with only what verifying it reads (another
    field would be read from the database when first used)."""
    rows = _CONFIG.rows(config_id, gateway_name)
    return PaymentGatewayConfig.from_db(DEFAULT_DB_ALIAS, CONFIG_COLUMNS, rows[0]) if rows else None


def receive(
    *, gateway_name: str, config_id: UUID | None, body: bytes, headers: Mapping[str, str]
) -> PaymentWebhookEvent:
    """Verify and store one delivery, and enqueue its processing; return the stored event."""
    if len(body) > settings.WEBHOOK_MAX_BODY_BYTES:
        raise PayloadTooLarge(f"Webhook bodies are limited to {settings.WEBHOOK_MAX_BODY_BYTES} bytes.")
    gateway_cls = registry.get(gateway_name)
    config = None
    if config_id is not None:
        config = config_for(config_id, gateway_name)
        if config is None:
            raise UnknownGateway("No such gateway configuration.")
        gateway = gateway_for(config)
        secrets = gateway.webhook_secrets()
    else:
        gateway = gateway_cls(credentials={}, mode="live", config_id=None)
        secrets = gateway_cls.platform_webhook_secrets()
    lowered = {key.lower(): value for key, value in headers.items()}
    event, normalized = _verified(gateway, body=body, headers=lowered, secrets=secrets)  # raises before storing
    row, created = _store_once(event, normalized, config=config, gateway_name=gateway_name)
    if created or row.status not in DONE:
        enqueue(process_webhook_event, str(row.pk))
        if runs_in_process(process_webhook_event):
            # No broker: the task has just run in this process, after the commit; answer its outcome.
            row.refresh_from_db(fields=["status", "error", "attempts", "payment", "processed_at"])
    return row


def account_of(config: PaymentGatewayConfig | None) -> str:
    """The account an event belongs to: the config whose endpoint received it, or the platform."""
    return PLATFORM_ACCOUNT if config is None else str(config.pk)


def stored_event(*, gateway_name: str, account: str, event_id: str) -> PaymentWebhookEvent:
    """The stored event with this id, from this account (a redelivery's first copy)."""
    return PaymentWebhookEvent.objects.get(gateway_name=gateway_name, gateway_account=account, event_id=event_id[:255])


def _verified(
    gateway: PaymentGatewayBase, *, body: bytes, headers: Mapping[str, str], secrets: Any
) -> tuple[GatewayEvent, dict[str, Any]]:
    """The adapter's reading of a delivery and its JSON to store, refused (400, nothing stored)
    unless it can be stored whole."""
    try:
        event = gateway.parse_webhook(body=body, headers=headers, secrets=secrets)
    except PaymentError:
        raise
    except Exception:
        # An adapter (perhaps a plugin) that trips over a signed body it cannot read: the
        # sender's mistake or ours, but answering 500 would only make the gateway retry it forever.
        logger.exception("The %s adapter could not read a webhook body", gateway.name)
        raise WebhookPayloadInvalid("The webhook body is not an event this gateway sends.") from None
    try:
        normalized = codec.encode(event)
        json_input.check(dict(event.payload))
        json_input.check(normalized)
    except (json_input.UnreadableJSON, TypeError, ValueError, AttributeError) as exc:
        raise WebhookPayloadInvalid(f"The webhook body cannot be stored: {exc}") from None
    if not isinstance(event.event_id, str) or not event.event_id or not isinstance(event.event_type, str):
        raise WebhookPayloadInvalid("The event has no id or type.")
    return event, normalized


def _store_once(
    event: GatewayEvent, normalized: dict[str, Any], *, config: PaymentGatewayConfig | None, gateway_name: str
) -> tuple[PaymentWebhookEvent, bool]:
    """The stored event, and whether this delivery stored it: one INSERT, committed on its own
    (in autocommit, as a request runs), or in a savepoint of the caller's transaction, so that a
    duplicate's refusal never breaks it. A concurrent copy waits on the unique (gateway, account,
    event id) key until this one commits, then finds it."""
    row = PaymentWebhookEvent(
        gateway_name=gateway_name,
        gateway_account=account_of(config),
        event_id=event.event_id[:255],
        event_type=event.event_type[:100],
        gateway_config=config,
        object_reference=(event.payment_reference or "")[:255],
        payload=dict(event.payload),
        normalized=normalized,
    )
    try:
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                row.save(force_insert=True)
        else:
            row.save(force_insert=True)
    except IntegrityError:  # stored already
        return stored_event(gateway_name=gateway_name, account=account_of(config), event_id=event.event_id), False
    return row, True
