"""The payment API's hot reads, on prepared queries (``core.prepared``): the owner's payment
list and the client's public invoice page.

The payment list, per page: one query that both checks the invoice is the owner's and counts
its payments, one for the page of payments, one for their refunds and one for their disputes.
The public invoice: the invoice with its owner's business profile, its items, its refunds.
Each query is compiled to SQL once per connection; every call reads the current rows (only the
SQL text is kept, never a row: a payer never sees a stale amount due).
``payments.api.representations`` turns the results into the contract's shapes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Model

from accounts.models import BusinessProfile
from core.errors import NotFound
from core.prepared import PagedRows, PreparedQuery
from invoices.links import check_link
from invoices.listing import COLUMNS as INVOICE_COLUMNS
from invoices.listing import Item, items_of
from invoices.models import Invoice
from invoices.selectors import invoice_for_link
from payments import state
from payments.models import InvoicePayment, PaymentDispute, PaymentRefund


def _columns(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


PAYMENT_COLUMNS = _columns(InvoicePayment)
REFUND_COLUMNS = _columns(PaymentRefund)
DISPUTE_COLUMNS = _columns(PaymentDispute)

# No row: not this owner's invoice (or none at all). One row: the number of its payments.
_COUNT = PreparedQuery(
    lambda m, _: Invoice.objects.filter(pk=m.uuid(), owner_id=m.int()).order_by().annotate(n=Count("payments")).values("n")
)
_PAGE = PreparedQuery(
    lambda m, _: InvoicePayment.objects.filter(invoice_id=m.uuid()).order_by("-created_at", "-pk").values_list(*PAYMENT_COLUMNS)
)
_REFUNDS = PreparedQuery(
    lambda m, n: PaymentRefund.objects.filter(payment_id__in=[m.uuid() for _ in range(n)])
    .order_by("created_at", "pk")
    .values_list(*REFUND_COLUMNS)
)
_DISPUTES = PreparedQuery(
    lambda m, n: PaymentDispute.objects.filter(payment_id__in=[m.uuid() for _ in range(n)])
    .order_by("created_at", "pk")
    .values_list(*DISPUTE_COLUMNS)
)


@dataclass
class PaymentRow:
    payment: InvoicePayment
    refunds: list[PaymentRefund] = field(default_factory=list)
    disputes: list[PaymentDispute] = field(default_factory=list)


def _attach(rows: dict[uuid.UUID, PaymentRow], query: PreparedQuery, model: type[Model], columns: tuple[str, ...], name: str) -> None:
    for values in query.rows(*rows, shape=len(rows)):
        child = model.from_db(DEFAULT_DB_ALIAS, columns, values)
        getattr(rows[child.payment_id], name).append(child)  # type: ignore[attr-defined]


def payment_page(*, owner: Any, invoice_id: uuid.UUID) -> PagedRows:
    """The invoice's payments, newest first, each with its refunds and disputes (oldest first),
    read a page at a time. ``NotFound`` at once for another owner's invoice or a missing one."""
    found = _COUNT.rows(invoice_id, owner.pk)
    if not found:
        raise NotFound()
    total = int(found[0][0])

    def page(offset: int, limit: int) -> list[PaymentRow]:
        if limit == 0:
            return []
        values = _PAGE.rows(invoice_id, suffix=" LIMIT %s OFFSET %s", extra=(limit, offset))
        rows = {p.pk: PaymentRow(p) for p in (InvoicePayment.from_db(DEFAULT_DB_ALIAS, PAYMENT_COLUMNS, v) for v in values)}
        if rows:
            _attach(rows, _REFUNDS, PaymentRefund, REFUND_COLUMNS, "refunds")
            _attach(rows, _DISPUTES, PaymentDispute, DISPUTE_COLUMNS, "disputes")
        return list(rows.values())

    return PagedRows(lambda: total, page)


# The public invoice page: the invoice with its owner's business profile (one query, the link's
# own checks then run on it), its items, and the refunds a client is shown.
PROFILE_COLUMNS = _columns(BusinessProfile)
_PUBLIC_INVOICE = PreparedQuery(
    lambda m, _: Invoice.objects.filter(public_id=m.uuid()).values_list(
        *INVOICE_COLUMNS, *(f"owner__business_profile__{f.name}" for f in BusinessProfile._meta.concrete_fields)
    )
)
_PUBLIC_REFUNDS = PreparedQuery(
    lambda m, _: PaymentRefund.objects.filter(
        payment__invoice_id=m.uuid(), payment__status__in=sorted(state.SETTLED), status__in=sorted(state.REFUND_HOLDS)
    )
    .order_by("created_at")
    .values_list(*REFUND_COLUMNS)
)


@dataclass
class PublicInvoiceRead:
    invoice: Invoice
    items: list[Item]
    refunds: list[PaymentRefund]


def public_invoice_read(public_id: uuid.UUID) -> PublicInvoiceRead:
    """What the client's payment page shows, in three queries: the invoice behind the link with
    its owner's business profile (``invoice.owner.business_profile`` is set, or empty), its
    items and its refunds. An unknown, revoked, replaced or expired link raises what
    ``invoices.selectors.invoice_for_link`` raises (404 or 410)."""
    found = _PUBLIC_INVOICE.rows(public_id)
    if not found:
        invoice_for_link(public_id)  # raises the answer for a link that leads nowhere
        raise NotFound()
    row = found[0]
    invoice = Invoice.from_db(DEFAULT_DB_ALIAS, INVOICE_COLUMNS, row[: len(INVOICE_COLUMNS)])
    profile_row = row[len(INVOICE_COLUMNS) :]
    owner = get_user_model()(pk=invoice.owner_id)
    # The caches select_related would fill, so profile_for(owner) reads no row. No profile in
    # the same read as the invoice: the unsaved default profile_for would give.
    owner._state.fields_cache["business_profile"] = (
        BusinessProfile.from_db(DEFAULT_DB_ALIAS, PROFILE_COLUMNS, profile_row)
        if profile_row[0] is not None
        else BusinessProfile(user_id=invoice.owner_id)
    )
    invoice._state.fields_cache["owner"] = owner
    check_link(invoice)
    refunds = [PaymentRefund.from_db(DEFAULT_DB_ALIAS, REFUND_COLUMNS, r) for r in _PUBLIC_REFUNDS.rows(invoice.pk)]
    return PublicInvoiceRead(invoice, items_of([invoice.pk])[invoice.pk], refunds)
