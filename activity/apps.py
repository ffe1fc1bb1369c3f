from django.apps import AppConfig


class ActivityConfig(AppConfig):
    """Each invoice's timeline: what happened to it, when, and who did it."""

    name = "activity"
    default_auto_field = "django.db.models.BigAutoField"
