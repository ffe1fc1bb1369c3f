"""The public link's own id, distinct from the invoice's: existing invoices each get a new one."""

import uuid

from django.db import migrations, models


def give_each_invoice_a_public_id(apps, schema_editor):
    Invoice = apps.get_model("invoices", "Invoice")
    for invoice in Invoice.objects.filter(public_id__isnull=True).only("pk").iterator():
        Invoice.objects.filter(pk=invoice.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("invoices", "0003_amount_disputed")]

    operations = [
        migrations.AddField(model_name="invoice", name="public_id", field=models.UUIDField(null=True, editable=False)),
        migrations.RunPython(give_each_invoice_a_public_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="invoice",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AddField(model_name="invoice", name="link_enabled", field=models.BooleanField(default=True)),
        migrations.AddField(
            model_name="invoice", name="link_expires_at", field=models.DateTimeField(blank=True, null=True)
        ),
    ]
