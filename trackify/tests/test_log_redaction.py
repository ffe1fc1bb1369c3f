"""Secrets never reach a log line: what the configured handlers write is read back and searched,
whichever logger wrote the record and wherever the secret was (message, arguments, exception)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
import stripe

from trackify.logging import RedactSecretsFilter

SECRET_KEY = "sk_test_51RedactionS3cretKeyNeverLogged000000000000Ab12"
LIVE_KEY = "sk_live_51RedactionLiveKeyNeverLogged0000000000000Cd34"
RESTRICTED_KEY = "rk_live_51RedactionRestrictedNeverLogged00000000Ef56"
WEBHOOK_SECRET = "whsec_RedactionWebhookSecretNeverLogged000Gh78"
API_TOKEN = "9f2c4e1a7b3d5f608192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
CLIENT_SECRET = "RazorpayKeySecretNeverLogged42"
DB_PASSWORD = "Db-Passw0rd-NeverLogged"
SESSION_ID = "q8w7e6r5t4y3u2i1NeverLoggedSession"
SECRETS = (
    SECRET_KEY,
    LIVE_KEY,
    RESTRICTED_KEY,
    WEBHOOK_SECRET,
    API_TOKEN,
    CLIENT_SECRET,
    DB_PASSWORD,
    SESSION_ID,
    "NeverLogged",
)


@pytest.fixture
def written() -> Iterator[io.StringIO]:
    """What the handlers configured from settings.LOGGING write, captured from their own streams."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    handlers = [h for h in handlers if type(h).__module__ == "logging"]  # not pytest's capture handlers
    assert handlers, "the root logger has no stream handler from settings.LOGGING"
    out = io.StringIO()
    previous = [h.setStream(out) for h in handlers]
    yield out
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def assert_redacted(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text
    assert "[redacted]" in text  # the lines were written, with the secret taken out


@pytest.mark.parametrize("name", ["stripe", "payments.services", "django.request", "some.third.party"])
def test_a_secret_in_the_message_or_its_arguments_is_redacted(written, name):
    logger = logging.getLogger(name)
    logger.info("Invalid API Key provided: %s", SECRET_KEY)
    logger.info(f"retrying with {LIVE_KEY} and {RESTRICTED_KEY}")
    logger.warning("verify failed for %(name)s: %(creds)r", {"name": "shop", "creds": {"key_secret": CLIENT_SECRET}})
    logger.error("webhook secret %s refused, headers=%s", WEBHOOK_SECRET, {"Authorization": f"Token {API_TOKEN}"})
    logger.info("cannot connect to postgres://trackify:%s@db.internal:5432/trackify", DB_PASSWORD)
    logger.info("request headers: %r", {"Cookie": f"sessionid={SESSION_ID}; csrftoken={SESSION_ID}"})
    output = written.getvalue()
    assert output.count("\n") >= 6 and name in output
    assert_redacted(output)
    assert "Invalid API Key provided: sk_test_[redacted]" in output  # still says what went wrong


def test_a_secret_in_an_exception_is_redacted(written):
    try:
        raise stripe.AuthenticationError(f"Invalid API Key provided: {SECRET_KEY}")
    except stripe.AuthenticationError:
        logging.getLogger("payments.gateways").exception("Stripe refused the call with %s", LIVE_KEY)
    output = written.getvalue()
    assert "AuthenticationError" in output and "Traceback" in output
    assert_redacted(output)


def test_extra_fields_are_redacted(written):
    logging.getLogger("payments").info("request", extra={"authorization": f"Bearer {API_TOKEN}"})
    record_text = written.getvalue()
    assert "request" in record_text
    # The plain format does not print extra fields; a structured formatter would: check the record.
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    record.authorization = f"Bearer {API_TOKEN}"
    RedactSecretsFilter().filter(record)
    assert API_TOKEN not in record.authorization


def test_the_stripe_sdk_log_of_a_refused_call_is_redacted(written, httpserver, settings):
    """The SDK's own INFO line quotes the error Stripe sent; a Stripe-compatible server may echo the key."""
    httpserver.expect_request("/v1/balance").respond_with_json(
        {"error": {"type": "invalid_request_error", "message": f"Invalid API Key provided: {SECRET_KEY}"}}, status=401
    )
    client = stripe.StripeClient(SECRET_KEY, base_addresses={"api": httpserver.url_for("/").rstrip("/")})
    with pytest.raises(stripe.AuthenticationError):
        client.v1.balance.retrieve()
    output = written.getvalue()
    assert "API error received" in output
    assert_redacted(output)


def test_every_handler_of_every_logger_redacts():
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if isinstance(handler, logging.NullHandler) or type(handler).__module__.startswith("_pytest"):
                continue
            assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters), (logger.name, handler)


def test_ordinary_text_is_left_alone():
    from trackify.logging import redact

    for text in (
        "Token expired; use Basic authentication",
        "password: must be at least 8 characters",
        "Refund 5.00 USD of payment 3f2a sent to sandbox",
        "Stripe: Invalid API Key provided: sk_test_****Ab12",
    ):
        assert redact(text) == text
