"""The sandbox's hosted checkout page.

This plays the payment provider's side: the payer chooses an outcome, the provider records it,
signs its webhook with the config's secret and POSTs it to Trackify's public webhook endpoint
(``sandbox.delivery``), exactly as a real gateway's webhook would arrive, then redirects the payer.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.money import format_amount
from sandbox import delivery, provider, saved_methods

TEMPLATE = "sandbox/checkout.html"


def _gone(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, TEMPLATE, {"gone": message}, status=410)


# Never inside one request-wide transaction: the provider commits the payer's choice first, then
# the webhook endpoint runs its own transactions (with SQLite's IMMEDIATE ones, a page holding
# the write lock would make its own delivery wait for it).
@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def checkout(request: HttpRequest, session_id: str) -> HttpResponse:
    try:
        session = provider.get_session(session_id)
    except provider.SessionNotFound:
        return render(request, TEMPLATE, {"gone": "No such checkout."}, status=404)
    if session.status == "expired" or session.expires_at <= timezone.now():
        return _gone(request, "This checkout has expired.")
    if session.status != "open":
        return _gone(request, "This checkout has already been completed.")
    if request.method == "GET":
        context = {
            "session": session,
            "amount": format_amount(session.amount, session.currency),
            "outcomes": provider.OUTCOMES,
            "offers_saving": session.metadata.get("save_payment_method") == "true",
            "behaviours": saved_methods.BEHAVIOURS,
        }
        return render(request, TEMPLATE, context)

    outcome = request.POST.get("outcome", "")
    if outcome not in provider.OUTCOMES:
        context = {"session": session, "amount": format_amount(session.amount, session.currency), "error": "Choose an outcome."}
        return render(request, TEMPLATE, context, status=400)
    if outcome in ("pay", "pay_later_success") and request.POST.get("save_method") == "on":
        saved_methods.save_method(session, request.POST.get("later_charges", "succeed"))
    try:
        to_deliver = provider.complete(session, outcome)
    except provider.SessionNotFound:
        return _gone(request, "This checkout has already been completed.")
    for payload in to_deliver:
        delivery.deliver(session, payload)
    target = session.cancel_url if outcome == "decline" else session.success_url
    return HttpResponseRedirect(target)
