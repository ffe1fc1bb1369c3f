"""The whole payment journey in a real browser: an owner invoices, a client pays in the sandbox
checkout, the return page follows the webhook's outcome, and the owner refunds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import DESKTOP, PHONE, expect_loaded, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def create_and_send_invoice(page, *, items, partial=False, client="Acme Ltd", email="billing@acme.example"):
    """Fills the new-invoice form, saves and sends it; returns (invoice id, payment link)."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    page.get_by_role("link", name="New invoice").click()
    page.get_by_label("Client name").fill(client)
    page.get_by_label("Client email").fill(email)
    for index, (description, quantity, price) in enumerate(items, start=1):
        if index > 1:
            page.get_by_role("button", name="Add item").click()
        page.get_by_label(f"Description (item {index})").fill(description)
        page.get_by_label(f"Quantity (item {index})").fill(quantity)
        page.get_by_label(f"Unit price (item {index})").fill(price)
    if partial:
        page.get_by_label(re.compile("Allow partial payments")).check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    page.get_by_role("button", name="Send invoice").click()
    expect(page.get_by_text("Invoice sent.")).to_be_visible()
    invoice_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    link = page.get_by_label("Public payment link").input_value()
    return invoice_id, link


def test_pay_in_full_then_refund_half(owner_page, new_context, app_url):
    page = owner_page
    invoice_id, link = create_and_send_invoice(
        page, items=[("Brand design", "2", "100.00"), ("Hosting, one year", "1", "50.00")]
    )
    # The link carries the invoice's public id, not the id in the owner's own URLs.
    assert re.fullmatch(rf"{app_url}/pay/[0-9a-f-]{{36}}", link) and invoice_id not in link
    amounts = page.get_by_role("region", name="Amounts")
    expect(amounts).to_contain_text("$250.00")
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Sent")

    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    mailto = page.get_by_role("link", name="Email to client").get_attribute("href")
    assert mailto.startswith("mailto:billing%40acme.example?subject=")

    # The client opens the link in a browser of their own, without an account.
    client = new_context().new_page()
    client.goto(link)
    expect(client.get_by_role("heading", name="Studio Nord")).to_be_visible()
    expect(client.get_by_test_id("amount-due")).to_have_text("$250.00")
    expect(client.get_by_label(re.compile("Amount to pay"))).to_have_count(0)
    screenshot(client, "payment-page-1280.png")
    client.set_viewport_size(PHONE)
    assert client.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(client, "payment-page-375.png")
    client.set_viewport_size(DESKTOP)

    client.get_by_role("button", name="Pay now").click()
    client.wait_for_url(re.compile(r"/sandbox/checkout/"))
    client.get_by_role("button", name="Pay", exact=True).click()
    client.wait_for_url(re.compile(rf"{link}/return\?payment="))
    expect(client.get_by_text("Payment received. Thank you!")).to_be_visible()
    expect(client.get_by_text("This invoice is now paid in full.")).to_be_visible()
    screenshot(client, "return-page.png")

    # The owner sees it paid, then refunds half.
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Paid")
    payment = page.get_by_test_id("payment")
    expect(payment).to_have_count(1)
    expect(payment).to_contain_text("Succeeded")
    payment.get_by_role("button", name="Refund").click()
    dialog = page.get_by_role("dialog", name="Refund payment")
    amount = dialog.get_by_label("Amount (USD)")
    expect(amount).to_have_value("250.00")
    amount.fill("125.00")
    # This refund bills the client again (the default, a credit, is covered in test_refund_and_decline).
    dialog.get_by_label("The client owes it again").check()
    dialog.get_by_label("Reason (optional)").fill("Hosting was not needed")
    dialog.get_by_role("button", name="Refund").click()
    expect(page.get_by_text(re.compile(r"Refund of \$125\.00"))).to_be_visible()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Partially paid")
    expect(payment).to_contain_text("Partially refunded")
    expect(payment.get_by_role("list", name="Refunds")).to_contain_text("Refund $125.00")
    expect(amounts.locator(".amounts-strong")).to_contain_text("$125.00")
    expect(page.get_by_role("region", name="Activity").get_by_text("Refunded", exact=True)).to_be_visible()
    expect_loaded(page)
    screenshot(page, "invoice-detail.png")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "invoice-detail-375.png")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Payment settings").click()
    sandbox_card = page.get_by_role("listitem", name="Sandbox")
    expect(sandbox_card).to_contain_text("Default")
    # The sandbox delivers its own webhooks: nothing to copy into a provider's dashboard.
    expect(sandbox_card).not_to_contain_text("Webhook URL")
    expect(sandbox_card).not_to_contain_text("/api/payment/webhook/")
    screenshot(page, "payment-settings.png")

    # The public page now asks for the refunded half again.
    client.goto(link)
    expect(client.get_by_test_id("amount-due")).to_have_text("$125.00")


