"""Invoice endpoints for their owner. Each view validates, calls one service and serializes."""

from __future__ import annotations

import uuid

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from activity.selectors import timeline
from core.serializers import ErrorSerializer
from invoices import links, services
from invoices.api.representations import invoice_list_data
from invoices.api.serializers import (
    ActivitySerializer,
    InvoiceCreateSerializer,
    InvoiceListQuerySerializer,
    InvoiceSerializer,
    InvoiceUpdateSerializer,
)
from invoices.listing import invoice_page
from invoices.models import InvoiceStatus
from invoices.selectors import get_invoice_for_owner
from trackify.api import Pagination

TAGS = ["invoices"]


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


UNAUTHENTICATED = _error("No credentials (`not_authenticated`).")
NOT_FOUND = _error("No such invoice, or another user's (`not_found`).")
INVALID = _error("Validation failed (`invalid`); `details` names each field.")


class InvoiceListCreateView(generics.GenericAPIView):
    serializer_class = InvoiceSerializer
    pagination_class = Pagination

    @extend_schema(
        tags=TAGS,
        summary="List my invoices, newest first",
        parameters=[OpenApiParameter("status", str, enum=InvoiceStatus.values, description="Only this status.")],
        responses={200: InvoiceSerializer(many=True), 400: INVALID, 401: UNAUTHENTICATED},
    )
    def get(self, request: Request) -> Response:
        query = InvoiceListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # The hot path: prepared queries and a plain dict per invoice, the serializer's shape.
        invoices = invoice_page(owner=request.user, status=query.validated_data.get("status"))
        page = self.paginate_queryset(invoices)
        return self.get_paginated_response(invoice_list_data(page))

    @extend_schema(
        tags=TAGS,
        summary="Create a draft invoice",
        description="`total` and each item's `amount` are computed; `number` is the next INV-0001 when omitted.",
        request=InvoiceCreateSerializer,
        responses={201: InvoiceSerializer, 400: INVALID, 401: UNAUTHENTICATED},
    )
    def post(self, request: Request) -> Response:
        serializer = InvoiceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.create_invoice(owner=request.user, data=serializer.validated_data)
        return Response(InvoiceSerializer(invoice).data, status=status.HTTP_201_CREATED)


class InvoiceDetailView(generics.GenericAPIView):
    serializer_class = InvoiceSerializer

    @extend_schema(tags=TAGS, summary="One of my invoices", responses={200: InvoiceSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND})
    def get(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        return Response(InvoiceSerializer(invoice).data)

    @extend_schema(
        tags=TAGS,
        summary="Change an invoice",
        description="Items, currency, number and issue date change only on a draft; a void invoice never changes.",
        request=InvoiceUpdateSerializer,
        responses={
            200: InvoiceSerializer,
            400: INVALID,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: _error("`invoice_not_editable`: the invoice is no longer a draft, or is void."),
        },
    )
    def patch(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        serializer = InvoiceUpdateSerializer(invoice, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        invoice = services.update_invoice(invoice=invoice, data=serializer.validated_data)
        return Response(InvoiceSerializer(invoice).data)

    @extend_schema(
        tags=TAGS,
        summary="Delete a draft invoice",
        responses={
            204: None,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: _error("`invoice_not_deletable`: only a draft can be deleted; void the others."),
        },
    )
    def delete(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        services.delete_invoice(invoice=invoice)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvoiceSendView(generics.GenericAPIView):
    serializer_class = InvoiceSerializer

    @extend_schema(
        tags=TAGS,
        summary="Send a draft: it becomes payable",
        request=None,
        responses={
            200: InvoiceSerializer,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: _error("`invoice_not_draft` (already sent, paid or void) or `invoice_empty` (total is zero)."),
        },
    )
    def post(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        invoice = services.send_invoice(invoice=invoice)
        return Response(InvoiceSerializer(invoice).data)


class InvoiceVoidView(generics.GenericAPIView):
    serializer_class = InvoiceSerializer

    @extend_schema(
        tags=TAGS,
        summary="Void an invoice",
        description="Voiding an invoice that is already void changes nothing and answers 200.",
        request=None,
        responses={
            200: InvoiceSerializer,
            401: UNAUTHENTICATED,
            404: NOT_FOUND,
            409: _error("`invoice_has_payments`: money was received and not refunded."),
        },
    )
    def post(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        invoice = services.void_invoice(invoice=invoice)
        return Response(InvoiceSerializer(invoice).data)


class InvoiceLinkRevokeView(generics.GenericAPIView):
    serializer_class = InvoiceSerializer

    @extend_schema(
        tags=TAGS,
        summary="Turn the payment link off",
        description=(
            "The link in `payment_url` stops working: the public invoice, create-session and the payment "
            "status answer 410 `link_revoked` until the link is regenerated. Revoking twice changes nothing."
        ),
        request=None,
        responses={200: InvoiceSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        invoice = links.revoke_link(invoice=invoice)
        return Response(InvoiceSerializer(invoice).data)


class InvoiceLinkRegenerateView(generics.GenericAPIView):
    serializer_class = InvoiceSerializer

    @extend_schema(
        tags=TAGS,
        summary="Replace the payment link with a new one",
        description=(
            "A new `public_id` and `payment_url`; the link is on again. The old link answers 410 "
            "`link_revoked`, and so does the status of a payment opened through it. An expiry already "
            "past is cleared; one still ahead is kept."
        ),
        request=None,
        responses={200: InvoiceSerializer, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def post(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        invoice = links.regenerate_link(invoice=invoice)
        return Response(InvoiceSerializer(invoice).data)


class InvoiceActivityView(generics.GenericAPIView):
    serializer_class = ActivitySerializer

    @extend_schema(
        tags=TAGS,
        summary="The invoice's timeline, oldest first",
        description=(
            "Kinds: created, sent, emailed, viewed, checkout_opened, checkout_closed, paid, payment_failed, refunded, disputed, "
            "reminder_sent, link_revoked, link_regenerated, voided. A client's visits are two rows at most: "
            "`viewed` with `details.view` `first`, and `last` (moved forward on each later visit, with "
            "`details.count`, the number of visits)."
        ),
        responses={200: ActivitySerializer(many=True), 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    def get(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        return Response(ActivitySerializer(timeline(invoice.pk), many=True).data)
