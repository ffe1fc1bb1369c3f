"""The accountant's CSV: one row per collected payment and per refund of the range, oldest first.

The rows are the summary's rows (``reports.querysets``), read with ``iterator(chunk_size=...)``
and written a line at a time, so 100,000 payments never sit in memory. The sums of ``gross``,
``fee`` and ``net`` equal the summary's ``collected - refunded``, ``fees`` and ``net``:

- a refund's ``gross`` is negative (the money went back);
- ``fee`` is the gateway's fee in ``fee_currency``; ``net = gross - fee`` when the fee is in the
  payment's currency, else ``net = gross`` (the fee is shown, not subtracted: see
  ``fees_excluded`` in the summary).
"""

from __future__ import annotations

import csv
import heapq
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from core.money import format_amount
from reports import querysets as rows
from reports.params import ReportQuery

CHUNK_SIZE = 2000
HEADER = (
    "date",
    "type",
    "invoice_number",
    "client",
    "gateway",
    "gateway_reference",
    "currency",
    "gross",
    "fee",
    "fee_currency",
    "net",
    "status",
    "refund_effect",
)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose ``write`` hands the line back, for ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def safe_text(value: str | None) -> str:
    """Text from users or gateways (a client's name, a reference), defused for spreadsheets."""
    text = value or ""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def lines(query: ReportQuery) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(HEADER)
    for _, row in heapq.merge(_payments(query), _refunds(query), key=lambda item: item[0]):
        yield writer.writerow(row)


def _payments(query: ReportQuery) -> Iterator[tuple[Any, list[str]]]:
    fields = (
        "succeeded_at", "invoice__number", "invoice__client_name", "gateway_config__display_name",
        "gateway_name", "gateway_payment_reference", "gateway_session_id", "currency", "amount", "fee",
        "fee_currency", "status",
    )  # fmt: skip
    found: Iterable[tuple[Any, ...]] = (
        rows.collected(query).order_by("succeeded_at", "pk").values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    )
    for when, number, client, display, gateway, reference, session, cur, amount, fee, fee_cur, status in found:
        yield (
            when,
            [
                when.astimezone(query.tz).date().isoformat(),
                "payment",
                safe_text(number),
                safe_text(client),
                safe_text(display or gateway),
                safe_text(reference or session),
                cur,
                *_amounts(amount, fee, fee_cur, cur),
                status,
                "",
            ],
        )


def _refunds(query: ReportQuery) -> Iterator[tuple[Any, list[str]]]:
    fields = (
        "created_at", "payment__invoice__number", "payment__invoice__client_name",
        "payment__gateway_config__display_name", "payment__gateway_name", "gateway_refund_id", "currency",
        "amount", "fee", "fee_currency", "status", "invoice_effect",
    )  # fmt: skip
    found: Iterable[tuple[Any, ...]] = (
        rows.refunds(query).order_by("created_at", "pk").values_list(*fields).iterator(chunk_size=CHUNK_SIZE)
    )
    for when, number, client, display, gateway, reference, cur, amount, fee, fee_cur, status, effect in found:
        yield (
            when,
            [
                when.astimezone(query.tz).date().isoformat(),
                "refund",
                safe_text(number),
                safe_text(client),
                safe_text(display or gateway),
                safe_text(reference),
                cur,
                *_amounts(-amount, fee, fee_cur, cur),
                status,
                effect,
            ],
        )


def _amounts(gross: Decimal, fee: Decimal | None, fee_currency: str, currency: str) -> list[str]:
    """gross, fee, fee_currency, net: the fee only counts against net in the payment's currency."""
    if fee is None:
        return [format_amount(gross, currency) or "", "", "", format_amount(gross, currency) or ""]
    counted = fee if fee_currency == currency else Decimal(0)
    fee_text = format_amount(fee, fee_currency) if fee_currency else f"{fee:f}"
    return [
        format_amount(gross, currency) or "",
        fee_text or "",
        fee_currency,
        format_amount(gross - counted, currency) or "",
    ]
