"""Fixtures for the notification tests: an owner with a business profile and a sandbox gateway,
an invoice to a client, and helpers that read what was emailed."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import BusinessProfile
from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config


@pytest.fixture
def owner(db):
    user = UserFactory(username="owner-login-name", email="owner-account@example.com")
    BusinessProfile.objects.create(
        user=user,
        business_name="Acme Studio",
        contact_email="hello@acme.example",
        accent_color="#aa3300",
        address="1 Main Street\nSpringfield",
    )
    return user


@pytest.fixture
def owner_client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


@pytest.fixture
def gateway(owner):
    return sandbox_config(owner=owner)


@pytest.fixture
def invoice(owner, gateway):
    """A sent invoice of 100.00 USD to client@example.com."""
    return InvoiceFactory(
        owner=owner,
        number="INV-0042",
        client_name="Globex",
        client_email="client@example.com",
        items=[("Design work", 4, "25.00")],
    )


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def html_part(message) -> str:
    return next(body for body, mime in message.alternatives if mime == "text/html")


def pdf_attachments(message) -> list[tuple[str, bytes]]:
    return [(a[0], a[1]) for a in message.attachments if isinstance(a, tuple) and a[2] == "application/pdf"]


@dataclass
class Checkout:
    """Drives the sandbox's hosted checkout page as a payer's browser would."""

    client: Client

    def pay(self, checkout_url: str, outcome: str = "pay"):
        path = re.sub(r"^https?://[^/]+", "", checkout_url)
        page = self.client.get(path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
        return self.client.post(path, {"outcome": outcome, "csrfmiddlewaretoken": token})


@pytest.fixture
def pay(django_capture_on_commit_callbacks):
    """Open a checkout for the invoice by its public link and complete it in the sandbox."""

    def _pay(invoice, outcome="pay"):
        with django_capture_on_commit_callbacks(execute=True):
            session = APIClient().post(
                "/api/payment/create-session/", {"invoice_id": str(invoice.public_id)}, format="json"
            )
            assert session.status_code in (200, 201), session.json()
            Checkout(Client(enforce_csrf_checks=True)).pay(session.json()["checkout_url"], outcome)
        return session.json()["payment_id"]

    return _pay


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    # The worker's tasks run in the test's process after the commit, even when REDIS_URL (and
    # so a broker) is set for the PostgreSQL pass.
    from trackify.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
