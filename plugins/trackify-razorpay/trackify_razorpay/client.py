"""Talking to Razorpay through its official SDK (``razorpay.Client``).

Every call goes to ``RAZORPAY_API_BASE`` when it is set (Django setting or environment), so the
plugin can run against a local Razorpay-compatible server; otherwise to Razorpay's API (one
host for test and live keys: the key id's prefix picks the mode). The SDK's own errors become
Trackify's: Razorpay unreachable is a ``GatewayError``, a refusal of the request itself a
``GatewayRequestRejected``, refused keys ``GatewayCredentialsInvalid``.
"""

from __future__ import annotations

import os
from typing import Any

import razorpay  # type: ignore[import-untyped]
import requests
from razorpay.errors import BadRequestError, ServerError  # type: ignore[import-untyped]
from razorpay.errors import GatewayError as RazorpayGatewayError

from payments.errors import GatewayCredentialsInvalid, GatewayError, GatewayRequestRejected

DEFAULT_BASE = "https://api.razorpay.com"
DEFAULT_TIMEOUT_SECONDS = 20
# What Razorpay answers (401, code BAD_REQUEST_ERROR) for a key id and secret it does not know.
AUTH_FAILED = "authentication failed"


def api_base() -> str:
    """``RAZORPAY_API_BASE`` if set (Django setting first, then environment), else Razorpay's."""
    override = ""
    try:
        from django.conf import settings

        override = getattr(settings, "RAZORPAY_API_BASE", "") or ""
    except Exception:  # settings not configured: a script using the plugin on its own
        override = ""
    return (override or os.environ.get("RAZORPAY_API_BASE", "") or DEFAULT_BASE).rstrip("/")


class RazorpayClient:
    """One configuration's connection to Razorpay (its own key id and secret)."""

    def __init__(self, *, key_id: str, key_secret: str, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
        self.base_url = api_base()
        self.timeout = timeout
        self.sdk = razorpay.Client(auth=(key_id, key_secret), base_url=self.base_url)
        self.sdk.set_app_details({"title": "Trackify", "version": "1.0.0"})

    def __repr__(self) -> str:  # never show credentials
        return f"<RazorpayClient {self.base_url}>"

    def call(self, resource: str, method: str, *args: Any, **data: Any) -> dict[str, Any]:
        """``sdk.<resource>.<method>(*args)`` with Razorpay's failures as Trackify's errors.

        ``data`` is the request's body (POST) or query (GET)."""
        target = getattr(getattr(self.sdk, resource), method)
        try:
            answer = target(*args, data, timeout=self.timeout)
        except BadRequestError as exc:
            message = str(exc) or "Razorpay refused the request."
            if AUTH_FAILED in message.lower():
                raise GatewayCredentialsInvalid("Razorpay did not accept this key id and secret.") from None
            raise GatewayRequestRejected(f"Razorpay refused the request: {message}") from None
        except (ServerError, RazorpayGatewayError) as exc:
            raise GatewayError(f"Razorpay failed to answer: {exc}", outcome_unknown=True) from None
        except requests.exceptions.ConnectionError as exc:
            # A connect timeout is also a ConnectionError: the request never left.
            unknown = not isinstance(exc, requests.exceptions.ConnectTimeout) and _may_have_arrived(exc)
            raise GatewayError("Razorpay could not be reached.", outcome_unknown=unknown) from None
        except requests.exceptions.Timeout:
            raise GatewayError("Razorpay did not answer in time.", outcome_unknown=True) from None
        except (requests.exceptions.RequestException, ValueError):
            raise GatewayError("Razorpay answered with something that is not JSON.", outcome_unknown=True) from None
        if not isinstance(answer, dict):
            raise GatewayError("Razorpay answered with something that is not an object.", outcome_unknown=True)
        return answer


def _may_have_arrived(exc: requests.exceptions.ConnectionError) -> bool:
    """A refused or unresolvable connection never reached Razorpay; a dropped one may have."""
    text = str(exc).lower()
    return not any(sign in text for sign in ("refused", "name or service", "nodename", "failed to resolve"))
