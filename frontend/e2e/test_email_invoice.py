"""Emailing an invoice from its page, in a real browser: a draft is sent and emailed with its link
and PDF, the email shows on the invoice as sent, and the owner downloads the same PDF."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import expect_loaded, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def create_draft(page, *, client, email, items):
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
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/invoices/[0-9a-f-]{36}$"))
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_the_owner_emails_a_draft_invoice_to_the_client(owner_page, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    page = owner_page
    invoice_id = create_draft(
        page, client="Acme Ltd", email="billing@acme.example", items=[("Logo design", "2", "150.00")]
    )
    emails = page.get_by_role("region", name="Emails")
    expect(emails.get_by_text("No emails yet.")).to_be_visible()

    emails.get_by_role("button", name="Email invoice").click()
    dialog = page.get_by_role("dialog", name="Email invoice")
    expect(dialog).to_contain_text("The draft is sent first")
    expect(dialog.get_by_label("To")).to_have_value("billing@acme.example")
    dialog.get_by_label("To").fill("accounts@acme.example")
    dialog.get_by_role("button", name="Send email").click()

    expect(dialog).to_have_count(0)
    expect(emails.get_by_text("Invoice emailed to accounts@acme.example.")).to_be_visible()
    row = emails.get_by_role("row", name=re.compile("accounts@acme.example"))
    expect(row).to_contain_text("Invoice to the client")
    expect(row).to_contain_text("Sent")
    expect(page.get_by_role("heading", name=re.compile("Invoice INV-"))).to_contain_text("Sent")
    expect(page.get_by_role("region", name="Activity").get_by_text("Emailed", exact=True)).to_be_visible()
    expect_loaded(page)
    screenshot(page, "invoice-page-emailed.png")

    [message] = mail.outbox
    assert message.to == ["accounts@acme.example"]
    assert re.fullmatch(r"Invoice INV-\d+ from .+", message.subject)
    public_link = page.get_by_label("Public payment link").input_value()
    assert public_link in message.body
    [(name, data, mimetype)] = message.attachments
    assert mimetype == "application/pdf" and name.startswith("invoice-INV-")
    attached = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "300.00 USD" in attached and "Acme Ltd" in attached

    href = emails.get_by_role("link", name="Download PDF").get_attribute("href")
    assert href == f"/api/invoices/{invoice_id}/pdf/"
    download = page.request.get(href)
    assert download.status == 200 and download.headers["content-type"] == "application/pdf"
    assert "300.00 USD" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(download.body())).pages)
