"""Refunds say what they do to the invoice, configs record their verification, and webhook
events are unique per gateway account.

Refunds made before this change reopened what the client owed, so they keep that meaning; new
refunds credit by default. A sandbox config needs no credentials, so it counts as verified.
"""

from django.db import migrations, models
from django.db.models import F


def forwards(apps, schema_editor):
    PaymentGatewayConfig = apps.get_model("payments", "PaymentGatewayConfig")
    PaymentRefund = apps.get_model("payments", "PaymentRefund")
    PaymentWebhookEvent = apps.get_model("payments", "PaymentWebhookEvent")
    PaymentRefund.objects.update(invoice_effect="reopen")
    PaymentGatewayConfig.objects.filter(gateway_name="sandbox").update(verified_at=F("created_at"))
    for event in PaymentWebhookEvent.objects.exclude(gateway_config=None).only("id", "gateway_config_id"):
        PaymentWebhookEvent.objects.filter(pk=event.pk).update(gateway_account=str(event.gateway_config_id))


def backwards(apps, schema_editor):
    # Nothing to undo in the data: the columns go with the schema change.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="paymentwebhookevent",
            name="webhook_event_once_per_gateway",
        ),
        migrations.AddField(
            model_name="paymentgatewayconfig",
            name="verified_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="paymentrefund",
            name="invoice_effect",
            field=models.CharField(
                choices=[
                    ("credit", "Credit: taken off what the client owes"),
                    ("reopen", "Reopen: the client owes it again"),
                ],
                default="credit",
                max_length=6,
            ),
        ),
        migrations.AddField(
            model_name="paymentwebhookevent",
            name="gateway_account",
            field=models.CharField(default="platform", max_length=64),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.AddConstraint(
            model_name="paymentwebhookevent",
            constraint=models.UniqueConstraint(
                fields=("gateway_name", "gateway_account", "event_id"), name="webhook_event_once_per_account"
            ),
        ),
    ]
