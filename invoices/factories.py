"""factory_boy factories for invoices and their items (used by every app's tests)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory

from accounts.factories import UserFactory
from core.money import quantize
from invoices.models import Invoice, InvoiceItem, InvoiceStatus
from invoices.services import recalculate_total


class InvoiceFactory(factory.django.DjangoModelFactory):
    """A sent USD invoice with one item ("Consulting", 1, "100.00") and a matching total.

    Pass ``items=[(description, quantity, unit_price), ...]`` for other lines, or ``items=[]``
    for none; the stored ``total`` is recomputed from the items either way.
    """

    class Meta:
        model = Invoice
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    number = factory.Sequence(lambda n: f"INV-{n + 1:04d}")
    client_name = factory.Sequence(lambda n: f"Client {n}")
    client_email = factory.Sequence(lambda n: f"billing{n}@client.example")
    currency = "USD"
    issue_date = factory.LazyFunction(datetime.date.today)
    status = InvoiceStatus.SENT
    allow_partial_payments = False

    @factory.post_generation
    def items(obj, create, extracted, **kwargs):
        lines = [("Consulting", 1, "100.00")] if extracted is None else extracted
        if not create:
            return
        for position, (description, quantity, unit_price) in enumerate(lines):
            quantity, unit_price = Decimal(str(quantity)), Decimal(str(unit_price))
            InvoiceItem.objects.create(
                invoice=obj,
                position=position,
                description=description,
                quantity=quantity,
                unit_price=unit_price,
                amount=quantize(quantity * unit_price, obj.currency),
            )
        recalculate_total(invoice=obj)


class InvoiceItemFactory(factory.django.DjangoModelFactory):
    """One line on an invoice; its ``amount`` is quantity x unit price in the invoice's currency.

    Creating an item alone does not update the invoice's total: call
    ``invoices.services.recalculate_total`` afterwards if the test relies on it.
    """

    class Meta:
        model = InvoiceItem

    invoice = factory.SubFactory(InvoiceFactory, items=[])
    position = factory.Sequence(lambda n: n)
    description = factory.Sequence(lambda n: f"Item {n}")
    quantity = Decimal(1)
    unit_price = Decimal("10.00")
    amount = factory.LazyAttribute(lambda item: quantize(item.quantity * item.unit_price, item.invoice.currency))
