"""Reads of invoices, with a fixed number of queries whatever the number of invoices."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from core.errors import NotFound
from invoices.errors import LinkRevoked
from invoices.links import check_link
from invoices.models import Invoice, RetiredLink


def invoice_list(*, owner: Any, status: str | None = None) -> QuerySet[Invoice]:
    """The owner's invoices, newest first, with their items prefetched (one query for all items)."""
    invoices = Invoice.objects.filter(owner=owner).prefetch_related("items").order_by("-created_at", "-id")
    if status:
        invoices = invoices.filter(status=status)
    return invoices


def get_invoice_for_owner(*, owner: Any, invoice_id: uuid.UUID | str) -> Invoice:
    """The owner's invoice with its items; ``NotFound`` for a missing id or another owner's invoice."""
    try:
        return Invoice.objects.prefetch_related("items").get(owner=owner, pk=invoice_id)
    except (Invoice.DoesNotExist, ValidationError, ValueError, TypeError):
        # Another owner's invoice looks exactly like a missing one: its existence is never revealed.
        raise NotFound() from None


def invoice_for_link(public_id: uuid.UUID | str) -> Invoice:
    """The invoice behind a public link, with its items and its owner's business profile.

    ``NotFound`` (404) when no invoice ever had this public id; ``LinkRevoked`` (410) when the
    owner turned the link off or replaced it with a new one; ``LinkExpired`` (410) past its expiry.
    """
    invoice = (
        Invoice.objects.select_related("owner__business_profile")
        .prefetch_related("items")
        .filter(public_id=public_id)
        .first()
    )
    if invoice is None:
        if RetiredLink.objects.filter(public_id=public_id).exists():
            raise LinkRevoked()
        raise NotFound()
    return check_link(invoice)
