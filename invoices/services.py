"""Writes to invoices: the only code that creates, changes, sends, voids or deletes one."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from activity.models import ActivityKind
from activity.services import record
from core.money import MoneyError, display_amount, parse_amount, quantize
from invoices.errors import (
    InvoiceEmpty,
    InvoiceHasPayments,
    InvoiceInvalid,
    InvoiceNotDeletable,
    InvoiceNotDraft,
    InvoiceNotEditable,
)
from invoices.links import check_expiry
from invoices.models import Invoice, InvoiceItem, InvoiceStatus
from invoices.signals import invoice_voided

NUMBER_PREFIX = "INV-"
_AUTO_NUMBER = re.compile(r"INV-([0-9]+)")  # ASCII digits only: int() would also read "INV-١٢"
NUMBER_MAX_LENGTH = Invoice._meta.get_field("number").max_length or 32
# A number typed in the automatic form may go this high, so the sequence after it (one per new
# invoice) stays far inside the column: INV- plus at most 13 digits.
MAX_MANUAL_SEQUENCE = 10**12 - 1
# Fields a client may change on a sent or paid invoice: they do not alter what is owed.
_ALWAYS_EDITABLE = ("client_name", "client_email", "due_date", "notes", "allow_partial_payments", "link_expires_at")
# Fields that define the bill itself: fixed once the client has been sent the invoice.
_DRAFT_ONLY = ("number", "currency", "issue_date")
# Another request may take a number between our read and our insert: try the next one.
_NUMBER_ATTEMPTS = 5


def apply_payment_totals(
    *,
    invoice: Invoice,
    amount_paid: Decimal,
    amount_refunded: Decimal,
    amount_credited: Decimal = Decimal(0),
    amount_disputed: Decimal = Decimal(0),
) -> Invoice:
    """Store the totals the payment code computed and let the invoice's status follow them.

    ``amount_credited`` is what refunds with the ``credit`` effect gave back. It is taken off what
    the client owes only as far as something is still owed after what they paid: giving back
    money paid twice is not a discount, so the invoice is not left owing the client.
    ``amount_disputed`` is what lost disputes (chargebacks) took back: it no longer counts as paid.
    The caller holds the invoice's row lock. A draft or void invoice keeps its status.
    """
    invoice.amount_disputed = amount_disputed
    amount_paid -= amount_disputed
    invoice.amount_paid = amount_paid
    invoice.amount_refunded = amount_refunded
    invoice.amount_credited = max(min(amount_credited, invoice.total - amount_paid), Decimal(0))
    settled = amount_paid + invoice.amount_credited
    if invoice.status not in (InvoiceStatus.DRAFT, InvoiceStatus.VOID):
        if invoice.total > 0 and settled >= invoice.total:
            invoice.status = InvoiceStatus.PAID
        elif settled > 0:
            invoice.status = InvoiceStatus.PARTIALLY_PAID
        else:
            invoice.status = InvoiceStatus.SENT
    invoice.save(
        update_fields=["amount_paid", "amount_refunded", "amount_credited", "amount_disputed", "status", "updated_at"]
    )
    return invoice


def recalculate_total(*, invoice: Invoice) -> Invoice:
    """Set the invoice's ``total`` to the sum of its items' amounts, in the currency's places."""
    total = invoice.items.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    invoice.total = quantize(total, invoice.currency)
    invoice.save(update_fields=["total", "updated_at"])
    return invoice


def line_amount(*, quantity: Decimal, unit_price: Decimal, currency: str) -> Decimal:
    """An item's amount: quantity x unit price, rounded half-up to the currency's minor unit."""
    return quantize(quantity * unit_price, currency)


def next_invoice_number(*, owner: Any) -> str:
    """The owner's next ``INV-0001``-style number: one above the highest such number they have.

    Numbers the owner typed in another form ("2026/17") are ignored, so they never block the sequence;
    so is one whose successor would not fit the column (typed before manual numbers were checked):
    continuing from it would fail every later create.
    """
    numbers = Invoice.objects.filter(owner=owner, number__startswith=NUMBER_PREFIX).values_list("number", flat=True)
    values = (int(match[1]) for n in numbers if (match := _AUTO_NUMBER.fullmatch(n)))
    highest = max((v for v in values if len(_formatted(v + 1)) <= NUMBER_MAX_LENGTH), default=0)
    return _formatted(highest + 1)


