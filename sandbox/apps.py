from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The offline payment provider behind the sandbox gateway: its own records, pages and webhooks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "sandbox"
