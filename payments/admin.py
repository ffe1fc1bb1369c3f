"""Admin for gateway configs, payments, refunds and webhook events.

Credentials are never shown: only their masked preview. Actions go through PaymentService and
the webhook pipeline's ``replay``, never by editing statuses by hand.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from core.money import display_amount, format_amount
from payments.errors import PaymentError
from payments.models import (
    DisputeStatus,
    InvoiceEffect,
    InvoicePayment,
    PaymentDispute,
    PaymentGatewayConfig,
    PaymentRefund,
    PaymentWebhookEvent,
)
from payments.services import PaymentService
from payments.webhooks.process import EventProcessingFailed
from payments.webhooks.replay import release_waiting, replay


@admin.register(PaymentGatewayConfig)
class PaymentGatewayConfigAdmin(admin.ModelAdmin):
    list_display = ("__str__", "owner", "gateway_name", "mode", "is_active", "is_default", "archived_at", "created_at")
    list_filter = ("gateway_name", "mode", "is_active", "is_default")
    search_fields = ("display_name", "owner__username", "owner__email", "id")
    # The encrypted column is excluded outright; the preview is already masked.
    exclude = ("credentials_encrypted",)
    readonly_fields = (
        "id", "owner", "gateway_name", "credentials_preview", "webhook_url", "verified_at", "verify_error",
        "webhook_mode", "webhook_endpoint_id", "archived_at", "created_at", "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # credentials are entered by their owner, through the app


class MoneyColumns:
    """Amounts with the currency's own places ("219.99", "500"): a decimal column's own display
    would show its three stored decimals. Model fields win over admin methods of the same name,
    hence the ``_shown`` names."""

    @admin.display(description="Amount", ordering="amount")
    def amount_shown(self, obj: InvoicePayment | PaymentRefund) -> str | None:
        return format_amount(obj.amount, obj.currency)

    @admin.display(description="Amount refunded", ordering="amount_refunded")
    def amount_refunded_shown(self, obj: InvoicePayment) -> str | None:
        return format_amount(obj.amount_refunded, obj.currency)

    # The gateway's fee and net are in ``fee_currency`` (the owner's settlement currency).
    @admin.display(description="Fee", ordering="fee")
    def fee_shown(self, obj: InvoicePayment | PaymentRefund) -> str | None:
        return format_amount(obj.fee, obj.fee_currency) if obj.fee is not None and obj.fee_currency else None

    @admin.display(description="Net", ordering="net")
    def net_shown(self, obj: InvoicePayment | PaymentRefund) -> str | None:
        return format_amount(obj.net, obj.fee_currency) if obj.net is not None and obj.fee_currency else None


_MONEY_FIELDS = ("amount", "amount_refunded", "fee", "net")


def _shown(fields: list[str]) -> list[str]:
    """A model's read-only fields with its amounts swapped for their ``MoneyColumns`` display."""
    return [f"{name}_shown" if name in _MONEY_FIELDS else name for name in fields]


