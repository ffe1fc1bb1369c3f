"""Reading the timeline."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet

from activity.models import ActivityEvent


def timeline(invoice_id: UUID | str) -> QuerySet[ActivityEvent]:
    """An invoice's events, oldest first (the caller has checked who may see them)."""
    return ActivityEvent.objects.filter(invoice_id=invoice_id).order_by("at", "id")
