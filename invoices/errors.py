"""Errors of the invoice domain: each extends the kernel's ``DomainError`` with a stable ``code``
and the HTTP status it maps to."""

from __future__ import annotations

from core.errors import DomainError


class InvoiceError(DomainError):
    """Base of the invoice errors: ``code``, ``http_status``, ``message`` and ``details``."""

    code = "invoice_error"
    http_status = 400
    default_message = "The invoice request could not be completed."


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


class LinkGone(InvoiceError):
    """The public link no longer works: the owner revoked or replaced it, or it expired."""

    code = "link_gone"
    http_status = 410
    default_message = "This payment link no longer works."


class LinkRevoked(LinkGone):
    code = "link_revoked"
    default_message = (
        "This payment link has been turned off by the business that sent it. "
        "Ask them for a new link if you still need to pay."
    )


class LinkExpired(LinkGone):
    code = "link_expired"
    default_message = "This payment link has expired. Ask the business that sent it for a new link."
