"""Create the demo: a user, a sandbox gateway and a sent invoice; print how to use them.

In the project app, not in payments: it sets up users, invoices and a gateway alike."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import BusinessProfile
from core.money import display_amount, quantize
from invoices.models import Invoice, InvoiceItem, InvoiceStatus
from invoices.services import recalculate_total
from payments.selectors import configs_for
from payments.services import configs

DEMO_USERNAME = "demo"


class Command(BaseCommand):
    help = "Create (or reset the password of) the demo user, with a sandbox gateway and a sent invoice."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--password", help="Use this password instead of a random one.")

    @transaction.atomic
    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        password = options["password"] or secrets.token_urlsafe(9)
        user, _ = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"email": "demo@trackify.example", "first_name": "Demo", "last_name": "Studio"}
        )
        user.set_password(password)
        user.save()
        # What the client sees as the sender: the business profile, never the login.
        BusinessProfile.objects.get_or_create(user=user, defaults={"business_name": "Demo Studio"})
        if not configs_for(user).filter(gateway_name="sandbox").exists():
            configs.create_config(owner=user, gateway_name="sandbox", display_name="Sandbox")
        invoice = Invoice.objects.filter(owner=user, status=InvoiceStatus.SENT).order_by("created_at").first()
        if invoice is None:
            invoice = self._demo_invoice(user)
        base = settings.PUBLIC_BASE_URL
        self.stdout.write(self.style.SUCCESS("Trackify demo is ready."))
        self.stdout.write(f"  Sign in:        {base}/login")
        self.stdout.write(f"  Username:       {DEMO_USERNAME}")
        self.stdout.write(f"  Password:       {password}")
        total = display_amount(invoice.total, invoice.currency)
        self.stdout.write(f"  Invoice {invoice.number} ({total}), public payment link:")
        self.stdout.write(f"                  {base}/pay/{invoice.public_id}")
        self.stdout.write(f"  Admin:          {base}/admin/  (create a staff user with createsuperuser)")
        self.stdout.write(f"  API docs:       {base}/api/docs/")

    def _demo_invoice(self, user) -> Invoice:  # type: ignore[no-untyped-def]
        number = f"DEMO-{Invoice.objects.filter(owner=user).count() + 1:04d}"
        invoice = Invoice.objects.create(
            owner=user,
            number=number,
            client_name="Acme Rockets Ltd",
            client_email="accounts@acme.example",
            currency="USD",
            issue_date=datetime.date.today(),
            due_date=datetime.date.today() + datetime.timedelta(days=14),
            status=InvoiceStatus.SENT,
            allow_partial_payments=True,
        )
        for position, (description, quantity, price) in enumerate(
            [("Website redesign (hours)", "32", "95.00"), ("Hosting setup", "1", "250.00")]
        ):
            q, p = Decimal(quantity), Decimal(price)
            InvoiceItem.objects.create(
                invoice=invoice, position=position, description=description, quantity=q, unit_price=p,
                amount=quantize(q * p, "USD"),
            )
        recalculate_total(invoice=invoice)
        return invoice
