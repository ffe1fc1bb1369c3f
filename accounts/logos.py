"""Checking and storing a business logo.

A logo is shown on public pages, in emails and PDFs, so only a small raster image is kept: PNG,
JPEG or WebP (never SVG, which can carry script), at most ``LOGO_MAX_BYTES`` and
``LOGO_MAX_SIDE`` pixels a side. It is decoded and encoded again, which drops whatever else the
file carried (EXIF with a location, comments, trailing bytes), and stored under a random name,
so its URL says nothing about the owner or the file they uploaded.
"""

from __future__ import annotations

import io
import uuid
import warnings
from typing import IO

from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from accounts.errors import LogoInvalid

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_SIDE = 2000
# Pillow's format name -> (file extension, content type) of what we store.
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
CONTENT_TYPES = {ext: content_type for ext, content_type in FORMATS.values()}


def _refuse(message: str) -> LogoInvalid:
    return LogoInvalid(message, details={"logo": [message]})


def clean_logo(upload: IO[bytes], *, size: int) -> ContentFile:
    """The logo to store, re-encoded under a random name; ``LogoInvalid`` with the reason if not."""
    if size > LOGO_MAX_BYTES:
        raise _refuse(f"The logo is {size // 1024} KB; the limit is {LOGO_MAX_BYTES // 1024} KB.")
    data = upload.read(LOGO_MAX_BYTES + 1)
    if len(data) > LOGO_MAX_BYTES:
        raise _refuse(f"The logo is larger than {LOGO_MAX_BYTES // 1024} KB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind, (width, height) = probe.format, probe.size
                if kind not in FORMATS:
                    raise _refuse("The logo must be a PNG, JPEG or WebP image.")
                if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
                    raise _refuse(f"The logo is {width}x{height} pixels; at most {LOGO_MAX_SIDE} a side.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                out = io.BytesIO()
                _encode(image, kind, out)
    except LogoInvalid:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise _refuse("The file is not a readable PNG, JPEG or WebP image.") from None
    extension = FORMATS[kind][0]
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


def _encode(image: Image.Image, kind: str, out: io.BytesIO) -> None:
    if kind == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=90)
    elif kind == "WEBP":
        image.save(out, format="WEBP", quality=90)
    else:
        if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
