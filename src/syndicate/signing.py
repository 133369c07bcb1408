"""HMAC-SHA256 request signatures, the same both ways: the webhooks we send and the pushes we accept.

The MAC covers ``"<timestamp>." + body`` (the timestamp in Unix seconds) under a shared secret
and travels as ``X-Syndicate-Signature: sha256=<hex>`` beside ``X-Syndicate-Timestamp``.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Syndicate-Signature"
TIMESTAMP_HEADER = "X-Syndicate-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    mac = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def timestamp_problem(timestamp: str, now: float, max_skew: float) -> str | None:
    """None when ``timestamp`` is Unix seconds no more than ``max_skew`` seconds either side of
    ``now``, else why not (``bad timestamp`` or ``stale request``)."""
    # ASCII digits only: int() would also take other scripts' digits, which the MAC cannot
    if not (timestamp.isascii() and timestamp.lstrip("-").isdigit()):
        return "bad timestamp"
    ts = int(timestamp)
    if abs(now - ts) > max_skew:
        return "stale request"
    return None


def verify(secret: bytes, timestamp: str, body: bytes, signature: str,
           *, max_skew: float | None = None, now: float | None = None) -> bool:
    """True when ``signature`` is the one :func:`sign` gives (constant-time comparison) and,
    when ``max_skew`` is given, ``timestamp`` is that fresh at ``now`` (default: the clock)."""
    if max_skew is not None:
        at = time.time() if now is None else now
        if timestamp_problem(timestamp, at, max_skew) is not None:
            return False
    if not (timestamp.isascii() and signature.isascii()):
        return False  # a header no signer could have written (and compare_digest refuses)
    return hmac.compare_digest(sign(secret, timestamp, body), signature)
