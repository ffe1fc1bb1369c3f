"""The currencies an owner invoices in (reports/params.py::owner_currencies) are found by a few
probes of this index (drafts left out) instead of a pass over every invoice."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('invoices', '0006_recurring_invoice'),
        ('recurring', '0003_autopay_charging_lease'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='invoice',
            index=models.Index(condition=models.Q(('status', 'draft'), _negated=True), fields=['owner', 'currency'], name='invoice_owner_currency'),
        ),
    ]
