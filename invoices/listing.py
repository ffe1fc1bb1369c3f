"""The owner's invoice list on its hot path: three prepared queries (``core.prepared``).

One count, one page of invoices and one query for all the page's items, each compiled to SQL
once per connection instead of on every request. Every call reads the current rows; nothing is
cached but the SQL text. The view turns each ``(invoice, items)`` pair into the contract's shape
with ``invoices.api.representations.invoice_data``.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, QuerySet

from core.prepared import Marker, PagedRows, PreparedQuery
from invoices.models import Invoice, InvoiceItem

# Every stored column, in the model's order, so a row becomes an Invoice (Invoice.from_db).
COLUMNS = tuple(field.attname for field in Invoice._meta.concrete_fields)
ITEM_COLUMNS = ("invoice_id", "description", "quantity", "unit_price", "amount")


class Item(NamedTuple):
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


def _owned(marker: Marker, with_status: bool) -> QuerySet[Invoice]:
    invoices = Invoice.objects.filter(owner_id=marker.int())
    return invoices.filter(status=marker.text()) if with_status else invoices


# COUNT(*), not COUNT(id): counting the owner's invoices then reads only the owner index
# (an index-only scan), where counting ids read every one of their rows.
_COUNT = PreparedQuery(lambda m, with_status: _owned(m, with_status).order_by().values("owner_id").annotate(n=Count("*")))
_PAGE = PreparedQuery(lambda m, with_status: _owned(m, with_status).order_by("-created_at", "-id").values_list(*COLUMNS))
# The items of up to a page of invoices (the list's ``max_page_size``); the shape is how many.
_ITEMS = PreparedQuery(
    lambda m, n: InvoiceItem.objects.filter(invoice_id__in=[m.uuid() for _ in range(n)])
    .order_by("position", "id")
    .values_list(*ITEM_COLUMNS)
)


def items_of(invoice_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Item]]:
    """The items of these invoices in their order on each invoice: one query."""
    items: dict[uuid.UUID, list[Item]] = {invoice_id: [] for invoice_id in invoice_ids}
    if invoice_ids:
        for invoice_id, *rest in _ITEMS.rows(*invoice_ids, shape=len(invoice_ids)):
            items[invoice_id].append(Item(*rest))
    return items


def invoice_page(*, owner: Any, status: str | None = None) -> PagedRows:
    """The owner's invoices, newest first, as ``(invoice, items)`` pairs, read a page at a time:
    a fixed three queries per page (count, page, items) whatever the page size."""
    values: tuple[Any, ...] = (owner.pk, status) if status else (owner.pk,)
    with_status = bool(status)

    def count() -> int:
        rows = _COUNT.rows(*values, shape=with_status)
        return int(rows[0][1]) if rows else 0

    def page(offset: int, limit: int) -> list[tuple[Invoice, list[Item]]]:
        if limit == 0:
            return []
        rows = _PAGE.rows(*values, shape=with_status, suffix=" LIMIT %s OFFSET %s", extra=(limit, offset))
        invoices = [Invoice.from_db(DEFAULT_DB_ALIAS, COLUMNS, row) for row in rows]
        items = items_of([invoice.pk for invoice in invoices])
        return [(invoice, items[invoice.pk]) for invoice in invoices]

    return PagedRows(count, page)
