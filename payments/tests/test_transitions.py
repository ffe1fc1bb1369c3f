"""The one status writer (move_to), saving without a status change, flagging, the one
amount/currency check, and a guard that no other code assigns a payment's status."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import transaction

from payments.factories import PaymentFactory
from payments.gateways.base import RefundSnapshot
from payments.state import PaymentStatus as S
from payments.transitions import (
    amount_mismatch,
    flag,
    lock_payment,
    move_to,
    record_refund,
    save_fields,
    sync_refunded_amount,
)

pytestmark = pytest.mark.django_db

PAYMENTS = Path(__file__).resolve().parents[1]


def _payment(invoice, status=S.PENDING):  # type: ignore[no-untyped-def]
    return PaymentFactory(invoice=invoice, gateway_config=invoice.owner.gateway_configs.first(), status=status)


def _refund(refund_id: str, amount: str, status: str = "succeeded", currency: str = "USD") -> RefundSnapshot:
    return RefundSnapshot(refund_id=refund_id, amount=Decimal(amount), currency=currency, status=status)


# move_to -----------------------------------------------------------------------------------


def test_move_to_changes_the_status_and_the_invoice(invoice):
    payment = _payment(invoice)
    with transaction.atomic():
        assert move_to(lock_payment(payment.pk), S.SUCCEEDED, gateway_payment_reference="pi_1")
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert (payment.status, payment.gateway_payment_reference) == (S.SUCCEEDED, "pi_1")
    assert payment.succeeded_at is not None
    assert (invoice.status, invoice.amount_paid) == ("paid", Decimal("100.00"))


def test_a_move_the_state_machine_forbids_changes_nothing(invoice):
    payment = _payment(invoice, S.SUCCEEDED)
    with transaction.atomic():
        assert not move_to(lock_payment(payment.pk), S.EXPIRED, failure_message="late")
    payment.refresh_from_db()
    assert (payment.status, payment.failure_message) == (S.SUCCEEDED, "")


def test_a_settled_target_becomes_the_status_the_refunds_call_for(invoice):
    payment = _payment(invoice, S.PROCESSING)
    payment.amount_refunded = Decimal("30.00")
    payment.save()
    with transaction.atomic():
        move_to(lock_payment(payment.pk), S.SUCCEEDED)
    payment.refresh_from_db()
    assert payment.status == S.PARTIALLY_REFUNDED


# save_fields and flag ------------------------------------------------------------------------


def test_save_fields_saves_without_touching_the_status(invoice):
    payment = _payment(invoice)
    with transaction.atomic():
        save_fields(lock_payment(payment.pk), failure_message="Card declined.")
    payment.refresh_from_db()
    assert (payment.status, payment.failure_message) == (S.PENDING, "Card declined.")


def test_save_fields_refuses_a_status():
    with pytest.raises(ValueError, match="move_to"):
        save_fields(object(), status=S.SUCCEEDED)  # type: ignore[arg-type]


def test_flag_is_the_one_writer_of_the_reason_and_keeps_it_to_the_column(invoice, caplog):
    payment = _payment(invoice)
    flag(payment, "x" * 600)
    payment.refresh_from_db()
    assert payment.flagged_reason == "x" * 500
    assert payment.status == S.PENDING
    assert "flagged" in caplog.text


# amount_mismatch -----------------------------------------------------------------------------


def test_matching_money_is_fine(invoice):
    payment = _payment(invoice)
    assert amount_mismatch(payment, amount=Decimal("100.00"), currency="usd") == ""
    assert amount_mismatch(payment, amount=None, currency=None) == ""  # nothing reported


def test_a_currency_that_differs_is_named(invoice):
    payment = _payment(invoice)
    assert (
        amount_mismatch(payment, amount=Decimal("100.00"), currency="EUR")
        == "Event currency EUR does not match the payment's USD."
    )


def test_an_amount_that_differs_names_both_amounts(invoice):
    payment = _payment(invoice)
    assert (
        amount_mismatch(payment, amount=Decimal("1.00"), currency="USD", source="Gateway")
        == "Gateway amount 1.00 USD does not match the payment's 100.00 USD."
    )


def test_the_amount_counts_only_for_money_being_captured(invoice):
    payment = _payment(invoice)
    for status in (S.PROCESSING, S.SUCCEEDED):
        assert amount_mismatch(payment, amount=Decimal("1.00"), currency="USD", status=status)
    for status in (S.FAILED, S.EXPIRED, S.CANCELED):
        assert amount_mismatch(payment, amount=Decimal("1.00"), currency="USD", status=status) == ""
    # The currency counts whatever the status.
    assert amount_mismatch(payment, amount=None, currency="EUR", status=S.FAILED)


def test_a_refund_in_another_currency_is_a_mismatch(invoice):
    payment = _payment(invoice)
    reason = amount_mismatch(payment, amount=None, currency=None, refunds=[_refund("re_1", "5.00", currency="eur")])
    assert reason == "Event refund re_1 currency EUR does not match the payment's USD."


# refunds and the settled status ------------------------------------------------------------


def test_the_settled_status_follows_the_refunds_both_ways(invoice):
    payment = _payment(invoice, S.SUCCEEDED)
    with transaction.atomic():
        record_refund(lock_payment(payment.pk), _refund("re_1", "100.00"))
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (S.REFUNDED, Decimal("100.00"))
    with transaction.atomic():
        record_refund(lock_payment(payment.pk), _refund("re_1", "100.00", status="failed"))
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (S.SUCCEEDED, Decimal("0"))
    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("100.00")


def test_refunds_on_an_unsettled_payment_change_only_the_amount(invoice):
    payment = _payment(invoice, S.PENDING)
    with transaction.atomic():
        record_refund(lock_payment(payment.pk), _refund("re_1", "40.00"))
    payment.refresh_from_db()
    assert (payment.status, payment.amount_refunded) == (S.PENDING, Decimal("40.00"))


def test_refunds_beyond_the_payment_flag_it(invoice):
    payment = _payment(invoice, S.SUCCEEDED)
    payment.refunds.create(amount=Decimal("150.00"), currency="USD", status="succeeded")
    with transaction.atomic():
        sync_refunded_amount(lock_payment(payment.pk))
    payment.refresh_from_db()
    assert payment.flagged_reason == "Refunds (150.00 USD) exceed the payment (100.00 USD)."
    assert payment.status == S.REFUNDED


# Only transitions.py writes a payment's status -----------------------------------------------


def _payment_ish(node: ast.AST) -> bool:
    """Whether an expression names a payment (``payment``, ``self.payment``, ``locked_payment``...)."""
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return "payment" in name.lower()


def status_writes(source: str) -> list[int]:
    """Lines of ``source`` that assign a payment's status (or its flagged reason) by hand."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr == "status":
                    value_text = ast.unparse(node.value) if node.value is not None else ""
                    if _payment_ish(target.value) or "PaymentStatus" in value_text:
                        found.append(node.lineno)
                if isinstance(target, ast.Attribute) and target.attr == "flagged_reason":
                    found.append(node.lineno)  # transitions.flag is its one writer
        elif isinstance(node, ast.Call):
            text = ast.unparse(node.func)
            keywords = {keyword.arg for keyword in node.keywords}
            if text == "setattr" and len(node.args) > 1 and ast.unparse(node.args[1]) == "'status'":
                if _payment_ish(node.args[0]):
                    found.append(node.lineno)
            elif text.endswith((".update", ".bulk_update", ".update_or_create")) and "status" in keywords:
                if "InvoicePayment" in text or _payment_ish(node.func.value):  # type: ignore[attr-defined]
                    found.append(node.lineno)
            elif text.endswith(".save") and _payment_ish(node.func.value):  # type: ignore[attr-defined]
                if "'status'" in ast.unparse(node):
                    found.append(node.lineno)
    return sorted(found)


def test_the_guard_finds_each_way_of_writing_a_status():
    source = "\n".join(
        [
            "payment.status = 'succeeded'",
            "row.status = PaymentStatus.FAILED",
            "setattr(payment, 'status', x)",
            "InvoicePayment.objects.filter(pk=1).update(status='failed')",
            "payment.save(update_fields=['status'])",
            "payment.flagged_reason = 'odd'",
            "row.status = WebhookEventStatus.IGNORED",  # an event's status: allowed
            "PaymentRefund.objects.filter(pk=1).update(status='failed')",  # a refund's: allowed
        ]
    )
    assert status_writes(source) == [1, 2, 3, 4, 5, 6]


def test_only_transitions_assigns_a_payments_status():
    offenders = []
    for path in sorted(PAYMENTS.rglob("*.py")):
        relative = path.relative_to(PAYMENTS)
        if relative.parts[0] in ("migrations", "tests") or relative.as_posix() == "transitions.py":
            continue
        offenders += [f"{relative}:{line}" for line in status_writes(path.read_text())]
    assert offenders == [], "A payment's status changes only in transitions.move_to, its flag only in transitions.flag"
