"""Shapes of the business profile API (``/api/account/profile/``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.logos import LOGO_MAX_BYTES, LOGO_MAX_SIDE
from accounts.models import BusinessProfile
from accounts.profiles import ProfileValueError, clean_accent_color, clean_time_zone
from accounts.services import logo_url


class ProfileSerializer(serializers.ModelSerializer):
    """The owner's business profile. The logo is uploaded apart, at ``/api/account/profile/logo/``."""

    business_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="Shown to clients; not the sign-in email."
    )
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    tax_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    accent_color = serializers.CharField(
        max_length=7, required=False, help_text="A colour as #rrggbb, used on the public page, emails and PDFs."
    )
    time_zone = serializers.CharField(
        max_length=64, required=False, help_text="An IANA time zone (Europe/Berlin); days are counted in it."
    )
    logo_url = serializers.SerializerMethodField(help_text="Absolute URL of the logo, or null without one.")

    class Meta:
        model = BusinessProfile
        fields = ["business_name", "contact_email", "address", "tax_id", "accent_color", "logo_url", "time_zone"]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_logo_url(self, profile: BusinessProfile) -> str | None:
        return logo_url(profile)

    def validate_accent_color(self, value: str) -> str:
        try:
            return clean_accent_color(value)
        except ProfileValueError as problem:
            raise serializers.ValidationError(str(problem)) from None

    def validate_time_zone(self, value: str) -> str:
        try:
            return clean_time_zone(value)
        except ProfileValueError as problem:
            raise serializers.ValidationError(str(problem)) from None

    def validate_business_name(self, value: str) -> str:
        return value.strip()


class LogoUploadSerializer(serializers.Serializer):
    logo = serializers.FileField(
        help_text=f"PNG, JPEG or WebP (no SVG), at most {LOGO_MAX_BYTES // 1024} KB and {LOGO_MAX_SIDE} pixels a side.",
        allow_empty_file=False,
    )
