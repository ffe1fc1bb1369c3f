"""Writing the timeline. Callers record inside their own transaction, so an event is on the
timeline exactly when the thing it describes was committed."""

from __future__ import annotations

from datetime import datetime, timedelta
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


# Page loads closer together than this are one visit: noting each would write on every reload.
VISIT_WINDOW = timedelta(minutes=5)


def record_view(invoice_id: UUID | str, *, actor: str = "client", at: datetime | None = None) -> None:
    """Note that the client opened the invoice's public page, in at most two rows per invoice.

    The first view is kept as it happened; each later visit moves a single "last view" row
    (``details.view == "last"``) forward and counts it. Loads within ``VISIT_WINDOW`` of the
    last one noted are the same visit and write nothing, so reloading the page costs one read.
    """
    now = at or timezone.now()
    views = list(
        ActivityEvent.objects.filter(invoice_id=invoice_id, kind=ActivityKind.VIEWED).only("pk", "at", "details")[:2]
    )
    last = next((row for row in views if row.details.get("view") == "last"), None)
    latest = last or (views[0] if views else None)
    if latest is not None and now - latest.at < VISIT_WINDOW:
        return
    if last is not None:
        count = int(last.details.get("count", 1)) + 1
        ActivityEvent.objects.filter(pk=last.pk, at=last.at).update(at=now, details={"view": "last", "count": count})
    elif views:
        record(invoice_id, ActivityKind.VIEWED, actor=actor, details={"view": "last", "count": 2}, at=now)
    else:
        record(invoice_id, ActivityKind.VIEWED, actor=actor, details={"view": "first"}, at=now)
