"""Recurring templates in the admin: read mostly; the periods they issued and their autopay charges."""

from __future__ import annotations

from django.contrib import admin

from recurring.models import AutopayCharge, RecurringInvoice, RecurringPeriod


class PeriodInline(admin.TabularInline):
    model = RecurringPeriod
    extra = 0
    can_delete = False
    readonly_fields = ("period_date", "index", "invoice", "created_at")


@admin.register(RecurringInvoice)
class RecurringInvoiceAdmin(admin.ModelAdmin):
    list_display = ("client_name", "owner", "interval", "interval_count", "status", "next_issue_date", "autopay")
    list_filter = ("status", "interval", "autopay")
    search_fields = ("client_name", "client_email", "owner__username")
    # The gateway's ids are shown, never editable here: they come from the client's checkout.
    readonly_fields = (
        "next_index",
        "next_issue_date",
        "issued_count",
        "autopay_config_id",
        "autopay_customer_id",
        "autopay_method_id",
        "autopay_method_label",
        "created_at",
        "updated_at",
    )
    inlines = (PeriodInline,)


@admin.register(AutopayCharge)
class AutopayChargeAdmin(admin.ModelAdmin):
    list_display = ("invoice", "template", "status", "attempts", "next_attempt_at", "last_error")
    list_filter = ("status",)
    readonly_fields = ("template", "invoice", "attempts", "created_at", "updated_at")
