"""Writes to gateway configurations: create, update, set default, verify, delete or archive.

Every write that can move the owner's default locks the owner's user row first. Two requests
that both make a config the default would otherwise each clear the old default and set their
own, and the second commit breaks the one-default-per-owner constraint (a 500). Taking the
owner's lock before any config row also keeps the lock order the same everywhere (no deadlock).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from payments.gateways import registry
from payments.models import PaymentGatewayConfig


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
) -> PaymentGatewayConfig:
    cleaned, preview = _prepare_credentials(gateway_name, credentials or {}, mode=mode)
    _lock_owner(owner.pk)
    config = PaymentGatewayConfig(
        owner=owner,
        gateway_name=gateway_name,
        display_name=display_name or registry.get(gateway_name).display_name,
        mode=mode,
        is_active=is_active,
        verified_at=timezone.now() if _needs_no_verification(gateway_name) else None,
    )
    config.set_credentials(cleaned, preview)
    config.save()
    _settle_default(config, wanted=is_default)
    return config


@transaction.atomic
def update_config(
    *, config: PaymentGatewayConfig, credentials: Mapping[str, Any] | None = None, **changes: Any
) -> PaymentGatewayConfig:
    """Change a config. Credentials are merged into the stored ones (secrets are write-only,
    so a client can never send back what it cannot read) and the result is checked again.
    New credentials or another mode are no longer what the gateway accepted: not verified."""
    _lock_owner(config.owner_id)
    config = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    wanted_default = changes.pop("is_default", None)
    verified_mode = config.mode
    for name in ("display_name", "mode", "is_active"):
        if name in changes:
            setattr(config, name, changes[name])
    if credentials is not None or "mode" in changes:
        stored = config.get_credentials()
        merged = {**stored, **{k: v for k, v in (credentials or {}).items() if v not in (None, "")}}
        cleaned, preview = _prepare_credentials(config.gateway_name, merged, mode=config.mode)
        config.set_credentials(cleaned, preview)
        changed = cleaned != stored or config.mode != verified_mode
        if changed and not _needs_no_verification(config.gateway_name):
            config.verified_at = None
    config.save()
    _settle_default(config, wanted=wanted_default)
    return config


def record_verification(*, config: PaymentGatewayConfig, accepted: bool) -> PaymentGatewayConfig:
    """Remember whether the gateway accepted the config's credentials just now.

    The provider was asked outside any transaction; if the credentials or the mode changed in
    the meantime, the answer was about keys no longer stored and is not recorded.
    """
    asked = PaymentGatewayConfig.objects.filter(
        pk=config.pk, credentials_encrypted=config.credentials_encrypted, mode=config.mode
    )
    asked.update(verified_at=timezone.now() if accepted else None)
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
def delete_config(*, config: PaymentGatewayConfig) -> None:
    """Delete a config; one with payments is archived instead, so they stay refundable and
    its webhooks still verify."""
    _lock_owner(config.owner_id)
    config = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    if config.payments.exists():
        config.is_active = False
        config.is_default = False
        config.archived_at = timezone.now()
        config.save(update_fields=["is_active", "is_default", "archived_at", "updated_at"])
    else:
        config.delete()
    _promote_first_active(config.owner_id)
