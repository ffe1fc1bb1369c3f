"""The recurring app's periodic tasks for django-celery-beat: present after ``migrate`` alone,
editable in the admin, created once (a later ``migrate`` keeps an administrator's changes)."""

from django.db import migrations
from django.utils import timezone

# (name shown in the admin, task, every N seconds, description)
SCHEDULES = [
    (
        "Issue recurring invoices",
        "recurring.issue_due_invoices",
        900,
        "Issues and sends every recurring invoice whose period has come, in each owner's time zone, exactly "
        "once per period (manage.py issue_recurring_invoices).",
    ),
    (
        "Run autopay charges",
        "recurring.run_autopay_charges",
        900,
        "Charges the saved payment method of invoices on autopay whose attempt is due (retries after 1, 3 "
        "and 5 days, then emails the payment link).",
    ),
]


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, seconds, description in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(every=seconds, period="seconds")
        PeriodicTask.objects.create(name=name, task=task, interval=interval, description=description)
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("recurring", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
