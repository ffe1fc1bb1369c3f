"""Signatures the load generator and the baselines share (pure functions, no Django)."""

from __future__ import annotations

import hashlib
import hmac
import time

# The minimal ingest baseline's own secret and header.
MINIMAL_SECRET = b"bench-minimal-ingest-secret"
MINIMAL_HEADER = "X-Bench-Signature"
# The sandbox provider's header and scheme (sandbox.provider.sign).
SANDBOX_HEADER = "Sandbox-Signature"


def minimal_signature(body: bytes) -> str:
    return hmac.new(MINIMAL_SECRET, body, hashlib.sha256).hexdigest()


def sandbox_signature(body: bytes, secret: str) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">``, signed now as a real delivery is."""
    timestamp = int(time.time())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"
