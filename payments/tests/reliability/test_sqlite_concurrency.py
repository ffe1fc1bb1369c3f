"""Concurrent writes on the default database (a SQLite file), over HTTP to gunicorn with 32
threads (the dev server `make run` uses is threaded too, but its listen queue of 10 drops some
of 30 simultaneous connections, which says nothing about the app): every answer is a success or a 4xx in the contract's shape, never a 500
("database is locked"), and no refund is left half done.

SQLite lets one writer at a time. With its default DEFERRED transactions a request that read
first and then wrote could not wait for the lock and failed at once; the settings take the lock
when the transaction begins (IMMEDIATE), so writers queue instead.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from payments.tests.reliability.live_process import (
    Owner,
    Server,
    assert_contract_error,
    create_session,
    gunicorn,
    pay_in_sandbox,
    public_id,
    serving,
)

THREADS = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    # Many checkouts stay open on the one demo invoice here: lift the cap on open checkouts.
    directory = tmp_path_factory.mktemp("sqlite-concurrency")
    with serving(directory, gunicorn(workers=1, threads=32), MAX_OPEN_CHECKOUTS_PER_INVOICE="100") as running:
        yield running


@pytest.fixture(scope="module")
def owner(server: Server) -> Owner:
    return Owner(server)


@pytest.fixture(scope="module")
def invoice(owner: Owner) -> dict:
    """The demo's sent invoice (partial payments allowed): every test pays a part of it."""
    return owner.demo_invoice()


def rows(server: Server, sql: str, *params: object) -> list[tuple]:
    path = server.env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(Path(path)) as db:
        return db.execute(sql, params).fetchall()


def at_once(calls) -> list[requests.Response]:  # type: ignore[no-untyped-def]
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def paid_payment(server: Server, invoice: dict, amount: str) -> str:
    opened = create_session(server.url, public_id(invoice), amount)
    assert opened.status_code in (200, 201), opened.text
    assert pay_in_sandbox(opened.json()["checkout_url"]).status_code == 302
    payment_id = opened.json()["payment_id"]
    assert requests.get(f"{server.url}/api/payment/status/{payment_id}/", timeout=30).json()["status"] == "succeeded"
    return payment_id


def test_thirty_refunds_at_once_each_succeed_or_are_refused_and_none_is_left_pending(server, owner, invoice):
    payment_id = paid_payment(server, invoice, "20.00")

    answers = at_once([lambda: owner.post(f"/api/payment/refund/{payment_id}/", {"amount": "1.00"})] * THREADS)

    statuses = Counter(answer.status_code for answer in answers)
    assert set(statuses) <= {201, 400, 409}, [(a.status_code, a.text[:200]) for a in answers if a.status_code >= 500]
    for refused in (a for a in answers if a.status_code != 201):
        assert_contract_error(refused)
    assert statuses[201] == 20  # 20.00 paid, 1.00 each: exactly what was paid, and no more
    refunds = rows(
        server, "SELECT status, amount FROM payments_paymentrefund WHERE payment_id = ?", payment_id.replace("-", "")
    )
    assert Counter(status for status, _ in refunds) == {"succeeded": 20}
    assert sum(Decimal(str(amount)) for _, amount in refunds) == Decimal("20.00")
    status = requests.get(f"{server.url}/api/payment/status/{payment_id}/", timeout=30).json()
    assert (status["status"], status["amount_refunded"]) == ("refunded", "20.00")


def test_concurrent_create_session_calls_open_one_checkout_per_amount(server, invoice):
    invoice_id = public_id(invoice)
    amounts = ["7.00", "8.00", "9.00"] * (THREADS // 3)

    answers = at_once([lambda amount=amount: create_session(server.url, invoice_id, amount) for amount in amounts])

    assert {a.status_code for a in answers} == {200, 201}, [(a.status_code, a.text[:200]) for a in answers]
    assert [a.status_code for a in answers].count(201) == 3
    payments = {(a.json()["amount"], a.json()["payment_id"]) for a in answers}
    assert sorted(amount for amount, _ in payments) == ["7.00", "8.00", "9.00"]  # one checkout each


def test_invoice_and_gateway_edits_while_payments_complete_never_answer_500(server, owner, invoice):
    checkouts = [create_session(server.url, public_id(invoice), f"{n}.00").json()["checkout_url"] for n in range(1, 11)]
    (config,) = owner.get("/api/payment/gateways/").json()
    edits = [lambda: owner.patch(f"/api/invoices/{invoice['id']}/", {"notes": "Thank you"})] * 10
    edits += [lambda: owner.patch(f"/api/payment/gateways/{config['id']}/", {"display_name": "Sandbox"})] * 10
    payments = [lambda url=url: pay_in_sandbox(url) for url in checkouts]

    answers = at_once(edits + payments)

    assert not [(a.status_code, a.text[:200]) for a in answers if a.status_code >= 500]
    for answer in answers[:20]:
        if answer.status_code >= 400:
            assert_contract_error(answer)
    assert [a.status_code for a in answers[20:]] == [302] * 10  # every payer was sent back to the app
    paid = rows(server, "SELECT count(*) FROM payments_invoicepayment WHERE status = 'succeeded' AND amount < 11")
    assert paid == [(10,)]
