"""The Content-Security-Policy in a real browser: every kind of page works under it, and Chromium
reports no violation (a blocked script would break the app; a blocked style would unstyle it)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(new_context):  # type: ignore[no-untyped-def]
    """A page whose console messages about the policy are collected."""
    seen: list[str] = []
    page = new_context().new_page()
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None)
    return page, seen


def test_the_app_the_payment_page_and_the_sandbox_run_under_the_policy(violations, owner):
    from invoices.factories import InvoiceFactory
    from payments.factories import sandbox_config

    page, seen = violations
    sandbox_config(owner=owner)
    invoice = InvoiceFactory(owner=owner, items=[("Workshop", 1, "80.00")])

    response = page.goto("/invoices")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_url(re.compile(r"/login"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()  # the app's scripts ran

    page.goto(f"/pay/{invoice.public_id}")
    page.get_by_role("button", name="Pay now").click()
    page.wait_for_url(re.compile(r"/sandbox/checkout/"))
    pay = page.get_by_role("button", name="Pay", exact=True)
    # The page's own stylesheet (inline, with the policy's nonce) applied: the brand-blue button.
    expect(pay).to_have_css("background-color", "rgb(43, 95, 217)")
    pay.click()  # the form posts to the page, which redirects back to the app
    page.wait_for_url(re.compile(rf"/pay/{invoice.public_id}/return\?payment="))
    expect(page.get_by_text("Payment received. Thank you!")).to_be_visible()

    assert seen == []


def test_the_admin_runs_under_the_policy(violations, owner):
    page, seen = violations
    owner.is_staff = owner.is_superuser = True
    owner.save()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(owner.username)
    page.get_by_label("Password").fill("pass-1234-word")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    page.goto("/admin/payments/paymentgatewayconfig/")
    expect(page.locator("#changelist")).to_be_visible()
    assert seen == []
