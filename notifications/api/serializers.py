"""Shapes of the notifications API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from notifications.models import EmailMessageLog, NotificationPreferences
from notifications.reminders import MAX_OFFSET, MIN_OFFSET


class EmailRequestSerializer(serializers.Serializer):
    to = serializers.EmailField(required=False, allow_blank=True, help_text="Defaults to the invoice's client_email.")


class EmailLogSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    can_retry = serializers.BooleanField(read_only=True)

    class Meta:
        model = EmailMessageLog
        fields = [
            "id",
            "invoice_id",
            "kind",
            "kind_display",
            "to",
            "subject",
            "status",
            "status_display",
            "error",
            "attempts",
            "created_at",
            "sent_at",
            "can_retry",
        ]
        read_only_fields = fields


def _check_offsets(value: list[int]) -> list[int]:
    if len(value) > 10:
        raise serializers.ValidationError("At most 10 reminders.")
    return sorted(set(value))


OFFSETS_HELP = "Days from the due date: -3 is three days before, 0 the due date, 7 a week after."


class PreferencesSerializer(serializers.ModelSerializer):
    reminder_offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=MIN_OFFSET, max_value=MAX_OFFSET),
        help_text=OFFSETS_HELP,
        required=False,
    )

    class Meta:
        model = NotificationPreferences
        fields = [
            "notify_payment_succeeded",
            "notify_payment_failed",
            "notify_refund",
            "notify_dispute",
            "send_receipts",
            "reminders_enabled",
            "reminder_offsets",
        ]

    def validate_reminder_offsets(self, value: list[int]) -> list[int]:
        return _check_offsets(value)


class ReminderScheduleSerializer(serializers.Serializer):
    use_default = serializers.BooleanField(
        required=False, default=False, help_text="Drop this invoice's own schedule: the account's default applies."
    )
    enabled = serializers.BooleanField(required=False)
    offsets = serializers.ListField(
        child=serializers.IntegerField(min_value=MIN_OFFSET, max_value=MAX_OFFSET),
        required=False,
        help_text=OFFSETS_HELP,
    )

    def validate_offsets(self, value: list[int]) -> list[int]:
        return _check_offsets(value)


class ReminderStateSerializer(serializers.Serializer):
    uses_default = serializers.BooleanField()
    enabled = serializers.BooleanField()
    offsets = serializers.ListField(child=serializers.IntegerField())
    sent = serializers.ListField(
        child=serializers.DictField(), help_text="Reminders already claimed: {offset_days, claimed_at}."
    )

    def to_representation(self, instance: Any) -> Any:
        return instance
