"""The sandbox provider's checkout sessions, taken over from payments with their rows.

Payments created the table as ``payments_sandboxsession`` (payments 0001) and let go of the model
in its state (payments 0004). Here the model enters this app's state under that table, then
``AlterModelTable`` renames the table to this app's default name, keeping every row. On a fresh
database the same steps run: payments 0001 creates the table, this migration renames it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('payments', '0004_move_sandbox_session'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SandboxSession',
                    fields=[
                        ('id', models.CharField(max_length=64, primary_key=True, serialize=False)),
                        ('config_id', models.UUIDField()),
                        ('idempotency_key', models.CharField(max_length=64, unique=True)),
                        ('amount', models.DecimalField(decimal_places=3, max_digits=17)),
                        ('currency', models.CharField(max_length=3)),
                        ('description', models.CharField(blank=True, max_length=500)),
                        ('customer_email', models.CharField(blank=True, max_length=254)),
                        ('success_url', models.URLField(max_length=2000)),
                        ('cancel_url', models.URLField(max_length=2000)),
                        ('metadata', models.JSONField(default=dict)),
                        ('webhook_secret', models.CharField(max_length=200)),
                        ('status', models.CharField(default='open', max_length=10)),
                        ('payment_status', models.CharField(default='unpaid', max_length=12)),
                        ('outcome', models.CharField(blank=True, max_length=20)),
                        ('settle_at', models.DateTimeField(blank=True, null=True)),
                        ('payment_reference', models.CharField(max_length=64)),
                        ('refunds', models.JSONField(default=list)),
                        ('expires_at', models.DateTimeField()),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={'db_table': 'payments_sandboxsession'},
                ),
            ],
            database_operations=[],
        ),
        # The one database change: payments_sandboxsession -> sandbox_sandboxsession (and back).
        migrations.AlterModelTable(name='sandboxsession', table=None),
    ]
