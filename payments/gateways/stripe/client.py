"""One ``stripe.StripeClient`` per gateway configuration, and Stripe's errors mapped to ours.

Every user connects their own Stripe account, so nothing here reads or writes the SDK's
module-level configuration (``stripe.api_key`` and friends): the key, the API base, the retry
count, the timeout and the API version all live on the client instance.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import stripe
from django.conf import settings

from payments.errors import (
    GatewayCredentialsInvalid,
    GatewayError,
    GatewayRequestRejected,
    InvalidAmount,
    RefundNotAllowed,
)

# The API version stripe==16.1.0 was generated against; its typed objects describe this version.
# Pinned explicitly so an account's dashboard default never changes the shape of our answers.
# Bump it together with the SDK.
STRIPE_API_VERSION = "2026-10-28.endive"

DEFAULT_TIMEOUT_SECONDS = 10.0
# The SDK retries connection errors, timeouts, 409s and 5xx, resending the same idempotency key.
DEFAULT_MAX_NETWORK_RETRIES = 2

# Anything shaped like a Stripe key or signing secret, in case Stripe echoes one in a message.
_KEY_PATTERN = re.compile(r"\b(?:sk|rk|pk|whsec)_[A-Za-z0-9_*]+")

# Refund error codes that mean "this payment cannot be refunded (any more)".
_REFUND_NOT_ALLOWED_CODES = frozenset({"charge_already_refunded", "charge_disputed", "charge_expired_for_refund"})
# Error codes that mean "this amount is wrong", whatever the call.
_AMOUNT_CODES = frozenset({"amount_too_large", "amount_too_small", "invalid_charge_amount"})


def build_client(secret_key: str, *, timeout: float, max_network_retries: int) -> stripe.StripeClient:
    """A client bound to one account's key, sending every call to ``settings.STRIPE_API_BASE``."""
    base = str(settings.STRIPE_API_BASE).rstrip("/")
    return stripe.StripeClient(
        secret_key,
        stripe_version=STRIPE_API_VERSION,
        # Every base, not only "api": pointing STRIPE_API_BASE at a local server must leave no
        # call going to Stripe itself (file uploads and Connect OAuth have bases of their own).
        base_addresses={"api": base, "files": base, "connect": base, "meter_events": base},
        max_network_retries=max_network_retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def redact(message: str) -> str:
    """Stripe's message with anything that looks like a key replaced."""
    return _KEY_PATTERN.sub("[redacted]", message or "")


def _details(exc: stripe.StripeError) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if exc.request_id:
        details["stripe_request_id"] = exc.request_id
    if exc.code:
        details["stripe_code"] = exc.code
    param = getattr(exc, "param", None)
    if param:
        details["param"] = param
    return details


def _user_message(exc: stripe.StripeError, fallback: str) -> str:
    # ``user_message`` is the bare message from Stripe's error body, without the request id.
    return redact(exc.user_message or "") or fallback


@contextmanager
def stripe_errors(*, refund: bool = False) -> Iterator[None]:
    """Translate the SDK's exceptions raised inside the block into Trackify's ``PaymentError``s.

    ``refund`` turns Stripe's "already refunded" and "amount too large" answers into
    ``RefundNotAllowed`` and ``InvalidAmount``, which the API reports as 409 and 400.
    """
    try:
        yield
    except stripe.AuthenticationError as exc:
        # Stripe's message quotes part of the key: never pass it on.
        raise GatewayCredentialsInvalid(
            "Stripe did not accept this configuration's secret key.", details=_details(exc)
        ) from None
    except stripe.PermissionError as exc:
        raise GatewayCredentialsInvalid(
            "This Stripe key is not allowed to make this call (a restricted key missing a permission?).",
            details=_details(exc),
        ) from None
    except stripe.IdempotencyError as exc:
        # The same key was sent earlier with different parameters: a bug on our side, not a
        # transient failure, so retrying cannot help.
        raise GatewayRequestRejected(
            "Stripe refused a request that reused an earlier request's idempotency key.", details=_details(exc)
        ) from None
    except stripe.RateLimitError as exc:
        raise GatewayError(
            "Stripe is limiting requests for this account; try again shortly.",
            details=_details(exc),
            outcome_unknown=True,
        ) from None
    except stripe.InvalidRequestError as exc:
        message = _user_message(exc, "Stripe rejected the request.")
        if refund and exc.code in _REFUND_NOT_ALLOWED_CODES:
            raise RefundNotAllowed(message, details=_details(exc)) from None
        if exc.code in _AMOUNT_CODES or (refund and exc.param == "amount"):
            raise InvalidAmount(message, details=_details(exc)) from None
        raise GatewayRequestRejected(message, details=_details(exc)) from None
    except stripe.CardError as exc:
        # Refunds to a card the issuer no longer accepts: Stripe's answer is final.
        raise GatewayRequestRejected(_user_message(exc, "The card network refused the request."), details=_details(exc)) from None
    except stripe.APIConnectionError as exc:
        raise GatewayError(
            "Stripe could not be reached (connection failed or timed out).",
            details=_details(exc),
            outcome_unknown=True,
        ) from None
    except stripe.StripeError as exc:
        # APIError (5xx, 409 lock timeouts after the SDK's retries) and anything newer.
        raise GatewayError(
            "Stripe could not complete the request.", details=_details(exc), outcome_unknown=True
        ) from None
