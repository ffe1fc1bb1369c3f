"""payments.webhooks.process: one stored event applied to its payment, and the outcome recorded."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from payments.gateways.base import EventKind
from payments.tests.webhooks.conftest import gateway_event, paid, refund_snapshot, stored
from payments.webhooks import process as process_module
from payments.webhooks.process import EventProcessingFailed, process

pytestmark = pytest.mark.django_db


def _outcome(row):  # type: ignore[no-untyped-def]
    row.refresh_from_db()
    return row.status, row.error


def test_an_event_for_its_payment_is_processed_and_links_the_provider_reference(gateway, payment):
    event = paid(payment)
    row = process(stored(gateway, event), event)

    assert (row.status, row.payment_id, row.attempts) == ("processed", payment.pk, 1)
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_payment_reference) == ("succeeded", event.payment_reference)


def test_an_event_kind_we_do_not_act_on_is_ignored(gateway, payment):
    event = gateway_event(EventKind.IGNORED, event_type="customer.created", payment_id=str(payment.pk))
    assert process(stored(gateway, event), event).status == "ignored"
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_a_payment_id_of_no_payment_of_this_account_is_ignored_even_with_a_provider_reference(gateway, payment):
    """Our payment ids exist before their checkout: one that matches nothing now never will."""
    event = gateway_event(payment_id=str(uuid.uuid4()), payment_reference="pi_unknown", amount=Decimal("100.00"))
    row = process(stored(gateway, event), event)
    assert _outcome(row) == ("ignored", "No payment of this system matches the event.")


def test_another_accounts_payment_is_not_ours_to_move(gateway, payment):
    from accounts.factories import UserFactory
    from payments.factories import sandbox_config

    stranger = sandbox_config(owner=UserFactory())
    event = paid(payment)
    assert process(stored(stranger, event), event).status == "ignored"
    payment.refresh_from_db()
    assert payment.status == "pending"


def test_an_event_naming_only_a_provider_payment_nobody_holds_yet_waits(gateway, payment):
    event = gateway_event(
        EventKind.REFUNDS_UPDATED,
        event_type="refund.updated",
        payment_reference="pi_later",
        refunds=(refund_snapshot("re_1", "30.00"),),
    )
    row = process(stored(gateway, event), event)
    assert _outcome(row) == ("waiting", "No payment of this account is linked to pi_later yet.")
    assert row.payment_id is None


def test_an_event_naming_nothing_that_could_be_linked_later_is_ignored(gateway, payment):
    event = gateway_event(session_id="cs_unknown", amount=Decimal("100.00"))
    assert process(stored(gateway, event), event).status == "ignored"


def test_money_that_is_not_the_payments_flags_it_and_applies_nothing(gateway, payment):
    event = paid(payment, amount=Decimal("1.00"))
    row = process(stored(gateway, event), event)

    assert row.status == "flagged" and "1.00 USD" in row.error
    payment.refresh_from_db()
    assert payment.status == "pending"
    assert payment.flagged_reason == row.error


def test_a_finished_event_is_left_alone_unless_applied_again(gateway, payment):
    event = paid(payment)
    row = process(stored(gateway, event), event)

    assert process(row, event).attempts == 1  # a redelivery racing the first: nothing more
    assert process(row, event, again=True).attempts == 2  # a replay: applied again, to the same end
    payment.refresh_from_db()
    assert payment.status == "succeeded"


def test_a_failure_keeps_the_event_failed_with_its_error_and_rolls_its_changes_back(gateway, payment, monkeypatch):
    def down(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(process_module, "move_to", down)
    event = paid(payment)
    row = stored(gateway, event)

    with pytest.raises(EventProcessingFailed) as raised:
        process(row, event)

    assert isinstance(raised.value.__cause__, RuntimeError)
    row.refresh_from_db()
    assert (row.status, row.error, row.attempts) == ("failed", "RuntimeError: database went away", 1)
    payment.refresh_from_db()
    assert (payment.status, payment.gateway_payment_reference) == ("pending", "")
