"""Mounted at /api/invoices/."""

from __future__ import annotations

from django.urls import path

from invoices.api import views
from notifications.api import views as notification_views

app_name = "invoices"

urlpatterns = [
    path("", views.InvoiceListCreateView.as_view(), name="list"),
    path("<uuid:invoice_id>/", views.InvoiceDetailView.as_view(), name="detail"),
    path("<uuid:invoice_id>/send/", views.InvoiceSendView.as_view(), name="send"),
    path("<uuid:invoice_id>/void/", views.InvoiceVoidView.as_view(), name="void"),
    path("<uuid:invoice_id>/link/revoke/", views.InvoiceLinkRevokeView.as_view(), name="link-revoke"),
    path("<uuid:invoice_id>/link/regenerate/", views.InvoiceLinkRegenerateView.as_view(), name="link-regenerate"),
    path("<uuid:invoice_id>/activity/", views.InvoiceActivityView.as_view(), name="activity"),
    path("<uuid:invoice_id>/email/", notification_views.InvoiceEmailView.as_view(), name="email"),
    path("<uuid:invoice_id>/emails/", notification_views.InvoiceEmailListView.as_view(), name="emails"),
    path("<uuid:invoice_id>/emails/<uuid:email_id>/retry/", notification_views.EmailRetryView.as_view(), name="email-retry"),
    path("<uuid:invoice_id>/pdf/", notification_views.InvoicePdfView.as_view(), name="pdf"),
    path(
        "<uuid:invoice_id>/receipts/<uuid:payment_id>/pdf/", notification_views.ReceiptPdfView.as_view(), name="receipt-pdf"
    ),
    path("<uuid:invoice_id>/reminders/", notification_views.InvoiceRemindersView.as_view(), name="reminders"),
]
