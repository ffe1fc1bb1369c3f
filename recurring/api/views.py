"""Recurring template endpoints for their owner, and the client's autopay switch (public)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.serializers import ErrorSerializer
from recurring import autopay, services
from recurring.api.serializers import RecurringInvoiceSerializer
from recurring.models import RecurringInvoice
from trackify.api import Pagination, PublicRateThrottle

TAGS = ["recurring invoices"]
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such template, or another user's (`not_found`).")
CANCELED = OpenApiResponse(ErrorSerializer, description="The template is canceled (`recurring_canceled`).")


def _template(request: Request, recurring_id: UUID) -> RecurringInvoice:
    return get_object_or_404(RecurringInvoice, pk=recurring_id, owner=request.user)


class RecurringListCreateView(generics.GenericAPIView):
    serializer_class = RecurringInvoiceSerializer
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return RecurringInvoice.objects.filter(owner=self.request.user).select_related("owner")

    @extend_schema(
        tags=TAGS,
        operation_id="recurring_invoices_list",
        summary="List my recurring invoices (with next issue date and autopay)",
        responses={200: RecurringInvoiceSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Create a recurring invoice; the first is issued on start_date",
        responses={201: RecurringInvoiceSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template = services.create_template(owner=request.user, data=serializer.validated_data)
        return Response(self.get_serializer(template).data, status=status.HTTP_201_CREATED)


class RecurringDetailView(generics.GenericAPIView):
    serializer_class = RecurringInvoiceSerializer

    @extend_schema(
        tags=TAGS, summary="One recurring invoice", responses={200: RecurringInvoiceSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, recurring_id: UUID) -> Response:
        return Response(self.get_serializer(_template(request, recurring_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change a recurring invoice; a new schedule applies from the next period",
        responses={200: RecurringInvoiceSerializer, 404: NOT_FOUND, 409: CANCELED},
    )
    def patch(self, request: Request, recurring_id: UUID) -> Response:
        template = _template(request, recurring_id)
        serializer = self.get_serializer(template, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        template = services.update_template(template=template, data=serializer.validated_data)
        return Response(self.get_serializer(template).data)

    @extend_schema(
        tags=TAGS,
        summary="Cancel a recurring invoice; the invoices it issued are kept",
        responses={204: None, 404: NOT_FOUND},
    )
    def delete(self, request: Request, recurring_id: UUID) -> Response:
        services.cancel_template(template=_template(request, recurring_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecurringActionView(generics.GenericAPIView):
    serializer_class = RecurringInvoiceSerializer
    action_name = ""

    @extend_schema(tags=TAGS, request=None, responses={200: RecurringInvoiceSerializer, 404: NOT_FOUND, 409: CANCELED})
    def post(self, request: Request, recurring_id: UUID) -> Response:
        template = _template(request, recurring_id)
        if self.action_name == "pause":
            template = services.pause_template(template=template)
        else:
            template = services.resume_template(template=template)
        return Response(self.get_serializer(template).data)


class PublicAutopayView(APIView):
    """The client's autopay for the recurring invoice behind a payment link: whether it can be
    offered and whether it is on."""

    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (PublicRateThrottle,)

    @extend_schema(
        tags=["public payment"],
        summary="Whether this invoice belongs to a recurring invoice, and whether autopay is on",
        responses={
            200: inline_serializer(
                "AutopayState",
                {
                    "recurring": serializers.BooleanField(),
                    "autopay": serializers.BooleanField(),
                    "autopay_available": serializers.BooleanField(
                        help_text="The gateway can save a method for autopay."
                    ),
                },
            ),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, public_id: UUID) -> Response:
        return Response(autopay.public_state(public_id=public_id))


class PublicAutopayDisableView(APIView):
    """The client turns autopay off, from the invoice's public page or an email's link."""

    parser_classes = (JSONParser,)
    permission_classes = (AllowAny,)
    authentication_classes = ()
    throttle_classes = (PublicRateThrottle,)

    @extend_schema(
        tags=["public payment"],
        summary="Turn autopay off for the recurring invoice behind this payment link",
        request=None,
        responses={200: inline_serializer("AutopayOff", {"autopay": serializers.BooleanField()}), 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: UUID) -> Response:
        request.data  # noqa: B018 - JSON only: a cross-site form post is refused (415)
        autopay.disable_by_client(public_id=public_id)
        return Response({"autopay": False})
