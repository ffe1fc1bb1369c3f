"""A Host header the server does not answer for gets the API's JSON error, with DEBUG on too."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse

# The logger Django itself reports a disallowed host to (django.security.DisallowedHost).
security_logger = logging.getLogger("django.security.DisallowedHost")


class ApiHostMiddleware:
    """Checks the Host of /api/ requests before anything else reads it.

    With DEBUG off Django already routes ``DisallowedHost`` to ``handler400``; with DEBUG on (the
    demo that ``make run`` serves) it answers its HTML debug page instead, which no API client
    can read. Other paths are left to Django.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            try:
                request.get_host()
            except DisallowedHost as exc:
                # Imported here: trackify.api imports DRF, whose settings import trackify.api.
                from trackify.api import bad_request

                security_logger.error("%s", exc)
                return bad_request(request, exc)
        return self.get_response(request)
