"""The sandbox provider's own records (its database, as Stripe has its own)."""

from __future__ import annotations

from django.db import models


class SandboxSession(models.Model):
    """The sandbox provider's record of a hosted checkout.

    Trackify's payment records never read it: the sandbox adapter reaches it only through
    ``sandbox.client``, as the Stripe adapter reaches Stripe through HTTP.
    """

    id = models.CharField(primary_key=True, max_length=64)
    config_id = models.UUIDField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    # The same precision as Trackify's money fields (payments.models.MONEY): any currency's amount fits.
    amount = models.DecimalField(max_digits=17, decimal_places=3)
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=500, blank=True)
    customer_email = models.CharField(max_length=254, blank=True)
    success_url = models.URLField(max_length=2000)
    cancel_url = models.URLField(max_length=2000)
    metadata = models.JSONField(default=dict)
    webhook_secret = models.CharField(max_length=200)
    status = models.CharField(max_length=10, default="open")  # open, complete, expired
    payment_status = models.CharField(max_length=12, default="unpaid")  # unpaid, processing, paid, failed
    outcome = models.CharField(max_length=20, blank=True)
    settle_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=64)
    refunds = models.JSONField(default=list)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.id
