"""The product's URLs with the baselines in front of them (benchmark settings only)."""

from django.urls import path

from bench import baselines
from trackify.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("bench/bare/", baselines.bare, name="bench-bare"),
    path("bench/ingest/", baselines.minimal_ingest, name="bench-ingest"),
    *product_urlpatterns,
]

handler404 = "trackify.spa.not_found"
handler500 = "trackify.spa.server_error"
