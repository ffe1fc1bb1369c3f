"""The admin's Emails list: a failed email is sent again by the action; others are left alone."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.factories import UserFactory
from notifications.models import EmailKind, EmailMessageLog, EmailStatus

pytestmark = pytest.mark.django_db


def test_the_admin_retries_failed_emails_only(invoice, django_capture_on_commit_callbacks):
    admin = UserFactory(is_staff=True, is_superuser=True)
    failed = EmailMessageLog.objects.create(
        invoice=invoice, kind=EmailKind.INVOICE, to="client@example.com", status=EmailStatus.FAILED, error="refused", attempts=4
    )
    sent = EmailMessageLog.objects.create(invoice=invoice, kind=EmailKind.INVOICE, to="client@example.com", status=EmailStatus.SENT)
    browser = Client()
    browser.force_login(admin)

    listing = browser.get("/admin/notifications/emailmessagelog/")
    assert listing.status_code == 200 and b"client@example.com" in listing.content
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            "/admin/notifications/emailmessagelog/",
            {"action": "retry_selected", "_selected_action": [str(failed.pk), str(sent.pk)]},
            follow=True,
        )

    assert response.status_code == 200
    assert b"1 email(s) queued again; 1 were not failed and were left alone." in response.content
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.attempts, sent.status) == (EmailStatus.SENT, 5, EmailStatus.SENT)
    assert len(mail.outbox) == 1
