"""The payment link's lifecycle in a real browser: the owner sets the business profile, the
client sees it on the link; the owner turns the link off and the client sees the 410 page; a
new link works and the old one stays dead; the invoice's timeline shows each step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from test_payment_flow import create_and_send_invoice

from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_owner_revokes_the_link_and_the_client_sees_that_it_no_longer_works(owner_page, new_context):
    page = owner_page
    page.get_by_role("link", name="Business profile").click()
    page.get_by_label("Business name").fill("Nord Design Studio")
    page.get_by_label("Contact email").fill("hello@nord.example")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Business profile saved.")).to_be_visible()

    _, link = create_and_send_invoice(page, items=[("Logo design", "1", "300.00")])
    client = new_context().new_page()
    client.goto(link)
    expect(client.get_by_role("heading", name="Nord Design Studio")).to_be_visible()
    expect(client.get_by_role("link", name="hello@nord.example")).to_be_visible()
    expect(client.get_by_text("studio", exact=True)).to_have_count(0)  # never the login name

    page.get_by_role("button", name="Turn link off").click()
    page.get_by_role("dialog").get_by_role("button", name="Turn link off").click()
    expect(page.get_by_text("The payment link is turned off.")).to_be_visible()
    expect(page.get_by_test_id("link-state")).to_contain_text("turned off")

    client.reload()
    expect(client.get_by_text("This payment link no longer works")).to_be_visible()
    expect(client.get_by_role("button", name=re.compile("Pay"))).to_have_count(0)
    expect(client.get_by_test_id("amount-due")).to_have_count(0)
    screenshot(client, "payment-link-revoked.png")

    page.get_by_role("button", name="New link").click()
    page.get_by_role("dialog").get_by_role("button", name="Make new link").click()
    expect(page.get_by_text("A new payment link is ready.")).to_be_visible()
    new_link = page.get_by_label("Public payment link").input_value()
    assert new_link != link

    client.goto(new_link)
    expect(client.get_by_test_id("amount-due")).to_have_text("$300.00")
    client.goto(link)
    expect(client.get_by_text("This payment link no longer works")).to_be_visible()

    timeline = page.get_by_role("region", name="Activity")
    timeline.get_by_role("button", name="Refresh").click()
    for kind in ("Created", "Sent", "Viewed by the client", "Link revoked", "Link regenerated"):
        expect(timeline.get_by_text(kind, exact=True).first).to_be_visible()
