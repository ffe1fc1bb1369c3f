"""The invoice admin: list, search, item editing on drafts, computed money kept read-only."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from activity.models import ActivityKind
from activity.services import record
from invoices.factories import InvoiceFactory
from invoices.models import Invoice, InvoiceStatus

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/invoices/invoice/"


@pytest.fixture
def admin_client_() -> Client:
    client = Client()
    client.force_login(UserFactory(username="staff", is_staff=True, is_superuser=True))
    return client


def change_url(invoice) -> str:
    return f"{CHANGELIST}{invoice.pk}/change/"


def inline_post(invoice, rows: list[dict], **fields) -> dict:
    """The change form's POST body: the invoice's own fields plus its items' inline formset."""
    data = {
        "owner": invoice.owner_id,
        "number": invoice.number,
        "client_name": invoice.client_name,
        "client_email": invoice.client_email,
        "currency": invoice.currency,
        "issue_date": invoice.issue_date.isoformat(),
        "due_date": "",
        "notes": "",
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": 0,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
        # The read-only timeline inline's (empty) formset.
        "activity-TOTAL_FORMS": 0,
        "activity-INITIAL_FORMS": 0,
        "link_enabled": "on",
        **fields,
    }
    for index, row in enumerate(rows):
        data.update({f"items-{index}-{key}": value for key, value in row.items()})
        data[f"items-{index}-invoice"] = invoice.pk
    return data


def test_changelist_shows_amounts_in_the_currency(admin_client_):
    InvoiceFactory(number="INV-0042", currency="KWD", items=[("Audit", 3, "33.333")], client_name="Gulf Co")

    response = admin_client_.get(CHANGELIST)

    assert response.status_code == 200
    content = response.content.decode()
    assert "INV-0042" in content
    assert "99.999" in content
    assert "Gulf Co" in content


@pytest.mark.parametrize("term", ["INV-0042", "Gulf", "ap@gulf.example", "ownername"])
def test_search(admin_client_, term):
    InvoiceFactory(number="INV-0042", client_name="Gulf Co", client_email="ap@gulf.example",
                   owner=UserFactory(username="ownername"))  # fmt: skip
    InvoiceFactory(number="INV-0001", client_name="Other")

    response = admin_client_.get(CHANGELIST, {"q": term})

    assert response.context["cl"].result_count == 1


def test_filter_by_status(admin_client_):
    InvoiceFactory(status=InvoiceStatus.DRAFT)
    InvoiceFactory(status=InvoiceStatus.PAID)

    response = admin_client_.get(CHANGELIST, {"status__exact": "paid"})

    assert response.context["cl"].result_count == 1


def test_editing_a_drafts_items_recomputes_amounts_and_total(admin_client_):
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT, items=[])
    rows = [{"position": 0, "description": "Work", "quantity": "3", "unit_price": "33.33", "amount": "1.00"}]

    response = admin_client_.post(change_url(draft), inline_post(draft, rows, total="5.00"))

    assert response.status_code == 302, response.context["adminform"].errors
    draft.refresh_from_db()
    assert draft.total == Decimal("99.99")
    assert draft.items.get().amount == Decimal("99.99")


def test_item_prices_are_checked_against_the_currency(admin_client_):
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT, currency="JPY", items=[])
    rows = [{"position": 0, "description": "Tea", "quantity": "1", "unit_price": "5.50"}]

    response = admin_client_.post(change_url(draft), inline_post(draft, rows))

    assert response.status_code == 200  # the form is shown again with the error
    assert not draft.items.exists()


def test_unknown_currency_is_refused(admin_client_):
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT, items=[])

    response = admin_client_.post(change_url(draft), inline_post(draft, [], currency="XYZ"))

    assert response.status_code == 200
    assert Invoice.objects.get(pk=draft.pk).currency == "USD"


def test_sent_invoice_keeps_its_items_and_money(admin_client_):
    invoice = InvoiceFactory(status=InvoiceStatus.SENT)

    page = admin_client_.get(change_url(invoice))

    assert page.status_code == 200
    form_fields = page.context["adminform"].form.fields
    assert not {"total", "amount_paid", "amount_refunded", "status", "currency", "number"} & set(form_fields)
    inline = page.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission
    assert not inline.has_change_permission


def test_actions_send_and_void_through_the_services(admin_client_):
    draft = InvoiceFactory(status=InvoiceStatus.DRAFT)
    paid = InvoiceFactory(status=InvoiceStatus.PAID, amount_paid=Decimal("100.00"))

    admin_client_.post(CHANGELIST, {"action": "send_selected", "_selected_action": [draft.pk]})
    admin_client_.post(CHANGELIST, {"action": "void_selected", "_selected_action": [paid.pk]})

    assert Invoice.objects.get(pk=draft.pk).status == InvoiceStatus.SENT
    assert Invoice.objects.get(pk=paid.pk).status == InvoiceStatus.PAID  # money received: not voided


def test_money_shows_the_currencys_places_in_the_list_and_the_form(admin_client_):
    invoice = InvoiceFactory(
        status=InvoiceStatus.PAID, items=[("Work", 1, "319.99")], amount_paid=Decimal("219.99"),
        amount_refunded=Decimal("100"), amount_credited=Decimal("100"),
    )

    listing = admin_client_.get(CHANGELIST).content.decode()
    page = admin_client_.get(change_url(invoice))

    assert "319.99" in listing and "319.990" not in listing
    html = page.content.decode()
    assert all(shown in html for shown in ("319.99", "219.99", "100.00", "Amount credited"))
    assert "319.990" not in html and "100.000" not in html
    assert not {"total", "amount_paid", "amount_refunded", "amount_credited"} & set(page.context["adminform"].form.fields)


def test_the_invoice_page_shows_its_timeline_read_only(admin_client_):
    invoice = InvoiceFactory()
    record(invoice.pk, ActivityKind.LINK_REVOKED, actor="owner")

    page = admin_client_.get(reverse("admin:invoices_invoice_change", args=[invoice.pk])).content.decode()

    assert "Activity" in page and "Link revoked" in page
    assert 'name="activity-0-kind"' not in page  # shown, never editable
