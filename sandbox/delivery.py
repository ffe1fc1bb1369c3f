"""The sandbox's webhook sender: a signed POST to Trackify's public webhook endpoint.

A real provider POSTs its events to the URL the merchant gave it. The sandbox has no network
to cross, so it hands the same request to Django's own WSGI handler, in this process: the
middleware, the URL routing, the webhook view and the webhook pipeline run exactly as they do
for a delivery from Stripe, and the sandbox knows the endpoint only by its public path.
"""

from __future__ import annotations

import io
import logging
import sys
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponseBase

from sandbox import provider
from sandbox.models import SandboxSession

logger = logging.getLogger(__name__)

# The endpoint a merchant would paste into a provider's dashboard (one per gateway configuration).
WEBHOOK_PATH = "/api/payment/webhook/sandbox/{config_id}/"


class _InProcessHandler(WSGIHandler):
    """Django's WSGI handler, answering one request without the server's start/finish signals.

    Those signals belong to the payer's request this one is sent from: ``close_old_connections``
    would close the database connection that request is still using.
    """

    def respond(self, environ: dict[str, Any]) -> HttpResponseBase:
        return self.get_response(self.request_class(environ))


@cache
def _handler() -> _InProcessHandler:
    return _InProcessHandler()  # loads the middleware once, as a server does


def deliver(session: SandboxSession, payload: dict[str, Any]) -> int:
    """POST one signed event to the session's webhook endpoint; return the HTTP status answered.

    It must not run inside a database transaction of the caller's: the endpoint commits its
    own work. A non-2xx answer is reported (logged), not retried here: a 5xx leaves the event
    stored as failed at Trackify, which replays it, and a 4xx is a refusal that the same body
    would meet again. The payment's status endpoint also asks the sandbox for the outcome.
    """
    body = provider.encode(payload)
    headers = {provider.SIGNATURE_HEADER: provider.sign(body, session.webhook_secret)}
    environ = _environ(WEBHOOK_PATH.format(config_id=session.config_id), body, headers)
    response = _handler().respond(environ)
    if not 200 <= response.status_code < 300:
        logger.warning(
            "Sandbox webhook %s (%s) for %s was answered %s",
            payload["id"],
            payload["type"],
            session.id,
            response.status_code,
        )
    return response.status_code


def _environ(path: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """A WSGI environ for a JSON POST to ``path`` on the public host, as a server would build it."""
    public = urlsplit(settings.PUBLIC_BASE_URL)
    scheme = public.scheme or "http"
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": public.path.rstrip("/"),
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": public.hostname or "localhost",
        "SERVER_PORT": str(public.port or (443 if scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": public.netloc,
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_USER_AGENT": "Trackify-Sandbox/1.0",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ[f"HTTP_{name.upper().replace('-', '_')}"] = value
    return environ
