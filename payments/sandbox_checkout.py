"""The sandbox's hosted checkout page.

This plays the payment provider's side: the payer chooses an outcome, the provider records it,
signs its webhook with the config's secret and delivers it through Trackify's own webhook
endpoint code, exactly as a real gateway's webhook would arrive, then redirects the payer.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.money import format_amount
from payments import events
from payments import sandbox_provider as provider
from payments.errors import PaymentError

logger = logging.getLogger(__name__)


def _gone(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "payments/sandbox_checkout.html", {"gone": message}, status=410)


@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, session_id: str) -> HttpResponse:
    try:
        session = provider.get_session(session_id)
    except provider.SessionNotFound:
        return render(request, "payments/sandbox_checkout.html", {"gone": "No such checkout."}, status=404)
    if session.status == "expired" or session.expires_at <= timezone.now():
        return _gone(request, "This checkout has expired.")
    if session.status != "open":
        return _gone(request, "This checkout has already been completed.")
    if request.method == "GET":
        context = {
            "session": session,
            "amount": format_amount(session.amount, session.currency),
            "outcomes": provider.OUTCOMES,
        }
        return render(request, "payments/sandbox_checkout.html", context)

    outcome = request.POST.get("outcome", "")
    if outcome not in provider.OUTCOMES:
        context = {"session": session, "amount": format_amount(session.amount, session.currency), "error": "Choose an outcome."}
        return render(request, "payments/sandbox_checkout.html", context, status=400)
    try:
        to_deliver = provider.complete(session, outcome)
    except provider.SessionNotFound:
        return _gone(request, "This checkout has already been completed.")
    for payload in to_deliver:
        _deliver(session, payload)
    target = session.cancel_url if outcome == "decline" else session.success_url
    return HttpResponseRedirect(target)


def _deliver(session: provider.SandboxSession, payload: dict) -> None:
    """Send one signed webhook through the same code path the HTTP endpoint uses."""
    body = provider.encode(payload)
    headers = {provider.SIGNATURE_HEADER: provider.sign(body, session.webhook_secret)}
    try:
        events.receive(gateway_name="sandbox", config_id=session.config_id, body=body, headers=headers)
    except PaymentError:
        # A real provider retries later; here the status endpoint's refresh settles it instead.
        logger.exception("Sandbox webhook %s for %s was not accepted", payload["type"], session.id)


urlpatterns = [path("checkout/<str:session_id>", checkout, name="sandbox-checkout")]
