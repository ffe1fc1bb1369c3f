"""Autopay against the sandbox: the client saves the method while paying the first invoice, later
invoices are charged off-session, declines are retried, authentication falls back to the link, and
the client can turn autopay off."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from activity.models import ActivityEvent
from invoices.models import Invoice
from notifications.models import EmailMessageLog
from payments.models import InvoicePayment
from recurring.autopay import run_due_charges
from recurring.models import AutopayCharge
from recurring.services import issue_due

pytestmark = pytest.mark.django_db


def _page_post(path: str, data: dict) -> object:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(path)
    assert page.status_code == 200
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    return page, browser.post(path, {**data, "csrfmiddlewaretoken": token})


def pay_first_invoice(invoice: Invoice, *, save: bool, later: str = "succeed") -> bytes:
    """The client pays on the public page with "charge me automatically" ticked (or not)."""
    body = {"invoice_id": str(invoice.public_id), "save_payment_method": save}
    session = APIClient().post("/api/payment/create-session/", body, format="json")
    assert session.status_code == 201, session.json()
    path = re.sub(r"^https?://[^/]+", "", session.json()["checkout_url"])
    data = {"outcome": "pay", "later_charges": later, **({"save_method": "on"} if save else {})}
    page, _ = _page_post(path, data)
    return page.content


@pytest.fixture
def today() -> datetime.date:
    return timezone.now().date()


@pytest.fixture
def enrolled(make_template, gateway, today):
    """A monthly template whose first invoice the client paid, saving the method; returns a function
    of the later-charge behaviour."""

    def _enrol(later: str = "succeed"):  # type: ignore[no-untyped-def]
        template = make_template(start_date=today - datetime.timedelta(days=31), interval="week", interval_count=1)
        issue_due(as_of=today - datetime.timedelta(days=31))
        first = Invoice.objects.get(recurring_invoice=template)
        page = pay_first_invoice(first, save=True, later=later)
        assert b"Save this card for autopay" in page
        template.refresh_from_db()
        return template

    return _enrol


def _second_invoice(template) -> Invoice:  # type: ignore[no-untyped-def]
    issue_due(as_of=template.next_issue_date)
    return Invoice.objects.filter(recurring_invoice=template).order_by("-issue_date").first()


def test_paying_with_autopay_ticked_saves_only_the_gateways_ids_and_the_next_invoice_is_charged(enrolled):
    template = enrolled()
    assert template.autopay is True
    assert template.autopay_customer_id.startswith("cus_sbx_")
    assert template.autopay_method_id.startswith("pm_sbx_")

    invoice = _second_invoice(template)

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("250.00"))
    charge = AutopayCharge.objects.get(invoice=invoice)
    assert (charge.status, charge.attempts) == ("succeeded", 1)
    kinds = list(ActivityEvent.objects.filter(invoice=invoice).values_list("kind", "details"))
    assert ("checkout_opened", {"autopay": True, "attempt": 1, "method": "sandbox card 4242"}) in kinds
    assert any(kind == "paid" for kind, _ in kinds)


def test_without_the_box_ticked_nothing_is_saved_and_later_invoices_keep_the_plain_link(make_template, gateway, today):
    template = make_template(start_date=today - datetime.timedelta(days=7), interval="week")
    issue_due(as_of=today - datetime.timedelta(days=7))
    page = pay_first_invoice(Invoice.objects.get(recurring_invoice=template), save=False)
    assert b"Save this card for autopay" not in page
    template.refresh_from_db()
    assert template.autopay is False

    invoice = _second_invoice(template)

    assert invoice.status == "sent"
    assert not AutopayCharge.objects.filter(invoice=invoice).exists()
    assert not InvoicePayment.objects.filter(invoice=invoice).exists()


def test_a_decline_is_retried_a_day_later_and_the_retry_collects(enrolled):
    template = enrolled(later="decline_once")
    invoice = _second_invoice(template)

    charge = AutopayCharge.objects.get(invoice=invoice)
    assert (charge.status, charge.attempts) == ("retrying", 1)
    assert charge.last_error == "The card was declined."
    invoice.refresh_from_db()
    assert invoice.status == "sent"
    # Not due yet: nothing runs.
    assert run_due_charges() == 0

    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, minutes=1)):
        assert run_due_charges() == 1

    charge.refresh_from_db()
    invoice.refresh_from_db()
    assert (charge.status, charge.attempts) == ("succeeded", 2)
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("250.00"))
    assert InvoicePayment.objects.filter(invoice=invoice, status="failed").count() == 1


def test_declines_are_retried_after_1_3_and_5_days_then_the_client_is_emailed_the_link(enrolled):
    template = enrolled(later="decline")
    invoice = _second_invoice(template)
    to_client = EmailMessageLog.objects.filter(invoice=invoice, to="billing@acme.example", kind="invoice")
    emails_before = to_client.count()
    assert emails_before == 1  # the invoice itself
    start = timezone.now()

    for step, days in enumerate((1, 1 + 3, 1 + 3 + 5), start=1):
        with time_machine.travel(start + datetime.timedelta(days=days, minutes=10 * step)):
            assert run_due_charges() == 1

    charge = AutopayCharge.objects.get(invoice=invoice)
    assert (charge.status, charge.attempts) == ("gave_up", 4)
    assert to_client.count() == emails_before + 1
    invoice.refresh_from_db()
    assert invoice.status == "sent"  # still payable by hand through its link
    attempts = ActivityEvent.objects.filter(invoice=invoice, kind="checkout_opened", details__autopay=True)
    assert attempts.count() == 4


def test_authentication_required_falls_back_to_the_link_at_once(enrolled):
    template = enrolled(later="authenticate")
    invoice = _second_invoice(template)

    charge = AutopayCharge.objects.get(invoice=invoice)
    assert (charge.status, charge.attempts) == ("gave_up", 1)
    assert "authenticate" in charge.last_error
    # Emailed twice: the new invoice, then the link to pay it by hand.
    assert EmailMessageLog.objects.filter(invoice=invoice, to="billing@acme.example", kind="invoice").count() == 2
    failed = InvoicePayment.objects.get(invoice=invoice)
    assert failed.status == "failed"


def test_the_client_turns_autopay_off_from_the_public_link_and_the_next_invoice_is_not_charged(enrolled):
    template = enrolled()
    first = Invoice.objects.filter(recurring_invoice=template).first()
    client = APIClient()
    state = client.get(f"/api/payment/public/invoice/{first.public_id}/autopay/")
    assert state.json() == {"recurring": True, "autopay": True, "autopay_available": True}

    response = client.post(f"/api/payment/public/invoice/{first.public_id}/autopay/disable/")

    assert response.status_code == 200
    assert response.json() == {"autopay": False}
    template.refresh_from_db()
    assert (template.autopay, template.autopay_method_id, template.autopay_customer_id) == (False, "", "")
    invoice = _second_invoice(template)
    assert invoice.status == "sent"
    assert not InvoicePayment.objects.filter(invoice=invoice).exists()


def test_turning_autopay_off_for_an_unknown_link_is_404(db):
    import uuid

    response = APIClient().post(f"/api/payment/public/invoice/{uuid.uuid4()}/autopay/disable/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _charge_left_by_a_dead_worker(template, monkeypatch):  # type: ignore[no-untyped-def]
    """Issue the next invoice with its charge message lost, then take the attempt as a worker
    would and 'die' before recording anything."""
    from recurring import autopay

    monkeypatch.setattr(autopay, "enqueue", lambda *args, **kwargs: None)
    invoice = _second_invoice(template)
    charge = AutopayCharge.objects.get(invoice=invoice)
    assert autopay._claim(charge.pk) is not None
    charge.refresh_from_db()
    assert (charge.status, charge.attempts) == ("charging", 1)
    return invoice, charge


def test_an_attempt_whose_worker_died_is_taken_again_after_its_lease_with_the_same_key(enrolled, monkeypatch):
    invoice, charge = _charge_left_by_a_dead_worker(enrolled(), monkeypatch)
    assert run_due_charges() == 0  # leased: nobody else takes it meanwhile

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert run_due_charges() == 1

    charge.refresh_from_db()
    invoice.refresh_from_db()
    assert (charge.status, charge.attempts) == ("succeeded", 1)
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("250.00"))
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 1
    assert ActivityEvent.objects.filter(invoice=invoice, kind="checkout_opened").count() == 1


def test_a_dead_workers_charge_that_went_through_is_not_charged_again(enrolled, monkeypatch):
    from payments.services import checkout
    from recurring.models import RecurringInvoice

    template = enrolled()
    invoice, charge = _charge_left_by_a_dead_worker(template, monkeypatch)
    template = RecurringInvoice.objects.get(pk=template.pk)
    # The worker reached the gateway (and the charge was recorded) before it died.
    checkout.charge_saved_method(
        invoice_id=invoice.pk,
        config_id=template.autopay_config_id,
        customer_id=template.autopay_customer_id,
        method_id=template.autopay_method_id,
        idempotency_key=f"trk-auto-{charge.pk.hex}-1",
    )

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert run_due_charges() == 0

    charge.refresh_from_db()
    invoice.refresh_from_db()
    assert charge.status == "succeeded"
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("250.00"))
    assert InvoicePayment.objects.filter(invoice=invoice).count() == 1


def test_the_invoice_email_of_an_autopay_invoice_says_how_to_turn_autopay_off(enrolled, mailoutbox):
    template = enrolled()
    mailoutbox.clear()

    invoice = _second_invoice(template)

    invoice_mails = [m for m in mailoutbox if m.subject.startswith(f"Invoice {invoice.number}")]
    assert len(invoice_mails) == 1
    text = invoice_mails[0].body
    assert "This invoice is paid automatically with sandbox card 4242." in text
    assert f"/pay/{invoice.public_id}" in text
    assert "Turn autopay off" in text
