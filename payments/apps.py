from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "payments"

    def ready(self) -> None:
        # The built-in gateways register themselves on import; plugins come through entry points.
        # The timeline and voided invoices' checkouts follow payment and invoice changes.
        from payments import receivers  # noqa: F401
        from payments.gateways import sandbox, stripe  # noqa: F401
