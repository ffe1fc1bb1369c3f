from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Emails, PDFs and reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Connects the payment signals (receipts, refund notices, the owner's notices).
        from notifications import receivers  # noqa: F401
