"""A daily schedule for deleting the managed webhook endpoints of archived configs whose payments
can no longer change. Created once; a later ``migrate`` keeps an administrator's edits."""

from django.db import migrations
from django.utils import timezone

NAME = "Retire webhook endpoints of archived configs"
TASK = "payments.retire_webhook_endpoints"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    interval, _ = IntervalSchedule.objects.get_or_create(every=1, period="days")
    PeriodicTask.objects.create(
        name=NAME,
        task=TASK,
        interval=interval,
        description="Deletes the webhook endpoints the app created for archived gateway configs once none of "
        "their payments can change (manage.py retire_webhook_endpoints).",
    )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0006_background_schedules")]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
