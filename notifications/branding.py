"""The owner's business, as emails and PDFs show it: from the business profile, never the login
username nor the account's own email."""

from __future__ import annotations

import base64
import mimetypes
import re
from dataclasses import dataclass
from typing import Any

from accounts.services import profile_for

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_ACCENT = "#2563eb"
# An inline logo above this size is left out of emails and PDFs rather than bloating them.
MAX_LOGO_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class Branding:
    name: str
    contact_email: str
    address: str
    tax_id: str
    accent: str
    logo_bytes: bytes | None
    logo_type: str
    time_zone: str

    @property
    def logo_data_uri(self) -> str:
        """The logo inlined (PDFs need no file access; emails reference it by Content-ID instead)."""
        if not self.logo_bytes:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo_bytes).decode()}"


def _logo(profile: Any) -> tuple[bytes | None, str]:
    logo = getattr(profile, "logo", None)
    if not logo or not getattr(logo, "name", ""):
        return None, ""
    try:
        with logo.open("rb") as handle:
            data = handle.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError):
        return None, ""
    if len(data) > MAX_LOGO_BYTES:
        return None, ""
    return data, mimetypes.guess_type(logo.name)[0] or "image/png"


def branding_for(owner: Any) -> Branding:
    """The owner's branding; an owner with no business name is shown as "Your supplier"
    rather than by their login name."""
    profile = profile_for(owner)
    accent = profile.accent_color if HEX_COLOUR.match(profile.accent_color or "") else DEFAULT_ACCENT
    logo_bytes, logo_type = _logo(profile)
    return Branding(
        name=(profile.business_name or "").strip() or "Your supplier",
        contact_email=profile.contact_email or "",
        address=profile.address or "",
        tax_id=profile.tax_id or "",
        accent=accent,
        logo_bytes=logo_bytes,
        logo_type=logo_type,
        time_zone=profile.time_zone or "UTC",
    )
