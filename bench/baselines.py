"""The floor: what Django costs with no application code on top.

``bare`` is a plain ``JsonResponse``. ``minimal_ingest`` is the least a webhook endpoint can do:
read the body, check an HMAC, insert one row once (``ON CONFLICT DO NOTHING``) into a table of
its own, created by the benchmark's setup (``bench.seed``).
"""

from __future__ import annotations

import hmac
import json

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from bench.signing import MINIMAL_HEADER, minimal_signature

INGEST_TABLE = "bench_minimal_event"


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
def minimal_ingest(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return JsonResponse({"code": "method_not_allowed"}, status=405)
    body = request.body
    if not hmac.compare_digest(minimal_signature(body), request.headers.get(MINIMAL_HEADER, "")):
        return JsonResponse({"code": "webhook_signature_invalid"}, status=400)
    try:
        event_id = str(json.loads(body)["id"])[:255]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"code": "webhook_payload_invalid"}, status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {INGEST_TABLE} (event_id, body) VALUES (%s, %s) ON CONFLICT (event_id) DO NOTHING",
            [event_id, body.decode()],
        )
    return JsonResponse({"received": True, "event_id": event_id})