class RefundInline(MoneyColumns, admin.TabularInline):
    model = PaymentRefund
    extra = 0
    can_delete = False
    fields = (
        "id",
        "amount_shown",
        "currency",
        "status",
        "invoice_effect",
        "source",
        "gateway_refund_id",
        "reason",
        "failure_reason",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


OPEN_DISPUTES = (DisputeStatus.NEEDS_RESPONSE, DisputeStatus.UNDER_REVIEW)


class DisputeInline(MoneyColumns, admin.TabularInline):
    model = PaymentDispute
    extra = 0
    can_delete = False
    fields = ("gateway_dispute_id", "amount_shown", "currency", "status", "reason", "evidence_due_by", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OpenDisputeFilter(admin.SimpleListFilter):
    title = "open"
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        return [("yes", "Open (needs response or under review)"), ("no", "Decided")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:  # type: ignore[type-arg]
        if self.value() == "yes":
            return queryset.filter(status__in=OPEN_DISPUTES)
        if self.value() == "no":
            return queryset.exclude(status__in=OPEN_DISPUTES)
        return queryset


@admin.register(PaymentDispute)
class PaymentDisputeAdmin(MoneyColumns, admin.ModelAdmin):
    """Disputes (chargebacks) as the gateways reported them; ``?open=yes`` lists those awaiting
    an answer, soonest evidence deadline first."""

    list_display = ("gateway_dispute_id", "payment", "amount_shown", "currency", "status", "reason", "evidence_due_by")
    list_filter = (OpenDisputeFilter, "status", "reason")
    search_fields = ("gateway_dispute_id", "payment__id", "payment__invoice__number")
    list_select_related = ("payment",)
    ordering = ("evidence_due_by", "-created_at")
    readonly_fields = _shown([f.name for f in PaymentDispute._meta.fields])
    exclude = ("amount",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(InvoicePayment)
class InvoicePaymentAdmin(MoneyColumns, admin.ModelAdmin):
    list_display = (
        "id",
        "invoice",
        "amount_shown",
        "currency",
        "status",
        "amount_refunded_shown",
        "gateway_name",
        "flagged",
        "created_at",
    )
    list_filter = ("status", "gateway_name", "currency", "created_at")
    search_fields = ("id", "invoice__number", "invoice__client_name", "gateway_session_id", "gateway_payment_reference")
    list_select_related = ("invoice",)
    inlines = [RefundInline, DisputeInline]
    actions = ["refund_in_full", "refund_in_full_reopen", "refresh_from_gateway"]
    readonly_fields = _shown([f.name for f in InvoicePayment._meta.fields])
    exclude = ("amount", "amount_refunded", "fee", "net")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(boolean=True)
    def flagged(self, payment: InvoicePayment) -> bool:
        return bool(payment.flagged_reason)

    @admin.action(description="Refund what is left, taken off what the client owes")
    def refund_in_full(self, request: HttpRequest, queryset: QuerySet[InvoicePayment]) -> None:
        self._refund(request, queryset, InvoiceEffect.CREDIT)

    @admin.action(description="Refund what is left, the client owes it again")
    def refund_in_full_reopen(self, request: HttpRequest, queryset: QuerySet[InvoicePayment]) -> None:
        self._refund(request, queryset, InvoiceEffect.REOPEN)

    def _refund(self, request: HttpRequest, queryset: QuerySet[InvoicePayment], effect: InvoiceEffect) -> None:
        service = PaymentService()
        for payment in queryset.select_related("gateway_config"):
            try:
                refund = service.refund(
                    payment=payment, reason="Refunded by an administrator", user=request.user, invoice_effect=effect
                )
            except PaymentError as exc:
                self.message_user(request, f"{payment.pk}: {exc.message}", messages.ERROR)
            else:
                amount = display_amount(refund.amount, refund.currency)
                self.message_user(request, f"{payment.pk}: refund of {amount} {refund.status} ({effect.label}).")

    @admin.action(description="Refresh the selected payments from their gateway")
    def refresh_from_gateway(self, request: HttpRequest, queryset: QuerySet[InvoicePayment]) -> None:
        service = PaymentService()
        for payment in queryset.select_related("gateway_config"):
            try:
                after = service.refresh_payment(payment=payment)
            except PaymentError as exc:
                self.message_user(request, f"{payment.pk}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{payment.pk}: {after.status}.")


@admin.register(PaymentRefund)
class PaymentRefundAdmin(MoneyColumns, admin.ModelAdmin):
    list_display = ("id", "payment", "amount_shown", "currency", "status", "invoice_effect", "source", "created_at")
    list_filter = ("status", "invoice_effect", "source", "currency")
    search_fields = ("id", "gateway_refund_id", "payment__id", "payment__invoice__number")
    list_select_related = ("payment",)
    readonly_fields = _shown([f.name for f in PaymentRefund._meta.fields])
    exclude = ("amount", "fee", "net")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PaymentWebhookEvent)
class PaymentWebhookEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "gateway_name", "event_type", "status", "attempts", "short_error", "payment", "received_at")
    list_filter = ("status", "gateway_name", "event_type")
    search_fields = ("event_id", "event_type", "object_reference", "payment__id")
    actions = ["reprocess"]
    exclude = ("payload", "normalized")
    readonly_fields = [
        f.name for f in PaymentWebhookEvent._meta.fields if f.name not in ("payload", "normalized")
    ] + ["pretty_payload"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Error")
    def short_error(self, event: PaymentWebhookEvent) -> str:
        # Why a failed event failed, at a glance; the whole error is on its page.
        return event.error[:120]

    @admin.display(description="Payload")
    def pretty_payload(self, event: PaymentWebhookEvent) -> str:
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", json.dumps(event.payload, indent=2, sort_keys=True))

    @admin.action(description="Reprocess the selected events")
    def reprocess(self, request: HttpRequest, queryset: QuerySet[PaymentWebhookEvent]) -> None:
        for row in queryset.select_related("gateway_config"):
            try:
                result = replay(row)
            except EventProcessingFailed as exc:
                self.message_user(request, f"{row.event_id}: failed again ({exc.__cause__}).", messages.ERROR)
            else:
                release_waiting(result)
                self.message_user(request, f"{row.event_id}: {result.status}.")
