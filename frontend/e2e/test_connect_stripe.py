"""Connecting Stripe in a real browser against a fake Stripe running as its own process
(``STRIPE_API_BASE``): the keys are verified on save and the webhook endpoint is created for
the user, so the card says "Managed by Trackify" and no signing secret was ever asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "sk_test_51TrackifyBrowserTest000000000000004242"


# The fake Stripe picks a free port itself and prints it once it listens: no port chosen here can
# be taken by another process before it binds, and nothing polls for it.
SERVE = """
from werkzeug.serving import make_server
from payments.tests.gateways.fake_stripe import FakeStripe
server = make_server("127.0.0.1", 0, FakeStripe(), threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


@pytest.fixture
def fake_stripe(settings):
    """The fake Stripe of the gateway tests, served by a process of its own."""
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        port = process.stdout.readline().strip()  # type: ignore[union-attr]
        assert port.isdigit(), f"the fake Stripe did not start (exit code {process.poll()})"
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{port}"
        yield settings.STRIPE_API_BASE
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()  # type: ignore[union-attr]


def test_connect_stripe_and_the_webhook_is_managed(owner_page, fake_stripe):
    from payments.models import PaymentGatewayConfig

    page = owner_page
    form = page.get_by_role("form", name="Connect Stripe")
    expect(form.get_by_label("Webhook signing secret (optional)")).to_have_value("")
    form.get_by_label("Secret key").fill(SECRET_KEY)
    form.get_by_label("Publishable key").fill("pk_test_51TrackifyBrowserTest000000000000004242")
    form.get_by_role("button", name="Connect Stripe").click()

    expect(page.get_by_text("keys are verified and the webhook is managed by Trackify")).to_be_visible()
    card = page.get_by_role("listitem", name="Stripe")
    expect(card.get_by_text("Managed by Trackify")).to_be_visible()
    expect(card.get_by_text("Verified", exact=True)).to_be_visible()
    expect(card.get_by_role("button", name="Repair webhooks")).to_be_visible()
    screenshot(page, "payment-settings-stripe-managed.png")

    config = PaymentGatewayConfig.objects.get(gateway_name="stripe")
    assert config.webhook_mode == "managed" and config.webhook_endpoint_id.startswith("we_")
    secret = config.get_credentials()["webhook_secret"]
    html = page.content()
    assert secret not in html and SECRET_KEY not in html
