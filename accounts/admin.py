"""Admin for API tokens: who holds one and until when; never a usable key.

Knox's own admin lets staff create a token for any user and shows them its key: that is
signing in as someone else. Here tokens can only be seen (without key or digest) and revoked.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from knox.models import AuthToken

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
