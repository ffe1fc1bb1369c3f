"""Trackify's URLs: the JSON API under /api/, the admin, the sandbox checkout and the React app."""

from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api.profile_views import logo_file
from recurring.api.views import PublicAutopayDisableView, PublicAutopayView
from trackify import health, spa
from trackify.api import json_error_view

# The API docs page loads Swagger UI from its CDN and has an inline <style>: only that page may.
# (The split view serves its start-up script from this app, not inline.)
_SWAGGER_CDN = "https://cdn.jsdelivr.net"
_swagger_csp = csp_update(
    {"script-src": [_SWAGGER_CDN], "style-src": [_SWAGGER_CDN, "'unsafe-inline'"], "img-src": [_SWAGGER_CDN]}
)

urlpatterns = [
    # Answered by trackify.health.OpsEndpointsMiddleware before any other middleware; named here
    # so they resolve (and never fall to the React app) without it.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/auth/", include("accounts.api.urls")),
    path("api/account/", include("accounts.api.profile_urls")),
    path("api/account/notifications/", include("notifications.api.urls")),
    path("api/invoices/", include("invoices.api.urls")),
    path("api/recurring-invoices/", include("recurring.api.urls")),
    path("api/payment/public/invoice/<uuid:public_id>/autopay/", PublicAutopayView.as_view(), name="public-autopay"),
    path(
        "api/payment/public/invoice/<uuid:public_id>/autopay/disable/",
        PublicAutopayDisableView.as_view(),
        name="public-autopay-disable",
    ),
    path("api/payment/", include("payments.api.urls")),
    path("api/reports/", include("reports.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", _swagger_csp(SpectacularSwaggerSplitView.as_view(url_name="schema")), name="api-docs"),
    path("sandbox/", include("sandbox.urls")),
    # Business logos (public: the payment page, emails and PDFs show them; random names).
    path("media/logos/<str:name>", logo_file, name="logo-file"),
    # Anything else under /api/ is a JSON 404; every other path is a route of the React app.
    re_path(r"^api/", json_error_view("not_found", "Not found.", 404)),
    re_path(r"^(?!static/|admin/|sandbox/).*$", spa.index, name="spa"),
]

handler400 = "trackify.api.bad_request"
handler404 = "trackify.spa.not_found"
handler500 = "trackify.spa.server_error"
