"""Shapes of the business profile API (``/api/account/profile/``)."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.logos import LOGO_MAX_BYTES, LOGO_MAX_SIDE
from accounts.models import BusinessProfile
from accounts.services import logo_url

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


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
        if not _COLOR.fullmatch(value):
            raise serializers.ValidationError("Give the colour as # and six hex digits, e.g. #2563eb.")
        return value.lower()

    def validate_time_zone(self, value: str) -> str:
        if value not in time_zones():
            raise serializers.ValidationError(f"'{value}' is not a known time zone (e.g. Europe/Berlin, America/New_York).")
        return value

    def validate_business_name(self, value: str) -> str:
        return value.strip()


class LogoUploadSerializer(serializers.Serializer):
    logo = serializers.FileField(
        help_text=f"PNG, JPEG or WebP (no SVG), at most {LOGO_MAX_BYTES // 1024} KB and {LOGO_MAX_SIDE} pixels a side.",
        allow_empty_file=False,
    )
