"""Expiring a Checkout Session so its page can no longer take a payment (an invoice was voided
or its link taken back)."""

from __future__ import annotations

import stripe

from payments.gateways.stripe.client import stripe_errors


def expire(client: stripe.StripeClient, session_id: str) -> None:
    """``POST /v1/checkout/sessions/{id}/expire``. Stripe refuses to expire a session that is
    no longer open (the payer completed it a moment ago, or it expired by itself): that refusal
    is not an error here, since the caller reads the session as it is next. A session still open
    after a refusal is one."""
    with stripe_errors():
        try:
            client.v1.checkout.sessions.expire(session_id)
        except stripe.InvalidRequestError:
            if client.v1.checkout.sessions.retrieve(session_id).status == "open":
                raise
