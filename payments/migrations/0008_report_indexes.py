"""Indexes for the owner's reports (reports/figures.py), each holding what one report query reads.

- payment_report_collected: the settled payments of a configuration by ``succeeded_at``, with the
  amount, fee and currencies (collected, fees, the time series, the gateway volumes);
- payment_report_opened: a configuration's checkouts by ``created_at``, with status, currency and
  id (the gateway table's counts; the refunds' join from payment to configuration);
- payment_report_last_paid: an invoice's settled payments by ``succeeded_at`` (days to pay).

On PostgreSQL these are read alone (index-only scans) where the reports used to read every
payment row; SQLite builds them without the included columns.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('invoices', '0006_recurring_invoice'),
        ('payments', '0007_retire_endpoints_schedule'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='invoicepayment',
            index=models.Index(condition=models.Q(('status__in', ['partially_refunded', 'refunded', 'succeeded'])), fields=['gateway_config', 'succeeded_at'], include=('currency', 'amount', 'fee', 'fee_currency'), name='payment_report_collected'),
        ),
        migrations.AddIndex(
            model_name='invoicepayment',
            index=models.Index(fields=['gateway_config', 'created_at'], include=('currency', 'status', 'id'), name='payment_report_opened'),
        ),
        migrations.AddIndex(
            model_name='invoicepayment',
            index=models.Index(condition=models.Q(('status__in', ['partially_refunded', 'refunded', 'succeeded'])), fields=['invoice', 'succeeded_at'], name='payment_report_last_paid'),
        ),
    ]
