"""The accounts' domain errors (each a ``core.errors.DomainError`` with a stable code)."""

from __future__ import annotations

from core.errors import DomainError


class InvalidCredentials(DomainError):
    """Wrong username or password (or an inactive account: we do not say which)."""

    code = "invalid_credentials"
    default_message = "The username or password is not correct."


class UsernameTaken(DomainError):
    """Someone holds this username already (found at the insert: two sign-ups raced)."""

    code = "invalid"
    default_message = "This username is already taken."


class NoTokenToRevoke(DomainError):
    code = "no_token"
    default_message = 'This request was not made with a token: name one in "token", or send {"all": true}.'


class LogoInvalid(DomainError):
    """An uploaded logo that is not a small PNG, JPEG or WebP image (``details.logo`` says why)."""

    code = "invalid"
    default_message = "The logo must be a PNG, JPEG or WebP image."
