"""Fuzz every operation of the API from its own OpenAPI schema (/api/schema/).

Schemathesis generates valid and invalid requests (positive and negative modes) for every
operation, the public and webhook endpoints included, sent with an API token of a user who has
a gateway, an invoice and a paid payment. Ids that parse as UUIDs are pointed at that user's
objects, so the fuzzed bodies reach the real checks rather than a 404. The promise: never a 5xx,
and every 4xx body in the contract's error shape ``{code, message, details}``.
"""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.factories import UserFactory
from accounts.tokens import issue_token
from invoices.factories import InvoiceFactory
from payments.factories import sandbox_config
from payments.services import PaymentService
from payments.tests.reliability.conftest import completed_event, deliver

MAX_EXAMPLES = 12
ERROR_KEYS = {"code", "message", "details"}
CASES_SENT: list[str] = []  # the operations of the requests sent, reported at the end


@contextmanager
def keeping_the_test_connection():  # type: ignore[no-untyped-def]
    """Django's own test client stops a request from closing the database connection (which
    would end the test's transaction); the raw WSGI app schemathesis calls needs the same."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_user(db):  # type: ignore[no-untyped-def]
    owner = UserFactory()
    config = sandbox_config(owner=owner)
    invoice = InvoiceFactory(owner=owner, items=[("Work", 2, "50.00")], allow_partial_payments=True)
    payment = PaymentService().create_checkout(invoice_id=invoice.pk, amount="40.00").payment
    assert deliver(Client(), config, completed_event(payment)).status_code == 200
    ids = {"invoice_id": str(invoice.pk), "payment_id": str(payment.pk), "config_id": str(config.pk)}
    # The public endpoints take the id in the payment link, the owner's take the invoice's own.
    return {"token": issue_token(owner)[1], "ids": ids, "public_id": str(invoice.public_id)}


# Loaded from the running app at collection: the schema view needs no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
schema.config.generation.update(max_examples=MAX_EXAMPLES)


@pytest.fixture(scope="module", autouse=True)
def _report_how_much_was_fuzzed(request):  # type: ignore[no-untyped-def]
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and CASES_SENT:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"API fuzzing: {len(CASES_SENT)} requests over {len(set(CASES_SENT))} operations")


def _aim_at_real_objects(case, ids: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for name, value in list((case.path_parameters or {}).items()):
        if name in ids and _is_uuid(value):
            case.path_parameters[name] = ids[name]
    if isinstance(case.body, dict):
        for name in ("invoice_id", "gateway_config_id"):
            if _is_uuid(case.body.get(name)):
                case.body[name] = ids["config_id" if name == "gateway_config_id" else name]


def _is_uuid(value: object) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_no_operation_answers_5xx_and_every_error_has_the_contract_shape(case, fuzz_user):
    public = "/public/" in case.path or case.path.endswith("/create-session/")
    _aim_at_real_objects(case, {**fuzz_user["ids"], **({"invoice_id": fuzz_user["public_id"]} if public else {})})

    with keeping_the_test_connection():
        response = case.call(headers={"Authorization": f"Token {fuzz_user['token']}"})
    CASES_SENT.append(case.operation.label)

    try:
        text = response.text[:300]
    except UnicodeDecodeError:  # a binary body: an invoice PDF
        text = "<binary body>"
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {text}"
    assert response.status_code < 500, where
    if response.status_code >= 400:
        try:
            body = json.loads(response.text)
        except ValueError:
            body = None
        assert isinstance(body, dict) and ERROR_KEYS <= set(body), where
        assert isinstance(body["code"], str) and body["code"], where
        assert isinstance(body["message"], str) and body["message"], where
        assert isinstance(body["details"], dict), where
