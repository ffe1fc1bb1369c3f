"""A local stand-in for Razorpay's API, served over HTTP so the official SDK talks to it.

It keeps what Razorpay would remember (keys, payment links, payments, refunds) in memory,
answers with Razorpay's shapes and error bodies (401 ``Authentication failed``, 400
``BAD_REQUEST_ERROR``), refuses a second link with the same ``reference_id`` and a link that
expires in under 15 minutes, and builds webhook deliveries signed the way Razorpay signs them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

FEE_RATE = 0.02  # Razorpay's fee before tax
TAX_RATE = 0.18  # GST on the fee


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:14]}"


class FakeRazorpay:
    """The fake's state and its WSGI app. ``base_url`` once started."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.links: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any]]] = []
        self.refund_status = "processed"
        self.fail_next: list[int] = []  # statuses to answer the next calls with (5xx outages)
        self.lock = threading.Lock()
        self.base_url = ""
        self._server: _Server | None = None

    # Serving -----------------------------------------------------------------------------

    def start(self) -> str:
        self._server = make_server("127.0.0.1", 0, self.app, server_class=_Server, handler_class=_Quiet)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        return self.base_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def add_key(self, key_id: str, secret: str) -> None:
        self.keys[key_id] = secret

    def calls(self, method: str, prefix: str) -> list[tuple[str, str, dict[str, Any]]]:
        return [call for call in self.requests if call[0] == method and call[1].startswith(prefix)]

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = json.loads(raw) if raw else {}
        with self.lock:
            self.requests.append((method, path, body or query))
            status, answer = self._answer(method, path, body, query, environ.get("HTTP_AUTHORIZATION", ""))
        data = json.dumps(answer).encode()
        start_response(f"{status} X", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def _answer(
        self, method: str, path: str, body: dict[str, Any], query: dict[str, str], auth: str
    ) -> tuple[int, dict[str, Any]]:
        if self.fail_next:
            return self.fail_next.pop(0), {"error": {"code": "SERVER_ERROR", "description": "Try again later"}}
        if not self._authenticated(auth):
            return 401, {"error": {"code": "BAD_REQUEST_ERROR", "description": "Authentication failed"}}
        parts = path.strip("/").split("/")[1:]  # after "v1"
        route = (method, parts[0] if parts else "", len(parts), parts[-1] if len(parts) > 2 else "")
        try:
            return self._route(route, parts, body, query)
        except KeyError:
            return 400, _bad("The id provided does not exist")

    def _authenticated(self, auth: str) -> bool:
        if not auth.startswith("Basic "):
            return False
        key_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        return bool(key_id) and self.keys.get(key_id) == secret

    def _route(
        self, route: tuple[str, str, int, str], parts: list[str], body: dict[str, Any], query: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        method, kind, depth, tail = route
        if (method, kind, depth) == ("POST", "payment_links", 1):
            return self._create_link(body)
        if (method, kind, depth) == ("GET", "payment_links", 1):
            found = [link for link in self.links.values() if link["reference_id"] == query.get("reference_id")]
            return 200, {"payment_links": found}
        if (method, kind, depth) == ("GET", "payment_links", 2):
            return 200, self.links[parts[1]]
        if (method, kind, tail) == ("POST", "payment_links", "cancel"):
            link = self.links[parts[1]]
            if link["status"] not in ("created", "partially_paid"):
                return 400, _bad(f"Payment link cannot be cancelled in {link['status']} state")
            link["status"] = "cancelled"
            return 200, link
        if (method, kind, depth) == ("GET", "payments", 1):
            return 200, {"entity": "collection", "count": 0, "items": []}
        if (method, kind, depth) == ("GET", "payments", 2):
            return 200, self.payments[parts[1]]
        if (method, kind, tail) == ("GET", "payments", "refunds"):
            items = [r for r in self.refunds.values() if r["payment_id"] == parts[1]]
            return 200, {"entity": "collection", "count": len(items), "items": items}
        if (method, kind, tail) == ("POST", "payments", "refund"):
            return self._refund(self.payments[parts[1]], body)
        if (method, kind, depth) == ("GET", "refunds", 2):
            return 200, self.refunds[parts[1]]
        return 404, _bad("The requested URL was not found on the server.")

    def _create_link(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not isinstance(body.get("amount"), int) or body["amount"] < 100:
            return 400, _bad("The amount must be atleast INR 1.00")
        if body.get("expire_by", 0) < time.time() + 15 * 60:
            return 400, _bad("expire_by should be at least 15 minutes after current time")
        if any(link["reference_id"] == body.get("reference_id") for link in self.links.values()):
            return 400, _bad(f"Payment Link with reference {body.get('reference_id')} already exists")
        link_id = _id("plink")
        link = {
            "id": link_id, "entity": "payment_link", "status": "created", "amount_paid": 0, "payments": None,
            "short_url": f"{self.base_url}/pl/{link_id}", "created_at": int(time.time()),
            **{k: body.get(k) for k in ("amount", "currency", "reference_id", "expire_by", "notes",
                                         "description", "callback_url", "callback_method", "accept_partial")},
        }  # fmt: skip
        self.links[link_id] = link
        return 200, link

    def _refund(self, payment: dict[str, Any], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        amount = body.get("amount", payment["amount"] - payment["amount_refunded"])
        if amount > payment["amount"] - payment["amount_refunded"]:
            return 400, _bad("The refund amount provided is greater than amount captured")
        return 200, self.make_refund(payment["id"], amount, notes=body.get("notes") or [], receipt=body.get("receipt"))

    # What happens at Razorpay (the payer, the dashboard, time) ------------------------------

    def pay(self, link_id: str, *, amount: int | None = None, method: str = "upi") -> dict[str, Any]:
        """The payer pays the link (in full, or ``amount`` of it); the captured payment."""
        link = self.links[link_id]
        paid = link["amount"] - link["amount_paid"] if amount is None else amount
        payment = self._payment(link, paid, "captured", method=method)
        link["amount_paid"] += paid
        link["status"] = "paid" if link["amount_paid"] >= link["amount"] else "partially_paid"
        return payment

    def decline(self, link_id: str, reason: str = "Your payment has been declined by the bank.") -> dict[str, Any]:
        payment = self._payment(self.links[link_id], self.links[link_id]["amount"], "failed", method="card")
        payment.update(error_code="BAD_REQUEST_ERROR", error_description=reason, fee=None, tax=None)
        return payment

    def _payment(self, link: dict[str, Any], amount: int, status: str, *, method: str) -> dict[str, Any]:
        fee = round(amount * FEE_RATE * (1 + TAX_RATE))
        payment = {
            "id": _id("pay"), "entity": "payment", "amount": amount, "currency": link["currency"],
            "status": status, "method": method, "amount_refunded": 0, "captured": status == "captured",
            "order_id": _id("order"), "notes": dict(link["notes"] or {}), "fee": fee,
            "tax": round(amount * FEE_RATE * TAX_RATE), "error_code": None, "error_description": None,
            "created_at": int(time.time()),
        }  # fmt: skip
        self.payments[payment["id"]] = payment
        entry = {"amount": amount, "payment_id": payment["id"], "plink_id": link["id"], "status": status}
        link["payments"] = [*(link["payments"] or []), entry]
        return payment

    def make_refund(
        self, payment_id: str, amount: int, *, notes: Any = (), receipt: str | None = None
    ) -> dict[str, Any]:
        """A refund made through the API or, with no notes, in Razorpay's dashboard."""
        payment = self.payments[payment_id]
        refund = {
            "id": _id("rfnd"), "entity": "refund", "amount": amount, "currency": payment["currency"],
            "payment_id": payment_id, "notes": dict(notes) if notes else [], "receipt": receipt,
            "status": self.refund_status, "speed_processed": "normal", "created_at": int(time.time()),
        }  # fmt: skip
        self.refunds[refund["id"]] = refund
        if refund["status"] != "failed":
            payment["amount_refunded"] += amount
        return refund

    def end(self, link_id: str, status: str) -> dict[str, Any]:
        """The link expires (``expired``) or the owner cancels it in the dashboard (``cancelled``)."""
        self.links[link_id]["status"] = status
        return self.links[link_id]

    # Webhooks ------------------------------------------------------------------------------

    def event(self, event_type: str, **entities: dict[str, Any]) -> dict[str, Any]:
        return {
            "entity": "event", "account_id": "acc_FakeAccount01", "event": event_type,
            "contains": list(entities), "payload": {k: {"entity": v} for k, v in entities.items()},
            "created_at": int(time.time()),
        }  # fmt: skip

    @staticmethod
    def delivery(event: dict[str, Any], *, secret: str, event_id: str | None = None) -> tuple[bytes, dict[str, str]]:
        """The body and headers Razorpay sends: the signature over these exact bytes."""
        body = json.dumps(event, separators=(",", ":")).encode()
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return body, {
            "X-Razorpay-Signature": signature,
            "X-Razorpay-Event-Id": event_id or _id("evt").replace("_", "")[:14],
        }


def _bad(description: str) -> dict[str, Any]:
    return {"error": {"code": "BAD_REQUEST_ERROR", "description": description, "source": "business"}}
