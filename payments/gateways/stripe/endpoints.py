"""Webhook endpoints on the user's own Stripe account (managed mode) and the events they carry.

``ENABLED_EVENTS`` is exactly the set of event types ``events.parse`` acts on, so Stripe sends
nothing Trackify would only store as ignored, and the endpoint is pinned to the API version the
SDK speaks, so the objects inside events have the shape our readers expect whatever the
account's default version is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import stripe

from payments.errors import GatewayError, GatewayRequestRejected
from payments.gateways.base import WebhookEndpoint
from payments.gateways.stripe import events
from payments.gateways.stripe.client import STRIPE_API_VERSION, stripe_errors

if TYPE_CHECKING:
    from stripe.params import WebhookEndpointCreateParams

ENABLED_EVENTS: tuple[str, ...] = tuple(sorted(events.HANDLED_EVENTS))
DESCRIPTION = "Trackify: payments, refunds and disputes of your invoices (created by Trackify; do not edit)"


def create(client: stripe.StripeClient, *, url: str, config_id: str | None) -> WebhookEndpoint:
    """Create the endpoint; Stripe returns its signing secret in this answer only."""
    params = cast(
        "WebhookEndpointCreateParams",
        {
            "url": url,
            "enabled_events": list(ENABLED_EVENTS),
            "api_version": STRIPE_API_VERSION,
            "description": DESCRIPTION,
            "metadata": {"trackify_config_id": config_id or ""},
        },
    )
    with stripe_errors():
        endpoint = client.v1.webhook_endpoints.create(params)
    secret = getattr(endpoint, "secret", None)
    if not endpoint.id or not secret:
        raise GatewayError("Stripe created a webhook endpoint without returning its signing secret.")
    return WebhookEndpoint(endpoint_id=endpoint.id, credentials={"webhook_secret": secret})


def delete(client: stripe.StripeClient, *, endpoint_id: str) -> None:
    """Delete the endpoint; one already gone (404 ``resource_missing``) is what we wanted."""
    try:
        with stripe_errors():
            client.v1.webhook_endpoints.delete(endpoint_id)
    except GatewayRequestRejected as exc:
        if (exc.details or {}).get("stripe_code") != "resource_missing":
            raise
