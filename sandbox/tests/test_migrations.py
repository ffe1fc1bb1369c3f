"""SandboxSession moved from payments to sandbox: its rows survive the move, both ways."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sandbox.models import SandboxSession

BEFORE = [("payments", "0003_webhook_event_waiting_status")]
AFTER = [("sandbox", "0001_initial")]


def _migrate(targets):  # type: ignore[no-untyped-def]
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


@pytest.mark.django_db(transaction=True)
def test_the_sessions_survive_the_move_to_the_sandbox_app_and_back():
    expires_at = timezone.now() + timedelta(hours=1)
    refunds = [{"id": "re_sbx_1", "amount": "2.500", "currency": "EUR", "status": "succeeded", "metadata": {}}]
    try:
        old_apps = _migrate(BEFORE)
        assert "payments_sandboxsession" in _tables() and "sandbox_sandboxsession" not in _tables()
        old_apps.get_model("payments", "SandboxSession").objects.create(
            id="cs_sbx_kept",
            config_id=uuid.uuid4(),
            idempotency_key="key-kept",
            amount=Decimal("12.345"),
            currency="EUR",
            success_url="https://shop.test/ok",
            cancel_url="https://shop.test/no",
            metadata={"payment_id": "p1"},
            webhook_secret="whsec_sbx_kept",
            status="complete",
            payment_status="paid",
            payment_reference="pi_sbx_kept",
            refunds=refunds,
            expires_at=expires_at,
        )

        _migrate(AFTER)
        assert "sandbox_sandboxsession" in _tables() and "payments_sandboxsession" not in _tables()
        kept = SandboxSession.objects.get()  # the app's own model, on its own table
        assert (kept.id, kept.amount, kept.payment_status, kept.refunds) == (
            "cs_sbx_kept",
            Decimal("12.345"),
            "paid",
            refunds,
        )
        assert (kept.metadata, kept.expires_at) == ({"payment_id": "p1"}, expires_at)

        back = _migrate(BEFORE)  # and the move can be undone, rows included
        assert back.get_model("payments", "SandboxSession").objects.get().payment_reference == "pi_sbx_kept"
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
