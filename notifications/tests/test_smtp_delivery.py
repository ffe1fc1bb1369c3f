"""End to end: a real SMTP server (aiosmtpd) on a free local port, reached through EMAIL_URL."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from notifications.email_url import parse_email_url
from notifications.tests.conftest import pdf_text

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    for name, value in parse_email_url(f"smtp://127.0.0.1:{controller.port}").items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "Acme Studio <billing@acme.example>"
    yield inbox
    controller.stop()


def test_the_invoice_email_arrives_with_both_parts_and_a_readable_pdf(
    smtp_server, owner_client, invoice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(f"/api/invoices/{invoice.pk}/email/", {}, format="json")
    assert response.status_code == 202

    [(sender, recipients, raw)] = smtp_server.messages
    assert sender == "billing@acme.example" and recipients == ["client@example.com"]
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Invoice INV-0042 from Acme Studio"
    assert message["To"] == "client@example.com"
    assert message["From"] == "Acme Studio <billing@acme.example>"
    assert message["Reply-To"] == "hello@acme.example"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"/pay/{invoice.public_id}"
    assert link in text and "Amount due: 100.00 USD" in text
    assert link in html and "View and pay the invoice" in html
    [attachment] = [part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"]
    assert attachment.get_filename() == "invoice-INV-0042.pdf"
    pdf = pdf_text(attachment.get_content())
    assert "INV-0042" in pdf and "100.00 USD" in pdf and "Globex" in pdf
    [row] = owner_client.get(f"/api/invoices/{invoice.pk}/emails/").json()
    assert row["status"] == "sent"


def test_a_server_that_refuses_the_login_leaves_the_email_failed_and_no_password_anywhere(
    smtp_server, owner_client, invoice, settings, django_capture_on_commit_callbacks, caplog
):
    # This server offers no AUTH: a login is refused.
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "mailer", "pa55-w0rd-secret"

    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(f"/api/invoices/{invoice.pk}/email/", {}, format="json")

    assert smtp_server.messages == []
    [row] = owner_client.get(f"/api/invoices/{invoice.pk}/emails/").json()
    assert row["status"] == "failed" and row["error"]
    assert "pa55-w0rd-secret" not in row["error"] and "pa55-w0rd-secret" not in caplog.text
