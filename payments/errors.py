"""Errors of the payment domain: each extends the kernel's ``DomainError`` with a stable ``code``
and the HTTP status it maps to."""

from __future__ import annotations

from typing import Any

from core.errors import DomainError


class PaymentError(DomainError):
    code = "payment_error"
    http_status = 400
    default_message = "The payment request could not be completed."


class InvalidAmount(PaymentError):
    code = "invalid_amount"
    default_message = "The amount is not valid for this payment."


class InvoiceNotPayable(PaymentError):
    code = "invoice_not_payable"
    http_status = 409
    default_message = "This invoice cannot be paid now."


class TooManyOpenCheckouts(PaymentError):
    """An invoice already has as many open (pending, unexpired) checkouts as one invoice may."""

    code = "too_many_open_checkouts"
    http_status = 409
    default_message = "This invoice has too many checkouts open; finish one or wait for it to expire."


class GatewayNotConfigured(PaymentError):
    code = "gateway_not_configured"
    http_status = 409
    default_message = "The invoice's owner has not connected an active payment gateway."


class GatewayError(PaymentError):
    """The gateway could not be reached or refused the call.

    ``outcome_unknown`` is true when the request may have reached the gateway (a timeout, a 5xx):
    a retry must then reuse the same idempotency key.
    """

    code = "gateway_error"
    http_status = 502
    default_message = "The payment gateway could not complete the request. Please try again."

    def __init__(
        self, message: str | None = None, *, details: dict[str, Any] | None = None, outcome_unknown: bool = False
    ) -> None:
        super().__init__(message, details=details)
        self.outcome_unknown = outcome_unknown


class GatewayRequestRejected(PaymentError):
    """The gateway answered that our request itself is wrong (its 4xx): safe to report, no retry."""

    code = "gateway_rejected"
    http_status = 400
    default_message = "The payment gateway rejected the request."


class GatewayCredentialsInvalid(PaymentError):
    code = "gateway_credentials_invalid"
    default_message = "The payment gateway did not accept these credentials."


class UnknownGateway(PaymentError):
    code = "unknown_gateway"
    http_status = 404
    default_message = "No such payment gateway."


class RefundNotAllowed(PaymentError):
    code = "refund_not_allowed"
    http_status = 409
    default_message = "This payment cannot be refunded."


class WebhookSignatureInvalid(PaymentError):
    code = "invalid_signature"
    default_message = "The webhook signature is missing or does not match."


class WebhookPayloadInvalid(PaymentError):
    code = "invalid_payload"
    default_message = "The webhook body is not a valid event."


class PayloadTooLarge(PaymentError):
    code = "payload_too_large"
    http_status = 413
    default_message = "The request body is too large."
