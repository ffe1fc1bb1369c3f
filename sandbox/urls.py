"""The sandbox provider's pages, served under /sandbox/."""

from django.urls import path

from sandbox import views

urlpatterns = [path("checkout/<str:session_id>", views.checkout, name="sandbox-checkout")]
