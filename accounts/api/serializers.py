"""Request and response shapes of the accounts API (``/api/auth/``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from accounts import services

User = get_user_model()


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class RegisterSerializer(CredentialsSerializer):
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_username(self, value: str) -> str:
        User.username_validator(value)
        if services.username_taken(value):
            raise serializers.ValidationError("This username is already taken.")
        return value

    def validate_password(self, value: str) -> str:
        # Django's rules count characters, so ten spaces passed them: not a password anyone chose.
        if not value.strip():
            raise serializers.ValidationError("The password cannot be only spaces.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        problems = services.password_problems(attrs["password"], username=attrs["username"], email=attrs.get("email", ""))
        if problems:
            raise serializers.ValidationError({"password": problems})
        return attrs


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
