"""The reports page in a real browser: the owner's totals, both charts drawn by chart.js, the top
clients, the gateway table, the CSV download of the same figures, and the phone-width layout.

The figures come from rows written here (a paid invoice with a refund, a partial payment, a
failed checkout and unpaid invoices of different ages), so the page is checked to the cent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# True once every chart canvas holds a drawing: its pixels differ from a blank canvas of its size.
DRAWN = """() => [...document.querySelectorAll('.report-chart canvas')].every((canvas) => {
  const blank = document.createElement('canvas');
  blank.width = canvas.width;
  blank.height = canvas.height;
  return canvas.width > 0 && canvas.toDataURL() !== blank.toDataURL();
})"""


def seed(owner):
    from django.utils import timezone

    from invoices.models import InvoiceStatus
    from payments.models import PaymentGatewayConfig
    from reports.tests.conftest import invoice, payment, refund

    config = PaymentGatewayConfig.objects.get(owner=owner, gateway_name="sandbox")
    now = timezone.now()
    today = now.date()

    def ago(days):
        return (today - dt.timedelta(days=days)).isoformat()

    acme = invoice(owner, "INV-0001", "Acme Studio", "1200.00", ago(45), due=ago(30), status=InvoiceStatus.PAID,
                   amount_paid="1000.00", amount_refunded="200.00", amount_credited="200.00")  # fmt: skip
    paid = payment(acme, config, "1200.00", now - dt.timedelta(days=40), status="partially_refunded",
                   fee="35.10", fee_currency="USD")  # fmt: skip
    refund(paid, "200.00", now - dt.timedelta(days=10))
    bolt = invoice(owner, "INV-0002", "Bolt Labs", "800.00", ago(80), due=ago(20),
                   status=InvoiceStatus.PARTIALLY_PAID, amount_paid="300.00")  # fmt: skip
    payment(bolt, config, "300.00", now - dt.timedelta(days=70), fee="9.00", fee_currency="USD")
    payment(bolt, config, "500.00", now - dt.timedelta(days=5), status="failed")
    invoice(owner, "INV-0003", "Cyan & Co", "450.00", ago(130), due=ago(100))
    invoice(owner, "INV-0004", "Dune Foods", "600.00", ago(3), due=(today + dt.timedelta(days=27)).isoformat())


def test_the_owner_reads_the_reports_and_downloads_the_same_figures(owner_page, owner):
    page = owner_page
    seed(owner)
    csp_errors = []
    page.on("console", lambda msg: csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)

    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Reports", exact=True)).to_be_visible()
    expect(page.get_by_test_id("summary-collected")).to_have_text("$1,500.00")
    expect(page.get_by_test_id("summary-refunded")).to_have_text("$200.00")
    expect(page.get_by_test_id("summary-fees")).to_have_text("$44.10")
    expect(page.get_by_test_id("summary-net")).to_have_text("$1,255.90")
    expect(page.get_by_test_id("summary-invoiced")).to_have_text("$3,050.00")
    expect(page.get_by_test_id("summary-outstanding")).to_have_text("$1,550.00")  # 500 + 450 + 600
    expect(page.get_by_test_id("summary-overdue")).to_have_text("$950.00")

    # chart.js drew both charts on canvases (loaded only now, with this page). A canvas is in the
    # page, 150 px high, before chart.js sizes it and draws: wait until neither is blank.
    expect(page.locator(".report-chart canvas")).to_have_count(2)
    page.wait_for_function(DRAWN)
    assert page.locator(".report-chart canvas").first.bounding_box()["height"] > 100

    clients = page.get_by_role("region", name="Top clients")
    expect(clients.get_by_role("row").nth(1)).to_contain_text("Acme Studio")
    expect(clients.get_by_role("row").nth(1)).to_contain_text("$1,200.00")
    gateways = page.get_by_role("region", name="Gateways")
    expect(gateways.get_by_role("row").nth(1)).to_contain_text("Sandbox")
    expect(gateways.get_by_role("row").nth(1)).to_contain_text("66.7%")  # 2 of 3 checkouts
    expect(gateways.get_by_role("row").nth(1)).to_contain_text("$1,255.90")
    screenshot(page, "reports.png")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.DictReader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert [(r["type"], r["client"], r["gross"]) for r in rows] == [
        ("payment", "Bolt Labs", "300.00"),
        ("payment", "Acme Studio", "1200.00"),
        ("refund", "Acme Studio", "-200.00"),
    ]
    assert sum(Decimal(r["net"]) for r in rows) == Decimal("1255.90")

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("summary-net")).to_have_text("$1,255.90")
    expect(page.locator(".report-chart canvas")).to_have_count(2)
    page.wait_for_function(DRAWN)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways on a phone by {overflow}px"
    assert not csp_errors, csp_errors


def test_an_owner_with_nothing_yet_is_told_what_to_do(owner_page):
    page = owner_page
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Nothing to report in this range")).to_be_visible()
    expect(page.get_by_role("link", name="Create an invoice")).to_be_visible()
    expect(page.get_by_text("No payments or refunds in this range")).to_be_visible()
    expect(page.locator(".report-chart canvas")).to_have_count(0)
