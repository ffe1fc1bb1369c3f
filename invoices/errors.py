"""Errors of the invoice domain, each with a stable ``code`` and the HTTP status it maps to.

The API's single exception handler (``trackify.api``) turns any exception that carries ``code``
and ``http_status`` into the contract's error body; nothing here imports the rest of Trackify.
"""

from __future__ import annotations

from typing import Any


class InvoiceError(Exception):
    """Base of the invoice errors: ``code``, ``http_status``, ``message`` and ``details``."""

    code = "invoice_error"
    http_status = 400
    default_message = "The invoice request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class InvoiceInvalid(InvoiceError):
    """Input that only the database can judge (a duplicate number): same shape as a validation error."""

    code = "invalid"
    default_message = "Some fields are not valid."


class InvoiceNotEditable(InvoiceError):
    code = "invoice_not_editable"
    http_status = 409
    default_message = "This invoice can no longer be changed in this way."


class InvoiceNotDeletable(InvoiceError):
    code = "invoice_not_deletable"
    http_status = 409
    default_message = "Only a draft invoice can be deleted; void it instead."


class InvoiceNotDraft(InvoiceError):
    code = "invoice_not_draft"
    http_status = 409
    default_message = "Only a draft invoice can be sent."


class InvoiceEmpty(InvoiceError):
    code = "invoice_empty"
    http_status = 409
    default_message = "An invoice with a total of zero cannot be sent."


class InvoiceHasPayments(InvoiceError):
    code = "invoice_has_payments"
    http_status = 409
    default_message = "This invoice has received money that was not refunded; refund it before voiding."
