"""EMAIL_URL, the owner's notification preferences and an invoice's reminder schedule."""

from __future__ import annotations

import pytest

from notifications.email_url import EmailUrlError, describe, parse_email_url


def test_smtp_urls():
    assert parse_email_url("smtp://mailer:p%40ss@mail.example.com:587?tls") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    ssl = parse_email_url("smtps://u:p@mail.example.com")
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (465, True, False)
    plain = parse_email_url("smtp://127.0.0.1:2525")
    assert (plain["EMAIL_PORT"], plain["EMAIL_HOST_USER"], plain["EMAIL_USE_TLS"]) == (2525, "", False)


def test_other_backends():
    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")
    assert parse_email_url("locmem://")["EMAIL_BACKEND"].endswith("locmem.EmailBackend")
    assert parse_email_url("anymail+postmark://?server_token=abc") == {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL": {"POSTMARK_SERVER_TOKEN": "abc"},
    }


@pytest.mark.parametrize("url", ["ftp://host", "smtp://", "smtp://u:secret-pw@host:port"])
def test_unusable_urls_are_refused_without_the_password(url):
    with pytest.raises(EmailUrlError) as refused:
        parse_email_url(url)
    assert "secret-pw" not in str(refused.value)


def test_describe_masks_the_password():
    assert describe("smtp://mailer:secret-pw@mail.example.com:587?tls") == "smtp://mailer:***@mail.example.com:587?tls"


@pytest.mark.django_db
def test_preferences_default_then_change(owner_client):
    defaults = owner_client.get("/api/account/notifications/")
    assert defaults.status_code == 200
    assert defaults.json() == {
        "notify_payment_succeeded": True,
        "notify_payment_failed": True,
        "notify_refund": True,
        "notify_dispute": True,
        "send_receipts": True,
        "reminders_enabled": True,
        "reminder_offsets": [-3, 0, 7],
    }

    changed = owner_client.patch(
        "/api/account/notifications/", {"notify_refund": False, "reminder_offsets": [14, -1, 14]}, format="json"
    )

    assert changed.status_code == 200
    assert changed.json()["notify_refund"] is False and changed.json()["reminder_offsets"] == [-1, 14]
    assert owner_client.get("/api/account/notifications/").json()["reminder_offsets"] == [-1, 14]
    bad = owner_client.patch("/api/account/notifications/", {"reminder_offsets": [500]}, format="json")
    assert bad.status_code == 400 and "reminder_offsets" in bad.json()["details"]


@pytest.mark.django_db
def test_preferences_need_a_sign_in(api_client):
    assert api_client.get("/api/account/notifications/").status_code == 401


@pytest.mark.django_db
def test_an_invoice_gets_its_own_schedule_and_back(owner_client, invoice):
    url = f"/api/invoices/{invoice.pk}/reminders/"
    assert owner_client.get(url).json() == {"uses_default": True, "enabled": True, "offsets": [-3, 0, 7], "sent": []}

    own = owner_client.put(url, {"offsets": [1, 5]}, format="json")
    assert own.status_code == 200 and own.json()["offsets"] == [1, 5] and own.json()["uses_default"] is False

    off = owner_client.put(url, {"enabled": False}, format="json")
    assert off.json()["enabled"] is False and off.json()["offsets"] == [1, 5]

    back = owner_client.put(url, {"use_default": True}, format="json")
    assert back.json()["uses_default"] is True and back.json()["offsets"] == [-3, 0, 7]


def test_email_settings_from_the_environment():
    from django.core.exceptions import ImproperlyConfigured

    from notifications.email_url import email_settings

    dev = email_settings({}, debug=True)
    assert dev["EMAIL_BACKEND"].endswith("console.EmailBackend") and dev["DEFAULT_FROM_EMAIL"]
    prod = email_settings(
        {"EMAIL_URL": "smtp://mailer:secret-pw@mail.example.com:587?tls", "DEFAULT_FROM_EMAIL": "Acme <a@acme.example>"},
        debug=False,
    )
    assert (prod["EMAIL_HOST"], prod["EMAIL_HOST_PASSWORD"], prod["SERVER_EMAIL"]) == (
        "mail.example.com",
        "secret-pw",
        "Acme <a@acme.example>",
    )
    assert "secret-pw" not in prod["EMAIL_URL"]
    assert email_settings({}, debug=False)["EMAIL_HOST"] == "localhost"
    with pytest.raises(ImproperlyConfigured):
        email_settings({"EMAIL_URL": "carrier-pigeon://"}, debug=False)
