"""Writes to gateway configurations: create, update, set default, delete or archive."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from payments.gateways import registry
from payments.models import PaymentGatewayConfig


def _prepare_credentials(gateway_name: str, credentials: Mapping[str, Any], *, mode: str) -> tuple[dict, dict]:
    cls = registry.get(gateway_name)
    cleaned = cls.validate_credentials(credentials, mode=mode)  # raises GatewayCredentialsInvalid
    return cleaned, cls.credentials_preview(cleaned)


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
    config = PaymentGatewayConfig(
        owner=owner,
        gateway_name=gateway_name,
        display_name=display_name or registry.get(gateway_name).display_name,
        mode=mode,
        is_active=is_active,
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
    so a client can never send back what it cannot read) and the result is checked again."""
    config = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    wanted_default = changes.pop("is_default", None)
    for name in ("display_name", "mode", "is_active"):
        if name in changes:
            setattr(config, name, changes[name])
    if credentials is not None or "mode" in changes:
        merged = {**config.get_credentials(), **{k: v for k, v in (credentials or {}).items() if v not in (None, "")}}
        cleaned, preview = _prepare_credentials(config.gateway_name, merged, mode=config.mode)
        config.set_credentials(cleaned, preview)
    config.save()
    _settle_default(config, wanted=wanted_default)
    return config


def _settle_default(config: PaymentGatewayConfig, *, wanted: bool | None) -> None:
    """Keep at most one default per owner; the first active config is the default."""
    siblings = PaymentGatewayConfig.objects.select_for_update().filter(owner_id=config.owner_id, archived_at=None)
    if wanted and config.is_active:
        siblings.exclude(pk=config.pk).filter(is_default=True).update(is_default=False)
        PaymentGatewayConfig.objects.filter(pk=config.pk).update(is_default=True)
    elif wanted is False or not config.is_active:
        PaymentGatewayConfig.objects.filter(pk=config.pk).update(is_default=False)
    if not siblings.filter(is_default=True).exists():
        first = siblings.filter(is_active=True).order_by("created_at").first()
        if first is not None:
            PaymentGatewayConfig.objects.filter(pk=first.pk).update(is_default=True)
    config.refresh_from_db()


@transaction.atomic
def delete_config(*, config: PaymentGatewayConfig) -> None:
    """Delete a config; one with payments is archived instead, so they stay refundable and
    its webhooks still verify."""
    config = PaymentGatewayConfig.objects.select_for_update().get(pk=config.pk)
    if config.payments.exists():
        config.is_active = False
        config.is_default = False
        config.archived_at = timezone.now()
        config.save(update_fields=["is_active", "is_default", "archived_at", "updated_at"])
    else:
        config.delete()
    promote = PaymentGatewayConfig.objects.filter(owner_id=config.owner_id, archived_at=None)
    if not promote.filter(is_default=True).exists():
        first = promote.filter(is_active=True).order_by("created_at").first()
        if first is not None:
            PaymentGatewayConfig.objects.filter(pk=first.pk).update(is_default=True)
