"""Settings for the test suite: the production settings with test keys and no TLS redirect."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-trackify-suite-only-0123456789abcdef")
# Two keys, newest first, so decryption under an older key is exercised too.
os.environ.setdefault(
    "CREDENTIALS_ENCRYPTION_KEYS",
    "6VqQjE4xNMov1RM9fvMEk1qzJbhwlA0oC10tZzs9BIk=,HyqvAJja0p8enxWYAv_ITGcUCsEDLa_8rDfUQpmaY5Y=",
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("PUBLIC_RATE_LIMIT", "off")
os.environ.setdefault("SANDBOX_ASYNC_SETTLE_SECONDS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from trackify.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only

# Tests run in one process, and clear the cache between tests without touching the database:
# the in-process cache (or Redis when REDIS_URL is set). The production default, the database
# cache shared by every worker, is exercised by test_rate_limits.py against gunicorn workers.
if not REDIS_URL:  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
