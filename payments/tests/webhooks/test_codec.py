"""payments.webhooks.codec: a GatewayEvent as the JSON stored beside its payload."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from payments.gateways.base import EventKind, GatewayEvent
from payments.tests.webhooks.conftest import refund_snapshot
from payments.webhooks import codec


def test_an_event_read_back_from_its_json_is_the_same_event():
    event = GatewayEvent(
        event_id="evt_1",
        event_type="charge.refunded",
        kind=EventKind.REFUNDS_UPDATED,
        payload={"id": "evt_1"},
        payment_reference="pi_1",
        amount=Decimal("12.345"),
        currency="KWD",
        refunds=(refund_snapshot("re_1", "1.500", "KWD"),),
        occurred_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )
    stored = json.loads(json.dumps(codec.encode(event)))  # what a JSON column gives back

    assert "payload" not in stored
    assert codec.decode(stored, payload=event.payload) == event


def test_amounts_are_stored_as_decimal_text_not_floats():
    event = GatewayEvent(
        event_id="evt_2", event_type="t", kind=EventKind.PAYMENT_SUCCEEDED, payload={}, amount=Decimal("0.10")
    )
    assert codec.encode(event)["amount"] == "0.10"
    assert codec.decode(codec.encode(event), payload={}).amount == Decimal("0.10")
