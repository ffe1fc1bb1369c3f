"""The invoice services: numbering, totals, state changes and the payment code's totals hook."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accounts.factories import UserFactory
from invoices import services
from invoices.errors import (
    InvoiceEmpty,
    InvoiceHasPayments,
    InvoiceInvalid,
    InvoiceNotDeletable,
    InvoiceNotDraft,
    InvoiceNotEditable,
)
from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db


def item(description: str, quantity: str, unit_price: str) -> dict:
    return {"description": description, "quantity": Decimal(quantity), "unit_price": Decimal(unit_price)}


def test_create_invoice_computes_amounts_and_total():
    owner = UserFactory()

    invoice = services.create_invoice(
        owner=owner,
        data={"client_name": "Acme", "currency": "KWD", "items": [item("Audit", "3", "33.333"), item("Fee", "1", "0.001")]},
    )

    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.DRAFT
    assert invoice.number == "INV-0001"
    assert invoice.total == Decimal("100.000")
    assert [i.amount for i in invoice.items.all()] == [Decimal("99.999"), Decimal("0.001")]
    assert [i.position for i in invoice.items.all()] == [0, 1]


def test_line_amount_rounds_half_up_to_the_currency():
    assert services.line_amount(quantity=Decimal("0.5"), unit_price=Decimal("0.05"), currency="USD") == Decimal("0.03")
    assert services.line_amount(quantity=Decimal("1.5"), unit_price=Decimal(1), currency="JPY") == Decimal(2)
    assert services.line_amount(quantity=Decimal("0.333"), unit_price=Decimal("1.000"), currency="KWD") == Decimal(
        "0.333"
    )


def test_next_number_skips_past_the_highest_and_ignores_other_formats():
    owner = UserFactory()
    for number in ("INV-0002", "INV-0010", "INV-x", "Q-99"):
        InvoiceFactory(owner=owner, number=number)
    InvoiceFactory(number="INV-0500")  # another owner's

    assert services.next_invoice_number(owner=owner) == "INV-0011"
    assert services.next_invoice_number(owner=UserFactory()) == "INV-0001"


def test_numbers_grow_past_four_digits():
    owner = UserFactory()
    InvoiceFactory(owner=owner, number="INV-9999")

    assert services.next_invoice_number(owner=owner) == "INV-10000"


def test_duplicate_number_is_refused_and_nothing_is_written():
    existing = InvoiceFactory(number="INV-0001")

    with pytest.raises(InvoiceInvalid) as caught:
        services.create_invoice(owner=existing.owner, data={"client_name": "Again", "number": "INV-0001"})

    assert "number" in caught.value.details
    assert Invoice.objects.count() == 1


def test_update_replaces_items_of_a_draft():
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT)

    services.update_invoice(invoice=draft, data={"items": [item("A", "2", "2.50"), item("B", "1", "0.10")]})

    draft.refresh_from_db()
    assert draft.total == Decimal("5.10")
    assert [i.description for i in draft.items.all()] == ["A", "B"]


def test_update_refuses_items_once_sent():
    invoice = InvoiceFactory(status=InvoiceStatus.SENT)

    with pytest.raises(InvoiceNotEditable) as caught:
        services.update_invoice(invoice=invoice, data={"items": [item("A", "1", "1.00")]})

    assert caught.value.details == {"fields": ["items"]}
    assert Invoice.objects.get(pk=invoice.pk).total == Decimal("100.00")


def test_update_refuses_everything_on_a_void_invoice():
    invoice = InvoiceFactory(status=InvoiceStatus.VOID, notes="")

    with pytest.raises(InvoiceNotEditable):
        services.update_invoice(invoice=invoice, data={"notes": "late"})

    assert Invoice.objects.get(pk=invoice.pk).notes == ""


def test_update_uses_the_current_status_not_a_stale_copy():
    stale = InvoiceFactory(status=InvoiceStatus.DRAFT)
    Invoice.objects.filter(pk=stale.pk).update(status=InvoiceStatus.SENT)  # sent meanwhile

    with pytest.raises(InvoiceNotEditable):
        services.update_invoice(invoice=stale, data={"currency": "EUR"})


def test_send_and_its_refusals():
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT)
    empty = InvoiceFactory(status=InvoiceStatus.DRAFT, items=[])

    assert services.send_invoice(invoice=draft).status == InvoiceStatus.SENT
    with pytest.raises(InvoiceNotDraft):
        services.send_invoice(invoice=draft)
    with pytest.raises(InvoiceEmpty):
        services.send_invoice(invoice=empty)
    assert Invoice.objects.get(pk=empty.pk).status == InvoiceStatus.DRAFT


def test_void_refuses_money_not_refunded():
    invoice = InvoiceFactory(status=InvoiceStatus.PARTIALLY_PAID, amount_paid=Decimal("10.00"))

    with pytest.raises(InvoiceHasPayments) as caught:
        services.void_invoice(invoice=invoice)

    assert caught.value.details == {"amount_paid": "10.00", "currency": "USD"}
    assert caught.value.http_status == 409
    assert Invoice.objects.get(pk=invoice.pk).status == InvoiceStatus.PARTIALLY_PAID


def test_delete_only_drafts():
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT)
    sent = InvoiceFactory(status=InvoiceStatus.SENT)

    services.delete_invoice(invoice=draft)
    with pytest.raises(InvoiceNotDeletable):
        services.delete_invoice(invoice=sent)

    assert list(Invoice.objects.values_list("pk", flat=True)) == [sent.pk]


def test_payment_totals_move_a_sent_invoice_through_its_statuses():
    invoice = InvoiceFactory(status=InvoiceStatus.SENT, items=[("Work", 1, "100.00")])

    def apply(paid: str, refunded: str = "0") -> str:
        services.apply_payment_totals(invoice=invoice, amount_paid=Decimal(paid), amount_refunded=Decimal(refunded))
        return Invoice.objects.get(pk=invoice.pk).status

    assert apply("40.00") == InvoiceStatus.PARTIALLY_PAID
    assert apply("100.00") == InvoiceStatus.PAID
    assert apply("120.00") == InvoiceStatus.PAID  # overpaid stays paid
    assert apply("60.00", "40.00") == InvoiceStatus.PARTIALLY_PAID
    assert apply("0.00", "100.00") == InvoiceStatus.SENT
    stored = Invoice.objects.get(pk=invoice.pk)
    assert (stored.amount_paid, stored.amount_refunded) == (Decimal("0.00"), Decimal("100.00"))


@pytest.mark.parametrize("status", [InvoiceStatus.DRAFT, InvoiceStatus.VOID])
def test_payment_totals_leave_draft_and_void_statuses_alone(status):
    invoice = InvoiceFactory(status=status)

    services.apply_payment_totals(invoice=invoice, amount_paid=Decimal("100.00"), amount_refunded=Decimal(0))

    stored = Invoice.objects.get(pk=invoice.pk)
    assert stored.status == status
    assert stored.amount_paid == Decimal("100.00")


def test_recalculate_total_sums_items_in_the_currency():
    invoice = InvoiceFactory(currency="JPY", items=[("A", 1, "100"), ("B", 3, "5")])

    assert Invoice.objects.get(pk=invoice.pk).total == Decimal(115)
