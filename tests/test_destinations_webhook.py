"""The webhook destination against a real HTTP server on loopback that checks the signature."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from syndicate.destinations import Delivery, create
from syndicate.destinations.webhook import sign, verify
from syndicate.errors import ConfigError, DeliveryFailed, DeliveryRejected

pytestmark = pytest.mark.integration

SECRET = "s3cr3t-shared-with-acme"
DELIVERY = Delivery("acme", "es", "urn:newsml:example.com:20261128:story-1", 2, "ninjs",
                    b'{"uri":"urn:newsml:example.com:20261128:story-1"}')


@dataclass
class Receiver:
    """What the partner's endpoint saw, and what it answers next."""

    url: str
    status: int = 204
    delay: float = 0.0
    requests: list[tuple[dict[str, str], bytes, bool]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            ts = self.headers.get("X-Syndicate-Timestamp", "")
            expected = "sha256=" + hmac.new(SECRET.encode(), ts.encode() + b"." + body,
                                            hashlib.sha256).hexdigest()
            ok = hmac.compare_digest(expected, self.headers.get("X-Syndicate-Signature", ""))
            state.requests.append((dict(self.headers.items()), body, ok))
            if state.delay:
                threading.Event().wait(state.delay)
            status = state.status if ok else 401
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/syndicate"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", SECRET)


def webhook(url: str, **extra: object):  # type: ignore[no-untyped-def]
    return create("webhook", {"url": url, "secret_env": "ACME_WEBHOOK_SECRET", **extra})


def test_post_is_signed_and_the_receiver_verifies_it(receiver: Receiver) -> None:
    webhook(receiver.url).deliver(DELIVERY)
    ((headers, body, ok),) = receiver.requests
    assert ok
    assert body == DELIVERY.data
    assert headers["Content-Type"] == "application/json"
    assert headers["Idempotency-Key"] == DELIVERY.key


def test_retry_of_the_same_delivery_carries_the_same_idempotency_key(
    receiver: Receiver
) -> None:
    dest = webhook(receiver.url)
    dest.deliver(DELIVERY)
    dest.deliver(DELIVERY)
    keys = {h["Idempotency-Key"] for h, _, _ in receiver.requests}
    assert keys == {DELIVERY.key}


def test_server_error_is_retryable(receiver: Receiver) -> None:
    receiver.status = 503
    with pytest.raises(DeliveryFailed, match="503") as info:
        webhook(receiver.url).deliver(DELIVERY)
    assert not isinstance(info.value, DeliveryRejected)


def test_client_error_is_a_refusal_for_good_with_the_status(receiver: Receiver) -> None:
    receiver.status = 422
    with pytest.raises(DeliveryRejected, match="422"):
        webhook(receiver.url).deliver(DELIVERY)


def test_wrong_secret_is_refused_by_the_receiver(receiver: Receiver,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", "not-the-shared-secret")
    with pytest.raises(DeliveryRejected, match="401"):
        webhook(receiver.url).deliver(DELIVERY)


def test_timeout_is_retryable(receiver: Receiver) -> None:
    receiver.delay = 1.0
    with pytest.raises(DeliveryFailed, match="timed out") as info:
        webhook(receiver.url, timeout=0.2).deliver(DELIVERY)
    assert not isinstance(info.value, DeliveryRejected)


def test_connection_refused_is_retryable() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DeliveryFailed, match="cannot reach") as info:
        webhook(f"http://127.0.0.1:{port}/").deliver(DELIVERY)
    assert not isinstance(info.value, DeliveryRejected)


def test_missing_secret_variable_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACME_WEBHOOK_SECRET")
    with pytest.raises(ConfigError, match="ACME_WEBHOOK_SECRET"):
        webhook("http://127.0.0.1:9/")


def test_url_must_be_http(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="webhook destination: url"):
        webhook("ftp://example.com/")


def test_signature_covers_timestamp_and_body() -> None:
    sig = sign(b"k", "1764320400", b"body")
    assert verify(b"k", "1764320400", b"body", sig)
    assert not verify(b"k", "1764320401", b"body", sig)
    assert not verify(b"k", "1764320400", b"body!", sig)
