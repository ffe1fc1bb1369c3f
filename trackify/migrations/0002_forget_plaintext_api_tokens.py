"""API tokens moved to django-rest-knox, which stores only a digest. The old tokens were kept
(and shown in the admin) in plain text, so they are not carried over: they are deleted with
their table, and their holders ask POST /api/auth/token/ for a new one."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("trackify", "0001_cache_table")]

    operations = [
        migrations.RunSQL(
            [
                "DROP TABLE IF EXISTS authtoken_token",
                "DELETE FROM django_migrations WHERE app = 'authtoken'",
            ],
            migrations.RunSQL.noop,
        )
    ]
