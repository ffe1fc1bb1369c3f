"""Writes to gateway configurations: create, update, set default, verify, delete or archive.

``connect`` and ``change`` are what the settings page calls: they check the credentials'
shape, ask the gateway whether it accepts them (outside any transaction), save, and then let
``payments.services.webhook_endpoints`` create the webhook endpoint at the gateway when the
gateway can manage one. A refusal saves nothing; a gateway that cannot be reached saves the
config as not verified, with the reason in ``verify_error``, and ``verify`` retries.

Every write that can move the owner's default locks the owner's user row first. Two requests
that both make a config the default would otherwise each clear the old default and set their
own, and the second commit breaks the one-default-per-owner constraint (a 500). Taking the
owner's lock before any config row also keeps the lock order the same everywhere (no deadlock).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from payments.connections import gateway_for
from payments.errors import GatewayCredentialsInvalid, PaymentError
from payments.gateways import registry
from payments.models import PaymentGatewayConfig, WebhookMode
from payments.services import webhook_endpoints

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class Verification:
    """What the gateway said about some credentials in one mode, asked outside any transaction.

    ``accepted`` False with an ``error``: the gateway could not be asked (unreachable), which
    says nothing about the keys. A refusal is never a ``Verification``: it raises.
    """

    credentials: dict[str, Any] = field(repr=False)
    mode: str
    accepted: bool
    error: str = ""

    def is_about(self, credentials: Mapping[str, Any], mode: str) -> bool:
        return dict(credentials) == self.credentials and mode == self.mode


def check_with_gateway(gateway_name: str, credentials: Mapping[str, Any], *, mode: str) -> Verification:
    """Ask the gateway whether it accepts these (well-formed) credentials.

    Raises ``GatewayCredentialsInvalid`` when it refuses them (a wrong key, a test key for a
    live config). Call it outside any transaction: it waits on the network.
    """
    cleaned = dict(credentials)
    if _needs_no_verification(gateway_name):
        return Verification(credentials=cleaned, mode=mode, accepted=True)
    gateway = registry.get(gateway_name)(credentials=cleaned, mode=mode)
    try:
        gateway.verify_credentials()
    except GatewayCredentialsInvalid:
        raise
    except PaymentError as exc:
        # Unreachable, or an answer that is not about the keys: saved, not verified, retry later.
        error = f"{gateway.display_name} could not check these keys: {exc.message}"[:500]
        logger.info("Could not verify %s credentials: %s", gateway_name, exc.message)
        return Verification(credentials=cleaned, mode=mode, accepted=False, error=error)
    return Verification(credentials=cleaned, mode=mode, accepted=True)


def _apply_verification(config: PaymentGatewayConfig, verification: Verification | None, cleaned: Mapping[str, Any]) -> None:
    if _needs_no_verification(config.gateway_name):
        config.verified_at = config.verified_at or timezone.now()
        config.verify_error = ""
    elif verification is not None and verification.is_about(cleaned, config.mode):
        config.verified_at = timezone.now() if verification.accepted else None
        config.verify_error = verification.error
    else:  # never shown to the gateway (or shown other keys than those stored now)
        config.verified_at = None
        config.verify_error = ""


def _prepare_credentials(
    gateway_name: str, credentials: Mapping[str, Any], *, mode: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    cls = registry.get(gateway_name)
    cleaned = cls.validate_credentials(credentials, mode=mode)  # raises GatewayCredentialsInvalid
    return cleaned, cls.credentials_preview(cleaned)


def _needs_no_verification(gateway_name: str) -> bool:
    # A gateway without credentials (the sandbox) has nothing the provider could refuse.
    return not registry.get(gateway_name).credential_fields


def _lock_owner(owner_id: Any) -> None:
    # FOR NO KEY UPDATE: config writes of one owner queue behind each other, while rows that
    # merely reference the user (a new invoice) are not held up.
    get_user_model().objects.select_for_update(no_key=True).filter(pk=owner_id).values_list("pk", flat=True).first()



def connect(
    *,
    owner: Any,
    gateway_name: str,
    credentials: Mapping[str, Any] | None = None,
    display_name: str = "",
    mode: str = "test",
    is_active: bool = True,
    is_default: bool | None = None,
) -> PaymentGatewayConfig:
    """Save a new config the way the settings page does: shape, then the gateway's answer, then
    the row, then (when the gateway can) its webhook endpoint. A refusal raises and saves nothing."""
    cleaned, _ = _prepare_credentials(gateway_name, credentials or {}, mode=mode)
    verification = check_with_gateway(gateway_name, cleaned, mode=mode)
    config = create_config(
        owner=owner,
        gateway_name=gateway_name,
        credentials=cleaned,
        display_name=display_name,
        mode=mode,
        is_active=is_active,
        is_default=is_default,
        verification=verification,
    )
    return webhook_endpoints.ensure(config=config)


def change(
    *, config: PaymentGatewayConfig, credentials: Mapping[str, Any] | None = None, **changes: Any
) -> PaymentGatewayConfig:
    """Change a config from the settings page: new keys or another mode are shown to the gateway
    before they are stored (a refusal raises and changes nothing)."""
    verification = None
    mode = changes.get("mode", config.mode)
    if credentials is not None or mode != config.mode:
        stored = config.get_credentials()
        cleaned, _ = _prepare_credentials(config.gateway_name, _merge(stored, credentials), mode=mode)
        if cleaned != stored or mode != config.mode:
            verification = check_with_gateway(config.gateway_name, cleaned, mode=mode)
    before = PaymentGatewayConfig.objects.get(pk=config.pk)
    config = update_config(config=config, credentials=credentials, verification=verification, **changes)
    return webhook_endpoints.after_change(before=before, config=config)


def _merge(stored: Mapping[str, Any], credentials: Mapping[str, Any] | None) -> dict[str, Any]:
    # Secrets are write-only, so a client can never send back what it cannot read: a blank keeps
    # the stored value.
    return {**stored, **{k: v for k, v in (credentials or {}).items() if v not in (None, "")}}


@transaction.atomic
def create_config(
    *,
    owner: Any,
    gateway_name: str,
    credentials: Mapping[str, Any] | None = None,
    display_name: str = "",
    mode: str = "test",
    is_active: bool = True,
    is_default: bool | None = None,
    verification: Verification | None = None,
) -> PaymentGatewayConfig:
    """Store a config. Without a ``verification`` (the gateway was not asked) it is not verified."""
    cleaned, preview = _prepare_credentials(gateway_name, credentials or {}, mode=mode)
    _lock_owner(owner.pk)
    config = PaymentGatewayConfig(
        owner=owner,
        gateway_name=gateway_name,
        display_name=display_name or registry.get(gateway_name).display_name,
        mode=mode,
        is_active=is_active,
    )
    _apply_verification(config, verification, cleaned)
    config.set_credentials(cleaned, preview)
    config.save()
    _settle_default(config, wanted=is_default)
    return config


@transaction.atomic
def update_config(
    *,
    config: PaymentGatewayConfig,
    credentials: Mapping[str, Any] | None = None,
    verification: Verification | None = None,
    **changes: Any,
) -> PaymentGatewayConfig:
    """Change a config. Credentials are merged into the stored ones and the result is checked
    again. New credentials or another mode are no longer what the gateway accepted: not
    verified, unless ``verification`` is the gateway's answer about exactly these.
    A webhook secret typed by the user means they manage the endpoint themselves (manual)."""
    _lock_owner(config.owner_id)
    config = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    wanted_default = changes.pop("is_default", None)
    verified_mode = config.mode
    for name in ("display_name", "mode", "is_active"):
        if name in changes:
            setattr(config, name, changes[name])
    if credentials is not None or "mode" in changes:
        stored = config.get_credentials()
        cleaned, preview = _prepare_credentials(config.gateway_name, _merge(stored, credentials), mode=config.mode)
        config.set_credentials(cleaned, preview)
        if cleaned != stored or config.mode != verified_mode:
            _apply_verification(config, verification, cleaned)
        if (credentials or {}).get("webhook_secret"):
            config.webhook_mode = WebhookMode.MANUAL
    config.save()
    _settle_default(config, wanted=wanted_default)
    return config


def verify(*, config: PaymentGatewayConfig) -> tuple[dict[str, Any], PaymentGatewayConfig]:
    """Ask the gateway again about the stored keys (Verify, or Retry after it was unreachable):
    the safe facts it returned and the config. Accepted: verified, and a missing managed
    webhook endpoint is created. Refused: not verified, ``GatewayCredentialsInvalid`` raised.
    Unreachable: the reason is kept and the ``GatewayError`` raised."""
    try:
        facts = gateway_for(config).verify_credentials()
    except GatewayCredentialsInvalid:
        record_verification(config=config, accepted=False)
        raise
    except PaymentError as exc:
        record_verification(config=config, accepted=False, error=f"Could not check these keys: {exc.message}")
        raise
    config = record_verification(config=config, accepted=True)
    return facts, webhook_endpoints.ensure(config=config)


def record_verification(
    *, config: PaymentGatewayConfig, accepted: bool, error: str = ""
) -> PaymentGatewayConfig:
    """Remember the gateway's answer about the config's credentials just now.

    ``accepted`` False with an ``error``: the gateway could not be asked; what it accepted
    before still stands and the reason is shown. False without one: it refused them.
    The provider was asked outside any transaction; if the credentials or the mode changed in
    the meantime, the answer was about keys no longer stored and is not recorded.
    """
    asked = PaymentGatewayConfig.objects.filter(
        pk=config.pk, credentials_encrypted=config.credentials_encrypted, mode=config.mode
    )
    if accepted:
        asked.update(verified_at=timezone.now(), verify_error="", updated_at=timezone.now())
    elif error:
        asked.update(verify_error=error[:500], updated_at=timezone.now())
    else:
        asked.update(verified_at=None, verify_error="", updated_at=timezone.now())
    config.refresh_from_db()
    return config


def _settle_default(config: PaymentGatewayConfig, *, wanted: bool | None) -> None:
    """Keep at most one default per owner; the first active config is the default.
    The caller holds the owner's lock, so these reads see every committed change."""
    siblings = PaymentGatewayConfig.objects.filter(owner_id=config.owner_id, archived_at=None)
    if wanted and config.is_active:
        siblings.exclude(pk=config.pk).filter(is_default=True).update(is_default=False)
        PaymentGatewayConfig.objects.filter(pk=config.pk).update(is_default=True)
    elif wanted is False or not config.is_active:
        PaymentGatewayConfig.objects.filter(pk=config.pk).update(is_default=False)
    _promote_first_active(config.owner_id)
    config.refresh_from_db()


