"""Mounted at /api/invoices/."""

from __future__ import annotations

from django.urls import path

from invoices.api import views

app_name = "invoices"

urlpatterns = [
    path("", views.InvoiceListCreateView.as_view(), name="list"),
    path("<uuid:invoice_id>/", views.InvoiceDetailView.as_view(), name="detail"),
    path("<uuid:invoice_id>/send/", views.InvoiceSendView.as_view(), name="send"),
    path("<uuid:invoice_id>/void/", views.InvoiceVoidView.as_view(), name="void"),
]
