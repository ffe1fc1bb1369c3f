"""Operators' view of every email (with a Retry action for failed ones), the owners'
notification preferences and the reminders claimed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from notifications.models import EmailMessageLog, InvoiceReminderSchedule, NotificationPreferences, ReminderClaim
from notifications.services import retry_email


@admin.register(EmailMessageLog)
class EmailMessageLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "status", "attempts", "sent_at", "invoice"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject", "invoice__number"]
    readonly_fields = [field.name for field in EmailMessageLog._meta.fields]
    actions = ["retry_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Send the selected failed emails again")
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[EmailMessageLog]) -> None:
        done = 0
        for log in queryset.select_related("invoice"):
            if log.can_retry:
                retry_email(log_id=log.pk, owner=log.invoice.owner_id)
                done += 1
        skipped = queryset.count() - done
        self.message_user(
            request, f"{done} email(s) queued again; {skipped} were not failed and were left alone.", messages.INFO
        )


@admin.register(NotificationPreferences)
class NotificationPreferencesAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "notify_payment_succeeded",
        "notify_payment_failed",
        "notify_refund",
        "notify_dispute",
        "reminders_enabled",
    ]


@admin.register(InvoiceReminderSchedule)
class InvoiceReminderScheduleAdmin(admin.ModelAdmin):
    list_display = ["invoice", "enabled", "offsets", "updated_at"]


@admin.register(ReminderClaim)
class ReminderClaimAdmin(admin.ModelAdmin):
    list_display = ["invoice", "offset_days", "claimed_at", "email"]
    readonly_fields = ["invoice", "offset_days", "claimed_at", "email"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