def _promote_first_active(owner_id: Any) -> None:
    live = PaymentGatewayConfig.objects.filter(owner_id=owner_id, archived_at=None)
    if not live.filter(is_default=True).exists():
        first = live.filter(is_active=True).order_by("created_at").first()
        if first is not None:
            PaymentGatewayConfig.objects.filter(pk=first.pk).update(is_default=True)



@transaction.atomic
def delete_config(*, config: PaymentGatewayConfig) -> bool:
    """Delete a config; one with payments is archived instead, so they stay refundable and
    its webhooks still verify. Returns True when the row was deleted (False: archived)."""
    _lock_owner(config.owner_id)
    config = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    deleted = not config.payments.exists()
    if deleted:
        config.delete()
    else:
        config.is_active = False
        config.is_default = False
        config.archived_at = timezone.now()
        config.save(update_fields=["is_active", "is_default", "archived_at", "updated_at"])
    _promote_first_active(config.owner_id)
    return deleted


def remove(*, config: PaymentGatewayConfig) -> None:
    """Delete or archive a config from the settings page; a deleted config's managed webhook
    endpoint is deleted at the gateway too (an archived one keeps it: see webhook_endpoints)."""
    before = PaymentGatewayConfig.objects.get(pk=config.pk)
    if delete_config(config=config):
        webhook_endpoints.delete_endpoint_of(before)
