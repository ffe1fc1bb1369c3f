"""The owner's business profile: who the client sees on the payment page, emails and PDFs."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BusinessProfile(models.Model):
    """How an owner presents themselves to clients.

    Public surfaces (the payment page, emails, PDFs) show these fields and never the login
    username or the account's own email. ``time_zone`` is the owner's: reminders, recurring
    invoices and reports count days in it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="business_profile"
    )
    business_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True, help_text="Shown to clients; not the sign-in email.")
    address = models.TextField(blank=True)
    tax_id = models.CharField(max_length=64, blank=True)
    accent_color = models.CharField(max_length=7, default="#2563eb")
    logo = models.ImageField(upload_to="logos/", blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.business_name or f"Business profile {self.pk}"
