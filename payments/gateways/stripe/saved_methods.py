"""Autopay with Stripe: a Checkout Session that saves the payer's method for off-session use, and
off-session PaymentIntents that charge it later.

The session is opened with ``customer_creation=always`` and
``payment_intent_data.setup_future_usage=off_session``; once paid, its customer and its
PaymentIntent's payment method are the saved method (ids only, with the card's brand and last
four for display). A later charge is a PaymentIntent with ``confirm=true, off_session=true``;
Stripe answers a decline or a bank's demand for authentication with a card error, mapped here
to a failed snapshot with ``decline_code`` ``card_declined`` or ``authentication_required``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import stripe

from payments.gateways.base import PaymentSnapshot, SavedMethod, SavedMethodCharge
from payments.gateways.stripe import mapping
from payments.gateways.stripe.amounts import check_minimum_charge, from_stripe_amount, to_stripe_amount
from payments.gateways.stripe.client import stripe_errors

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams

AUTHENTICATION_CODES = frozenset({"authentication_required"})
_STATUSES = {"succeeded": "succeeded", "processing": "processing", "requires_capture": "pending"}


def save_for_later(params: SessionCreateParams) -> None:
    """Ask Checkout to create a customer and keep the method for charges without the payer."""
    params["customer_creation"] = "always"
    intent_data = params.setdefault("payment_intent_data", {})
    intent_data["setup_future_usage"] = "off_session"


def saved_method(session: Mapping[str, Any], payment_intent: Mapping[str, Any] | None) -> SavedMethod | None:
    """The method a paid session saved for off-session use, if it was opened to save one."""
    if payment_intent is None or payment_intent.get("setup_future_usage") != "off_session":
        return None
    if payment_intent.get("status") != "succeeded":
        return None
    customer = mapping.object_id(session.get("customer")) or mapping.object_id(payment_intent.get("customer"))
    method = mapping.object_id(payment_intent.get("payment_method"))
    if not customer or not method:
        return None
    charge = payment_intent.get("latest_charge")
    details = charge.get("payment_method_details") if isinstance(charge, Mapping) else None
    card = (details or {}).get("card") or {}
    label = f"{card.get('brand', '')} {card.get('last4', '')}".strip()
    return SavedMethod(customer_id=customer, method_id=method, label=label)


def charge(client: stripe.StripeClient, request: SavedMethodCharge, metadata: dict[str, str]) -> PaymentSnapshot:
    """Create and confirm an off-session PaymentIntent; a card error is a failed snapshot."""
    currency = request.currency.upper()
    check_minimum_charge(request.amount, currency)
    params: dict[str, Any] = {
        "amount": to_stripe_amount(request.amount, currency),
        "currency": currency.lower(),
        "customer": request.customer_id,
        "payment_method": request.method_id,
        "confirm": True,
        "off_session": True,
        "description": request.description[:500] or f"Invoice {request.invoice_number}",
        "metadata": metadata,
    }
    # A card error is an answer about this charge, not a failed call: it is caught before
    # stripe_errors() (which maps the rest: keys, connection, Stripe down).
    with stripe_errors():
        try:
            intent = client.v1.payment_intents.create(
                params,  # type: ignore[arg-type]
                options={"idempotency_key": request.idempotency_key},
            ).to_dict()
        except stripe.CardError as exc:
            return _declined(exc, request)
    status = _STATUSES.get(str(intent.get("status")), "failed")
    decline = "authentication_required" if intent.get("status") == "requires_action" else ""
    return PaymentSnapshot(
        session_id=str(intent["id"]),
        status=status,
        amount=from_stripe_amount(int(intent["amount"]), currency),
        currency=currency,
        payment_reference=str(intent["id"]),
        failure_message="The bank asks the cardholder to authenticate this payment." if decline else "",
        decline_code=decline,
        fee=mapping.charge_fee(intent.get("latest_charge")),
    )


def _declined(exc: stripe.CardError, request: SavedMethodCharge) -> PaymentSnapshot:
    error = exc.error
    code = (error.code if error else None) or exc.code or ""
    decline = "authentication_required" if code in AUTHENTICATION_CODES else "card_declined"
    intent: Any = getattr(error, "payment_intent", None) if error else None
    intent_id = mapping.object_id(intent.to_dict() if intent is not None and hasattr(intent, "to_dict") else intent)
    return PaymentSnapshot(
        session_id=intent_id or f"declined:{request.idempotency_key}",
        status="failed",
        amount=request.amount,
        currency=request.currency.upper(),
        payment_reference=intent_id,
        failure_message=(exc.user_message or "The card was declined.")[:300],
        decline_code=decline,
    )
