"""The account's own settings, mounted at /api/account/."""

from django.urls import path

from accounts.api import profile_views

urlpatterns = [
    path("profile/", profile_views.ProfileView.as_view(), name="account-profile"),
    path("profile/logo/", profile_views.ProfileLogoView.as_view(), name="account-profile-logo"),
]
