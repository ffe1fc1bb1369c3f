"""A gateway's reading of a webhook (``GatewayEvent``) as the JSON stored beside its payload.

A fresh delivery is encoded once, to be checked and stored, and applied from the event in hand;
only a stored event applied again (replayed, or redelivered after a failure) is decoded, because
its signature is stale by then and the stored reading is the record of what was verified.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from payments.gateways.base import EventKind, GatewayEvent, RefundSnapshot


def encode(event: GatewayEvent) -> dict[str, Any]:
    """The event as JSON, without its payload (stored in a column of its own)."""
    data = dataclasses.asdict(event)
    data.pop("payload")
    data["kind"] = str(event.kind)
    data["amount"] = None if event.amount is None else str(event.amount)
    data["occurred_at"] = event.occurred_at.isoformat() if event.occurred_at else None
    data["refunds"] = [{**refund, "amount": str(refund["amount"])} for refund in data["refunds"]]
    return data


def decode(data: Mapping[str, Any], *, payload: Mapping[str, Any]) -> GatewayEvent:
    """The event ``encode`` stored, with its payload."""
    return GatewayEvent(
        event_id=data["event_id"],
        event_type=data["event_type"],
        kind=EventKind(data["kind"]),
        payload=payload,
        payment_id=data.get("payment_id"),
        session_id=data.get("session_id"),
        payment_reference=data.get("payment_reference"),
        amount=None if data.get("amount") is None else Decimal(data["amount"]),
        currency=data.get("currency"),
        refunds=tuple(RefundSnapshot(**{**r, "amount": Decimal(r["amount"])}) for r in data.get("refunds", [])),
        failure_message=data.get("failure_message", ""),
        occurred_at=datetime.fromisoformat(data["occurred_at"]) if data.get("occurred_at") else None,
    )
