"""Serves the built React app: its index.html for every client-side route."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import ensure_csrf_cookie

from trackify.api import error_body

_NOT_BUILT = """<!doctype html><html><head><meta charset="utf-8"><title>Trackify</title></head>
<body><h1>Trackify</h1><p>The web app is not built yet. Run <code>make run</code>, which builds it
with <code>npm ci &amp;&amp; npm run build</code> in <code>frontend/</code>.</p>
<p>The API is served at <a href="/api/docs/">/api/docs/</a>.</p></body></html>"""


@lru_cache(maxsize=1)
def _index_html(mtime: float) -> str:
    return (settings.FRONTEND_DIST / "index.html").read_text(encoding="utf-8")


@ensure_csrf_cookie
def index(request: HttpRequest) -> HttpResponse:
    index_file = settings.FRONTEND_DIST / "index.html"
    if not index_file.is_file():
        return HttpResponse(_NOT_BUILT, status=200)
    response = HttpResponse(_index_html(index_file.stat().st_mtime))
    response["Cache-Control"] = "no-cache"
    return response


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return HttpResponse("<h1>Not found</h1>", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
    return HttpResponse("<h1>Something went wrong on our side.</h1>", status=500)
