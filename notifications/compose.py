"""Turns an ``EmailMessageLog`` into the email itself: subject, plain-text and HTML parts from
the templates ``notifications/email/message.{txt,html}``, the owner's branding, and the PDF.

Content is composed at sending time from the rows the log names, so a retry sends what is true
then. Every amount goes through ``core.money.display_amount``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.mime.image import MIMEImage
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from core.money import display_amount
from notifications import pdf
from notifications.branding import Branding, branding_for
from notifications.documents import invoice_facts, payment_link
from notifications.models import EmailKind, EmailMessageLog

LOGO_CID = "business-logo"


@dataclass(kw_only=True)
class Content:
    subject: str
    headline: str
    paragraphs: list[str]
    rows: list[tuple[str, str]] = field(default_factory=list)
    action: tuple[str, str] | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    reply_to: str = ""


def _payment(log: EmailMessageLog) -> Any:
    from payments.models import InvoicePayment

    return InvoicePayment.objects.select_related("invoice").get(pk=log.context["payment_id"])


def _refund(log: EmailMessageLog) -> Any:
    from payments.models import PaymentRefund

    return PaymentRefund.objects.select_related("payment").get(pk=log.context["refund_id"])


def _owner_link(log: EmailMessageLog) -> tuple[str, str]:
    return ("Open the invoice", f"{settings.PUBLIC_BASE_URL}/invoices/{log.invoice_id}")


def _autopay_note(invoice: Any) -> list[str]:
    """For an invoice of a template on autopay: how it will be paid and how to turn that off."""
    template = invoice.recurring_invoice  # the FK: no import of the recurring app
    if template is None or not template.autopay:
        return []
    method = template.autopay_method_label or "the payment method you saved"
    return [
        f"This invoice is paid automatically with {method}. To stop automatic payments, open "
        f"{payment_link(invoice)} and choose \u201cTurn autopay off\u201d."
    ]


def _invoice(log: EmailMessageLog, brand: Branding) -> Content:
    invoice, facts = log.invoice, invoice_facts(log.invoice)
    rows = [("Invoice", invoice.number), ("Amount due", facts["amount_due"])]
    if invoice.due_date:
        rows.append(("Due", f"{invoice.due_date:%d %b %Y}"))
    return Content(
        subject=f"Invoice {invoice.number} from {brand.name}",
        headline=f"Invoice {invoice.number}",
        paragraphs=[
            f"Hello {invoice.client_name},",
            f"{brand.name} has sent you invoice {invoice.number} for {facts['total']}. The PDF is attached.",
            *_autopay_note(invoice),
        ],
        rows=rows,
        action=("View and pay the invoice", payment_link(invoice)) if invoice.is_payable else None,
        attachments=[(pdf.invoice_filename(invoice), pdf.invoice_pdf(invoice, brand))],
        reply_to=brand.contact_email,
    )


def _reminder(log: EmailMessageLog, brand: Branding) -> Content:
    invoice, facts = log.invoice, invoice_facts(log.invoice)
    offset = int(log.context.get("offset_days", 0))
    when = {True: f"was due on {invoice.due_date:%d %b %Y}", False: f"is due on {invoice.due_date:%d %b %Y}"}[
        offset > 0
    ]
    return Content(
        subject=f"Reminder: invoice {invoice.number} from {brand.name} {'is overdue' if offset > 0 else 'is due soon' if offset < 0 else 'is due today'}",
        headline=f"A reminder about invoice {invoice.number}",
        paragraphs=[
            f"Hello {invoice.client_name},",
            f"Invoice {invoice.number} from {brand.name} {when}. {facts['amount_due']} is still to pay.",
        ],
        rows=[("Invoice", invoice.number), ("Amount due", facts["amount_due"])],
        action=("Pay the invoice", payment_link(invoice)),
        attachments=[(pdf.invoice_filename(invoice), pdf.invoice_pdf(invoice, brand))],
        reply_to=brand.contact_email,
    )


def _receipt(log: EmailMessageLog, brand: Branding) -> Content:
    payment = _payment(log)
    amount = display_amount(payment.amount, payment.currency)
    return Content(
        subject=f"Receipt for your payment of {amount} to {brand.name}",
        headline="Thank you for your payment",
        paragraphs=[
            f"Hello {payment.invoice.client_name},",
            f"{brand.name} received your payment of {amount} for invoice {payment.invoice.number}. Your receipt is attached.",
        ],
        rows=[
            ("Invoice", payment.invoice.number),
            ("Paid", amount),
            ("Still due", display_amount(payment.invoice.amount_due, payment.invoice.currency)),
        ],
        attachments=[(pdf.receipt_filename(payment), pdf.receipt_pdf(payment, brand))],
        reply_to=brand.contact_email,
    )


def _refund_notice(log: EmailMessageLog, brand: Branding) -> Content:
    refund = _refund(log)
    amount = display_amount(refund.amount, refund.currency)
    return Content(
        subject=f"{brand.name} refunded {amount}",
        headline="Your refund is on its way",
        paragraphs=[
            f"Hello {log.invoice.client_name},",
            f"{brand.name} refunded {amount} of your payment for invoice {log.invoice.number}. Your bank may take a few days to show it.",
        ],
        rows=[("Invoice", log.invoice.number), ("Refunded", amount)],
        reply_to=brand.contact_email,
    )


def _owner_payment(log: EmailMessageLog, brand: Branding) -> Content:
    payment = _payment(log)
    amount, failed = display_amount(payment.amount, payment.currency), log.kind == EmailKind.OWNER_PAYMENT_FAILED
    what = f"A payment of {amount} for invoice {log.invoice.number} ({log.invoice.client_name}) {'failed' if failed else 'was received'}."
    rows = [("Invoice", log.invoice.number), ("Amount", amount), ("Gateway", payment.gateway_name)]
    if failed and payment.failure_message:
        rows.append(("Reason", payment.failure_message))
    return Content(
        subject=f"{'Payment failed' if failed else 'Payment received'}: {amount} for invoice {log.invoice.number}",
        headline="Payment failed" if failed else "Payment received",
        paragraphs=[what],
        rows=rows,
        action=_owner_link(log),
    )


def _owner_refund(log: EmailMessageLog, brand: Branding) -> Content:
    refund = _refund(log)
    amount = display_amount(refund.amount, refund.currency)
    return Content(
        subject=f"Refund of {amount} for invoice {log.invoice.number}",
        headline="Refund made",
        paragraphs=[f"{amount} was refunded to {log.invoice.client_name} for invoice {log.invoice.number}."],
        rows=[("Invoice", log.invoice.number), ("Refunded", amount), ("Reason", refund.reason or "-")],
        action=_owner_link(log),
    )


def _owner_dispute(log: EmailMessageLog, brand: Branding) -> Content:
    from payments.models import DisputeStatus, PaymentDispute

    dispute = PaymentDispute.objects.get(pk=log.context["dispute_id"])
    amount = display_amount(dispute.amount, dispute.currency)
    rows = [("Invoice", log.invoice.number), ("Disputed", amount), ("Status", dispute.get_status_display())]
    if dispute.evidence_due_by:
        rows.append(("Evidence due by", f"{dispute.evidence_due_by:%d %b %Y}"))
    closed = {DisputeStatus.WON: "Dispute won", DisputeStatus.LOST: "Dispute lost"}.get(dispute.status)
    return Content(
        subject=f"{closed}: {amount} on invoice {log.invoice.number}"
        if closed
        else f"Dispute of {amount} on invoice {log.invoice.number}",
        headline=closed or "A payment was disputed",
        paragraphs=[
            f"{log.invoice.client_name}'s bank disputed a payment of {amount} for invoice {log.invoice.number}. Answer it in your gateway's dashboard."
        ],
        rows=rows,
        action=_owner_link(log),
    )


BUILDERS = {
    EmailKind.INVOICE: _invoice,
    EmailKind.REMINDER: _reminder,
    EmailKind.RECEIPT: _receipt,
    EmailKind.REFUND: _refund_notice,
    EmailKind.OWNER_PAYMENT: _owner_payment,
    EmailKind.OWNER_PAYMENT_FAILED: _owner_payment,
    EmailKind.OWNER_REFUND: _owner_refund,
    EmailKind.OWNER_DISPUTE: _owner_dispute,
}


def compose(log: EmailMessageLog) -> EmailMultiAlternatives:
    """The email a log row stands for, ready to send (plain text first, HTML alternative)."""
    brand = branding_for(log.invoice.owner)
    content = BUILDERS[EmailKind(log.kind)](log, brand)
    context = {"brand": brand, "content": content, "logo_cid": LOGO_CID if brand.logo_bytes else ""}
    message = EmailMultiAlternatives(
        subject=content.subject,
        body=render_to_string("notifications/email/message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[log.to],
        reply_to=[content.reply_to] if content.reply_to else None,
        headers={"X-Trackify-Email": str(log.pk)},
    )
    message.attach_alternative(render_to_string("notifications/email/message.html", context), "text/html")
    if brand.logo_bytes:
        message.mixed_subtype = "related"
        image = MIMEImage(brand.logo_bytes)
        image.add_header("Content-ID", f"<{LOGO_CID}>")
        image.add_header("Content-Disposition", "inline", filename="logo")
        message.attach(image)
    for filename, data in content.attachments:
        message.attach(filename, data, "application/pdf")
    return message
