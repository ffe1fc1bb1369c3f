"""Writes to the business profile. Reading is ``accounts.services.profile_for``, which never
creates a row; the first save here does."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from functools import cache
from typing import IO, Any

from django.db import transaction

from accounts.logos import clean_logo
from accounts.models import BusinessProfile

EDITABLE = ("business_name", "contact_email", "address", "tax_id", "accent_color", "time_zone")

_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


class ProfileValueError(ValueError):
    """A value the profile cannot hold; its message is written for the person who typed it."""


@cache
def time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def clean_accent_color(value: str) -> str:
    """The colour as ``#rrggbb`` in lower case (the API and the admin both check it here)."""
    if not _COLOR.fullmatch(value):
        raise ProfileValueError("Give the colour as # and six hex digits, e.g. #2563eb.")
    return value.lower()


def clean_time_zone(value: str) -> str:
    if value not in time_zones():
        raise ProfileValueError(f"'{value}' is not a known time zone (e.g. Europe/Berlin, America/New_York).")
    return value


def _locked(user: Any) -> BusinessProfile:
    profile, _ = BusinessProfile.objects.select_for_update().get_or_create(user_id=user.pk)
    return profile


def update_profile(*, user: Any, data: Mapping[str, Any]) -> BusinessProfile:
    """Save the validated fields given (any of ``EDITABLE``); the others keep their values."""
    with transaction.atomic():
        profile = _locked(user)
        for name in EDITABLE:
            if name in data:
                setattr(profile, name, data[name])
        profile.save()
    return profile


def set_logo(*, user: Any, upload: IO[bytes], size: int) -> BusinessProfile:
    """Check and store a new logo (``accounts.logos``), replacing the old file."""
    content = clean_logo(upload, size=size)
    with transaction.atomic():
        profile = _locked(user)
        old = profile.logo.name if profile.logo else ""
        profile.logo.save(content.name or "logo", content, save=True)
    _delete_file(old)
    return profile


def remove_logo(*, user: Any) -> BusinessProfile:
    with transaction.atomic():
        profile = _locked(user)
        old = profile.logo.name if profile.logo else ""
        profile.logo = ""  # type: ignore[assignment]
        profile.save()
    _delete_file(old)
    return profile


def _delete_file(name: str) -> None:
    if name:
        storage = BusinessProfile._meta.get_field("logo").storage  # type: ignore[attr-defined]
        transaction.on_commit(lambda: storage.delete(name))
