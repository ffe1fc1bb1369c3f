from django.urls import path

from notifications.api.views import PublicInvoicePdfView, PublicReceiptPdfView
from payments.api import views, webhooks

urlpatterns = [
    path("gateways/", views.GatewayConfigListView.as_view(), name="gateway-config-list"),
    path("gateways/<uuid:config_id>/", views.GatewayConfigDetailView.as_view(), name="gateway-config-detail"),
    path("gateways/<uuid:config_id>/verify/", views.GatewayConfigVerifyView.as_view(), name="gateway-config-verify"),
    path(
        "gateways/<uuid:config_id>/repair-webhooks/",
        views.GatewayConfigRepairWebhooksView.as_view(),
        name="gateway-config-repair-webhooks",
    ),
    path("gateway-types/", views.GatewayTypesView.as_view(), name="gateway-types"),
    path("create-session/", views.CreateSessionView.as_view(), name="payment-create-session"),
    path("status/<uuid:payment_id>/", views.PaymentStatusView.as_view(), name="payment-status"),
    path("refund/<uuid:payment_id>/", views.RefundView.as_view(), name="payment-refund"),
    path("invoice/<uuid:invoice_id>/payments/", views.InvoicePaymentsView.as_view(), name="invoice-payments"),
    path("public/invoice/<uuid:invoice_id>/", views.PublicInvoiceView.as_view(), name="public-invoice"),
    path("public/invoice/<uuid:invoice_id>/pdf/", PublicInvoicePdfView.as_view(), name="public-invoice-pdf"),
    path(
        "public/invoice/<uuid:invoice_id>/receipts/<uuid:payment_id>/pdf/",
        PublicReceiptPdfView.as_view(),
        name="public-receipt-pdf",
    ),
    path("webhook/<str:gateway_name>/", webhooks.WebhookView.as_view(), name="payment-webhook"),
    path("webhook/<str:gateway_name>/<uuid:config_id>/", webhooks.ConfigWebhookView.as_view(), name="payment-webhook-config"),
]
