"""Writing the timeline. Callers record inside their own transaction, so an event is on the
timeline exactly when the thing it describes was committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from activity.models import ActivityEvent


def record(
    invoice_id: UUID | str,
    kind: str,
    *,
    actor: str = "system",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ActivityEvent:
    """Add one event to an invoice's timeline."""
    return ActivityEvent.objects.create(
        invoice_id=invoice_id, kind=kind, actor=actor[:100], details=details or {}, at=at or timezone.now()
    )
