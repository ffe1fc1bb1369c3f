"""Reads of invoices."""

from __future__ import annotations

import uuid

import pytest

from core.errors import NotFound
from invoices.factories import InvoiceFactory
from invoices.models import InvoiceStatus
from invoices.selectors import get_invoice_for_owner, invoice_list

pytestmark = pytest.mark.django_db


def test_invoice_list_is_the_owners_newest_first_and_filtered():
    old = InvoiceFactory(status=InvoiceStatus.DRAFT)
    new = InvoiceFactory(owner=old.owner, status=InvoiceStatus.SENT)
    InvoiceFactory()

    assert list(invoice_list(owner=old.owner)) == [new, old]
    assert list(invoice_list(owner=old.owner, status="draft")) == [old]


def test_get_invoice_for_owner_hides_other_owners_invoices():
    invoice = InvoiceFactory()
    other = InvoiceFactory()

    assert get_invoice_for_owner(owner=invoice.owner, invoice_id=invoice.id) == invoice
    for invoice_id in (other.id, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(NotFound):
            get_invoice_for_owner(owner=invoice.owner, invoice_id=invoice_id)
