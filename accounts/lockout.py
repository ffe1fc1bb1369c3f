"""Sign-in lockout (django-axes): whose address counts, and what a locked-out client is told.

Axes watches every ``authenticate()`` call, so it guards the admin's login form and the API's
login and token endpoints alike; these two callables are named in the ``AXES_*`` settings.
"""

from __future__ import annotations

import ipaddress
import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from rest_framework.throttling import BaseThrottle


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the rate limits see it: REMOTE_ADDR, or the address the trusted
    proxies saw (NUM_PROXIES), so a forged X-Forwarded-For cannot reset a lockout."""
    ident = BaseThrottle().get_ident(request)  # type: ignore[arg-type]  # it reads only headers and META
    try:
        return str(ipaddress.ip_address(ident))
    except ValueError:  # not an address (a misconfigured proxy): the attempt table stores only addresses
        return request.META.get("REMOTE_ADDR")


def _cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-in attempts. Wait {minutes} {unit} before trying again."


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """429 while locked out: the contract's JSON error under /api/, a plain page elsewhere (the admin)."""
    # Imported here: axes imports this module while checking its settings, and trackify.api
    # imported cold (before DRF's views) would be a circular import.
    from trackify.api import error_body

    seconds = _cool_off_seconds()
    message = _message(seconds)
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("rate_limited", message, {"retry_after_seconds": seconds}), status=429)
    else:
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in locked</title></head>'
            f"<body><h1>Sign-in locked</h1><p>{escape(message)}</p></body></html>"
        )
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(seconds)
    return response
