"""A model-based test of payments: Hypothesis drives checkouts, payer choices, partial payments,
refunds (ours and the provider's) and webhook deliveries (duplicated, reordered, failing), and
after every step checks the money.

Invariants, after every step:
- a payment's refunded amount is what its refunds hold, and never more than the payment;
- the invoice's paid, refunded, credited and due amounts are the sums over its payments and
  refunds (a credit counts only as far as something was still owed after what was paid);
- no payment's status ever moves to a lower rank (the settled statuses move among themselves).
At the end every event is delivered once more and open payments are refreshed: each payment
then says what the provider says (paid or not, and how much was refunded).
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from invoices.models import Invoice
from payments import state
from payments.errors import PaymentError
from payments.factories import sandbox_config
from payments.models import InvoicePayment, PaymentWebhookEvent
from payments.services import PaymentService
from payments.tests.reliability.conftest import deliver
from payments.webhooks import process
from sandbox import provider
from sandbox.models import SandboxSession

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
AMOUNTS = st.sampled_from([None, "20.00", "35.50", "50.00", "100.00"])
REFUNDS = st.sampled_from([None, "0.01", "10.00", "25.00", "60.00"])
EFFECTS = st.sampled_from(["credit", "reopen"])
# Mostly payers who pay: that is where refunds and partial payments happen.
OUTCOMES = st.sampled_from(["pay", "pay", "pay", "decline", "pay_later_success", "pay_later_failure"])


class Crash(RuntimeError):
    pass


class PaymentsMachine(RuleBasedStateMachine):
    payments = Bundle("payments")

    def __init__(self) -> None:
        super().__init__()
        owner = UserFactory()
        self.config = sandbox_config(owner=owner)
        self.invoice = InvoiceFactory(owner=owner, items=[("Work", 1, "100.00")], allow_partial_payments=True)
        self.service = PaymentService()
        self.sent: list[dict] = []  # every event the provider sent, delivered or not
        self.seen_rank: dict[str, int] = {}
        self.refund_keys = 0

    # Payer and owner -----------------------------------------------------------------------

    @initialize(target=payments, amount=AMOUNTS)
    def first_checkout(self, amount):  # type: ignore[no-untyped-def]
        return self.open_checkout(amount)

    @rule(target=payments, amount=AMOUNTS)
    def open_checkout(self, amount):  # type: ignore[no-untyped-def]
        try:
            return str(self.service.create_checkout(invoice_id=self.invoice.pk, amount=amount).payment.pk)
        except PaymentError:
            return str(InvoicePayment.objects.filter(invoice=self.invoice).values_list("pk", flat=True).first() or "")

    @rule(payment_id=payments, outcome=OUTCOMES, delivered=st.booleans())
    def payer_chooses(self, payment_id, outcome, delivered):  # type: ignore[no-untyped-def]
        session = self._session(payment_id)
        if session is None:
            return
        try:
            sent = provider.complete(session, outcome)
        except provider.SessionNotFound:
            return  # already completed or expired: the page answers 410
        self.sent += sent
        if delivered:  # the webhook arrives at once; otherwise later, or never before the end
            for payload in sent:
                assert deliver(Client(), self.config, payload).status_code == 200

    @rule(payment_id=payments)
    def checkout_expires(self, payment_id):  # type: ignore[no-untyped-def]
        session = self._session(payment_id)
        if session is None or session.status != "open":
            return
        SandboxSession.objects.filter(pk=session.pk).update(status="expired")
        session.refresh_from_db()
        self.sent.append(provider.event("checkout.expired", session))

    @rule(payment_id=payments, amount=REFUNDS, effect=EFFECTS)
    def owner_refunds(self, payment_id, amount, effect):  # type: ignore[no-untyped-def]
        payment = InvoicePayment.objects.filter(pk=payment_id or None).first()
        if payment is None:
            return
        try:
            self.service.refund(payment=payment, amount=amount, invoice_effect=effect)
        except PaymentError:
            pass  # refused (409/400) or rejected by the provider: recorded as failed

    @rule(payment_id=payments, amount=st.sampled_from(["5.00", "15.00", "40.00"]), delivered=st.booleans())
    def refund_in_provider_dashboard(self, payment_id, amount, delivered):  # type: ignore[no-untyped-def]
        session = self._session(payment_id)
        if session is None:
            return
        self.refund_keys += 1
        try:
            provider.refund(
                session_id=session.pk,
                amount=Decimal(amount),
                idempotency_key=f"dash-{session.pk}-{self.refund_keys}",
                metadata={},
            )
        except ValueError:
            return
        self.sent.append(provider.event("refund.updated", SandboxSession.objects.get(pk=session.pk)))
        if delivered:
            assert deliver(Client(), self.config, self.sent[-1]).status_code == 200

    @rule(payment_id=payments)
    def status_page_refreshes(self, payment_id):  # type: ignore[no-untyped-def]
        payment = InvoicePayment.objects.filter(pk=payment_id or None).select_related("gateway_config").first()
        if payment is not None and payment.status in state.OPEN:
            self.service.refresh_payment(payment=payment)

    # Webhooks ------------------------------------------------------------------------------

    @precondition(lambda self: self.sent)
    @rule(pick=st.integers(min_value=0, max_value=10_000))
    def deliver_any_event(self, pick):  # type: ignore[no-untyped-def]
        # Any event, at any time, as often as chosen: reordered and duplicated deliveries.
        response = deliver(Client(), self.config, self.sent[pick % len(self.sent)])
        assert response.status_code == 200, response.content

    @precondition(lambda self: self.sent)
    @rule(pick=st.integers(min_value=0, max_value=10_000))
    def delivery_fails_while_processing(self, pick):  # type: ignore[no-untyped-def]
        payload = self.sent[pick % len(self.sent)]
        with (
            mock.patch.object(process, "move_to", side_effect=Crash("down")),
            mock.patch.object(process, "record_refund", side_effect=Crash("down")),
        ):
            response = deliver(Client(), self.config, payload)
        # Stored and answered 200 whatever happens while applying it; a failure is kept on the row.
        assert response.status_code == 200, response.content
        row = PaymentWebhookEvent.objects.get(gateway_name="sandbox", event_id=payload["id"])
        assert response.json()["status"] == row.status
        if row.status == "failed":
            assert "Crash" in row.error

    @rule()
    def operator_replays_failed_events(self):  # type: ignore[no-untyped-def]
        call_command("replay_webhook_events", stdout=StringIO(), stderr=StringIO())

    # Invariants ----------------------------------------------------------------------------

    @invariant()
    def refunds_never_exceed_payments(self):  # type: ignore[no-untyped-def]
        for payment in InvoicePayment.objects.filter(invoice=self.invoice):
            held = payment.refunds.filter(status__in=state.REFUND_HOLDS).aggregate(s=Sum("amount"))["s"] or Decimal(0)
            assert payment.amount_refunded == held, payment
            assert payment.amount_refunded <= payment.amount, payment

    @invariant()
    def invoice_totals_are_the_sums_of_its_payments(self):  # type: ignore[no-untyped-def]
        invoice = Invoice.objects.get(pk=self.invoice.pk)
        paid = refunded = credited = Decimal(0)
        for payment in InvoicePayment.objects.filter(invoice=invoice, status__in=state.SETTLED):
            paid += payment.amount
            holding = [r for r in payment.refunds.all() if r.status in state.REFUND_HOLDS]
            refunded += sum((r.amount for r in holding), Decimal(0))
            # Refunds made in the provider's dashboard are credits too.
            credited += sum((r.amount for r in holding if r.invoice_effect == "credit"), Decimal(0))
        net = paid - refunded
        credited = max(min(credited, invoice.total - net), Decimal(0))
        assert invoice.amount_refunded == refunded
        assert invoice.amount_paid == net
        assert invoice.amount_credited == credited
        assert invoice.amount_due == max(invoice.total - credited - net, Decimal(0))
        assert invoice.amount_overpaid == max(net - invoice.total, Decimal(0))
        settled = net + credited
        expected = "paid" if settled >= invoice.total else "partially_paid" if settled > 0 else "sent"
        assert invoice.status == expected, (invoice.status, net, credited)

    @invariant()
    def statuses_never_move_back(self):  # type: ignore[no-untyped-def]
        for pk, status in InvoicePayment.objects.filter(invoice=self.invoice).values_list("pk", "status"):
            before = self.seen_rank.get(str(pk), 0)
            assert state.rank(status) >= before, f"payment {pk} moved back to {status}"
            self.seen_rank[str(pk)] = state.rank(status)

    def teardown(self) -> None:
        # Every event arrives in the end, and open payments are asked about: the books must
        # then agree with the provider.
        for payload in self.sent:
            assert deliver(Client(), self.config, payload).status_code == 200
        call_command("replay_webhook_events", stdout=StringIO(), stderr=StringIO())
        for payment in InvoicePayment.objects.filter(invoice=self.invoice).select_related("gateway_config"):
            if payment.status in state.OPEN:
                self.service.refresh_payment(payment=payment)
            payment.refresh_from_db()
            session = SandboxSession.objects.filter(pk=payment.gateway_session_id or "").first()
            if session is None:
                continue
            provider.get_session(session.pk)  # let a "pay later" settle
            session.refresh_from_db()
            if session.payment_status == "paid":
                refunded = sum(
                    (Decimal(r["amount"]) for r in session.refunds if r["status"] == "succeeded"), Decimal(0)
                )
                assert payment.status in state.SETTLED, (payment, session.payment_status)
                assert payment.amount_refunded == refunded, payment
            else:
                assert payment.status not in state.SETTLED, (payment, session.payment_status)
        self.invoice_totals_are_the_sums_of_its_payments()

    def _session(self, payment_id: str) -> SandboxSession | None:
        payment = InvoicePayment.objects.filter(pk=payment_id or None).first()
        if payment is None or not payment.gateway_session_id:
            return None
        return SandboxSession.objects.filter(pk=payment.gateway_session_id).first()


@pytest.mark.django_db
def test_payments_refunds_and_webhooks_keep_the_books_straight():
    run_state_machine_as_test(PaymentsMachine, settings=SETTINGS)
