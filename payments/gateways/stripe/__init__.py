"""The Stripe gateway: Stripe Checkout on each user's own Stripe account.

Modules: ``gateway`` (``StripeGateway``), ``client`` (one SDK client per configuration, error
mapping), ``amounts`` (minor units and minimum charges), ``credentials`` (key shapes),
``events`` (webhook verification and normalization), ``mapping`` (Stripe objects to our
dataclasses). Importing this package registers the gateway.
"""

from __future__ import annotations

from payments.gateways.stripe.gateway import StripeGateway

__all__ = ["StripeGateway"]
