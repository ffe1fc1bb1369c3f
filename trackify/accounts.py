"""Accounts: register, log in and out (session), who am I, and API tokens. Mounted at /api/auth/."""

from __future__ import annotations

import operator
import unicodedata
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from trackify.api import PublicRateThrottle
from trackify.tokens import issue_token, revoke_tokens

User = get_user_model()
TAGS = ["auth"]
# Sign-in lockout (trackify/lockout.py) and the per-address limit both answer this.
RATE_LIMITED = OpenApiResponse(
    description="`rate_limited`: too many failed sign-ins for this username from this address "
    "(locked for LOGIN_LOCKOUT_MINUTES), or too many requests; `details.retry_after_seconds`."
)


class InvalidCredentials(DomainError):
    """Wrong username or password (or an inactive account: we do not say which)."""

    code = "invalid_credentials"
    default_message = "The username or password is not correct."


class AuthRateThrottle(PublicRateThrottle):
    """Per IP limit on password guesses, counted apart from the public payment pages."""

    scope = "auth"

    def get_rate(self) -> str | None:
        rate = settings.PUBLIC_RATE_LIMIT or ""
        return None if rate.lower() == "off" else rate


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class RegisterSerializer(CredentialsSerializer):
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        User.username_validator(value)
        # "Alice" and "alice", or "ffo" and "ﬀo" (a ligature), would be two accounts a person
        # cannot tell apart: refuse the second. Usernames are stored NFKC-normalized (Django's
        # create_user), so one case-insensitive look-up per spelling of the candidate finds them.
        spellings = {unicodedata.normalize("NFKC", value), username_key(value)}
        if User.objects.filter(reduce(operator.or_, (Q(username__iexact=s) for s in spellings))).exists():
            raise serializers.ValidationError("This username is already taken.")
        return value

    def validate_password(self, value: str) -> str:
        # Django's rules count characters, so ten spaces passed them: not a password anyone chose.
        if not value.strip():
            raise serializers.ValidationError("The password cannot be only spaces.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = User(username=attrs["username"], email=attrs.get("email", ""))
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


def username_key(value: str) -> str:
    """The form two usernames share when people would read them as the same (NFKC, case-folded)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", value).casefold())


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)


class MeSerializer(UserSerializer):
    email = serializers.EmailField(read_only=True)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True, help_text="Send as `Authorization: Token <token>`; shown only once.")
    expiry = serializers.DateTimeField(read_only=True, help_text="When the token stops working (API_TOKEN_TTL_HOURS).")


class RevokeSerializer(serializers.Serializer):
    all = serializers.BooleanField(required=False, default=False, help_text="Revoke every token of this account.")
    token = serializers.CharField(
        required=False, max_length=200, help_text="Revoke this token of yours (default: the one this request uses)."
    )


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField(help_text="How many tokens stopped working.")


class NoTokenToRevoke(DomainError):
    code = "no_token"
    default_message = 'This request was not made with a token: name one in "token", or send {"all": true}.'


def _credentials_user(request: Request) -> Any:
    serializer = CredentialsSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(request._request, **serializer.validated_data)
    if user is None:
        raise InvalidCredentials()
    return user


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
            with transaction.atomic():
                user = User.objects.create_user(data["username"], data.get("email", ""), data["password"])
        except IntegrityError:
            # Two sign-ups with the same name at once: the database has the last word.
            raise serializers.ValidationError({"username": ["This username is already taken."]}) from None
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


urlpatterns = [
    path("register/", RegisterView.as_view(), name="auth-register"),
    path("login/", LoginView.as_view(), name="auth-login"),
    path("logout/", LogoutView.as_view(), name="auth-logout"),
    path("me/", MeView.as_view(), name="auth-me"),
    path("token/", TokenView.as_view(), name="auth-token"),
    path("token/revoke/", TokenRevokeView.as_view(), name="auth-token-revoke"),
]
