"""Re-encrypt every gateway's stored credentials under the newest key.

Put a new key first in CREDENTIALS_ENCRYPTION_KEYS, run this, then remove the old key.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from payments import crypto
from payments.models import PaymentGatewayConfig


class Command(BaseCommand):
    help = "Re-encrypt all gateway credentials with the first key of CREDENTIALS_ENCRYPTION_KEYS."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--generate-key", action="store_true", help="Print a new key to put first, and stop.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["generate_key"]:
            self.stdout.write(crypto.generate_key())
            return
        rotated = 0
        failures = []
        for pk in PaymentGatewayConfig.objects.values_list("pk", flat=True):
            with transaction.atomic():
                config = PaymentGatewayConfig.objects.select_for_update().get(pk=pk)
                try:
                    config.credentials_encrypted = crypto.rotate(config.credentials_encrypted)
                except crypto.CredentialsDecryptionError:
                    failures.append(str(pk))
                    continue
                config.save(update_fields=["credentials_encrypted"])
                rotated += 1
        self.stdout.write(f"Re-encrypted the credentials of {rotated} gateway configuration(s) under the newest key.")
        if failures:
            raise CommandError(
                f"{len(failures)} configuration(s) could not be decrypted with any configured key: {', '.join(failures)}"
            )
