"""What the PayPal plugin's tests share besides fixtures: the fake app's keys and PayPal's
webhook delivery. (A module of its own: ``conftest`` is not a name to import from.)"""

from __future__ import annotations

CLIENT_ID = "AZfakeClientId0123456789abcdefXYZ"
CLIENT_SECRET = "EFfakeSecret0123456789abcdefghijXYZ"
CREDENTIALS = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}


def deliver(api_client, fake_paypal, config, event_type, resource, *, times=1):  # type: ignore[no-untyped-def]
    """PayPal delivers one event (``times`` times: redeliveries of the same event)."""
    body, headers = fake_paypal.delivery(event_type, resource, webhook_id=config.get_credentials()["webhook_id"])
    extra = {"HTTP_" + name.replace("-", "_"): value for name, value in headers.items()}
    answers = [
        api_client.post(config.webhook_path, body, content_type="application/json", **extra) for _ in range(times)
    ]
    assert {answer.status_code for answer in answers} == {200}, [answer.json() for answer in answers]
    return answers[-1]
