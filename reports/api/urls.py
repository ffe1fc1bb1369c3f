"""Mounted at /api/reports/."""

from __future__ import annotations

from django.urls import path

from reports.api import views

app_name = "reports"

urlpatterns = [
    path("summary/", views.SummaryView.as_view(), name="summary"),
    path("timeseries/", views.TimeseriesView.as_view(), name="timeseries"),
    path("aging/", views.AgingView.as_view(), name="aging"),
    path("clients/", views.ClientsView.as_view(), name="clients"),
    path("gateways/", views.GatewaysView.as_view(), name="gateways"),
    path("payments.csv", views.PaymentsCsvView.as_view(), name="payments-csv"),
]
