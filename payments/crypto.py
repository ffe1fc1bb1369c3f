"""Encryption of gateway credentials at rest with rotatable Fernet keys.

``CREDENTIALS_ENCRYPTION_KEYS`` lists keys newest first: the first encrypts, all decrypt, so a
new key can be put in front, ``rotate_credentials_key`` re-encrypts every row, and the old key
can then be removed.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CredentialsDecryptionError(Exception):
    """No configured key can decrypt the stored credentials."""


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "CREDENTIALS_ENCRYPTION_KEYS", []) or [])
    if not keys:
        raise ImproperlyConfigured("CREDENTIALS_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("CREDENTIALS_ENCRYPTION_KEYS holds a key that is not a Fernet key.") from exc


def encrypt_json(data: dict[str, Any]) -> str:
    return _fernet().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def decrypt_json(token: str) -> dict[str, Any]:
    if not token:
        return {}
    try:
        return json.loads(_fernet().decrypt(token.encode()))
    except InvalidToken:
        raise CredentialsDecryptionError("Stored credentials cannot be decrypted with the configured keys.") from None


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key (it must decrypt under one of the keys)."""
    if not token:
        return token
    try:
        return _fernet().rotate(token.encode()).decode()
    except InvalidToken:
        raise CredentialsDecryptionError("Stored credentials cannot be decrypted with the configured keys.") from None


def generate_key() -> str:
    return Fernet.generate_key().decode()
