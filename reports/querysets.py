"""The rows each report counts, as querysets (nothing is loaded here).

One definition per kind of row, shared by the summary, the charts, the gateway table and the CSV,
so they always agree:

- a *collected* payment is a settled one (succeeded, partially refunded or refunded) whose
  ``succeeded_at`` falls in the range; it counts its gross ``amount``;
- a *refund* is a succeeded ``PaymentRefund`` whose ``created_at`` falls in the range;
- a *fee* counts only where the gateway reported it in the report's currency
  (``fee_currency == currency``); fees in another (settlement) currency are left out and counted
  in ``fees_excluded``, because adding two currencies would be wrong.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Greatest

from invoices.models import PAYABLE_STATUSES, Invoice, InvoiceStatus
from payments.models import InvoicePayment, PaymentGatewayConfig, PaymentRefund
from payments.state import SETTLED, RefundStatus
from reports.params import ReportQuery

MONEY = DecimalField(max_digits=17, decimal_places=3)
ZERO = Value(Decimal("0"), output_field=MONEY)
# Invoices whose total counts as invoiced: sent and (partly) paid; drafts and void ones do not.
INVOICED_STATUSES = (InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.PAID)
PAYABLE = tuple(PAYABLE_STATUSES)
SETTLED_STATUSES = tuple(SETTLED)

# What the client still owes, as ``Invoice.amount_due`` computes it, in SQL.
AMOUNT_DUE = Greatest(ExpressionWrapper(F("total") - F("amount_credited") - F("amount_paid"), output_field=MONEY), ZERO)


def invoices(query: ReportQuery) -> QuerySet[Invoice]:
    return Invoice.objects.filter(owner_id=query.owner_id, currency=query.currency)


def invoiced_in_range(query: ReportQuery) -> Q:
    return Q(status__in=INVOICED_STATUSES, issue_date__gte=query.date_from, issue_date__lte=query.date_to)


def payments(query: ReportQuery) -> QuerySet[InvoicePayment]:
    # Through the gateway configuration's owner (the invoice's owner: a checkout only uses the
    # owner's own configurations): a join with a handful of configurations instead of every invoice.
    return InvoicePayment.objects.filter(gateway_config__owner_id=query.owner_id, currency=query.currency)


def collected_in_range(query: ReportQuery, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": SETTLED_STATUSES,
            f"{prefix}succeeded_at__gte": query.start,
            f"{prefix}succeeded_at__lt": query.end,
        }
    )


def collected(query: ReportQuery) -> QuerySet[InvoicePayment]:
    return payments(query).filter(collected_in_range(query))


def refunds(query: ReportQuery) -> QuerySet[PaymentRefund]:
    return PaymentRefund.objects.filter(refunded_in_range(query), payment__gateway_config__owner_id=query.owner_id)


def refunded_in_range(query: ReportQuery, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}currency": query.currency,
            f"{prefix}status": RefundStatus.SUCCEEDED,
            f"{prefix}created_at__gte": query.start,
            f"{prefix}created_at__lt": query.end,
        }
    )


def configurations(query: ReportQuery) -> QuerySet[PaymentGatewayConfig]:
    """The owner's gateway configurations (archived ones too: their payments still count)."""
    return PaymentGatewayConfig.objects.filter(owner_id=query.owner_id)


def fee_counted(query: ReportQuery, prefix: str = "") -> Q:
    """A fee that may be added to the report's amounts: reported, and in the same currency."""
    return Q(**{f"{prefix}fee__isnull": False, f"{prefix}fee_currency": query.currency})


def fee_excluded(query: ReportQuery) -> Q:
    return Q(fee__isnull=False) & ~Q(fee_currency=query.currency)