def _formatted(sequence: int) -> str:
    return f"{NUMBER_PREFIX}{sequence:04d}"


def check_manual_number(number: str) -> None:
    """Refuse a typed number in the automatic form (``INV-<digits>``) that the sequence could not follow."""
    match = _AUTO_NUMBER.fullmatch(number)
    if match and int(match[1]) > MAX_MANUAL_SEQUENCE:
        message = (
            f"A number of the form {NUMBER_PREFIX}<digits> can go up to {_formatted(MAX_MANUAL_SEQUENCE)}, "
            "so the automatic numbers after it still fit."
        )
        raise InvoiceInvalid(message, details={"number": [message]})


def create_invoice(*, owner: Any, data: Mapping[str, Any], actor: str = "owner") -> Invoice:
    """Create a draft invoice with its items; ``total`` is computed here, never taken from the client.

    ``data`` holds validated values: ``client_name`` and optionally ``number``, ``client_email``,
    ``currency``, ``issue_date``, ``due_date``, ``notes``, ``allow_partial_payments`` and
    ``items`` (dicts of ``description``, ``quantity``, ``unit_price``).
    """
    fields = {
        "client_name": data["client_name"],
        "client_email": data.get("client_email", ""),
        "currency": data.get("currency") or "USD",
        "issue_date": data.get("issue_date") or timezone.localdate(),
        "due_date": data.get("due_date"),
        "notes": data.get("notes", ""),
        "allow_partial_payments": data.get("allow_partial_payments", False),
        "link_expires_at": data.get("link_expires_at"),
        "status": InvoiceStatus.DRAFT,
    }
    check_expiry(fields["link_expires_at"])
    number = data.get("number")
    with transaction.atomic():
        invoice = _insert_numbered(owner=owner, number=number, fields=fields)
        _replace_items(invoice=invoice, items=data.get("items") or [])
        recalculate_total(invoice=invoice)
        record(invoice.pk, ActivityKind.CREATED, actor=actor)
    return invoice


def _insert_numbered(*, owner: Any, number: str | None, fields: dict[str, Any]) -> Invoice:
    if number:
        check_manual_number(number)
    for _ in range(_NUMBER_ATTEMPTS):
        candidate = number or next_invoice_number(owner=owner)
        if number and Invoice.objects.filter(owner=owner, number=number).exists():
            raise _duplicate_number(number)
        try:
            # A savepoint, so a lost race on the unique number leaves the outer transaction usable.
            with transaction.atomic():
                return Invoice.objects.create(owner=owner, number=candidate, **fields)
        except IntegrityError:
            if number:
                raise _duplicate_number(number) from None
    raise InvoiceInvalid("Could not pick a free invoice number; please try again.", details={"number": ["Busy."]})


def _duplicate_number(number: str) -> InvoiceInvalid:
    message = f"You already have an invoice numbered {number}."
    return InvoiceInvalid(message, details={"number": [message]})


def _replace_items(*, invoice: Invoice, items: Iterable[Mapping[str, Any]]) -> None:
    invoice.items.all().delete()
    InvoiceItem.objects.bulk_create(
        InvoiceItem(
            invoice=invoice,
            position=position,
            description=item["description"],
            quantity=item["quantity"],
            unit_price=item["unit_price"],
            amount=line_amount(quantity=item["quantity"], unit_price=item["unit_price"], currency=invoice.currency),
        )
        for position, item in enumerate(items)
    )


def _reprice_items(*, invoice: Invoice) -> None:
    """Recompute the kept items' amounts after a currency change; refuse prices the currency cannot hold."""
    items = list(invoice.items.all())
    for item in items:
        try:
            item.unit_price = parse_amount(item.unit_price.normalize(), invoice.currency)
        except MoneyError:
            message = (
                f"The item '{item.description}' has a unit price of {item.unit_price.normalize():f}, which "
                f"{invoice.currency} cannot express; send the items again with the new currency."
            )
            raise InvoiceInvalid(message, details={"currency": [message]}) from None
        item.amount = line_amount(quantity=item.quantity, unit_price=item.unit_price, currency=invoice.currency)
    InvoiceItem.objects.bulk_update(items, ["unit_price", "amount"])


