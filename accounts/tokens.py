"""API tokens: stored hashed (django-rest-knox), expiring after ``API_TOKEN_TTL_HOURS``, revocable.

The key is shown once, when it is issued; the database keeps only its SHA-512 digest and a
15-character lookup prefix, so neither the admin nor a copy of the database yields a usable token.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; its ``WWW-Authenticate: Token`` keeps anonymous calls 401."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, AuthToken]:
        try:
            token.decode("utf-8")
        except UnicodeDecodeError:
            # A header that is not UTF-8 is no key of ours: a 401, not knox's UnicodeDecodeError (500).
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        return super().authenticate_credentials(token)  # type: ignore[no-any-return]

    def _cleanup_token(self, auth_token: AuthToken) -> bool:
        # Knox also reads every other token of the user on each request to delete expired ones:
        # one query per call for housekeeping that ``issue_token`` does instead.
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class ApiTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """How the OpenAPI schema describes ``ApiTokenAuthentication`` (as DRF's own token scheme was)."""

    target_class = "accounts.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>` from POST /api/auth/token/; it expires and can be revoked.",
        }


def issue_token(user: Any) -> tuple[AuthToken, str]:
    """A new token for ``user`` (expiring after the configured TTL) and its key, shown only now."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    return AuthToken.objects.create(user=user)  # type: ignore[no-any-return]


def revoke_tokens(*, user: Any, current: AuthToken | None = None, key: str | None = None, every: bool = False) -> int:
    """Delete the user's tokens: all of them, the one with ``key``, or the one in use. Returns how many."""
    tokens = AuthToken.objects.filter(user=user)
    if every:
        chosen = Q()
    elif key is not None:
        auth = ApiTokenAuthentication()
        try:
            found = auth.authenticate_credentials(key.encode())[1]
        except exceptions.AuthenticationFailed:
            return 0
        chosen = Q(pk=found.pk)
    elif current is not None:
        chosen = Q(pk=current.pk)
    else:
        return 0
    deleted, _by_model = tokens.filter(chosen).delete()
    return int(deleted)
