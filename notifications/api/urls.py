"""Mounted at /api/account/notifications/ (the owner's preferences). The invoice routes
(email, emails, pdf, reminders) are in invoices/api/urls.py, the public PDF in payments/api/urls.py."""

from __future__ import annotations

from django.urls import path

from notifications.api import views

urlpatterns = [
    path("", views.NotificationPreferencesView.as_view(), name="notification-preferences"),
]
