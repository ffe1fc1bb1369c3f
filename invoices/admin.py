"""The invoice admin: items inline, computed money read-only, state changes through the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from activity.models import ActivityEvent
from core.money import MoneyError, normalize_currency, parse_amount
from invoices import services
from invoices.errors import InvoiceError
from invoices.models import Invoice, InvoiceItem, InvoiceStatus

# Stored amounts computed by the services: never in the form, shown through MONEY_SHOWN instead.
MONEY_FIELDS = ("total", "amount_paid", "amount_refunded", "amount_credited", "amount_disputed")
MONEY_SHOWN = (
    "total_shown",
    "amount_paid_shown",
    "amount_refunded_shown",
    "amount_credited_shown",
    "amount_disputed_shown",
    "amount_due_shown",
    "amount_overpaid_shown",
)


def _money(name: str, description: str, ordering: str | None = None) -> Any:
    """An admin column showing an amount with the currency's places ("1250.00", "500"): the
    column's own display would show its three stored decimals ("1250.000")."""

    @admin.display(description=description, ordering=ordering)
    def shown(self: admin.ModelAdmin, obj: Invoice) -> str | None:
        return obj.money(getattr(obj, name))

    return shown


class InvoiceForm(forms.ModelForm):
    class Meta:
        model = Invoice
        fields = "__all__"  # noqa: DJ007 - InvoiceAdmin decides which fields show and which are read-only

    def clean_currency(self) -> str:
        try:
            return normalize_currency(self.cleaned_data["currency"])
        except MoneyError as exc:
            raise forms.ValidationError(str(exc)) from None


class InvoiceItemForm(forms.ModelForm):
    class Meta:
        model = InvoiceItem
        fields = ("position", "description", "quantity", "unit_price")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        unit_price, quantity = cleaned.get("unit_price"), cleaned.get("quantity")
        # The inline formset has already attached the parent, with the currency being saved.
        currency = self.instance.invoice.currency
        if unit_price is not None:
            try:
                cleaned["unit_price"] = parse_amount(unit_price, currency)
            except MoneyError as exc:
                self.add_error("unit_price", str(exc))
            else:
                if unit_price < 0:
                    self.add_error("unit_price", "The unit price cannot be negative.")
        if quantity is not None and quantity <= 0:
            self.add_error("quantity", "The quantity must be greater than 0.")
        if not self.errors and unit_price is not None and quantity is not None:
            # ``amount`` is not a form field: set the computed value before the row is saved.
            self.instance.amount = services.line_amount(
                quantity=quantity, unit_price=cleaned["unit_price"], currency=currency
            )
        return cleaned


class InvoiceItemInline(admin.TabularInline):
    model = InvoiceItem
    form = InvoiceItemForm
    extra = 0
    readonly_fields = ("amount_shown",)

    # Items are part of what the client was billed: like the API, only a draft's items change.
    def _editable(self, obj: Invoice | None) -> bool:
        return obj is None or obj.status == InvoiceStatus.DRAFT

    def get_fields(self, request: HttpRequest, obj: Invoice | None = None) -> Any:
        price = "unit_price" if self._editable(obj) else "unit_price_shown"
        return ("position", "description", "quantity", price, "amount_shown")

    def get_readonly_fields(self, request: HttpRequest, obj: Invoice | None = None) -> Any:
        return self.readonly_fields if self._editable(obj) else self.get_fields(request, obj)

    @admin.display(description="Unit price")
    def unit_price_shown(self, item: InvoiceItem) -> str | None:
        return item.invoice.money(item.unit_price)

    @admin.display(description="Amount")
    def amount_shown(self, item: InvoiceItem) -> str | None:
        return item.invoice.money(item.amount) if item.pk else None

    def has_add_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:  # type: ignore[override]
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:  # type: ignore[override]
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:  # type: ignore[override]
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ActivityInline(admin.TabularInline):
    """The invoice's timeline, read-only: it is written by the code that did each thing."""

    model = ActivityEvent
    extra = 0
    fields = ("at", "kind", "actor", "details")
    readonly_fields = fields
    ordering = ("at", "id")
    verbose_name_plural = "Activity"

    def has_add_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:  # type: ignore[override]
        return False

    def has_change_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:  # type: ignore[override]
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Invoice | None = None) -> bool:  # type: ignore[override]
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    form = InvoiceForm
    inlines = (InvoiceItemInline, ActivityInline)
    list_display = ("number", "client_name", "owner", "status", "total_shown", "amount_paid_shown", "currency", "created_at")
    list_filter = ("status", "currency")
    search_fields = ("number", "client_name", "client_email", "owner__username")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    date_hierarchy = "created_at"
    # Money is computed (from items, or by the payment code); status moves only through the actions.
    readonly_fields = ("id", "public_id", "status", *MONEY_SHOWN, "link_issued_at", "created_at", "updated_at")
    exclude = MONEY_FIELDS
    actions = ("send_selected", "void_selected")

    total_shown = _money("total", "Total", "total")
    amount_paid_shown = _money("amount_paid", "Amount paid", "amount_paid")
    amount_refunded_shown = _money("amount_refunded", "Amount refunded")
    amount_credited_shown = _money("amount_credited", "Amount credited")
    amount_disputed_shown = _money("amount_disputed", "Lost in disputes")
    amount_due_shown = _money("amount_due", "Amount due")
    amount_overpaid_shown = _money("amount_overpaid", "Amount overpaid")

    def get_readonly_fields(self, request: HttpRequest, obj: Invoice | None = None) -> tuple[str, ...]:
        fields = tuple(self.readonly_fields)
        if obj is not None and obj.status != InvoiceStatus.DRAFT:
            fields += ("currency", "number", "issue_date")
        return fields

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        invoice: Invoice = form.instance
        # Item amounts and the total are derived values: recompute them after any item edit.
        for item in invoice.items.all():
            amount = services.line_amount(quantity=item.quantity, unit_price=item.unit_price, currency=invoice.currency)
            if item.amount != amount:
                item.amount = amount
                item.save(update_fields=["amount"])
        services.recalculate_total(invoice=invoice)

    @admin.action(description="Send the selected draft invoices")
    def send_selected(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        self._apply(request, queryset, services.send_invoice, "sent")

    @admin.action(description="Void the selected invoices")
    def void_selected(self, request: HttpRequest, queryset: QuerySet[Invoice]) -> None:
        self._apply(request, queryset, services.void_invoice, "voided")

    def _apply(self, request: HttpRequest, queryset: QuerySet[Invoice], action: Any, verb: str) -> None:
        done = 0
        for invoice in queryset:
            try:
                action(invoice=invoice)
            except InvoiceError as exc:
                self.message_user(request, f"{invoice.number}: {exc.message}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, f"{done} invoice(s) {verb}.", messages.SUCCESS)
