"""A small stateful stand-in for Stripe's API, served over real HTTP (``STRIPE_API_BASE``).

It answers the calls Trackify makes when a user connects Stripe and when money moves: the
balance (key check), webhook endpoints (create, delete), checkout sessions, refunds, balance
transactions. Keys are checked like Stripe does: an unknown key is a 401. It is a WSGI app, so
a test serves it with pytest-httpserver and the browser test runs it as its own process:
``python -m payments.tests.gateways.fake_stripe PORT``.
"""

from __future__ import annotations

import json
import re
import secrets
import sys
from typing import Any
from urllib.parse import parse_qs

from werkzeug import Request, Response

from payments.tests.gateways import stripe_payloads as sp

Obj = dict[str, Any]


def _index(name: str) -> int:
    found = re.search(r"\[(\d+)\]$", name)
    return int(found.group(1)) if found else -1


class FakeStripe:
    """Stripe's side, remembered per object id; ``requests`` logs every call (method, path, form)."""

    def __init__(self) -> None:
        self.refused_keys: set[str] = set()
        self.endpoints: dict[str, Obj] = {}
        self.endpoint_secrets: dict[str, str] = {}  # for assertions: Stripe shows it once
        self.sessions: dict[str, Obj] = {}
        self.intents: dict[str, Obj] = {}
        self.refunds: list[Obj] = []
        self.balance_transactions: dict[str, Obj] = {}
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.down = False  # every call answers 500 (the SDK retries, then gives up)
        self.livemode: bool | None = None  # what the balance says; None: as the key says

    # Serving ---------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        form = parse_qs(request.get_data(as_text=True))
        self.requests.append((request.method, request.path, form))
        if self.down:
            return self._json(sp.error("Stripe is down", type="api_error"), 500)
        key = (request.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not key.startswith(("sk_", "rk_")) or key in self.refused_keys:
            return self._json(sp.error("Invalid API Key provided: sk_****" + key[-4:], type="invalid_request_error"), 401)
        for method, pattern, action in self._routes():
            match = re.fullmatch(pattern, request.path)
            if match and request.method == method:
                return action(key, form, *match.groups())
        return self._json(sp.error(f"Unrecognized request URL ({request.method}: {request.path})"), 404)

    def __call__(self, environ: Any, start_response: Any) -> Any:
        return self.handle(Request(environ))(environ, start_response)

    def _routes(self) -> list[tuple[str, str, Any]]:
        return [
            ("GET", r"/v1/balance", self._balance),
            ("POST", r"/v1/webhook_endpoints", self._create_endpoint),
            ("DELETE", r"/v1/webhook_endpoints/([^/]+)", self._delete_endpoint),
            ("GET", r"/v1/checkout/sessions/([^/]+)", self._session),
            ("GET", r"/v1/refunds", self._list_refunds),
            ("GET", r"/v1/balance_transactions/([^/]+)", self._balance_transaction),
        ]

    @staticmethod
    def _json(obj: Obj, status: int = 200) -> Response:
        return Response(json.dumps(obj), status=status, content_type="application/json")

    # Routes ----------------------------------------------------------------------------------

    def _balance(self, key: str, form: Any) -> Response:
        return self._json(sp.balance(livemode="_live_" in key if self.livemode is None else self.livemode))

    def _create_endpoint(self, key: str, form: dict[str, list[str]]) -> Response:
        endpoint = {
            "id": f"we_{secrets.token_hex(12)}",
            "object": "webhook_endpoint",
            "url": form["url"][0],
            # The SDK sends a list as enabled_events[0]=...&enabled_events[1]=...
            "enabled_events": [form[k][0] for k in sorted(form, key=_index) if k.startswith("enabled_events[")],
            "api_version": (form.get("api_version") or [None])[0],
            "status": "enabled",
            "livemode": "_live_" in key,
        }
        self.endpoints[endpoint["id"]] = endpoint
        # The secret is in the creation's answer only, as at Stripe.
        self.endpoint_secrets[endpoint["id"]] = f"whsec_{secrets.token_hex(16)}"
        return self._json({**endpoint, "secret": self.endpoint_secrets[endpoint["id"]]})

    def _delete_endpoint(self, key: str, form: Any, endpoint_id: str) -> Response:
        if self.endpoints.pop(endpoint_id, None) is None:
            error = sp.error(f"No such webhook endpoint: '{endpoint_id}'", code="resource_missing", param="id")
            return self._json(error, 404)
        return self._json({"id": endpoint_id, "object": "webhook_endpoint", "deleted": True})

    def _session(self, key: str, form: Any, session_id: str) -> Response:
        session = dict(self.sessions[session_id])
        intent = self.intents.get(session.get("payment_intent") or "")
        if intent is not None:
            intent = dict(intent)
            charge = dict(intent["latest_charge"]) if intent.get("latest_charge") else None
            if charge is not None:
                charge["balance_transaction"] = self.balance_transactions.get(charge["balance_transaction"])
            intent["latest_charge"] = charge
            session["payment_intent"] = intent
        return self._json(session)

    def _list_refunds(self, key: str, form: Any) -> Response:
        return self._json(sp.list_of([], url="/v1/refunds"))

    def _balance_transaction(self, key: str, form: Any, transaction_id: str) -> Response:
        found = self.balance_transactions.get(transaction_id)
        if found is None:
            return self._json(sp.error(f"No such balance transaction: '{transaction_id}'", code="resource_missing"), 404)
        return self._json(found)

    # Stripe's side of a payment, for tests -----------------------------------------------------

    def paid_session(self, *, payment_id: str, amount: int, currency: str = "usd", fee: int = 0) -> tuple[Obj, Obj]:
        """A completed checkout, its PaymentIntent and its charge with a balance transaction
        (``fee`` in minor units); returns (session, charge) as Stripe would send them."""
        transaction = {
            "id": f"txn_{secrets.token_hex(12)}",
            "object": "balance_transaction",
            "amount": amount,
            "currency": currency,
            "fee": fee,
            "net": amount - fee,
            "type": "charge",
        }
        self.balance_transactions[transaction["id"]] = transaction
        intent = sp.payment_intent(amount=amount, currency=currency, payment_id=payment_id)
        charge = sp.charge(payment_intent=intent["id"], amount=amount, currency=currency)
        charge.update(balance_transaction=transaction["id"], metadata={"trackify_payment_id": payment_id})
        intent["latest_charge"] = charge
        self.intents[intent["id"]] = intent
        session = sp.checkout_session(
            payment_id=payment_id, amount_total=amount, currency=currency, status="complete", payment_status="paid",
            payment_intent=intent["id"],
        )
        self.sessions[session["id"]] = session
        return session, charge


def serve(httpserver: Any, settings: Any) -> FakeStripe:
    """A fake served by pytest-httpserver, with every Stripe call of the app pointed at it."""
    fake = FakeStripe()
    settings.STRIPE_API_BASE = httpserver.url_for("/").rstrip("/")
    httpserver.expect_request(re.compile(r"/v1/.*")).respond_with_handler(fake.handle)
    return fake


def main(argv: list[str]) -> None:
    from werkzeug.serving import run_simple

    run_simple("127.0.0.1", int(argv[1]), FakeStripe(), threaded=True)


if __name__ == "__main__":
    main(sys.argv)
