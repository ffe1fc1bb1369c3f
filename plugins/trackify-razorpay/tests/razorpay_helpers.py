"""What the Razorpay plugin's tests share besides fixtures: the fake account's keys and
Razorpay's webhook delivery. (A module of its own: ``conftest`` is not a name to import from.)"""

from __future__ import annotations

from typing import Any

KEY_ID = "rzp_test_FakeKey0123abcd"
KEY_SECRET = "FakeSecret0123456789abcd"
WEBHOOK_SECRET = "whook-secret-for-tests"
CREDENTIALS = {"key_id": KEY_ID, "key_secret": KEY_SECRET, "webhook_secret": WEBHOOK_SECRET}


def post_event(api_client, config, event: dict[str, Any], *, event_id=None, secret=WEBHOOK_SECRET):  # type: ignore[no-untyped-def]
    """Razorpay delivers one event to the config's webhook URL; the answer."""
    from razorpay_fake import FakeRazorpay

    body, headers = FakeRazorpay.delivery(event, secret=secret, event_id=event_id)
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    return api_client.post(config.webhook_path, body, content_type="application/json", **extra)


def deliver(api_client, config, event: dict[str, Any], *, event_id=None, times=1):  # type: ignore[no-untyped-def]
    """Deliver an event (``times`` times, one event id: redeliveries); each must answer 200."""
    from razorpay_fake import FakeRazorpay

    body, headers = FakeRazorpay.delivery(event, secret=WEBHOOK_SECRET, event_id=event_id)
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    answers = [
        api_client.post(config.webhook_path, body, content_type="application/json", **extra) for _ in range(times)
    ]
    assert {answer.status_code for answer in answers} == {200}, [answer.json() for answer in answers]
    return answers[-1]
