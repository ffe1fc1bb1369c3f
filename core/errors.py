"""The one base of every domain error: a stable ``code``, the HTTP status it maps to, a message
for people and machine-readable ``details``.

Domain code raises these and knows nothing of HTTP beyond the number; the API's one exception
handler (``trackify.api``) turns any of them into the contract's ``{code, message, details}``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    code: ClassVar[str] = "error"
    http_status: ClassVar[int] = 400
    default_message: ClassVar[str] = "The request could not be completed."

    def __init__(self, message: str | None = None, *, details: dict[str, Any] | None = None) -> None:
        self.message = message or self.default_message
        self.details = details or {}
        super().__init__(self.message)


class NotFound(DomainError):
    """The object does not exist, or belongs to someone else (we never say which)."""

    code = "not_found"
    http_status = 404
    default_message = "Not found."
