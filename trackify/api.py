"""Shared API pieces: the one exception handler, pagination, money fields and throttles."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views import defaults as django_error_views
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from core import json_input
from core.errors import DomainError

logger = logging.getLogger("trackify.api")

_DRF_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "Authentication credentials were not provided."),
    exceptions.AuthenticationFailed: ("authentication_failed", None),
    exceptions.PermissionDenied: ("permission_denied", None),
    exceptions.NotFound: ("not_found", "Not found."),
    exceptions.MethodNotAllowed: ("method_not_allowed", None),
    exceptions.NotAcceptable: ("not_acceptable", None),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", None),
    exceptions.ParseError: ("malformed_request", None),
    exceptions.Throttled: ("rate_limited", None),
}


SERVER_ERROR_MESSAGE = (
    "Something went wrong on our side and the error was logged. Part of the request may have been "
    "applied: check the current state before trying again."
)


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details or {}}


class LabelledValidationError(exceptions.ValidationError):
    """A validation error whose message names fields as the form labels them.

    ``labels`` maps a field's path in ``details`` (``"credentials.secret_key"``) to its label
    (``"Secret key"``); fields without one are named from their key (``display_name``: "Display name").
    """

    def __init__(self, detail: Any, *, labels: dict[str, str]) -> None:
        super().__init__(detail)
        self.labels = labels


def _validation_message(details: Any, labels: dict[str, str]) -> str:
    """``"Secret key: A Stripe secret key starts with sk_test_ ... Display name: ..."``: one
    sentence per field, each named as a person reads it, never by an internal key."""
    parts = [f"{label}: {message}" if label else message for label, message in _field_messages(details, "", labels)]
    return " ".join(p if p.endswith((".", "!", "?")) else f"{p}." for p in parts) or "Some fields are not valid."


def _field_messages(detail: Any, path: str, labels: dict[str, str]) -> list[tuple[str, str]]:
    if isinstance(detail, dict):
        found: list[tuple[str, str]] = []
        for key, value in detail.items():
            found += _field_messages(value, f"{path}.{key}" if path else str(key), labels)
        return found
    if isinstance(detail, (list, tuple)):
        if detail and all(not isinstance(item, (dict, list, tuple)) for item in detail):
            return [(_label(path, labels), str(detail[0]))]
        found = []
        for index, item in enumerate(detail):  # a list of nested objects, e.g. invoice items
            found += _field_messages(item, f"{path}.{index}", labels)
        return found
    return [(_label(path, labels), str(detail))] if str(detail) else []


def _label(path: str, labels: dict[str, str]) -> str:
    if path in labels:
        return labels[path]
    words: list[str] = []
    for part in path.split("."):
        if part in ("", "non_field_errors"):
            continue
        if part.isdigit() and words:
            words[-1] += f" {int(part) + 1}"  # "items.0.quantity" -> "Items 1, quantity"
        else:
            words.append(part.replace("_", " "))
    return ", ".join(words).capitalize()


def _message_of(detail: Any) -> str:
    if isinstance(detail, (list, tuple)) and detail:
        return _message_of(detail[0])
    if isinstance(detail, dict) and detail:
        return _message_of(next(iter(detail.values())))
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn every error into ``{"code", "message", "details"}``.

    Domain errors carry their own ``code`` and ``http_status``; DRF's validation errors become
    ``invalid`` with per-field messages; anything unexpected is logged and answered 500.
    """
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, RequestDataTooBig):
        # Django refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE; that is the client's 413, not our 500.
        return Response(
            error_body("payload_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in %s", context.get("view").__class__.__name__, exc_info=exc)
        # Not "nothing was changed": the error may come after some of the work was saved (a
        # refund recorded before its gateway call), so the caller must look before retrying.
        return Response(error_body("server_error", SERVER_ERROR_MESSAGE), status=status.HTTP_500_INTERNAL_SERVER_ERROR)

    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        message = _validation_message(details, getattr(exc, "labels", {}))
        response.data = error_body("invalid", message, details)
        return response

    code, message = "error", None
    for exc_type, (mapped_code, mapped_message) in _DRF_CODES.items():
        if isinstance(exc, exc_type):
            code, message = mapped_code, mapped_message
            break
    detail = getattr(exc, "detail", "")
    response.data = error_body(code, message or _message_of(detail) or "The request failed.")
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response.data["details"] = {"retry_after_seconds": int(exc.wait)}
    return response


def json_error_view(code: str, message: str, http_status: int):  # type: ignore[no-untyped-def]
    # Exempt from CSRF: it changes nothing, and a POST to an unknown /api/ path (a malformed id)
    # must get this JSON error, not Django's HTML "CSRF verification failed" page.
    @csrf_exempt
    def view(request, exception=None):  # type: ignore[no-untyped-def]
        return JsonResponse(error_body(code, message), status=http_status)

    return view


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's handler400 (a Host header not in ALLOWED_HOSTS, a malformed request): under /api/
    the contract's JSON error, as every other API error; Django's own page elsewhere."""
    if not request.path.startswith("/api/"):
        return django_error_views.bad_request(request, exception)  # type: ignore[arg-type]
    if isinstance(exception, DisallowedHost):
        body = error_body("disallowed_host", "This server does not answer for the host name in the request.")
    else:
        body = error_body("bad_request", "The request could not be understood.")
    return JsonResponse(body, status=400)


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class PublicRateThrottle(SimpleRateThrottle):
    """Per client IP limit on the public endpoints, counted in Django's cache (Redis when set)."""

    scope = "public"

    def get_cache_key(self, request, view):  # type: ignore[no-untyped-def]
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):  # type: ignore[no-untyped-def]
        if (settings.PUBLIC_RATE_LIMIT or "").lower() == "off":
            return True
        # Read the rate at request time, so settings overrides in tests take effect.
        self.rate = settings.PUBLIC_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class DecimalJSONParser(JSONParser):
    """JSON whose numbers with fractions become ``Decimal``, never ``float``.

    Deep nesting and text the database cannot hold are refused here too, as a 400 (see
    ``core.json_input``), so no endpoint, anonymous or not, can be made to answer 500.
    """

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
            return json_input.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
        except json_input.UnreadableJSON as exc:
            raise exceptions.ParseError(f"The body is not JSON this API accepts: {exc}") from None
        except ValueError as exc:
            raise exceptions.ParseError(f"The body is not valid JSON: {exc}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number this API accepts")
