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

from payments.gateways.base import DisputeSnapshot, EventKind, Fee, GatewayEvent, RefundSnapshot


def _json(value: Any) -> Any:
    """A dataclass (as ``asdict`` would give it, without its copies), its decimals and datetimes
    as strings, recursively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _json(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


def _fee(data: Mapping[str, Any] | None) -> Fee | None:
    if not data:
        return None
    return Fee(fee=Decimal(data["fee"]), net=Decimal(data["net"]), currency=data["currency"])


def _refund(data: Mapping[str, Any]) -> RefundSnapshot:
    return RefundSnapshot(**{**data, "amount": Decimal(data["amount"]), "fee": _fee(data.get("fee"))})


def _dispute(data: Mapping[str, Any]) -> DisputeSnapshot:
    due = data.get("evidence_due_by")
    return DisputeSnapshot(
        **{**data, "amount": Decimal(data["amount"]), "evidence_due_by": datetime.fromisoformat(due) if due else None}
    )


def encode(event: GatewayEvent) -> dict[str, Any]:
    """The event as JSON, without its payload (stored in a column of its own)."""
    encoded: dict[str, Any] = {
        field.name: _json(getattr(event, field.name)) for field in dataclasses.fields(event) if field.name != "payload"
    }
    encoded["kind"] = str(event.kind)
    return encoded


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
        refunds=tuple(_refund(r) for r in data.get("refunds", [])),
        failure_message=data.get("failure_message", ""),
        occurred_at=datetime.fromisoformat(data["occurred_at"]) if data.get("occurred_at") else None,
        fee=_fee(data.get("fee")),
        disputes=tuple(_dispute(d) for d in data.get("disputes", [])),
    )
