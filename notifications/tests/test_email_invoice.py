"""Emailing an invoice from its page: POST /api/invoices/<id>/email/ (locmem backend)."""

from __future__ import annotations

import pytest
from django.core import mail

from accounts.factories import UserFactory
from activity.models import ActivityEvent, ActivityKind
from invoices.factories import InvoiceFactory
from invoices.models import InvoiceStatus
from notifications.models import EmailMessageLog, EmailStatus
from notifications.tests.conftest import html_part, pdf_attachments, pdf_text

pytestmark = pytest.mark.django_db


def _email(client, invoice, capture, **body):
    with capture(execute=True):
        return client.post(f"/api/invoices/{invoice.pk}/email/", body, format="json")


def test_the_client_gets_the_invoice_with_its_link_and_pdf(owner_client, invoice, django_capture_on_commit_callbacks):
    response = _email(owner_client, invoice, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    assert response.json()["to"] == "client@example.com"
    assert response.json()["status"] == "queued"
    [message] = mail.outbox
    assert message.to == ["client@example.com"]
    assert message.subject == "Invoice INV-0042 from Acme Studio"
    assert message.reply_to == ["hello@acme.example"]
    link = f"/pay/{invoice.public_id}"
    assert link in message.body and "100.00 USD" in message.body
    assert link in html_part(message) and "#aa3300" in html_part(message)
    [(filename, data)] = pdf_attachments(message)
    assert filename == "invoice-INV-0042.pdf"
    text = pdf_text(data)
    assert "INV-0042" in text and "100.00 USD" in text and "Acme Studio" in text
    # Never the login name nor the account's own email.
    everything = message.body + html_part(message) + text
    assert "owner-login-name" not in everything and "owner-account@example.com" not in everything
    log = EmailMessageLog.objects.get()
    assert (log.status, log.attempts, log.kind) == (EmailStatus.SENT, 1, "invoice")
    assert log.sent_at is not None
    emailed = ActivityEvent.objects.get(invoice=invoice, kind=ActivityKind.EMAILED)
    assert emailed.details["to"] == "client@example.com" and emailed.actor == "owner"


def test_the_email_log_shows_on_the_invoice(owner_client, invoice, django_capture_on_commit_callbacks):
    _email(owner_client, invoice, django_capture_on_commit_callbacks, to="someone.else@example.com")

    rows = owner_client.get(f"/api/invoices/{invoice.pk}/emails/").json()

    assert [(r["to"], r["status"], r["kind"], r["subject"]) for r in rows] == [
        ("someone.else@example.com", "sent", "invoice", "Invoice INV-0042 from Acme Studio")
    ]
    assert mail.outbox[0].to == ["someone.else@example.com"]


def test_a_draft_is_sent_when_emailed(owner, owner_client, gateway, django_capture_on_commit_callbacks):
    draft = InvoiceFactory(owner=owner, status=InvoiceStatus.DRAFT, client_email="c@example.com")

    response = _email(owner_client, draft, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    draft.refresh_from_db()
    assert draft.status == InvoiceStatus.SENT
    assert "View and pay the invoice" in mail.outbox[0].body


def test_no_client_email_and_no_to_is_a_400(owner, owner_client, django_capture_on_commit_callbacks):
    invoice = InvoiceFactory(owner=owner, client_email="")

    response = _email(owner_client, invoice, django_capture_on_commit_callbacks)

    assert response.status_code == 400
    assert response.json()["code"] == "no_recipient"
    assert mail.outbox == [] and not EmailMessageLog.objects.exists()


def test_a_void_invoice_is_not_emailed(owner, owner_client, django_capture_on_commit_callbacks):
    invoice = InvoiceFactory(owner=owner, status=InvoiceStatus.VOID)

    response = _email(owner_client, invoice, django_capture_on_commit_callbacks)

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_emailable"
    assert mail.outbox == []


def test_a_bad_address_is_invalid(owner_client, invoice, django_capture_on_commit_callbacks):
    response = _email(owner_client, invoice, django_capture_on_commit_callbacks, to="not-an-address")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "to" in response.json()["details"]


def test_another_owners_invoice_is_404_and_anonymous_is_401(api_client, invoice, django_capture_on_commit_callbacks):
    stranger = UserFactory()
    api_client.force_authenticate(stranger)
    assert _email(api_client, invoice, django_capture_on_commit_callbacks).status_code == 404
    assert api_client.get(f"/api/invoices/{invoice.pk}/emails/").status_code == 404
    api_client.force_authenticate(None)
    assert _email(api_client, invoice, django_capture_on_commit_callbacks).status_code == 401
    assert mail.outbox == []


def test_a_failed_send_is_shown_and_can_be_retried(owner_client, invoice, settings, django_capture_on_commit_callbacks):
    # Nothing listens on this port: the server refuses the connection.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    _email(owner_client, invoice, django_capture_on_commit_callbacks)

    [row] = owner_client.get(f"/api/invoices/{invoice.pk}/emails/").json()
    assert row["status"] == "failed" and row["can_retry"] is True
    assert "ConnectionRefusedError" in row["error"]
    assert not ActivityEvent.objects.filter(invoice=invoice, kind=ActivityKind.EMAILED).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        retried = owner_client.post(f"/api/invoices/{invoice.pk}/emails/{row['id']}/retry/")

    assert retried.status_code == 202
    [row] = owner_client.get(f"/api/invoices/{invoice.pk}/emails/").json()
    assert (row["status"], row["attempts"], row["error"]) == ("sent", 2, "")
    assert len(mail.outbox) == 1
    again = owner_client.post(f"/api/invoices/{invoice.pk}/emails/{row['id']}/retry/")
    assert again.status_code == 409 and again.json()["code"] == "email_not_retryable"
    assert len(mail.outbox) == 1
