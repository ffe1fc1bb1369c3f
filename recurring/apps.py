from django.apps import AppConfig


class RecurringConfig(AppConfig):
    name = "recurring"
    verbose_name = "Recurring invoices"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from payments.signals import payment_status_changed
        from recurring.autopay import on_payment_changed

        payment_status_changed.connect(on_payment_changed, dispatch_uid="recurring-autopay-enroll")
