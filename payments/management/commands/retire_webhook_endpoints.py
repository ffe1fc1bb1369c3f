"""Delete the managed webhook endpoints of archived gateway configs whose payments can no longer
change (see ``payments.services.webhook_endpoints``). Safe to run at any time; schedule it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from payments.services import webhook_endpoints


class Command(BaseCommand):
    help = "Delete the webhook endpoints of archived configs once none of their payments can change."

    def handle(self, *args: Any, **options: Any) -> None:
        retired = webhook_endpoints.retire_archived_endpoints()
        self.stdout.write(f"{retired} webhook endpoint(s) deleted.")
