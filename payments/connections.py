"""From a stored gateway configuration to a live gateway adapter: the one place that does it.

The adapter gets the config's decrypted credentials, its mode and its id; it never sees the
model itself (gateway adapters import no models).
"""

from __future__ import annotations

from payments.gateways import registry
from payments.gateways.base import PaymentGatewayBase
from payments.models import PaymentGatewayConfig


def gateway_for(config: PaymentGatewayConfig) -> PaymentGatewayBase:
    cls = registry.get(config.gateway_name)
    return cls(credentials=config.get_credentials(), mode=config.mode, config_id=str(config.pk))
