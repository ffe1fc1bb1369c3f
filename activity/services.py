"""Writing the timeline. Callers record inside their own transaction, so an event is on the
timeline exactly when the thing it describes was committed."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from activity.models import ActivityEvent, ActivityKind


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


def record_view(invoice_id: UUID | str, *, actor: str = "client", at: datetime | None = None) -> None:
    """Note that the client opened the invoice's public page, in at most two rows per invoice.

    The first view is kept as it happened; every later one moves a single "last view" row
    (``details.view == "last"``) forward and counts it, so reloading the page never grows
    the timeline.
    """
    now = at or timezone.now()
    # One read of the (at most two) view rows, then one write: a page load costs two queries.
    views = list(
        ActivityEvent.objects.filter(invoice_id=invoice_id, kind=ActivityKind.VIEWED).only("pk", "details")[:2]
    )
    last = next((row for row in views if row.details.get("view") == "last"), None)
    if last is not None:
        count = int(last.details.get("count", 1)) + 1
        ActivityEvent.objects.filter(pk=last.pk).update(at=now, details={"view": "last", "count": count})
    elif views:
        record(invoice_id, ActivityKind.VIEWED, actor=actor, details={"view": "last", "count": 2}, at=now)
    else:
        record(invoice_id, ActivityKind.VIEWED, actor=actor, details={"view": "first"}, at=now)
