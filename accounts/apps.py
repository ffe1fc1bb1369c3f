from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-up, sign-in (session and API tokens), the sign-in lockout and the token admin."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
