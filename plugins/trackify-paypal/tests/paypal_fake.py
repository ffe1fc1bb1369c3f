"""A local stand-in for PayPal's REST API, served over HTTP so the real SDK talks to it.

It keeps what PayPal would remember (apps, tokens, orders, captures, refunds, webhooks) in
memory, answers repeated ``PayPal-Request-Id`` headers with the first answer, and signs the
webhook deliveries it builds so that its verify-webhook-signature endpoint can tell a genuine
delivery from a forged one, over the exact bytes of the body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import uuid
import zlib
from decimal import Decimal
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

SIGNING_KEY = b"fake-paypal-signing-key"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _money(currency: str, value: Decimal) -> dict[str, str]:
    text = format(value, "f") if currency in ("JPY", "HUF", "TWD") else format(value.quantize(Decimal("0.01")), "f")
    return {"currency_code": currency, "value": text}


class FakePayPal:
    """The fake's state and its WSGI app. ``base_url`` once started."""

    def __init__(self) -> None:
        self.apps: dict[str, str] = {}
        self.tokens: dict[str, str] = {}  # token -> the app (client id) it was issued to
        self.orders: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.replies: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.capture_status = "COMPLETED"
        self.refund_status = "COMPLETED"
        self.fee_rate = Decimal("0.0349")
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

    def add_app(self, client_id: str, secret: str) -> None:
        self.apps[client_id] = secret

    def calls(self, method: str, prefix: str) -> list[tuple[str, str, dict[str, str]]]:
        return [call for call in self.requests if call[0] == method and call[1].startswith(prefix)]

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        length = int(environ.get("CONTENT_LENGTH") or 0)
        raw = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        with self.lock:
            self.requests.append((method, path, headers))
            status, body = self._route(method, path, raw, headers, environ)
        data = json.dumps(body).encode() if body is not None else b""
        start_response(f"{status} X", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def _route(self, method: str, path: str, raw: bytes, headers: dict[str, str], environ: dict[str, Any]):  # type: ignore[no-untyped-def]
        if path == "/v1/oauth2/token" and method == "POST":
            return self._token(environ)
        app = self.tokens.get(headers.get("authorization", "").removeprefix("Bearer "))
        if app is None:
            return 401, {"name": "AUTHENTICATION_FAILURE", "message": "Authentication failed."}
        key = headers.get("paypal-request-id")
        if method == "POST" and key and (path, key) in self.replies:
            return self.replies[(path, key)]
        reply = self._dispatch(method, path.rstrip("/").split("/")[1:], raw, app)
        if method == "POST" and key and reply[0] < 300:
            self.replies[(path, key)] = reply
        return reply

    def _dispatch(self, method: str, parts: list[str], raw: bytes, app: str):  # type: ignore[no-untyped-def]
        body = json.loads(raw) if raw and not parts[-1] == "verify-webhook-signature" else {}
        match method, parts:
            case "POST", ["v2", "checkout", "orders"]:
                return self._create_order(body)
            case "GET", ["v2", "checkout", "orders", order_id] if order_id in self.orders:
                return 200, self.orders[order_id]
            case "POST", ["v2", "checkout", "orders", order_id, "capture"] if order_id in self.orders:
                return self._capture(self.orders[order_id])
            case "POST", ["v2", "payments", "captures", capture_id, "refund"]:
                return self._refund(capture_id, body)
            case "GET", ["v2", "payments", "refunds", refund_id] if refund_id in self.refunds:
                return 200, self.refunds[refund_id]
            case "POST", ["v1", "notifications", "webhooks"]:
                webhook = {
                    "id": "WH-" + uuid.uuid4().hex[:17].upper(),
                    "url": body["url"],
                    "event_types": body["event_types"],
                    "app": app,
                }
                self.webhooks[webhook["id"]] = webhook
                return 201, webhook
            case "DELETE", ["v1", "notifications", "webhooks", webhook_id] if self._owns(app, webhook_id):
                del self.webhooks[webhook_id]
                return 204, None
            case "POST", ["v1", "notifications", "verify-webhook-signature"]:
                return 200, {"verification_status": "SUCCESS" if self._genuine(raw, app) else "FAILURE"}
        return 404, {"name": "RESOURCE_NOT_FOUND", "message": "The specified resource does not exist."}

    # Endpoints ---------------------------------------------------------------------------

    def _token(self, environ: dict[str, Any]):  # type: ignore[no-untyped-def]
        auth = environ.get("HTTP_AUTHORIZATION", "")
        try:
            client_id, secret = base64.b64decode(auth.removeprefix("Basic ")).decode().split(":", 1)
        except ValueError:
            client_id, secret = "", ""
        if not client_id or self.apps.get(client_id) != secret:
            return 401, {"error": "invalid_client", "error_description": "Client Authentication failed"}
        token = "A21AA" + uuid.uuid4().hex
        self.tokens[token] = client_id
        return 200, {
            "scope": "https://uri.paypal.com/services/payments",
            "access_token": token,
            "token_type": "Bearer",
            "app_id": "APP-FAKE",
            "expires_in": 32400,
            "nonce": "n",
        }

    def _create_order(self, body: dict[str, Any]):  # type: ignore[no-untyped-def]
        if body.get("intent") != "CAPTURE" or len(body.get("purchase_units") or []) != 1:
            return 400, {"name": "INVALID_REQUEST", "details": [{"issue": "MISSING_REQUIRED_PARAMETER"}]}
        order_id = uuid.uuid4().hex[:17].upper()
        unit = dict(body["purchase_units"][0])
        unit["payments"] = {"captures": [], "refunds": []}
        order = {
            "id": order_id,
            "intent": "CAPTURE",
            "status": "PAYER_ACTION_REQUIRED",
            "purchase_units": [unit],
            "experience": body["payment_source"]["paypal"]["experience_context"],
            "links": [
                {"href": f"{self.base_url}/v2/checkout/orders/{order_id}", "rel": "self", "method": "GET"},
                {
                    "href": f"https://www.sandbox.paypal.com/checkoutnow?token={order_id}",
                    "rel": "payer-action",
                    "method": "GET",
                },
            ],
        }
        self.orders[order_id] = order
        return 200, order

    def _capture(self, order: dict[str, Any]):  # type: ignore[no-untyped-def]
        if self.capture_status == "INSTRUMENT_DECLINED":
            return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": "INSTRUMENT_DECLINED"}]}
        if order["status"] != "APPROVED":
            issue = "ORDER_ALREADY_CAPTURED" if order["status"] == "COMPLETED" else "ORDER_NOT_APPROVED"
            return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": issue}]}
        unit = order["purchase_units"][0]
        currency, value = unit["amount"]["currency_code"], Decimal(unit["amount"]["value"])
        fee = (value * self.fee_rate).quantize(Decimal("1") if currency in ("JPY", "HUF", "TWD") else Decimal("0.01"))
        capture = {
            "id": uuid.uuid4().hex[:17].upper(),
            "status": self.capture_status,
            "amount": unit["amount"],
            "custom_id": unit.get("custom_id"),
            "invoice_id": unit.get("invoice_id"),
            "final_capture": True,
            "supplementary_data": {"related_ids": {"order_id": order["id"]}},
        }
        if self.capture_status == "COMPLETED":
            capture["seller_receivable_breakdown"] = {
                "gross_amount": unit["amount"],
                "paypal_fee": _money(currency, fee),
                "net_amount": _money(currency, value - fee),
            }
        else:
            capture["status_details"] = {"reason": "PENDING_REVIEW" if self.capture_status == "PENDING" else "DECLINED"}
        unit["payments"]["captures"].append(capture)
        order["status"] = "COMPLETED"
        return 201, order

    def _refund(self, capture_id: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
        found = [
            (o, c)
            for o in self.orders.values()
            for c in o["purchase_units"][0]["payments"]["captures"]
            if c["id"] == capture_id
        ]
        if not found:
            return 404, {"name": "RESOURCE_NOT_FOUND", "details": [{"issue": "INVALID_RESOURCE_ID"}]}
        order, capture = found[0]
        amount = Decimal(body.get("amount", capture["amount"])["value"])
        refunded = sum(Decimal(r["amount"]["value"]) for r in order["purchase_units"][0]["payments"]["refunds"])
        if amount + refunded > Decimal(capture["amount"]["value"]):
            return 422, {"name": "UNPROCESSABLE_ENTITY", "details": [{"issue": "REFUND_AMOUNT_EXCEEDED"}]}
        refund = self.make_refund(capture, amount, status=self.refund_status, custom_id=body.get("custom_id"))
        order["purchase_units"][0]["payments"]["refunds"].append(refund)
        return 201, refund

    def make_refund(
        self, capture: dict[str, Any], amount: Decimal, *, status: str, custom_id: str | None = None
    ) -> dict[str, Any]:
        currency = capture["amount"]["currency_code"]
        refund = {
            "id": uuid.uuid4().hex[:17].upper(),
            "status": status,
            "amount": _money(currency, amount),
            "seller_payable_breakdown": {
                "gross_amount": _money(currency, amount),
                "paypal_fee": _money(currency, Decimal(0)),
                "net_amount": _money(currency, amount),
            },
            "links": [{"rel": "up", "method": "GET", "href": f"{self.base_url}/v2/payments/captures/{capture['id']}"}],
        }
        if custom_id:
            refund["custom_id"] = custom_id
        self.refunds[refund["id"]] = refund
        return refund

    # The payer, PayPal's dashboard and PayPal's webhooks -----------------------------------

    def approve(self, order_id: str) -> None:
        """The payer approves the order on PayPal's page."""
        self.orders[order_id]["status"] = "APPROVED"

    def capture_of(self, order_id: str) -> dict[str, Any]:
        return self.orders[order_id]["purchase_units"][0]["payments"]["captures"][-1]

    def delivery(self, event_type: str, resource: dict[str, Any], *, webhook_id: str) -> tuple[bytes, dict[str, str]]:
        """A webhook delivery as PayPal would send it to ``webhook_id``'s URL: body and headers."""
        event = {
            "id": "WH-EV-" + uuid.uuid4().hex[:12].upper(),
            "create_time": "2026-01-02T03:04:05Z",
            "event_type": event_type,
            "resource_type": event_type.split(".")[1].lower(),
            "summary": event_type,
            "resource": resource,
        }
        body = json.dumps(event, indent=1).encode()  # not compact: verification must use the exact bytes
        transmission_id, when = str(uuid.uuid4()), "2026-01-02T03:04:06Z"
        headers = {
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-TIME": when,
            "PAYPAL-TRANSMISSION-SIG": _sign(transmission_id, when, webhook_id, body),
            "PAYPAL-CERT-URL": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-fake",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
        }
        return body, headers

    def _owns(self, app: str, webhook_id: str) -> bool:
        """A webhook belongs to the app that registered it: no other app can see or use it."""
        return self.webhooks.get(webhook_id, {}).get("app") == app

    def _genuine(self, raw: bytes, app: str) -> bool:
        marker = b'"webhook_event": '
        head, _, event = raw.partition(marker)
        fields = json.loads(head.rstrip(b", ") + b"}")
        if not self._owns(app, fields.get("webhook_id", "")):
            return False
        expected = _sign(fields["transmission_id"], fields["transmission_time"], fields["webhook_id"], event[:-1])
        return hmac.compare_digest(expected, fields.get("transmission_sig", ""))


def _sign(transmission_id: str, when: str, webhook_id: str, body: bytes) -> str:
    message = f"{transmission_id}|{when}|{webhook_id}|{zlib.crc32(body)}".encode()
    return base64.b64encode(hmac.new(SIGNING_KEY, message, hashlib.sha256).digest()).decode()
