"""Notification endpoints: email an invoice, its email log and retries, its PDF (owner and public),
its reminder schedule, and the owner's notification preferences. Thin: validate, call, serialize."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.serializers import ErrorSerializer
from invoices.selectors import get_invoice_for_owner
from notifications import pdf, selectors, services
from notifications.api.serializers import (
    EmailLogSerializer,
    EmailRequestSerializer,
    PreferencesSerializer,
    ReminderScheduleSerializer,
    ReminderStateSerializer,
)
from trackify.api import PublicRateThrottle

TAGS = ["notifications"]


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


COMMON = {401: _error("No credentials."), 404: _error("No such invoice, or another user's (`not_found`).")}
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")
NO_PDF = _error("`pdf_unavailable`: this server cannot draw PDFs (WeasyPrint's Pango libraries are missing).")


def _pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


class InvoiceEmailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Email the invoice (its link and PDF) to the client",
        description=(
            "202: the email is queued and sent by a worker; its progress shows in `GET .../emails/`. `to` "
            "defaults to the invoice's `client_email`. A draft is sent first (it becomes `sent`, payable). "
            "400 `no_recipient` when there is nobody to send to; 409 `invoice_not_emailable` for a void "
            "invoice or one whose payment link is turned off."
        ),
        request=EmailRequestSerializer,
        responses={
            202: EmailLogSerializer,
            400: _error("`no_recipient` or `invalid`."),
            409: _error("`invoice_not_emailable`."),
            **COMMON,
        },
    )
    def post(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        body = EmailRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        log = services.email_invoice(invoice=invoice, to=body.validated_data.get("to"))
        return Response(EmailLogSerializer(log).data, status=status.HTTP_202_ACCEPTED)


class InvoiceEmailListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Every email about this invoice, newest first",
        responses={200: EmailLogSerializer(many=True), **COMMON},
    )
    def get(self, request: Request, invoice_id: uuid.UUID) -> Response:
        logs = selectors.emails_for_invoice(owner=request.user, invoice_id=invoice_id)
        return Response(EmailLogSerializer(logs, many=True).data)


class EmailRetryView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Send a failed email again",
        request=None,
        responses={
            202: EmailLogSerializer,
            409: _error("`email_not_retryable`: only a failed email is sent again."),
            **COMMON,
        },
    )
    def post(self, request: Request, invoice_id: uuid.UUID, email_id: uuid.UUID) -> Response:
        get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        log = services.retry_email(log_id=email_id, owner=request.user)
        return Response(EmailLogSerializer(log).data, status=status.HTTP_202_ACCEPTED)


class InvoicePdfView(APIView):
    @extend_schema(tags=TAGS, summary="The invoice as a PDF", responses={200: PDF, 503: NO_PDF, **COMMON})
    def get(self, request: Request, invoice_id: uuid.UUID) -> HttpResponse:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        return _pdf_response(pdf.invoice_pdf(invoice), pdf.invoice_filename(invoice))


class PublicInvoicePdfView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        tags=TAGS,
        summary="The invoice as a PDF, for the client (by the public id in the payment link)",
        responses={
            200: PDF,
            404: _error("No invoice ever had this public id."),
            410: _error("`link_revoked` or `link_expired`: the owner took the link back or it expired."),
            503: NO_PDF,
        },
    )
    def get(self, request: Request, invoice_id: uuid.UUID) -> HttpResponse:
        # The public link's lookup (404 never issued, 410 revoked or expired) is the invoices app's.
        from invoices.selectors import invoice_for_link

        invoice = invoice_for_link(invoice_id)
        return _pdf_response(pdf.invoice_pdf(invoice), pdf.invoice_filename(invoice), inline=True)


def _receipt_payment(invoice: Any, payment_id: uuid.UUID) -> Any:
    from notifications.selectors import paid_payment

    return paid_payment(invoice=invoice, payment_id=payment_id)


class ReceiptPdfView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The receipt of one of the invoice's paid payments, as a PDF",
        responses={200: PDF, 503: NO_PDF, **COMMON},
    )
    def get(self, request: Request, invoice_id: uuid.UUID, payment_id: uuid.UUID) -> HttpResponse:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        payment = _receipt_payment(invoice, payment_id)
        return _pdf_response(pdf.receipt_pdf(payment), pdf.receipt_filename(payment))


class PublicReceiptPdfView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        tags=TAGS,
        summary="A receipt as a PDF, for the client (the invoice's public id and the payment's id)",
        responses={
            200: PDF,
            404: _error("No such invoice, or no paid payment with this id on it."),
            410: _error("`link_revoked` or `link_expired`."),
            503: NO_PDF,
        },
    )
    def get(self, request: Request, invoice_id: uuid.UUID, payment_id: uuid.UUID) -> HttpResponse:
        from invoices.selectors import invoice_for_link

        payment = _receipt_payment(invoice_for_link(invoice_id), payment_id)
        return _pdf_response(pdf.receipt_pdf(payment), pdf.receipt_filename(payment), inline=True)


class InvoiceRemindersView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="The invoice's reminder schedule and the reminders already sent",
        responses={200: ReminderStateSerializer, **COMMON},
    )
    def get(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        return Response(selectors.reminder_state(invoice))

    @extend_schema(
        tags=TAGS,
        summary="Give the invoice its own reminder schedule (or go back to the account's default)",
        request=ReminderScheduleSerializer,
        responses={200: ReminderStateSerializer, 400: _error("`invalid`."), **COMMON},
    )
    def put(self, request: Request, invoice_id: uuid.UUID) -> Response:
        invoice = get_invoice_for_owner(owner=request.user, invoice_id=invoice_id)
        body = ReminderScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_reminder_schedule(invoice=invoice, data=body.validated_data)
        return Response(selectors.reminder_state(invoice))


class NotificationPreferencesView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="My notification switches and default reminder schedule",
        responses={200: PreferencesSerializer, 401: COMMON[401]},
    )
    def get(self, request: Request) -> Response:
        return Response(PreferencesSerializer(services.preferences_for(request.user)).data)

    @extend_schema(
        tags=TAGS,
        summary="Change my notification switches or default reminder schedule",
        description="Each owner notice (payment received, payment failed, refund, dispute), the payer's receipts and refund notices, and reminders can be switched off. `reminder_offsets` are days from the due date.",
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer, 400: _error("`invalid`."), 401: COMMON[401]},
    )
    def patch(self, request: Request) -> Response:
        body = PreferencesSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        prefs = services.update_preferences(user=request.user, data=body.validated_data)
        return Response(PreferencesSerializer(prefs).data)
