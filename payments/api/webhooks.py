"""The webhook endpoints: the gateway's signature, not a session, authenticates the caller."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from core.serializers import ErrorSerializer
from payments.gateways import registry
from payments.webhooks import receive
from trackify import metrics

ACK = inline_serializer(
    "WebhookAck",
    fields={"received": serializers.BooleanField(), "status": serializers.CharField(), "event_id": serializers.CharField()},
)

WEBHOOK_SCHEMA = {
    "request": {"application/json": {"type": "object"}},
    "responses": {
        200: ACK,
        400: OpenApiResponse(ErrorSerializer, description="Bad or missing signature, or a malformed body: nothing stored."),
        404: OpenApiResponse(ErrorSerializer, description="Unknown gateway or configuration."),
        413: OpenApiResponse(ErrorSerializer),
        500: OpenApiResponse(ErrorSerializer, description="Stored as failed; the gateway should deliver it again."),
    },
}


class RawBodyParser(BaseParser):
    """The signature covers the exact bytes sent, so the body is never parsed before it is verified."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        return stream.read()


class WebhookView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [RawBodyParser]

    @extend_schema(operation_id="payment_webhook_platform", **WEBHOOK_SCHEMA)
    def post(self, request: Request, gateway_name: str, config_id: Any = None) -> Response:
        # A made-up gateway name in the URL must not become a new metric label.
        label = gateway_name if registry.is_registered(gateway_name) else "unknown"
        started = timezone.now()
        try:
            row = receive.receive(
                gateway_name=gateway_name, config_id=config_id, body=request.body, headers=dict(request.headers)
            )
        except DomainError as exc:
            if exc.http_status < 500:  # refused: nothing stored
                metrics.webhook_received(label, "rejected")
            raise
        # Stored by this delivery, or a redelivery of an event stored before it arrived.
        metrics.webhook_received(label, "stored" if row.received_at >= started else "duplicate")
        return Response({"received": True, "status": row.status, "event_id": row.event_id})


class ConfigWebhookView(WebhookView):
    """The same endpoint for one gateway configuration, verified with that config's own secret."""

    @extend_schema(operation_id="payment_webhook_config", **WEBHOOK_SCHEMA)
    def post(self, request: Request, gateway_name: str, config_id: Any = None) -> Response:
        return super().post(request, gateway_name, config_id)
