"""The owner's view of what a payment cost and what came back, in a real browser: a payment's fee
and net, a lost dispute on the payment and in the invoice's amounts, the invoice's reminder
schedule changed from its page, and a notification switch saved from the settings; both pages
fit a phone without sideways scrolling."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PHONE, expect_loaded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def disputed_invoice(owner):
    """A paid 200.00 USD invoice whose payment cost 6.10 in fees and lost a 50.00 dispute."""
    from invoices.factories import InvoiceFactory
    from notifications.models import ReminderClaim
    from payments.factories import PaymentFactory
    from payments.models import DisputeStatus, PaymentDispute, PaymentGatewayConfig
    from payments.state import PaymentStatus
    from payments.transitions import recompute_invoice

    invoice = InvoiceFactory(
        owner=owner, client_name="Acme Ltd", items=[("Logo design", 1, "200.00")], due_date=datetime.date.today()
    )
    payment = PaymentFactory(
        invoice=invoice,
        gateway_config=PaymentGatewayConfig.objects.get(owner=owner, gateway_name="sandbox"),
        status=PaymentStatus.SUCCEEDED,
        fee=Decimal("6.10"),
        net=Decimal("193.90"),
        fee_currency="USD",
    )
    PaymentDispute.objects.create(
        payment=payment,
        gateway_dispute_id="dp_lost",
        amount=Decimal("50.00"),
        currency="USD",
        reason="fraudulent",
        status=DisputeStatus.LOST,
    )
    PaymentDispute.objects.create(
        payment=payment,
        gateway_dispute_id="dp_open",
        amount=Decimal("20.00"),
        currency="USD",
        reason="product_not_received",
        status=DisputeStatus.NEEDS_RESPONSE,
        evidence_due_by=timezone.now() + datetime.timedelta(days=10),
    )
    ReminderClaim.objects.create(invoice=invoice, offset_days=-3)
    with transaction.atomic():
        recompute_invoice(invoice.pk)
    return invoice


def test_the_owner_sees_fees_and_disputes_and_changes_reminders_and_notifications(owner_page, owner):
    from notifications.models import InvoiceReminderSchedule, NotificationPreferences

    invoice = disputed_invoice(owner)
    page = owner_page
    page.goto(f"/invoices/{invoice.pk}")

    payment = page.get_by_test_id("payment")
    expect(payment).to_have_count(1)
    expect(payment).to_contain_text("Fee $6.10")
    expect(payment).to_contain_text("Net $193.90")
    disputes = payment.get_by_role("list", name="Disputes")
    expect(disputes.get_by_test_id("dispute")).to_have_count(2)
    lost, open_ = disputes.get_by_test_id("dispute").all()
    expect(lost).to_contain_text("Dispute $50.00")
    expect(lost).to_contain_text("Lost: the bank took this back.")
    expect(open_).to_contain_text("Dispute $20.00")
    expect(open_).to_contain_text(re.compile(r"Needs response by \w{3} \d{1,2}, \d{4}"))
    amounts = page.get_by_role("region", name="Amounts")
    expect(amounts.get_by_text("Lost in disputes")).to_be_visible()
    expect(amounts.locator(".amounts-row", has_text="Lost in disputes")).to_contain_text("$50.00")
    expect(amounts.locator(".amounts-row", has_text="Paid")).to_contain_text("$150.00")

    reminders = page.get_by_role("region", name="Reminders")
    expect(reminders.get_by_role("list", name="Reminders sent")).to_contain_text("Sent 3 days before the due date")
    reminders.get_by_label("Reminder days").fill("-1, +5")
    reminders.get_by_role("button", name="Save schedule").click()
    expect(reminders.get_by_text("Reminder schedule saved for this invoice.")).to_be_visible()
    expect(reminders).to_contain_text(
        "This invoice\u2019s own schedule: 1 day before the due date; 5 days after the due date."
    )
    schedule = InvoiceReminderSchedule.objects.get(invoice=invoice)
    assert (schedule.enabled, schedule.offsets) == (True, [-1, 5])

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("payment")).to_contain_text("Lost: the bank took this back.")
    # The whole page, not only its first answer: the emails, reminders and activity arrive after.
    expect_loaded(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Business profile").click()
    notifications = page.get_by_role("region", name="Notifications")
    refunds = notifications.get_by_role("switch", name="Email me when a refund is made")
    expect(refunds).to_be_checked()
    refunds.click()
    expect(notifications.get_by_text("Saved: “Email me when a refund is made” is now off.")).to_be_visible()
    expect(refunds).not_to_be_checked()
    assert NotificationPreferences.objects.get(user=owner).notify_refund is False

    page.reload()
    expect(page.get_by_role("switch", name="Email me when a refund is made")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Email me when a client pays")).to_be_checked()
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
