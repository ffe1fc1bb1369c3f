"""Production settings (DEBUG=0, trackify.settings): `check --deploy` passes at WARNING, and
cookies, HSTS, the HTTPS redirect behind the proxy header and the CORS allow-list behave.

Each check runs in a fresh Python process with only the production environment, so nothing of
the test settings (which relax TLS) leaks in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]
ALLOWED_ORIGIN = "https://app.trackify.example"


def _production_env() -> dict[str, str]:
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "DATABASE_URL") if key in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="trackify.settings",
        DEBUG="0",
        SECRET_KEY="prod-" + Fernet.generate_key().decode() + Fernet.generate_key().decode(),
        CREDENTIALS_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="trackify.example",
        CORS_ALLOWED_ORIGINS=ALLOWED_ORIGIN,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_at_warning_level():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_secrets():
    env = _production_env()
    del env["CREDENTIALS_ENCRYPTION_KEYS"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "CREDENTIALS_ENCRYPTION_KEYS" in result.stderr


PROBE = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client(SERVER_NAME="trackify.example")
    plain = client.get("/api/auth/me/")
    tls = client.get("/api/auth/me/", HTTP_X_FORWARDED_PROTO="https")
    allowed = client.get("/api/auth/me/", HTTP_X_FORWARDED_PROTO="https", HTTP_ORIGIN="%(origin)s")
    other = client.get("/api/auth/me/", HTTP_X_FORWARDED_PROTO="https", HTTP_ORIGIN="https://evil.example")
    preflight = client.options(
        "/api/invoices/", HTTP_X_FORWARDED_PROTO="https", HTTP_ORIGIN="https://evil.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    csrf = tls.cookies.get("csrftoken")
    print(json.dumps({
        "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
        "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
        "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
        "plain_status": plain.status_code,
        "plain_location": plain.get("Location", ""),
        "tls_status": tls.status_code,
        "hsts": tls.get("Strict-Transport-Security", ""),
        "csrf_cookie_flag_secure": bool(csrf and csrf["secure"]),
        "allowed_origin": allowed.get("Access-Control-Allow-Origin"),
        "allowed_credentials": allowed.get("Access-Control-Allow-Credentials"),
        "other_origin": other.get("Access-Control-Allow-Origin"),
        "preflight_origin": preflight.get("Access-Control-Allow-Origin"),
        "nosniff": tls.get("X-Content-Type-Options"),
        "frame": tls.get("X-Frame-Options"),
    }))
    """
) % {"origin": ALLOWED_ORIGIN}


@pytest.fixture(scope="module")
def production():  # type: ignore[no-untyped-def]
    result = _run("-c", PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_cookies_are_secure(production):
    assert production["session_cookie_secure"] is True
    assert production["session_cookie_httponly"] is True
    assert production["csrf_cookie_secure"] is True
    assert production["csrf_cookie_flag_secure"] is True


def test_plain_http_is_redirected_to_https_but_not_behind_the_tls_proxy(production):
    assert production["plain_status"] == 301
    assert production["plain_location"] == "https://trackify.example/api/auth/me/"
    assert production["tls_status"] == 401  # served, not redirected again


def test_hsts_is_sent_for_a_year_with_subdomains(production):
    hsts = production["hsts"]
    directives = dict(part.strip().partition("=")[::2] for part in hsts.split(";"))
    assert int(directives["max-age"]) >= 31_536_000
    assert "includeSubDomains" in directives
    assert production["nosniff"] == "nosniff"
    assert production["frame"] == "DENY"


def test_cors_answers_only_the_allowed_origin(production):
    assert production["allowed_origin"] == ALLOWED_ORIGIN
    assert production["allowed_credentials"] == "true"
    assert production["other_origin"] is None
    assert production["preflight_origin"] is None
