"""SandboxSession moves to the sandbox app: payments lets go of it in its state only.

The table is kept (nothing is dropped); ``sandbox.0001_initial``, which runs after this one,
takes the model into its own state and renames the table to ``sandbox_sandboxsession``.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('payments', '0003_webhook_event_waiting_status'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='SandboxSession')],
            database_operations=[],
        ),
    ]
