"""Request signatures: one scheme for the webhooks we send and the pushes we accept."""

from __future__ import annotations

from syndicate import signing
from syndicate.destinations import webhook
from syndicate.web import push


def test_signature_is_hmac_sha256_of_timestamp_dot_body_as_hex() -> None:
    assert signing.sign(b"k", "1764320400", b"body") == (
        "sha256=ad7c4e0c3edbe362e8703247a851dd9fcfb688b5857ae282d60436da4a46eb14")


def test_webhooks_and_pushes_sign_alike_under_the_same_headers() -> None:
    assert webhook.sign is push.sign is signing.sign
    assert webhook.SIGNATURE_HEADER == push.SIG_HEADER == "X-Syndicate-Signature"
    assert webhook.TIMESTAMP_HEADER == push.TS_HEADER == "X-Syndicate-Timestamp"


def test_verify_accepts_only_the_signature_of_that_timestamp_and_body() -> None:
    sig = signing.sign(b"k", "1764320400", b"body")
    assert signing.verify(b"k", "1764320400", b"body", sig)
    assert not signing.verify(b"other", "1764320400", b"body", sig)
    assert not signing.verify(b"k", "1764320400", b"body", sig.upper())


def test_verify_with_a_window_refuses_a_timestamp_outside_it() -> None:
    sig = signing.sign(b"k", "1000", b"body")
    assert signing.verify(b"k", "1000", b"body", sig, max_skew=60, now=1060)
    assert signing.verify(b"k", "1000", b"body", sig, max_skew=60, now=940)
    assert not signing.verify(b"k", "1000", b"body", sig, max_skew=60, now=1061)
    assert not signing.verify(b"k", "1000", b"body", sig, max_skew=60, now=939)


def test_timestamp_problem_says_why_a_timestamp_is_refused() -> None:
    assert signing.timestamp_problem("1000", 1100.0, 300) is None
    assert signing.timestamp_problem("soon", 1100.0, 300) == "bad timestamp"
    assert signing.timestamp_problem("1000", 1400.5, 300) == "stale request"


def test_headers_with_characters_no_signer_writes_fail_verification_quietly() -> None:
    sig = signing.sign(b"k", "1000", b"body")
    assert not signing.verify(b"k", "1000", b"body", sig[:-1] + "\u00e9")
    assert not signing.verify(b"k", "\u0661\u0660\u0660\u0660", b"body", sig)
    assert signing.timestamp_problem("\u0661\u0660\u0660\u0660", 1000.0, 300) == "bad timestamp"
