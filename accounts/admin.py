"""Admin for API tokens and business profiles.

Tokens: who holds one and until when; never a usable key. Knox's own admin lets staff create a
token for any user and shows them its key: that is signing in as someone else. Here tokens can
only be seen (without key or digest) and revoked.

Business profiles: what each owner shows their clients. The colour and the time zone are checked
as the API checks them (``accounts.profiles``). A logo is only uploaded through the owner's API,
which re-encodes the image; here it can be seen and removed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from knox.models import AuthToken

from accounts import profiles
from accounts.models import BusinessProfile
from accounts.services import logo_url

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created", "expiry")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    ordering = ("-created",)
    fields = ("user", "created", "expiry")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuthToken | None = None) -> bool:
        return False


class BusinessProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=[])

    class Meta:
        model = BusinessProfile
        fields = ("user", "business_name", "contact_email", "address", "tax_id", "accent_color", "time_zone")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in sorted(profiles.time_zones())]

    def clean_accent_color(self) -> str:
        try:
            return profiles.clean_accent_color(self.cleaned_data["accent_color"])
        except profiles.ProfileValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_time_zone(self) -> str:
        try:
            return profiles.clean_time_zone(self.cleaned_data["time_zone"])
        except profiles.ProfileValueError as problem:
            raise forms.ValidationError(str(problem)) from None


@admin.register(BusinessProfile)
class BusinessProfileAdmin(admin.ModelAdmin):
    form = BusinessProfileForm
    list_display = ("user", "business_name", "contact_email", "time_zone", "has_logo", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "business_name", "contact_email")
    ordering = ("user__username",)
    raw_id_fields = ("user",)
    readonly_fields = ("logo_link", "created_at", "updated_at")
    actions = ["remove_logos"]

    @admin.display(boolean=True, description="logo")
    def has_logo(self, profile: BusinessProfile) -> bool:
        return bool(profile.logo)

    @admin.display(description="logo")
    def logo_link(self, profile: BusinessProfile) -> str:
        url = logo_url(profile)
        if url is None:
            return "none (the owner uploads one from their settings)"
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, profile.logo.name)

    def get_readonly_fields(self, request: HttpRequest, obj: BusinessProfile | None = None) -> tuple[str, ...]:
        # A profile belongs to its user for good: the user is chosen once, when it is added here.
        return (*self.readonly_fields, "user") if obj is not None else self.readonly_fields

    @admin.action(description="Remove the logo of the selected profiles")
    def remove_logos(self, request: HttpRequest, queryset: QuerySet[BusinessProfile]) -> None:
        removed = 0
        for profile in queryset.select_related("user"):
            if profile.logo:
                profiles.remove_logo(user=profile.user)
                removed += 1
        kept = queryset.count() - removed
        level = messages.SUCCESS if removed else messages.WARNING
        self.message_user(request, f"{removed} logo(s) removed; {kept} profile(s) had none.", level)
