"""Accounts: register, log in and out (session), who am I, and API tokens. Mounted at /api/auth/."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login, logout
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import (
    CredentialsSerializer,
    MeSerializer,
    RegisterSerializer,
    RevokedSerializer,
    RevokeSerializer,
    TokenSerializer,
    UserSerializer,
)
from accounts.errors import NoTokenToRevoke, UsernameTaken
from accounts.tokens import issue_token, revoke_tokens
from trackify.api import PublicRateThrottle

TAGS = ["auth"]
# Sign-in lockout (accounts/lockout.py) and the per-address limit both answer this.
RATE_LIMITED = OpenApiResponse(
    description="`rate_limited`: too many failed sign-ins for this username from this address "
    "(locked for LOGIN_LOCKOUT_MINUTES), or too many requests; `details.retry_after_seconds`."
)


class AuthRateThrottle(PublicRateThrottle):
    """Per IP limit on password guesses, counted apart from the public payment pages."""

    scope = "auth"

    def get_rate(self) -> str | None:
        rate = settings.PUBLIC_RATE_LIMIT or ""
        return None if rate.lower() == "off" else rate


def _credentials_user(request: Request) -> Any:
    serializer = CredentialsSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return services.check_credentials(request._request, **serializer.validated_data)


class _AnonymousEndpoint(APIView):
    # No authentication at all: these endpoints take credentials in the body, and a stale
    # session must neither block them with a CSRF check nor be mistaken for the caller.
    authentication_classes: tuple[Any, ...] = ()
    permission_classes = (AllowAny,)
    throttle_classes = (AuthRateThrottle,)


class RegisterView(_AnonymousEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Create an account and log in",
        request=RegisterSerializer,
        responses={201: UserSerializer, 400: OpenApiResponse(description="`invalid`: taken username, weak password.")},
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            user = services.register(username=data["username"], email=data.get("email", ""), password=data["password"])
        except UsernameTaken as exc:
            raise serializers.ValidationError({"username": [exc.message]}) from None
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(_AnonymousEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Log in with a session cookie",
        request=CredentialsSerializer,
        responses={
            200: UserSerializer,
            400: OpenApiResponse(description="`invalid_credentials` or `invalid`."),
            429: RATE_LIMITED,
        },
    )
    def post(self, request: Request) -> Response:
        user = _credentials_user(request)
        login(request._request, user)
        return Response(UserSerializer(user).data)


class TokenView(_AnonymousEndpoint):
    @extend_schema(
        tags=TAGS,
        summary="Get a new API token (send it as `Authorization: Token <key>`)",
        description=(
            "Each call issues a new token; only its digest is stored, so keep the key. It expires after "
            "`API_TOKEN_TTL_HOURS` (30 days by default) and stops working at once when revoked "
            "(`POST /api/auth/token/revoke/`) or, for the token used, at `POST /api/auth/logout/`."
        ),
        request=CredentialsSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="`invalid_credentials` or `invalid`."),
            429: RATE_LIMITED,
        },
    )
    def post(self, request: Request) -> Response:
        user = _credentials_user(request)
        instance, key = issue_token(user)
        return Response(TokenSerializer({"token": key, "expiry": instance.expiry}).data)


class TokenRevokeView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Revoke API tokens: the one this request uses, one you name, or all of yours",
        request=RevokeSerializer,
        responses={
            200: RevokedSerializer,
            400: OpenApiResponse(description="`no_token`: a session request that names no token and not `all`."),
            401: OpenApiResponse(description="`not_authenticated`."),
        },
    )
    def post(self, request: Request) -> Response:
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        current = request.auth if isinstance(request.auth, AuthToken) else None
        if not data["all"] and "token" not in data and current is None:
            raise NoTokenToRevoke()
        revoked = revoke_tokens(user=request.user, current=current, key=data.get("token"), every=data["all"])
        return Response({"revoked": revoked})


class LogoutView(APIView):
    # Default authentication, so a session logout still needs the CSRF token (no forced logouts).
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=TAGS, summary="End the session; with token authentication, revoke that token", request=None, responses={204: None}
    )
    def post(self, request: Request) -> Response:
        if isinstance(request.auth, AuthToken):
            revoke_tokens(user=request.user, current=request.auth)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


@method_decorator(ensure_csrf_cookie, name="dispatch")
class MeView(APIView):
    """Also hands the SPA its ``csrftoken`` cookie, even on the 401 before it logs in."""

    @extend_schema(
        tags=TAGS,
        summary="The logged-in user",
        responses={200: MeSerializer, 401: OpenApiResponse(description="`not_authenticated`.")},
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)
