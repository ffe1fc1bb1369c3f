"""Webhook endpoints Trackify creates at the gateway for a config (``webhook_mode`` managed).

When a gateway ``supports_managed_webhooks`` and the user typed no signing secret, a verified
config gets an endpoint at the gateway pointing at its own ``webhook_url``, with exactly the
events the gateway handles; the secret the gateway returns (once) is stored with the
credentials, encrypted.

Every gateway call happens outside a transaction. So that two saves at the same moment never
create two endpoints, a caller first *claims* the row: a compare-and-set of
``webhook_endpoint_id`` from what it read to a claim token. Only the winner calls the gateway,
then stores the endpoint if its claim still stands (else it deletes what it created). A claim
left by a process that died is stale after ``CLAIM_TIMEOUT`` and may be taken over.

Lifecycle: deleting a config deletes its endpoint. A config archived because it has payments
keeps its endpoint, since refunds and disputes of those payments still arrive, until
``retire_archived_endpoints`` finds that none of them can change any more: none open, no open
dispute, and the last one captured more than ``ARCHIVED_ENDPOINT_RETENTION`` ago (card
networks allow disputes for up to 120 days; refunds are allowed for about as long).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from payments import state
from payments.connections import gateway_for
from payments.errors import GatewayCredentialsInvalid, GatewayRequestRejected, PaymentError
from payments.gateways import registry
from payments.gateways.base import WebhookEndpoint
from payments.models import DisputeStatus, PaymentGatewayConfig, WebhookMode

logger = logging.getLogger(__name__)

CLAIM_PREFIX = "creating:"
CLAIM_TIMEOUT = timedelta(minutes=2)
ARCHIVED_ENDPOINT_RETENTION = timedelta(days=180)
# Secrets kept during a rotation: the new one first, then the one it replaces.
SECRETS_KEPT = 2


def manages_webhooks(config: PaymentGatewayConfig) -> bool:
    """Whether the config's gateway can create its webhook endpoint for the user."""
    return registry.is_registered(config.gateway_name) and registry.get(config.gateway_name).supports_managed_webhooks


def _is_claim(value: str) -> bool:
    return value.startswith(CLAIM_PREFIX)


def _claim_is_stale(value: str) -> bool:
    try:
        claimed_at = float(value.removeprefix(CLAIM_PREFIX).split(":", 1)[0])
    except ValueError:
        return True
    return time.time() - claimed_at > CLAIM_TIMEOUT.total_seconds()


def _claim(config: PaymentGatewayConfig, *, expected: str) -> str | None:
    """Compare-and-set the row's endpoint id from ``expected`` to a fresh claim token."""
    token = f"{CLAIM_PREFIX}{time.time():.3f}:{config.pk}"[:255]
    won = PaymentGatewayConfig.objects.filter(pk=config.pk, webhook_endpoint_id=expected).update(
        webhook_endpoint_id=token
    )
    return token if won else None


def _release(config: PaymentGatewayConfig, token: str, *, restore: str = "") -> None:
    PaymentGatewayConfig.objects.filter(pk=config.pk, webhook_endpoint_id=token).update(webhook_endpoint_id=restore)


def ensure(*, config: PaymentGatewayConfig) -> PaymentGatewayConfig:
    """Create the config's endpoint at the gateway if it should have one and has none.

    Nothing happens for a gateway that cannot manage endpoints, a config not verified (the keys
    may be wrong: asked again by ``verify``), an archived one, or one whose user typed a secret.
    A gateway that cannot create it leaves the config in manual mode (the settings page says
    to paste a secret, or to repair later); it is never an error of the save itself.
    """
    config.refresh_from_db()
    current = config.webhook_endpoint_id
    if not manages_webhooks(config) or config.verified_at is None or config.archived_at is not None:
        return config
    if config.webhook_mode == WebhookMode.MANUAL and config.get_credentials().get("webhook_secret"):
        return config
    if current and not (_is_claim(current) and _claim_is_stale(current)):
        return config
    token = _claim(config, expected=current)
    if token is None:  # another request is creating it right now
        config.refresh_from_db()
        return config
    try:
        _create_and_store(config, token, previous_endpoint="")
    except PaymentError as exc:
        logger.warning("Could not create the webhook endpoint of config %s: %s", config.pk, exc.message)
    config.refresh_from_db()
    return config


def repair(*, config: PaymentGatewayConfig) -> PaymentGatewayConfig:
    """Create a new endpoint at the gateway and switch to it, then delete the old one.

    The new secret goes first and the old one stays accepted, so events the old endpoint signed
    and delivers late still verify; the new endpoint exists before the old one is deleted, so
    no event falls between the two. Works from manual mode too (the switch to managed).
    """
    if not manages_webhooks(config):
        raise GatewayRequestRejected(
            "This gateway cannot create webhook endpoints; paste the signing secret from its dashboard instead."
        )
    config.refresh_from_db()
    if config.verified_at is None:
        raise GatewayCredentialsInvalid("Verify this configuration's keys before repairing its webhooks.")
    current = config.webhook_endpoint_id
    if _is_claim(current) and not _claim_is_stale(current):
        raise GatewayRequestRejected("The webhook endpoint is being created right now; try again in a moment.")
    previous = "" if _is_claim(current) else current
    token = _claim(config, expected=current)
    if token is None:
        raise GatewayRequestRejected("The webhook endpoint changed meanwhile; try again in a moment.")
    try:
        _create_and_store(config, token, previous_endpoint=previous)
    except PaymentError:
        _release(config, token, restore=previous)
        raise
    if previous:
        _delete_quietly(config, previous)
    config.refresh_from_db()
    return config


