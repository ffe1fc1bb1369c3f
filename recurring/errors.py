"""Errors of recurring templates and autopay, in the contract's ``{code, message, details}`` shape."""

from __future__ import annotations

from core.errors import DomainError


class TemplateInvalid(DomainError):
    http_status = 400
    code = "invalid"
    default_message = "The recurring invoice is not valid."


class TemplateCanceled(DomainError):
    http_status = 409
    code = "recurring_canceled"
    default_message = "This recurring invoice is canceled."
