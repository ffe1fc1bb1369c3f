"""Gateway credentials are encrypted at rest with rotatable keys."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from payments import crypto
from payments.factories import sandbox_config


def test_round_trip_and_rotation(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CREDENTIALS_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt_json({"secret_key": "sk_test_abc"})
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new, old]
    rotated = crypto.rotate(token)
    settings.CREDENTIALS_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt_json(rotated) == {"secret_key": "sk_test_abc"}
    with pytest.raises(crypto.CredentialsDecryptionError):
        crypto.decrypt_json(token)


@pytest.mark.django_db
def test_the_stored_column_never_holds_the_secret():
    config = sandbox_config()
    secret = config.get_credentials()["webhook_secret"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_encrypted FROM payments_paymentgatewayconfig WHERE id = %s", [config.pk.hex])
        row = cursor.fetchone()
    if row is None:  # PostgreSQL stores UUIDs natively
        with connection.cursor() as cursor:
            cursor.execute("SELECT credentials_encrypted FROM payments_paymentgatewayconfig WHERE id = %s", [config.pk])
            row = cursor.fetchone()
    assert row is not None
    assert secret not in row[0]
    assert secret.startswith("whsec_sbx_")
