"""The owner's payment list: fixed queries per page, and the same body as ``OwnerPaymentSerializer``.

The list is built by prepared queries and plain dicts (``payments.api.representations``);
these tests hold it to the serializer's output field for field, and count the queries.
"""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.utils.encoders import JSONEncoder

from accounts.factories import UserFactory
from invoices.factories import InvoiceFactory
from payments.api.serializers import OwnerPaymentSerializer
from payments.factories import PaymentFactory, sandbox_config
from payments.models import DisputeStatus, InvoiceEffect, InvoicePayment, PaymentDispute, PaymentRefund, RefundSource
from payments.state import PaymentStatus, RefundStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def client(owner) -> APIClient:
    client = APIClient()
    client.force_authenticate(owner)
    return client


def _url(invoice) -> str:  # type: ignore[no-untyped-def]
    return f"/api/payment/invoice/{invoice.pk}/payments/"


def _history(owner, currency: str = "USD"):  # type: ignore[no-untyped-def]
    """A failed attempt, then a paid payment refunded in part (one refund done, one failed)
    with a fee reported and a dispute opened; then an open checkout."""
    invoice = InvoiceFactory(owner=owner, currency=currency, items=[("Work", 1, "240")])
    config = sandbox_config(owner=owner)
    failed = PaymentFactory(invoice=invoice, gateway_config=config, status=PaymentStatus.FAILED,
                            failure_message="The card was declined.")
    paid = PaymentFactory(invoice=invoice, gateway_config=config, status=PaymentStatus.PARTIALLY_REFUNDED,
                          amount_refunded=Decimal("40"), fee=Decimal("7.26"), net=Decimal("232.74"), fee_currency="EUR",
                          flagged_reason="An event for this payment did not match.")
    for status, amount in ((RefundStatus.SUCCEEDED, "40"), (RefundStatus.FAILED, "10")):
        PaymentRefund.objects.create(
            payment=paid, amount=Decimal(amount), currency=currency, status=status, reason="Late delivery",
            source=RefundSource.GATEWAY, invoice_effect=InvoiceEffect.REOPEN, idempotency_key=f"k-{uuid.uuid4().hex}",
            failure_reason="Declined by the bank" if status == RefundStatus.FAILED else "",
        )
    PaymentDispute.objects.create(
        payment=paid, gateway_dispute_id="dp_1", amount=Decimal("200"), currency=currency, reason="fraudulent",
        status=DisputeStatus.NEEDS_RESPONSE, evidence_due_by=timezone.now() + datetime.timedelta(days=7),
    )
    PaymentFactory(invoice=invoice, gateway_config=config, amount=Decimal("200"))
    return invoice, [failed, paid]


def _json(data):  # type: ignore[no-untyped-def]
    return json.loads(json.dumps(data, cls=JSONEncoder))


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD"])
def test_each_row_is_what_the_owner_payment_serializer_gives(client, owner, currency):
    invoice, _ = _history(owner, currency)
    rows = client.get(_url(invoice)).json()["results"]
    payments = InvoicePayment.objects.filter(invoice=invoice).order_by("-created_at", "-pk")
    expected = [OwnerPaymentSerializer(payment).data for payment in payments]
    assert len(rows) == 3
    for row, want in zip(rows, expected, strict=True):
        assert list(row) == list(want)
        assert row == _json(want)


def test_refunds_and_disputes_sit_under_their_own_payment(client, owner):
    invoice, (failed, paid) = _history(owner)
    rows = {row["payment_id"]: row for row in client.get(_url(invoice)).json()["results"]}
    assert rows[str(failed.pk)]["refunds"] == [] and rows[str(failed.pk)]["disputes"] == []
    assert [(r["amount"], r["status"]) for r in rows[str(paid.pk)]["refunds"]] == [("40.00", "succeeded"), ("10.00", "failed")]
    assert [d["amount"] for d in rows[str(paid.pk)]["disputes"]] == ["200.00"]
    assert (rows[str(paid.pk)]["fee"], rows[str(paid.pk)]["net"]) == ("7.26", "232.74")
    assert rows[str(paid.pk)]["amount_refundable"] == "200.00" and rows[str(paid.pk)]["can_refund"] is True


def test_a_page_costs_the_same_queries_with_1_or_25_payments(client, owner, django_assert_num_queries):
    invoice, _ = _history(owner)
    # the invoice's owner and payment count, the page, its refunds, its disputes
    with django_assert_num_queries(4):
        assert client.get(_url(invoice)).json()["count"] == 3
    for _ in range(22):
        paid = PaymentFactory(invoice=invoice, status=PaymentStatus.SUCCEEDED)
        PaymentRefund.objects.create(payment=paid, amount=Decimal("1"), currency="USD", idempotency_key=uuid.uuid4().hex)
    with django_assert_num_queries(4):
        body = client.get(_url(invoice)).json()
    assert body["count"] == 25 and len(body["results"]) == 20 and body["next"].endswith("?page=2")
    with django_assert_num_queries(4):
        assert len(client.get(_url(invoice), {"page": 2}).json()["results"]) == 5


