"""The payments app's periodic tasks, stored for django-celery-beat: present after ``migrate``
alone, shown and editable in the admin (Periodic tasks). Created once: a later ``migrate``
never touches them again, so an administrator's changes (interval, disabled) are kept."""

from django.db import migrations

# (name shown in the admin, task, every N seconds, description)
SCHEDULES = [
    (
        "Sweep unfinished webhook events",
        "payments.sweep_webhook_events",
        30,
        "Enqueues again webhook events still received, or failed with tries left, after 30 s; applies "
        "waiting events whose payment is now linked. Keep it at least once a minute.",
    ),
    (
        "Reconcile open payments and refunds",
        "payments.reconcile_payments",
        600,
        "Asks the gateways about payments open and refunds pending for 10 minutes (manage.py reconcile_payments).",
    ),
    (
        "Expire stale checkouts",
        "payments.expire_stale_checkouts",
        300,
        "Closes pending payments past their expiry, as their gateway reports them.",
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
    # Tell a running beat that its schedule changed (the model's own save does this; a
    # migration's historical model does not).
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=[task for _, task, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0005_gateway_fees_disputes_managed_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
