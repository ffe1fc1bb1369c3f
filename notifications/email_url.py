"""``EMAIL_URL``: where email goes, as one URL (read by the settings; imports nothing of ours).

- ``smtp://user:password@host:587?tls`` (STARTTLS; ``?ssl`` for implicit TLS), ``smtps://...``
  (implicit TLS, port 465 by default), ``smtp://host:25`` (no login);
- ``console://`` (printed to the server's output), ``locmem://`` (kept in memory: tests),
  ``dummy://`` (dropped);
- ``anymail+<esp>://?<setting>=<value>`` for a provider through django-anymail, e.g.
  ``anymail+postmark://?server_token=...`` sets ``EMAIL_BACKEND`` to Anymail's Postmark backend
  and ``ANYMAIL = {"POSTMARK_SERVER_TOKEN": ...}``.

User name and password may be percent-encoded. The password is returned as a setting only, never
in a message: ``describe`` shows the URL with it masked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SIMPLE_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
TRUE = {"", "1", "true", "yes", "on"}


class EmailUrlError(ValueError):
    """An EMAIL_URL that cannot be used (the message never contains the password)."""


def _flag(query: dict[str, list[str]], name: str) -> bool:
    return name in query and query[name][-1].strip().lower() in TRUE


def _anymail(scheme: str, query: dict[str, list[str]]) -> dict[str, Any]:
    esp = scheme.split("+", 1)[1].strip().lower()
    if not esp.isidentifier():
        raise EmailUrlError(f"EMAIL_URL names an unknown Anymail provider '{esp}'.")
    options = {f"{esp.upper()}_{key.upper()}": values[-1] for key, values in query.items()}
    return {"EMAIL_BACKEND": f"anymail.backends.{esp}.EmailBackend", "ANYMAIL": options}


def parse_email_url(url: str) -> dict[str, Any]:
    """The Django settings an EMAIL_URL stands for (``EMAIL_BACKEND``, ``EMAIL_HOST``...)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    query = parse_qs(parts.query, keep_blank_values=True)
    if scheme in SIMPLE_BACKENDS:
        return {"EMAIL_BACKEND": SIMPLE_BACKENDS[scheme]}
    if scheme.startswith("anymail+"):
        return _anymail(scheme, query)
    if scheme not in {"smtp", "smtps"}:
        raise EmailUrlError(
            f"EMAIL_URL's scheme '{scheme}' is not one of smtp, smtps, console, locmem, dummy, anymail+<provider>."
        )
    if not parts.hostname:
        raise EmailUrlError("EMAIL_URL names no host (smtp://user:password@host:port).")
    use_ssl = scheme == "smtps" or _flag(query, "ssl")
    use_tls = not use_ssl and (_flag(query, "tls") or _flag(query, "starttls"))
    try:
        port = parts.port
    except ValueError:
        raise EmailUrlError("EMAIL_URL's port is not a number.") from None
    settings: dict[str, Any] = {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
    if "timeout" in query:
        settings["EMAIL_TIMEOUT"] = int(query["timeout"][-1])
    return settings


def describe(url: str) -> str:
    """The URL with its password masked: safe for a log line or an error message."""
    parts = urlsplit(url.strip())
    if parts.password is None:
        return parts._replace(query="").geturl() if parts.scheme.startswith("anymail+") else parts.geturl()
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def email_settings(environ: Mapping[str, str], *, debug: bool) -> dict[str, Any]:
    """Every email setting from the environment: ``EMAIL_URL`` (default ``console://`` with DEBUG
    on, SMTP on localhost:25 otherwise), ``DEFAULT_FROM_EMAIL``, ``EMAIL_TIMEOUT`` (seconds) and
    ``REMINDER_GRACE_DAYS`` (how many days late a reminder may still go out)."""
    url = environ.get("EMAIL_URL") or ("console://" if debug else "smtp://localhost:25")
    try:
        found = parse_email_url(url)
    except EmailUrlError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    sender = environ.get("DEFAULT_FROM_EMAIL") or "Trackify <invoices@localhost>"
    timeout = environ.get("EMAIL_TIMEOUT") or found.get("EMAIL_TIMEOUT") or 20
    return {
        **found,
        "EMAIL_URL": describe(url),
        "DEFAULT_FROM_EMAIL": sender,
        "SERVER_EMAIL": sender,
        "EMAIL_TIMEOUT": int(timeout),
        "REMINDER_GRACE_DAYS": int(environ.get("REMINDER_GRACE_DAYS") or 2),
    }
