"""Invoice and receipt PDFs, drawn by WeasyPrint from HTML templates.

WeasyPrint needs the Pango libraries (Debian: ``libpango-1.0-0 libpangoft2-1.0-0``). It is
imported when a PDF is drawn, not when the app starts: without Pango the app runs, and a PDF
request answers 503 ``pdf_unavailable`` naming what is missing.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string

from core.errors import DomainError
from invoices.models import Invoice
from notifications.branding import Branding, branding_for
from notifications.documents import invoice_facts, receipt_facts

logger = logging.getLogger(__name__)


class PdfUnavailable(DomainError):
    code = "pdf_unavailable"
    http_status = 503
    default_message = "PDFs cannot be made on this server: WeasyPrint or its Pango libraries are missing."


def _html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        # OSError: WeasyPrint is installed but cannot load libpango / libpangoft2.
        logger.error("PDFs unavailable: %s (install libpango-1.0-0 and libpangoft2-1.0-0)", exc)
        raise PdfUnavailable(details={"missing": str(exc)[:300]}) from None
    return bytes(HTML(string=html).write_pdf())


def _render(template: str, branding: Branding, **context: Any) -> bytes:
    return _html_to_pdf(render_to_string(template, {"brand": branding, **context}))


def invoice_pdf(invoice: Invoice, branding: Branding | None = None) -> bytes:
    branding = branding or branding_for(invoice.owner)
    return _render("notifications/pdf/invoice.html", branding, invoice=invoice_facts(invoice))


def receipt_pdf(payment: Any, branding: Branding | None = None) -> bytes:
    branding = branding or branding_for(payment.invoice.owner)
    return _render("notifications/pdf/receipt.html", branding, receipt=receipt_facts(payment, branding))


def invoice_filename(invoice: Invoice) -> str:
    return f"invoice-{_safe(invoice.number)}.pdf"


def receipt_filename(payment: Any) -> str:
    return f"receipt-{_safe(payment.invoice.number)}-{str(payment.pk)[:8]}.pdf"


def _safe(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text) or "invoice"
