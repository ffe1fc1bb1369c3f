"""payments.webhooks.replay: the one way to apply a stored event again, and the waiting events.

The admin's action, the ``replay_webhook_events`` command and the events waiting for a payment
all go through ``replay``.
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from payments import admin as payments_admin
from payments.gateways.base import EventKind
from payments.management.commands import replay_webhook_events as command
from payments.models import InvoicePayment, PaymentRefund, PaymentWebhookEvent
from payments.tests.reliability.conftest import deliver
from payments.tests.webhooks.conftest import (
    REFERENCE,
    completion_payload,
    dashboard_refund_payload,
    gateway_event,
    paid,
    refund_snapshot,
    stored,
)
from payments.webhooks import codec
from payments.webhooks import process as process_module
from payments.webhooks import replay as replay_module
from payments.webhooks.process import process
from payments.webhooks.replay import recheck, release_waiting, replay

pytestmark = pytest.mark.django_db


def waiting_refund(config, refund_id="re_dash", amount="30.00", **kwargs):  # type: ignore[no-untyped-def]
    event = gateway_event(
        EventKind.REFUNDS_UPDATED,
        event_type="refund.updated",
        payment_reference=REFERENCE,
        refunds=(refund_snapshot(refund_id, amount),),
    )
    return stored(config, event, "waiting", **kwargs)


@pytest.fixture
def replayed(monkeypatch):  # type: ignore[no-untyped-def]
    """Every event that goes through ``replay``, whoever calls it."""
    seen: list[str] = []

    def spy(event):  # type: ignore[no-untyped-def]
        seen.append(event.event_id)
        return replay(event)

    for module in (replay_module, payments_admin, command):
        monkeypatch.setattr(module, "replay", spy)
    return seen


# The rule --------------------------------------------------------------------------------------


def test_a_failed_event_is_applied_from_its_stored_reading(gateway, payment):
    row = stored(gateway, paid(payment), "failed")
    result = replay(row)
    assert (result.status, result.error, result.attempts) == ("processed", "", 1)
    payment.refresh_from_db()
    assert payment.status == "succeeded"


def test_a_processed_event_applied_again_changes_nothing_more(gateway, payment):
    event = gateway_event(
        EventKind.REFUNDS_UPDATED, payment_id=str(payment.pk), refunds=(refund_snapshot("re_1", "30.00"),)
    )
    process(stored(gateway, paid(payment)), paid(payment))
    row = process(stored(gateway, event), event)

    again = replay(row)

    assert (again.status, again.attempts) == ("processed", 2)
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == ("partially_refunded", Decimal("30.00"))
    assert PaymentRefund.objects.count() == 1


def test_an_ignored_event_is_decided_afresh(gateway, payment):
    row = stored(gateway, paid(payment), "ignored")
    assert replay(row).status == "processed"


def test_a_failure_again_is_kept_failed_and_raised(gateway, payment, monkeypatch):
    monkeypatch.setattr(process_module, "move_to", lambda *a, **k: 1 / 0)
    row = stored(gateway, paid(payment), "failed")
    with pytest.raises(process_module.EventProcessingFailed):
        replay(row)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1)


# Waiting events: released by a loop after the event that links their payment -------------------


def test_replay_itself_releases_nothing(gateway, payment):
    early = waiting_refund(gateway)
    replay(stored(gateway, paid(payment), "failed"))
    early.refresh_from_db()
    assert early.status == "waiting"


def test_the_payments_waiting_events_are_replayed_in_arrival_order(gateway, payment, replayed):
    first, second = waiting_refund(gateway, "re_1", "10.00"), waiting_refund(gateway, "re_2", "20.00")
    linked = process(stored(gateway, paid(payment)), paid(payment))

    released = release_waiting(linked)

    assert [e.event_id for e in released] == replayed == [first.event_id, second.event_id]
    assert {e.status for e in released} == {"processed"}
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("30.00")


def test_only_events_of_the_payments_own_account_or_the_platform_are_released(gateway, payment):
    from accounts.factories import UserFactory
    from payments.factories import sandbox_config

    stranger = sandbox_config(owner=UserFactory())
    theirs = waiting_refund(stranger, "re_theirs")
    platform = waiting_refund(None, "re_platform")
    linked = process(stored(gateway, paid(payment)), paid(payment))

    assert [e.event_id for e in release_waiting(linked)] == [platform.event_id]
    theirs.refresh_from_db()
    assert theirs.status == "waiting"


def test_a_waiting_event_that_fails_is_kept_failed_and_the_others_are_still_released(gateway, payment, monkeypatch):
    broken, fine = waiting_refund(gateway, "re_broken"), waiting_refund(gateway, "re_fine", "5.00")
    real = process_module.record_refund

    def record(payment, snapshot, **kwargs):  # type: ignore[no-untyped-def]
        if snapshot.refund_id == "re_broken":
            raise RuntimeError("down")
        return real(payment, snapshot, **kwargs)

    monkeypatch.setattr(process_module, "record_refund", record)
    linked = process(stored(gateway, paid(payment)), paid(payment))

    release_waiting(linked)

    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.status, fine.status) == ("failed", "processed")


def test_the_waiting_step_of_a_delivery_goes_through_replay(gateway, payment, replayed):
    client = Client()
    deliver(client, gateway, dashboard_refund_payload("evt_refund", "re_dash", "30.00"))

    deliver(client, gateway, completion_payload(payment))

    assert replayed == ["evt_refund"]
    assert PaymentWebhookEvent.objects.get(event_id="evt_refund").status == "processed"


# The admin action and the command --------------------------------------------------------------


def test_the_admin_action_goes_through_replay_then_releases_waiting_events(admin_client, gateway, payment, replayed):
    early = waiting_refund(gateway)
    row = stored(gateway, paid(payment), "failed")

    admin_client.post("/admin/payments/paymentwebhookevent/", {"action": "reprocess", "_selected_action": [row.pk]})

    assert replayed == [row.event_id, early.event_id]
    row.refresh_from_db()
    early.refresh_from_db()
    assert (row.status, early.status) == ("processed", "processed")


def test_the_command_goes_through_replay_then_releases_waiting_events(gateway, payment, replayed):
    early = waiting_refund(gateway)
    row = stored(gateway, paid(payment), "failed")
    out = StringIO()

    call_command("replay_webhook_events", stdout=out)

    assert replayed == [row.event_id, early.event_id]
    assert "Replayed 1 event(s): 1 done, 0 failed." in out.getvalue()
    early.refresh_from_db()
    assert early.status == "processed"


def test_the_command_can_replay_waiting_events(gateway, payment, replayed):
    early = waiting_refund(gateway)
    out = StringIO()

    call_command("replay_webhook_events", "--status", "waiting", stdout=out)

    assert replayed == [early.event_id]
    assert f"{early.event_id} refund.updated ({gateway.pk}): waiting" in out.getvalue()


def test_a_waiting_event_whose_payment_was_linked_while_it_was_stored_is_replayed(gateway, payment, replayed):
    """The race the release cannot see: the completion committed its link after this event's
    lookup, and looked for waiting events before this one was committed."""
    early = waiting_refund(gateway)
    InvoicePayment.objects.filter(pk=payment.pk).update(gateway_payment_reference=REFERENCE, status="succeeded")

    result = recheck(early, codec.decode(early.normalized, payload=early.payload))

    assert replayed == [early.event_id]
    assert (result.status, result.payment_id) == ("processed", payment.pk)


def test_a_waiting_event_with_nothing_linked_yet_is_left_waiting(gateway, payment, replayed):
    early = waiting_refund(gateway)
    assert recheck(early, codec.decode(early.normalized, payload=early.payload)).status == "waiting"
    assert replayed == []
