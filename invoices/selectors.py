"""Reads of invoices, with a fixed number of queries whatever the number of invoices."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from core.errors import NotFound
from invoices.models import Invoice


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
