"""What the payer and the owner see of the money, in a real browser: a declined card is told it
was declined (not "canceled"), a refund that credits the client leaves the invoice paid and says
so on the client's page, and a refund that reopens the invoice makes the link ask again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_payment_flow import create_and_send_invoice

from conftest import expect_loaded, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pay_in_sandbox(client, link, button="Pay"):
    client.goto(link)
    client.get_by_role("button", name="Pay now").click()
    client.wait_for_url(re.compile(r"/sandbox/checkout/"))
    client.get_by_role("button", name=button, exact=True).click()


def refund(page, amount, *, effect=None, shot=None):
    """Refunds `amount` of the invoice's only payment from the owner's invoice page."""
    page.reload()
    page.get_by_test_id("payment").get_by_role("button", name="Refund").click()
    dialog = page.get_by_role("dialog", name="Refund payment")
    expect(dialog.get_by_label("Take it off what the client owes")).to_be_checked()
    if effect:
        dialog.get_by_label(effect).check()
    dialog.get_by_label("Amount (USD)").fill(amount)
    if shot:
        expect_loaded(page)
        screenshot(page, shot)
    dialog.get_by_role("button", name="Refund").click()
    expect(dialog).to_have_count(0)


def test_a_declined_card_is_told_it_was_declined(owner_page, new_context):
    _, link = create_and_send_invoice(owner_page, items=[("Workshop", "1", "300.00")])

    client = new_context().new_page()
    pay_in_sandbox(client, link, button="Decline")
    client.wait_for_url(re.compile(r"/pay/[0-9a-f-]{36}\?payment="))
    outcome = client.get_by_role("alert")
    expect(outcome).to_contain_text("Your payment did not go through")
    expect(outcome).to_contain_text("The card was declined.")
    expect(outcome).to_contain_text("No money was taken.")
    screenshot(client, "payment-page-declined.png")
    expect(client.get_by_text("Payment canceled")).to_have_count(0)
    expect(client.get_by_test_id("amount-due")).to_have_text("$300.00")
    expect(client.get_by_role("button", name="Pay now")).to_be_enabled()


def test_a_credit_refund_leaves_the_invoice_paid_and_the_client_sees_the_credit(owner_page, new_context):
    page = owner_page
    _, link = create_and_send_invoice(page, items=[("Website", "1", "319.99")])
    client = new_context().new_page()
    pay_in_sandbox(client, link)
    expect(client.get_by_text("Payment received. Thank you!")).to_be_visible()

    refund(page, "100.00", shot="refund-dialog.png")
    expect(page.get_by_text("Refund of $100.00 made, taken off what the client owes.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Paid")
    amounts = page.get_by_role("region", name="Amounts")
    expect(amounts).to_contain_text("Credited")
    expect(amounts.locator(".amounts-strong")).to_contain_text("$0.00")
    expect(page.get_by_role("list", name="Refunds")).to_contain_text("Taken off what the client owes")

    client.goto(link)
    expect(client.get_by_test_id("amount-due")).to_have_text("$0.00")
    expect(client.get_by_text("This invoice is paid in full")).to_be_visible()
    expect(client.get_by_role("button", name="Pay now")).to_have_count(0)
    expect(client.get_by_role("list", name="Refunds")).to_contain_text(
        re.compile(r"Refunded to you: \$100\.00 on .+, taken off this invoice\.")
    )
    expect(client.get_by_text("Credited to you")).to_be_visible()
    screenshot(client, "payment-page-credited.png")


def test_a_reopen_refund_makes_the_link_ask_for_the_amount_again(owner_page, new_context):
    page = owner_page
    _, link = create_and_send_invoice(page, items=[("Website", "1", "319.99")])
    client = new_context().new_page()
    pay_in_sandbox(client, link)
    expect(client.get_by_text("Payment received. Thank you!")).to_be_visible()

    refund(page, "100.00", effect="The client owes it again")
    expect(page.get_by_text("Refund of $100.00 made; the client owes it again.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Partially paid")
    expect(page.get_by_role("region", name="Amounts").locator(".amounts-strong")).to_contain_text("$100.00")

    client.goto(link)
    expect(client.get_by_test_id("amount-due")).to_have_text("$100.00")
    expect(client.get_by_role("list", name="Refunds")).to_contain_text("added back to the amount due")
    expect(client.get_by_role("button", name="Pay now")).to_be_enabled()