def test_declined_payment_leaves_the_invoice_unpaid(owner_page, new_context):
    page = owner_page
    _, link = create_and_send_invoice(page, items=[("Workshop", "1", "300.00")])

    client = new_context().new_page()
    client.goto(link)
    client.get_by_role("button", name="Pay now").click()
    client.wait_for_url(re.compile(r"/sandbox/checkout/"))
    client.get_by_role("button", name="Decline").click()
    client.wait_for_url(re.compile(r"\?payment="))
    expect(client.get_by_text("Your payment did not go through")).to_be_visible()
    expect(client.get_by_test_id("amount-due")).to_have_text("$300.00")
    expect(client.get_by_role("button", name="Pay now")).to_be_enabled()

    page.reload()
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Sent")
    payment = page.get_by_test_id("payment")
    expect(payment).to_have_count(1)
    expect(payment.get_by_role("button", name="Refund")).to_have_count(0)


def test_partial_payment(owner_page, new_context):
    page = owner_page
    invoice_id, link = create_and_send_invoice(page, items=[("Retainer", "1", "100.00")], partial=True)

    # The owner's pages work on a phone too: no sideways scrolling.
    page.set_viewport_size(PHONE)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    expect(page.get_by_role("link", name=re.compile("INV-"))).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "invoices-375.png")
    page.get_by_role("link", name="New invoice").click()
    page.get_by_role("button", name="Add item").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "invoice-form-375.png")
    page.set_viewport_size(DESKTOP)

    client = new_context().new_page()
    client.goto(link)
    amount = client.get_by_label("Amount to pay (USD)")
    expect(amount).to_have_value("100.00")
    amount.fill("150")
    client.get_by_role("button", name="Pay now").click()
    expect(client.get_by_text(re.compile("cannot be more than"))).to_be_visible()
    amount.fill("40.00")
    client.get_by_role("button", name="Pay now").click()
    client.wait_for_url(re.compile(r"/sandbox/checkout/"))
    expect(client.get_by_text("40.00")).to_be_visible()
    client.get_by_role("button", name="Pay", exact=True).click()
    expect(client.get_by_text("Payment received. Thank you!")).to_be_visible()
    balance = client.get_by_role("region", name=re.compile("Balance"))
    expect(balance).to_contain_text("$60.00")

    page.goto(f"/invoices/{invoice_id}")
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Partially paid")
    expect(page.get_by_role("region", name="Amounts").locator(".amounts-strong")).to_contain_text("$60.00")


def test_pay_later_is_followed_until_it_settles(owner_page, new_context):
    page = owner_page
    _, link = create_and_send_invoice(page, items=[("Audit", "1", "80.00")])

    client = new_context().new_page()
    client.goto(link)
    client.get_by_role("button", name="Pay now").click()
    client.wait_for_url(re.compile(r"/sandbox/checkout/"))
    client.get_by_role("button", name=re.compile(r"Pay later \(fails\)")).click()
    client.wait_for_url(re.compile(rf"{link}/return"))
    expect(client.get_by_text("Your payment did not go through")).to_be_visible()
    client.get_by_role("link", name="Try again").click()
    expect(client.get_by_test_id("amount-due")).to_have_text("$80.00")