def _create_and_store(config: PaymentGatewayConfig, token: str, *, previous_endpoint: str) -> None:
    try:
        endpoint = gateway_for(config).create_webhook_endpoint(url=config.webhook_url)
    except PaymentError:
        _release(config, token, restore=previous_endpoint)
        raise
    if not _store(config, token, endpoint):
        # The config was deleted or changed hands meanwhile: what we created serves no one.
        _delete_quietly(config, endpoint.endpoint_id)


@transaction.atomic
def _store(config: PaymentGatewayConfig, token: str, endpoint: WebhookEndpoint) -> bool:
    locked = PaymentGatewayConfig.objects.select_for_update().filter(pk=config.pk, webhook_endpoint_id=token).first()
    if locked is None:
        return False
    credentials = locked.get_credentials()
    secrets: dict[str, str] = dict(endpoint.credentials)
    new_secret, old_secrets = secrets.get("webhook_secret"), credentials.get("webhook_secret", "")
    if new_secret and old_secrets:
        kept = [new_secret, *[s for s in old_secrets.split(",") if s and s != new_secret]][:SECRETS_KEPT]
        secrets["webhook_secret"] = ",".join(kept)
    merged = {**credentials, **secrets}
    locked.set_credentials(merged, registry.get(locked.gateway_name).credentials_preview(merged))
    locked.webhook_endpoint_id = endpoint.endpoint_id
    locked.webhook_mode = WebhookMode.MANAGED
    locked.save(update_fields=["credentials_encrypted", "credentials_preview", "webhook_endpoint_id", "webhook_mode", "updated_at"])
    logger.info("Config %s now has webhook endpoint %s at the gateway", locked.pk, endpoint.endpoint_id)
    return True


def _delete_quietly(config: PaymentGatewayConfig, endpoint_id: str) -> bool:
    """Delete an endpoint at the gateway; a failure is logged (the endpoint then only receives
    404s from us and the gateway disables it), never raised."""
    if not endpoint_id or _is_claim(endpoint_id):
        return False
    try:
        gateway_for(config).delete_webhook_endpoint(endpoint_id=endpoint_id)
    except PaymentError as exc:
        logger.warning("Could not delete webhook endpoint %s of config %s: %s", endpoint_id, config.pk, exc.message)
        return False
    return True


def delete_endpoint_of(config: PaymentGatewayConfig) -> None:
    """Delete the managed endpoint of a config that was just deleted (``config`` as it was)."""
    if manages_webhooks(config) and config.webhook_mode == WebhookMode.MANAGED:
        _delete_quietly(config, config.webhook_endpoint_id)


def _account_keys(config: PaymentGatewayConfig) -> list[str | None]:
    """The typed secret credentials, which name the account at the gateway (Stripe's secret key,
    PayPal's app secret); a webhook signing secret does not."""
    credentials = config.get_credentials()
    fields = registry.get(config.gateway_name).credential_fields
    return [credentials.get(f.name) for f in fields if f.secret and f.name != "webhook_secret"]


def after_change(*, before: PaymentGatewayConfig, config: PaymentGatewayConfig) -> PaymentGatewayConfig:
    """After keys changed: a managed endpoint made with another secret key may belong to another
    account, and one the user replaced with a typed secret is no longer used: either is deleted
    with the keys that made it; then ``ensure`` creates what is missing."""
    old_endpoint = before.webhook_endpoint_id
    if before.webhook_mode == WebhookMode.MANAGED and old_endpoint and not _is_claim(old_endpoint):
        replaced = config.webhook_mode == WebhookMode.MANUAL
        other_account = _account_keys(before) != _account_keys(config)
        if (replaced or other_account) and _claim(config, expected=old_endpoint):
            _forget_endpoint(config, keep_secret=replaced)
            _delete_quietly(before, old_endpoint)
    return ensure(config=config)


@transaction.atomic
def _forget_endpoint(config: PaymentGatewayConfig, *, keep_secret: bool) -> None:
    locked = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    if not keep_secret:
        credentials = {k: v for k, v in locked.get_credentials().items() if k != "webhook_secret"}
        locked.set_credentials(credentials, registry.get(locked.gateway_name).credentials_preview(credentials))
    locked.webhook_endpoint_id = ""
    locked.webhook_mode = WebhookMode.MANUAL
    locked.save(update_fields=["credentials_encrypted", "credentials_preview", "webhook_endpoint_id", "webhook_mode", "updated_at"])


def retire_archived_endpoints() -> int:
    """Delete the endpoints of archived configs whose payments can no longer change; returns
    how many were deleted. Safe to run at any time, any number of times."""
    cutoff = timezone.now() - ARCHIVED_ENDPOINT_RETENTION
    candidates = (
        PaymentGatewayConfig.objects.filter(archived_at__isnull=False, webhook_mode=WebhookMode.MANAGED)
        .exclude(webhook_endpoint_id="")
        .exclude(payments__status__in=state.OPEN)
        .exclude(payments__disputes__status__in=[DisputeStatus.NEEDS_RESPONSE, DisputeStatus.UNDER_REVIEW])
        .annotate(last_paid=Max("payments__succeeded_at"))
        .filter(Q(last_paid__isnull=True) | Q(last_paid__lt=cutoff))
    )
    retired = 0
    for config in candidates:
        endpoint_id = config.webhook_endpoint_id
        if _is_claim(endpoint_id) or not _claim(config, expected=endpoint_id):
            continue
        if _delete_quietly(config, endpoint_id):
            _forget_endpoint(config, keep_secret=True)
            retired += 1
        else:
            _release(config, _current(config), restore=endpoint_id)
    return retired


def _current(config: PaymentGatewayConfig) -> str:
    return PaymentGatewayConfig.objects.filter(pk=config.pk).values_list("webhook_endpoint_id", flat=True).first() or ""