def test_an_invoice_without_payments_and_another_owners_invoice(client, owner, django_assert_num_queries):
    mine = InvoiceFactory(owner=owner)
    with django_assert_num_queries(1):
        assert client.get(_url(mine)).json() == {"count": 0, "next": None, "previous": None, "results": []}
    theirs, _ = _history(UserFactory())
    with django_assert_num_queries(1):
        response = client.get(_url(theirs))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(f"/api/payment/invoice/{uuid.uuid4()}/payments/").status_code == 404


def _public(invoice) -> str:  # type: ignore[no-untyped-def]
    return f"/api/payment/public/invoice/{invoice.public_id}/"


@pytest.mark.parametrize("currency", ["USD", "JPY", "KWD"])
@pytest.mark.parametrize("with_profile", [True, False])
def test_the_public_invoice_is_what_the_public_serializer_gives(api_client, owner, currency, with_profile):
    from accounts.models import BusinessProfile
    from invoices.selectors import invoice_for_link
    from payments.api.serializers import PublicInvoiceSerializer

    if with_profile:
        BusinessProfile.objects.create(user=owner, business_name="Studio North", contact_email="hello@north.example",
                                       address="1 Quay St", tax_id="GB123")
    invoice, (_, paid) = _history(owner, currency)
    PaymentRefund.objects.filter(payment=paid).update(invoice_effect=InvoiceEffect.CREDIT)
    body = api_client.get(_public(invoice)).json()
    want = _json(PublicInvoiceSerializer(invoice_for_link(invoice.public_id)).data)
    assert list(body) == list(want)
    assert body == want
    # Only the refund that holds money on a paid payment; the failed one is not shown.
    assert [r["status"] for r in body["refunds"]] == ["succeeded"]
    assert body["issuer_name"] == ("Studio North" if with_profile else "")
    assert owner.username not in json.dumps(body) and owner.email not in json.dumps(body)


def test_the_public_invoice_reads_three_rows_whatever_it_holds(owner, django_assert_num_queries):
    from payments.listing import public_invoice_read

    small = InvoiceFactory(owner=owner, items=[("One", 1, "1.00")])
    big, _ = _history(owner)
    for n in range(9):
        InvoiceFactory._meta.model.objects.get(pk=big.pk).items.create(
            position=10 + n, description=f"Line {n}", quantity=Decimal(1), unit_price=Decimal("1.00"), amount=Decimal("1.00")
        )
    # the invoice with its owner's business profile, its items, its refunds
    for invoice in (small, big):
        with django_assert_num_queries(3):
            read = public_invoice_read(invoice.public_id)
    assert len(read.items) == 10 and len(read.refunds) == 1


@pytest.mark.parametrize("with_profile", [True, False])
def test_the_public_view_reads_no_more_than_its_three_rows(api_client, owner, with_profile, django_assert_num_queries):
    from accounts.models import BusinessProfile
    from activity.services import record_view

    if with_profile:
        BusinessProfile.objects.create(user=owner, business_name="Studio North")
    invoice = InvoiceFactory(owner=owner)
    for _ in range(3):
        record_view(invoice.pk)  # from now on each visit moves the "last view" row forward
    with CaptureQueriesContext(connection) as visit:
        record_view(invoice.pk)
    # the invoice with the business profile, its items, its refunds; then what noting the visit costs
    with django_assert_num_queries(3 + len(visit)):
        assert api_client.get(_public(invoice)).json()["issuer_name"] == ("Studio North" if with_profile else "")


def test_the_public_view_costs_the_same_with_1_or_10_items_and_refunds(api_client, owner):
    small = InvoiceFactory(owner=owner, items=[("One", 1, "1.00")])
    big = InvoiceFactory(owner=owner, items=[(f"Line {n}", 1, "10.00") for n in range(10)])
    config = sandbox_config(owner=owner)
    for _ in range(3):
        paid = PaymentFactory(invoice=big, gateway_config=config, status=PaymentStatus.PARTIALLY_REFUNDED)
        PaymentRefund.objects.create(payment=paid, amount=Decimal("1"), currency="USD", status=RefundStatus.SUCCEEDED,
                                     idempotency_key=uuid.uuid4().hex)
    counts = []
    for invoice in (small, big, small, big):
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(_public(invoice)).status_code == 200
        counts.append(len(queries))
    assert counts[2] == counts[3]  # (the first visit of each writes its first "viewed" row)


def test_a_public_link_that_leads_nowhere(api_client, owner):
    from invoices.models import Invoice

    invoice = InvoiceFactory(owner=owner)
    assert api_client.get(f"/api/payment/public/invoice/{uuid.uuid4()}/").status_code == 404
    Invoice.objects.filter(pk=invoice.pk).update(link_enabled=False)
    response = api_client.get(_public(invoice))
    assert response.status_code == 410 and response.json()["code"] == "link_revoked"
    Invoice.objects.filter(pk=invoice.pk).update(link_enabled=True, link_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert api_client.get(_public(invoice)).json()["code"] == "link_expired"
