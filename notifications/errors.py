"""The notification API's refusals, each with a stable code (answered by trackify.api's handler)."""

from __future__ import annotations

from core.errors import DomainError


class NoRecipient(DomainError):
    code = "no_recipient"
    http_status = 400
    default_message = "This invoice has no client email: enter one, or say whom to send it to."


class InvoiceNotEmailable(DomainError):
    code = "invoice_not_emailable"
    http_status = 409
    default_message = "This invoice cannot be emailed."


class EmailNotRetryable(DomainError):
    code = "email_not_retryable"
    http_status = 409
    default_message = "Only a failed email can be sent again."
