"""The recurring app's background work: issuing due invoices and running autopay charges."""

from __future__ import annotations

from celery import shared_task

from recurring import autopay, services


@shared_task(name="recurring.issue_due_invoices", acks_late=True)
def issue_due_invoices() -> int:
    return services.issue_due()


@shared_task(name="recurring.run_autopay_charges", acks_late=True)
def run_autopay_charges() -> int:
    return autopay.run_due_charges()


@shared_task(name="recurring.run_autopay_charge", acks_late=True)
def run_autopay_charge(charge_id: str) -> str:
    charge = autopay.run_charge(charge_id=charge_id)
    return charge.status if charge else "not_due"


@shared_task(name="recurring.enroll_autopay", acks_late=True)
def enroll_autopay(payment_id: str) -> bool:
    return autopay.enroll_from_payment(payment_id=payment_id) is not None
