"""Secrets never reach a log line, whoever writes it (our code, Django, the Stripe SDK).

``RedactSecretsFilter`` is attached to every handler in ``settings.LOGGING``: a handler filter
sees the records of every logger that propagates to it, where a logger filter would see only its
own. It rewrites the record in place (message, arguments, exception and stack text, extra fields),
so every handler after it writes the redacted text too.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any
from urllib.parse import urlsplit

REDACTED = "[redacted]"

# Provider-issued secrets, recognizable by their prefix: Stripe's secret, restricted, publishable
# (not secret, but nothing in a log needs it), ephemeral and webhook signing keys, and the client
# secrets of PaymentIntents, SetupIntents and Checkout sessions (``pi_3Mt..._secret_YrK...``).
_PREFIXED = re.compile(
    r"\b(?P<prefix>(?:sk|rk|pk|ek)_(?:live|test)_|whsec_|(?:pi|seti|cs)_[A-Za-z0-9_]+?_secret_)[A-Za-z0-9+/=_]+"
)
# An Authorization or Cookie header's value, however it is quoted: "Authorization: Token abc",
# "'HTTP_AUTHORIZATION': 'Bearer abc'", "Cookie: sessionid=abc" (a cookie's other pairs: below).
_AUTH_HEADER = re.compile(
    r"(?P<name>(?:HTTP_)?(?:authorization|cookie)['\"]?\s*[:=]\s*['\"]?)(?:(?P<scheme>bearer|basic|token)\s+)?[^\s'\",;]+",
    re.IGNORECASE,
)
# A scheme and a credential outside a header name: "... sent Bearer eyJhbGci..."; only values that
# look like tokens (long, with a digit) so "Token expired" stays readable.
_AUTH_VALUE = re.compile(
    r"\b(?P<scheme>Bearer|Basic|Token)\s+(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{20,}", re.IGNORECASE
)
# key=value and "key": "value" pairs whose key names a credential: the gateways' credential fields
# (secret_key, webhook_secret, client_secret, key_secret...), passwords, API keys, tokens and
# session ids (sessionid, csrftoken).
_KEY = r"[A-Za-z_]*(?:secret|password|passwd|token|api_?key|private_?key|sessionid|session_key)[A-Za-z_]*"
_QUOTED_PAIR = re.compile(
    rf"(?P<key>(?P<q>['\"]){_KEY}(?P=q)\s*:\s*)(?P<v>['\"])(?:\\.|(?!(?P=v)).)*(?P=v)", re.IGNORECASE
)
_PLAIN_PAIR = re.compile(rf"(?P<key>\b{_KEY}=)(?P<v>['\"]?)[^\s&,;'\"]+(?P=v)", re.IGNORECASE)
# The password of a URL's user info: postgres://user:password@host, redis://:password@host.
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@]*:)[^/\s@]+(?P<at>@)", re.IGNORECASE)


def _pairs(match: re.Match[str]) -> str:
    quote = match.group("v") or ""
    return f"{match.group('key')}{quote}{REDACTED}{quote}"


def _configured_secrets() -> list[str]:
    """Secret values the settings hold, which may appear anywhere (an error quoting a URL or a key)."""
    from django.conf import settings

    if not settings.configured:
        return []
    values: list[Any] = [
        getattr(settings, "SECRET_KEY", None),
        getattr(settings, "STRIPE_SECRET_KEY", None),
        getattr(settings, "STRIPE_WEBHOOK_SECRET", None),
        getattr(settings, "METRICS_TOKEN", None),
        *getattr(settings, "CREDENTIALS_ENCRYPTION_KEYS", []),
        *(db.get("PASSWORD") for db in getattr(settings, "DATABASES", {}).values()),
        urlsplit(getattr(settings, "REDIS_URL", None) or "").password,
    ]
    # Short values would blank ordinary words; real secrets are long.
    return [value for value in values if isinstance(value, str) and len(value) >= 8]


def redact(text: str) -> str:
    """``text`` with every secret it holds replaced by ``[redacted]``."""
    for secret in _configured_secrets():
        text = text.replace(secret, REDACTED)
    text = _PREFIXED.sub(lambda m: m.group("prefix") + REDACTED, text)
    text = _AUTH_HEADER.sub(
        lambda m: m.group("name") + (m.group("scheme") + " " if m.group("scheme") else "") + REDACTED, text
    )
    text = _AUTH_VALUE.sub(lambda m: f"{m.group('scheme')} {REDACTED}", text)
    text = _QUOTED_PAIR.sub(_pairs, text)
    text = _PLAIN_PAIR.sub(_pairs, text)
    return _URL_PASSWORD.sub(lambda m: m.group("head") + REDACTED + m.group("at"), text)


# The attributes every LogRecord has; anything else came in through ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RedactSecretsFilter(logging.Filter):
    """Redacts secrets in a record before any handler writes it; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(self._message(record))
        record.args = None
        if record.exc_info:
            # Formatters print exc_text when it is set; dropping exc_info keeps a handler that
            # renders the exception itself (with its local variables) from seeing the clear text.
            record.exc_text = redact(record.exc_text or "".join(traceback.format_exception(*record.exc_info)).rstrip())
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_ATTRIBUTES and isinstance(value, str):
                setattr(record, name, redact(value))
        return True

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        try:
            return record.getMessage()
        except Exception:  # arguments that do not fit the format: keep both, redacted
            return f"{record.msg} {record.args!r}"
