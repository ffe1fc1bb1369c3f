"""Talking to PayPal: the official SDK for orders, captures and refunds, plain ``requests``
for what the SDK does not cover (webhook registration and signature verification).

Every call goes to ``PAYPAL_API_BASE`` when it is set (Django setting or environment), so the
whole plugin can run against a local PayPal-compatible server; otherwise to PayPal's live or
sandbox API, following the configuration's mode.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import requests
from paypalserversdk.configuration import Configuration, Environment, Server  # type: ignore[import-untyped]
from paypalserversdk.exceptions.api_exception import ApiException  # type: ignore[import-untyped]
from paypalserversdk.http.auth.o_auth_2 import ClientCredentialsAuthCredentials  # type: ignore[import-untyped]
from paypalserversdk.paypal_serversdk_client import PaypalServersdkClient  # type: ignore[import-untyped]
from urllib3.exceptions import NewConnectionError

from payments.errors import GatewayCredentialsInvalid, GatewayError, GatewayRequestRejected

LIVE_BASE = "https://api-m.paypal.com"
SANDBOX_BASE = "https://api-m.sandbox.paypal.com"
DEFAULT_TIMEOUT_SECONDS = 20


def api_base(mode: str) -> str:
    """Where this configuration's calls go: ``PAYPAL_API_BASE`` if set, else live or sandbox."""
    override = ""
    try:
        from django.conf import settings

        override = getattr(settings, "PAYPAL_API_BASE", "") or ""
    except Exception:  # settings not configured: a script using the plugin on its own
        override = ""
    override = override or os.environ.get("PAYPAL_API_BASE", "")
    if override:
        return override.rstrip("/")
    return LIVE_BASE if mode == "live" else SANDBOX_BASE


class _BaseConfiguration(Configuration):  # type: ignore[misc]
    """The SDK's configuration with one base URL for every call."""

    def __init__(self, *, base_url: str, **kwargs: Any) -> None:
        self._base_url = base_url
        super().__init__(**kwargs)

    def get_base_uri(self, server: Server = Server.DEFAULT) -> str:
        return self._base_url


class PayPalClient:
    """One configuration's connection to PayPal (its own REST app credentials)."""

    def __init__(self, *, client_id: str, client_secret: str, mode: str, timeout: float = DEFAULT_TIMEOUT_SECONDS):
        self.base_url = api_base(mode)
        self.timeout = timeout
        self._client_id = client_id
        self._client_secret = client_secret
        config = _BaseConfiguration(
            base_url=self.base_url,
            timeout=timeout,
            max_retries=0,
            environment=Environment.PRODUCTION if mode == "live" else Environment.SANDBOX,
            client_credentials_auth_credentials=ClientCredentialsAuthCredentials(
                o_auth_client_id=client_id, o_auth_client_secret=client_secret
            ),
        )
        self.sdk = PaypalServersdkClient(config=config)

    def __repr__(self) -> str:  # never show credentials
        return f"<PayPalClient {self.base_url}>"

    # Through the SDK ---------------------------------------------------------------------

    def access_token(self) -> str:
        """This configuration's OAuth token, fetched once and reused until it expires.

        Fetched here rather than left to the SDK, which would swallow a refused token request
        and fail later with a less useful error.
        """
        auth = self.sdk.oauth_2
        token = auth._o_auth_token
        if token is None or auth.is_token_expired(token):
            with paypal_errors():
                token = auth.fetch_token()
            auth._o_auth_token = token
        return str(token.access_token)

    def call(self, controller: str, method: str, options: Mapping[str, Any]) -> dict[str, Any]:
        """Call one SDK endpoint (``call("orders", "create_order", {...})``); its JSON body."""
        self.access_token()
        with paypal_errors():
            response = getattr(getattr(self.sdk, controller), method)(dict(options))
        return _json(response.text)

    # Plain HTTP --------------------------------------------------------------------------

    def rest(self, method: str, path: str, *, body: bytes | None = None) -> dict[str, Any]:
        """A call the SDK does not cover, with this configuration's OAuth token."""
        token = self.access_token()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Accept": "application/json"}
        with paypal_errors():
            response = requests.request(method, self.base_url + path, data=body, headers=headers, timeout=self.timeout)
        if response.status_code == 404 and method == "DELETE":
            return {}
        if response.status_code >= 400:
            raise _error(response.status_code, response.text)
        return _json(response.text) if response.text else {}


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        raise GatewayError("PayPal answered with something that is not JSON.", outcome_unknown=True) from None
    return value if isinstance(value, dict) else {}


def _error(status: int, text: str | None) -> Exception:
    """Our error for a PayPal error answer; its message names PayPal's issue, never a secret."""
    try:
        body = json.loads(text or "{}")
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    details = body.get("details") or []
    issue = (details[0].get("issue") if details and isinstance(details[0], dict) else None) or body.get("name") or ""
    description = body.get("message") or body.get("error_description") or ""
    message = f"PayPal refused the request: {issue or status}" + (f" ({description})" if description else "")
    if status == 401 or body.get("error") == "invalid_client":
        return GatewayCredentialsInvalid("PayPal did not accept this client id and secret.")
    if status in (400, 403, 404, 409, 422):
        return GatewayRequestRejected(message[:300], details={"paypal_issue": [str(issue or status)]})
    return GatewayError("PayPal could not complete the request.", outcome_unknown=True)


def _never_sent(exc: requests.ConnectionError) -> bool:
    """Whether the connection failed before the request could leave (refused, no route, DNS)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(exc, requests.exceptions.ConnectTimeout) or isinstance(reason, NewConnectionError)


@contextmanager
def paypal_errors() -> Iterator[None]:
    """Turn the SDK's and the network's failures into Trackify's payment errors."""
    try:
        yield
    except ApiException as exc:
        raise _error(exc.response_code, getattr(exc.response, "text", "")) from None
    except requests.ConnectionError as exc:
        # Refused before anything was sent: nothing happened at PayPal. A connection lost
        # mid-request may have been applied: the caller retries with the same request id.
        raise GatewayError("PayPal could not be reached.", outcome_unknown=not _never_sent(exc)) from None
    except requests.Timeout:
        raise GatewayError("PayPal did not answer in time.", outcome_unknown=True) from None
