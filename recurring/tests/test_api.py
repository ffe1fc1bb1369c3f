"""The owner's API: create, list (with next issue date and autopay), change, pause, resume, cancel."""

from __future__ import annotations

from datetime import date

import pytest

from invoices.models import Invoice
from recurring.services import issue_due

pytestmark = pytest.mark.django_db

BODY = {
    "client_name": "Acme Ltd",
    "client_email": "billing@acme.example",
    "currency": "EUR",
    "items": [{"description": "Hosting", "quantity": "2", "unit_price": "15.5"}],
    "interval": "month",
    "interval_count": 1,
    "start_date": "2026-01-31",
    "count": 6,
    "days_until_due": 10,
}


def test_create_then_list_shows_the_next_issue_date_and_autopay(owner_client):
    created = owner_client.post("/api/recurring-invoices/", BODY, format="json")

    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["status"], data["next_issue_date"], data["autopay"]) == ("active", "2026-01-31", False)
    assert data["items"] == [{"description": "Hosting", "quantity": "2", "unit_price": "15.50"}]
    listed = owner_client.get("/api/recurring-invoices/").json()
    assert [row["id"] for row in listed["results"]] == [data["id"]]


def test_invalid_input_answers_the_contracts_error_shape(owner_client):
    body = {**BODY, "items": [{"description": "x", "quantity": "1", "unit_price": "1.234"}], "interval": "fortnight"}
    response = owner_client.post("/api/recurring-invoices/", body, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert {"interval"} <= set(response.json()["details"])


def test_end_before_start_is_refused(owner_client):
    response = owner_client.post("/api/recurring-invoices/", {**BODY, "end_date": "2025-12-01"}, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()["details"]


def test_pause_resume_and_delete_cancels_keeping_the_issued_invoices(owner_client, owner):
    template_id = owner_client.post("/api/recurring-invoices/", BODY, format="json").json()["id"]
    issue_due(as_of=date(2026, 2, 28))
    assert Invoice.objects.filter(recurring_invoice_id=template_id).count() == 2

    paused = owner_client.post(f"/api/recurring-invoices/{template_id}/pause/")
    assert (paused.status_code, paused.json()["status"]) == (200, "paused")
    resumed = owner_client.post(f"/api/recurring-invoices/{template_id}/resume/")
    assert (resumed.status_code, resumed.json()["status"]) == (200, "active")

    deleted = owner_client.delete(f"/api/recurring-invoices/{template_id}/")
    assert deleted.status_code == 204
    detail = owner_client.get(f"/api/recurring-invoices/{template_id}/").json()
    assert (detail["status"], detail["next_issue_date"]) == ("canceled", None)
    assert issue_due(as_of=date(2026, 12, 31)) == 0
    assert Invoice.objects.filter(recurring_invoice_id=template_id).count() == 2
    again = owner_client.post(f"/api/recurring-invoices/{template_id}/resume/")
    assert (again.status_code, again.json()["code"]) == (409, "recurring_canceled")


def test_patch_changes_the_items_of_later_invoices(owner_client):
    template_id = owner_client.post("/api/recurring-invoices/", BODY, format="json").json()["id"]
    issue_due(as_of=date(2026, 1, 31))
    items = [{"description": "Hosting (bigger)", "quantity": "1", "unit_price": "40.00"}]

    changed = owner_client.patch(f"/api/recurring-invoices/{template_id}/", {"items": items}, format="json")

    assert changed.status_code == 200
    issue_due(as_of=date(2026, 2, 28))
    totals = list(
        Invoice.objects.filter(recurring_invoice_id=template_id).order_by("issue_date").values_list("total", flat=True)
    )
    assert [str(t) for t in totals] == ["31.000", "40.000"]


def test_another_users_template_is_404(owner_client, db):
    from rest_framework.test import APIClient

    from accounts.factories import UserFactory

    template_id = owner_client.post("/api/recurring-invoices/", BODY, format="json").json()["id"]
    intruder = APIClient()
    intruder.force_authenticate(UserFactory())
    assert intruder.get(f"/api/recurring-invoices/{template_id}/").status_code == 404
    assert intruder.delete(f"/api/recurring-invoices/{template_id}/").status_code == 404


def test_the_admin_lists_templates_and_their_charges(owner_client, owner, admin_client):
    owner_client.post("/api/recurring-invoices/", BODY, format="json")

    listing = admin_client.get("/admin/recurring/recurringinvoice/")
    charges = admin_client.get("/admin/recurring/autopaycharge/")

    assert listing.status_code == 200
    assert b"Acme Ltd" in listing.content
    assert charges.status_code == 200
