"""The shape of the Stripe credentials a user enters, checked when a configuration is saved.

Only the shape is checked here (no network): prefixes, test/live consistency and the
configuration's mode. ``StripeGateway.verify_credentials`` asks Stripe whether the key works.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from payments.errors import GatewayCredentialsInvalid
from payments.gateways.base import CredentialField, check_declared_fields

CREDENTIAL_FIELDS: tuple[CredentialField, ...] = (
    CredentialField(
        name="secret_key",
        label="Secret key",
        secret=True,
        help_text="Stripe Dashboard > Developers > API keys: sk_test_... or sk_live_... "
        "(a restricted rk_ key with Checkout Sessions, Refunds and Balance access also works).",
    ),
    CredentialField(
        name="publishable_key",
        label="Publishable key",
        secret=False,
        help_text="The pk_test_... or pk_live_... key shown next to the secret key.",
    ),
    CredentialField(
        name="webhook_secret",
        label="Webhook signing secret",
        secret=True,
        required=False,
        help_text="Optional: leave it empty and Trackify creates the webhook endpoint on your Stripe account. "
        "For a restricted key that cannot manage webhook endpoints, paste the whsec_... secret of the endpoint you "
        "created at this configuration's webhook URL (during a rotation, both secrets separated by a comma).",
    ),
)

_SECRET_KEY = re.compile(r"^(?P<kind>sk|rk)_(?P<env>test|live)_[A-Za-z0-9_]+$")
_PUBLISHABLE_KEY = re.compile(r"^pk_(?P<env>test|live)_[A-Za-z0-9_]+$")
_WEBHOOK_SECRET = re.compile(r"^whsec_[A-Za-z0-9+/=_-]+$")
MODES = ("test", "live")


def _environment(value: str, pattern: re.Pattern[str]) -> str | None:
    match = pattern.match(value)
    return match.group("env") if match else None


def validate(credentials: Mapping[str, Any], *, mode: str) -> dict[str, str]:
    """Return the credentials to store, or raise ``GatewayCredentialsInvalid`` listing every problem."""
    cleaned, problems = check_declared_fields(CREDENTIAL_FIELDS, credentials)
    if mode not in MODES:
        problems["mode"] = ['Must be "test" or "live".']

    secret_env = pub_env = None
    secret = cleaned.get("secret_key")
    if secret is not None:
        secret_env = _environment(secret, _SECRET_KEY)
        if secret_env is None:
            hint = " This looks like a publishable key." if secret.startswith("pk_") else ""
            problems["secret_key"] = [
                "A Stripe secret key starts with sk_test_ or sk_live_ (rk_test_ or rk_live_ for a restricted key)." + hint
            ]
    publishable = cleaned.get("publishable_key")
    if publishable is not None:
        pub_env = _environment(publishable, _PUBLISHABLE_KEY)
        if pub_env is None:
            problems["publishable_key"] = ["A Stripe publishable key starts with pk_test_ or pk_live_."]

    if secret_env and pub_env and secret_env != pub_env:
        problems.setdefault("publishable_key", []).append(
            f"This is a {pub_env} key but the secret key is a {secret_env} key; use the pair from one mode."
        )
    if mode in MODES:
        for name, env in (("secret_key", secret_env), ("publishable_key", pub_env)):
            if env and env != mode:
                problems.setdefault(name, []).append(
                    f"This is a {env} key but the configuration is in {mode} mode."
                )

    if "webhook_secret" in cleaned:
        # Several secrets, comma-separated, while Stripe rolls the endpoint's secret.
        parts = [part.strip() for part in cleaned["webhook_secret"].split(",") if part.strip()]
        if not parts or not all(_WEBHOOK_SECRET.match(part) for part in parts):
            problems["webhook_secret"] = [
                "A Stripe webhook signing secret starts with whsec_ (separate several with commas)."
            ]
        else:
            cleaned["webhook_secret"] = ",".join(parts)

    if problems:
        raise GatewayCredentialsInvalid("Some Stripe credentials are missing or malformed.", details=problems)
    return cleaned
