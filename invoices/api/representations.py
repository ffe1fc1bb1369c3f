"""The owner's invoice in the contract's shape, built as a plain dict for the invoice list.

``InvoiceSerializer`` stays the documented shape (OpenAPI) and serves the other endpoints;
``invoice_data`` gives the same body without DRF's per-request field machinery (see
``core.fast_shape``): a hand-written getter per field below, the serializer's own field for any
field added to it since. ``invoices/tests/test_query_budget.py`` holds the two outputs equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from core.fast_shape import FastShape, Getter, date_text, datetime_text, datetime_writer
from core.money import exponent, format_amount
from invoices.api.serializers import InvoiceSerializer
from invoices.listing import Item
from invoices.models import Invoice, InvoiceStatus


def item_data(item: Item, currency: str) -> dict[str, Any]:
    return {
        "description": item.description,
        "quantity": f"{item.quantity.normalize():f}",
        "unit_price": format_amount(item.unit_price, currency),
        "amount": format_amount(item.amount, currency),
    }


def _text(name: str) -> Getter:
    return lambda invoice, _: getattr(invoice, name)


def _money(name: str) -> Getter:
    return lambda invoice, _: format_amount(getattr(invoice, name), invoice.currency)


def _uuid(name: str) -> Getter:
    return lambda invoice, _: str(getattr(invoice, name))


def _at(name: str) -> Getter:
    # The page's writer (the time zone looked up once), or DRF's conversion for one invoice.
    return lambda invoice, context: context.get("write_datetime", datetime_text)(getattr(invoice, name))


# What get_status_display() gives, without building the choices' lookup table for every row.
_STATUS_LABELS = dict(InvoiceStatus.choices)


# payment_url and link_state come from the serializer's own methods (cheap, and never out of step).
_GETTERS: dict[str, Getter] = {
    "id": _uuid("id"),
    "public_id": _uuid("public_id"),
    **{name: _text(name) for name in ("number", "client_name", "client_email", "currency", "status", "notes")},
    **{name: _text(name) for name in ("can_send", "can_void", "can_delete", "can_edit", "can_edit_items")},
    "allow_partial_payments": _text("allow_partial_payments"),
    "link_enabled": _text("link_enabled"),
    "issue_date": lambda invoice, _: date_text(invoice.issue_date),
    "due_date": lambda invoice, _: date_text(invoice.due_date),
    "status_display": lambda invoice, _: str(_STATUS_LABELS.get(invoice.status, invoice.status)),
    "currency_exponent": lambda invoice, _: exponent(invoice.currency),
    "payable": lambda invoice, _: invoice.is_payable,
    "items": lambda invoice, context: [item_data(item, invoice.currency) for item in context["items"]],
    **{
        name: _money(name) for name in ("total", "amount_paid", "amount_refunded", "amount_credited", "amount_disputed")
    },
    "amount_due": _money("amount_due"),
    "amount_overpaid": _money("amount_overpaid"),
    "link_expires_at": _at("link_expires_at"),
    "created_at": _at("created_at"),
    "updated_at": _at("updated_at"),
}

invoice_shape = FastShape(InvoiceSerializer, _GETTERS)


def invoice_data(invoice: Invoice, items: Iterable[Item], *, now: Any = None) -> dict[str, Any]:
    """``InvoiceSerializer(invoice).data`` for an invoice and its items, as a dict."""
    return invoice_shape(invoice, items=items, now=now or timezone.now())


def invoice_list_data(page: Iterable[tuple[Invoice, list[Item]]]) -> list[dict[str, Any]]:
    now, write_datetime = timezone.now(), datetime_writer()
    return [invoice_shape(invoice, items=items, now=now, write_datetime=write_datetime) for invoice, items in page]
