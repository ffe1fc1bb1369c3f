"""The sign-in page in a real browser says why the visitor is there: sent from a protected
page, signed out, or their session ended while they used the app."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_page_explains_the_redirect_the_sign_out_and_the_ended_session(new_context, owner):
    page = new_context().new_page()

    # A protected page, opened without a session.
    page.goto("/settings/payments")
    page.wait_for_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("status")).to_have_text("Please sign in to continue.")
    sign_in(page, owner.username)
    expect(page.get_by_role("heading", name="Payment settings")).to_be_visible()

    # Signing out from the navigation.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))  # nothing to come back to after signing out
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    expect(page.get_by_text("Please sign in to continue.")).to_have_count(0)

    # The session ends while the app is open (cookie gone, as after an expiry elsewhere).
    sign_in(page, owner.username)
    # The list, not only the heading (which shows before the list arrives): a list request still
    # in flight when the cookie goes would end the session on the invoices page, not on the link
    # clicked below. (Waiting for "networkidle" does not do it: that event fires once per document,
    # long before this in-app navigation.)
    expect(page.get_by_role("heading", name="No invoices yet")).to_be_visible()
    page.context.clear_cookies()
    page.get_by_role("link", name="Payment settings").click()
    page.wait_for_url(re.compile(r"/login\?next=%2Fsettings%2Fpayments"))
    expect(page.get_by_role("status")).to_have_text("Your session has ended. Please sign in again to continue.")
    sign_in(page, owner.username)
    expect(page.get_by_role("heading", name="Payment settings")).to_be_visible()
