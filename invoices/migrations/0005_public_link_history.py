"""When the invoice's current public link was issued, and the public ids it replaced (their
links answer 410)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("invoices", "0004_public_link")]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="link_issued_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.CreateModel(
            name="RetiredLink",
            fields=[
                ("public_id", models.UUIDField(editable=False, primary_key=True, serialize=False)),
                ("retired_at", models.DateTimeField()),
                (
                    "invoice",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="retired_links",
                        to="invoices.invoice",
                    ),
                ),
            ],
        ),
    ]