def _lock(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


def update_invoice(*, invoice: Invoice, data: Mapping[str, Any]) -> Invoice:
    """Apply a partial update.

    Items, currency, number and issue date change only on a draft; the client's details, due date,
    notes and partial-payment switch change on anything but a void invoice (409 otherwise).
    """
    with transaction.atomic():
        invoice = _lock(invoice)
        if not invoice.can_edit:
            raise InvoiceNotEditable("A void invoice cannot be changed.")
        changed = [name for name in _DRAFT_ONLY if name in data and data[name] != getattr(invoice, name)]
        if "items" in data:
            changed.append("items")
        if changed and not invoice.can_edit_items:
            raise InvoiceNotEditable(
                f"{', '.join(changed)} can only change while the invoice is a draft.", details={"fields": changed}
            )
        if "link_expires_at" in data and data["link_expires_at"] != invoice.link_expires_at:
            check_expiry(data["link_expires_at"])
        if "number" in changed:
            check_manual_number(data["number"])
            if Invoice.objects.filter(owner=invoice.owner, number=data["number"]).exists():
                raise _duplicate_number(data["number"])

        update_fields = ["updated_at"]
        for name in (*_ALWAYS_EDITABLE, *_DRAFT_ONLY):
            if name in data:
                setattr(invoice, name, data[name])
                update_fields.append(name)
        try:
            # A savepoint: a number taken by a concurrent request surfaces as a 400, not a 500.
            with transaction.atomic():
                invoice.save(update_fields=update_fields)
        except IntegrityError:
            raise _duplicate_number(data.get("number", invoice.number)) from None

        if "items" in data:
            _replace_items(invoice=invoice, items=data["items"])
        elif "currency" in changed:
            _reprice_items(invoice=invoice)
        if "items" in data or "currency" in changed:
            recalculate_total(invoice=invoice)
    return invoice


def send_invoice(*, invoice: Invoice, actor: str = "owner") -> Invoice:
    """Make a draft payable: ``draft`` becomes ``sent``. An invoice totalling zero cannot be sent."""
    with transaction.atomic():
        invoice = _lock(invoice)
        if not invoice.can_send:
            raise InvoiceNotDraft(f"This invoice is already {invoice.get_status_display().lower()}.")
        if invoice.total <= 0:
            raise InvoiceEmpty()
        invoice.status = InvoiceStatus.SENT
        invoice.save(update_fields=["status", "updated_at"])
        record(invoice.pk, ActivityKind.SENT, actor=actor)
    return invoice


def void_invoice(*, invoice: Invoice, actor: str = "owner") -> Invoice:
    """Cancel an invoice for good. Refused while it holds money not refunded; voiding twice is harmless.

    ``invoice_voided`` is sent inside the transaction: the payments side closes the invoice's
    open checkouts once it commits.
    """
    with transaction.atomic():
        invoice = _lock(invoice)
        if invoice.status == InvoiceStatus.VOID:
            return invoice
        if invoice.amount_paid > 0:
            held = display_amount(invoice.amount_paid, invoice.currency)
            raise InvoiceHasPayments(
                f"This invoice holds {held} that was not refunded; refund it before voiding.",
                details={"amount_paid": invoice.money(invoice.amount_paid), "currency": invoice.currency},
            )
        invoice.status = InvoiceStatus.VOID
        invoice.save(update_fields=["status", "updated_at"])
        record(invoice.pk, ActivityKind.VOIDED, actor=actor)
        invoice_voided.send(sender=Invoice, invoice=invoice)
    return invoice


def delete_invoice(*, invoice: Invoice) -> None:
    """Delete a draft (it was never sent, so nobody can have paid it); anything else must be voided."""
    with transaction.atomic():
        invoice = _lock(invoice)
        if not invoice.can_delete:
            raise InvoiceNotDeletable()
        invoice.delete()
