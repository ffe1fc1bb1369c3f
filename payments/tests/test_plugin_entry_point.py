"""A gateway installed as a separate package, through the entry-point group, works end to end."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from payments.gateways import registry
from payments.models import InvoicePayment

PLUGIN_SOURCE = Path(__file__).parent / "plugin_example" / "trackify_invoicepay.py"


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """Install the example plugin the way pip would: a module plus a dist-info with entry points."""
    shutil.copy(PLUGIN_SOURCE, tmp_path / "trackify_invoicepay.py")
    dist_info = tmp_path / "trackify_invoicepay-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: trackify-invoicepay\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(
        "[trackify.payment_gateways]\ninvoicepay = trackify_invoicepay:InvoicePayGateway\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.load_entry_points(force=True)
    yield sys.modules["trackify_invoicepay"]
    registry.unregister("invoicepay")
    sys.modules.pop("trackify_invoicepay", None)


@pytest.mark.django_db
def test_entry_point_gateway_takes_a_payment_end_to_end(installed_plugin, owner, owner_client, api_client):
    from invoices.factories import InvoiceFactory

    types = owner_client.get("/api/payment/gateway-types/").json()
    plugin = next(t for t in types if t["name"] == "invoicepay")
    assert [f["name"] for f in plugin["credential_fields"]] == ["api_key", "webhook_secret"]

    bad = owner_client.post(
        "/api/payment/gateways/", {"gateway_name": "invoicepay", "credentials": {"api_key": "sk_nope"}}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"

    created = owner_client.post(
        "/api/payment/gateways/",
        {"gateway_name": "invoicepay", "credentials": {"api_key": "ip_live_12345678", "webhook_secret": "ipwh_secret"}},
        format="json",
    )
    assert created.status_code == 201, created.json()
    config = created.json()
    assert config["is_default"] is True
    assert config["credentials_preview"] == {"api_key": "ip_live_...5678", "webhook_secret": "ipwh_...cret"}

    invoice = InvoiceFactory(owner=owner, items=[("Audit", 1, "80.00")])
    session = api_client.post("/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json").json()
    assert session["checkout_url"].startswith("https://pay.invoicepay.example/ips_")

    payment = InvoicePayment.objects.get(pk=session["payment_id"])
    body = json.dumps(
        {"id": "ipe_1", "type": "session.paid", "session": payment.gateway_session_id, "amount": "80.00", "currency": "USD"}
    ).encode()
    url = f"/api/payment/webhook/invoicepay/{config['id']}/"
    forged = api_client.post(url, body, content_type="application/json", HTTP_X_INVOICEPAY_SIGNATURE="0" * 64)
    assert forged.status_code == 400
    signature = installed_plugin.sign(body, "ipwh_secret")
    delivered = api_client.post(url, body, content_type="application/json", HTTP_X_INVOICEPAY_SIGNATURE=signature)
    assert delivered.status_code == 200, delivered.json()

    assert api_client.get(f"/api/payment/status/{payment.pk}/").json()["status"] == "succeeded"
    assert owner_client.get(f"/api/invoices/{invoice.pk}/").json()["status"] == "paid"
