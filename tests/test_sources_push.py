"""The HTTP push endpoint: signed, fresh requests of a sane size are queued; anything else is
refused as early as it can be, and nothing is queued."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterable, AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import syndicate
from push_server import free_port
from syndicate.errors import UnsupportedFormat
from syndicate.pipeline import IngestJob
from syndicate.store import SqliteBackend, Store
from syndicate.web.push import MAX_BYTES, create_app, sign

SECRET = b"shared-test-key"
BODY = b"MOSCOW, October 22. /TASS/. Wire copy."
#: what no codec reads: the start of a PNG image
IMAGE = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
#: the size limit of the endpoint under test, small so that going over it is quick
LIMIT = 64 * 1024
#: and its read timeout
READ_TIMEOUT = 0.5


@dataclass
class Endpoint:
    app: FastAPI
    jobs: list[IngestJob]
    store: Store

    @property
    def client(self) -> TestClient:
        return TestClient(self.app)

    def stream(self, body: AsyncIterable[bytes], headers: dict[str, str]) -> httpx.Response:
        """POST ``body`` to /push a chunk at a time, as it is pulled (the way a server reads)."""

        async def post() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://push.test") as c:
                return await c.post("/push", content=body, headers=headers)

        return asyncio.run(post())


class Upload:
    """A body of ``count`` chunks that counts how many of them the endpoint pulled."""

    def __init__(self, count: int, size: int = 16 * 1024, stall_after: int | None = None) -> None:
        self.count, self.size, self.stall_after = count, size, stall_after
        self.pulled = 0

    @property
    def data(self) -> bytes:
        return b"x" * (self.count * self.size)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for n in range(self.count):
            if n == self.stall_after:
                await asyncio.sleep(60)
            self.pulled += 1
            yield b"x" * self.size


@pytest.fixture
def endpoint(tmp_path: Path) -> Endpoint:
    store = Store(SqliteBackend(tmp_path / "s.db"))
    jobs: list[IngestJob] = []
    app = create_app(store, jobs.append, SECRET, max_bytes=LIMIT, read_timeout=READ_TIMEOUT)
    return Endpoint(app, jobs, store)


def _headers(ts: int | None = None, body: bytes = BODY, secret: bytes = SECRET) -> dict[str, str]:
    stamp = str(int(time.time()) if ts is None else ts)
    return {"X-Syndicate-Timestamp": stamp, "X-Syndicate-Signature": sign(secret, stamp, body)}


def test_signed_request_is_accepted_and_queued(endpoint: Endpoint) -> None:
    r = endpoint.client.post("/push", content=BODY, headers=_headers())
    assert r.status_code == 202
    assert len(endpoint.jobs) == 1 and endpoint.store.get_blob(endpoint.jobs[0].blob) == BODY


def test_signed_request_sent_in_chunks_under_the_limit_is_accepted(endpoint: Endpoint) -> None:
    upload = Upload(count=3)
    r = endpoint.stream(upload, _headers(body=upload.data))
    assert r.status_code == 202
    assert endpoint.store.get_blob(endpoint.jobs[0].blob) == upload.data


def test_unsigned_request_is_refused_before_its_body_is_read(endpoint: Endpoint) -> None:
    upload = Upload(count=3)
    r = endpoint.stream(upload, {})
    assert r.status_code == 401 and r.json()["detail"] == "missing signature headers"
    assert upload.pulled == 0 and endpoint.jobs == []


def test_stale_request_is_refused_before_its_body_is_read(endpoint: Endpoint) -> None:
    upload = Upload(count=3)
    r = endpoint.stream(upload, _headers(int(time.time()) - 301, body=upload.data))
    assert r.status_code == 401 and r.json()["detail"] == "stale request"
    assert upload.pulled == 0 and endpoint.jobs == []


def test_wrongly_signed_request_is_refused(endpoint: Endpoint) -> None:
    r = endpoint.client.post("/push", content=BODY, headers=_headers(secret=b"other"))
    assert r.status_code == 401 and endpoint.jobs == []


def test_body_changed_after_signing_is_refused(endpoint: Endpoint) -> None:
    r = endpoint.client.post("/push", content=BODY + b"!", headers=_headers())
    assert r.status_code == 401 and endpoint.jobs == []


@pytest.mark.parametrize("header", ["X-Syndicate-Signature", "X-Syndicate-Timestamp"])
def test_a_signature_header_with_bytes_no_signer_writes_is_refused_not_an_error(
    endpoint: Endpoint, header: str
) -> None:
    headers = [(k.encode(), v.encode()) for k, v in _headers().items() if k != header]
    # latin-1 bytes, as a client may send them: "sha256=é..." / Arabic-Indic digits
    odd = "sha256=\u00e9".encode("latin-1") if "Signature" in header else "\u0661".encode()
    r = endpoint.client.post("/push", content=BODY, headers=[*headers, (header.encode(), odd)])
    assert r.status_code == 401 and endpoint.jobs == []


def test_request_older_than_five_minutes_is_refused(endpoint: Endpoint) -> None:
    r = endpoint.client.post("/push", content=BODY, headers=_headers(int(time.time()) - 301))
    assert r.status_code == 401 and endpoint.jobs == []


def test_declared_length_over_the_limit_is_refused_before_the_body_is_read(
        endpoint: Endpoint) -> None:
    upload = Upload(count=LIMIT // 1024 + 1, size=1024)
    headers = _headers(body=upload.data) | {"Content-Length": str(LIMIT + 1024)}
    r = endpoint.stream(upload, headers)
    assert r.status_code == 413
    assert upload.pulled == 0 and endpoint.jobs == []


def test_chunked_body_is_refused_as_soon_as_it_passes_the_limit(endpoint: Endpoint) -> None:
    upload = Upload(count=40)  # ten times the limit, signed, no Content-Length
    r = endpoint.stream(upload, _headers(body=upload.data))
    assert r.status_code == 413
    assert upload.pulled == LIMIT // upload.size + 1
    assert endpoint.jobs == [] and endpoint.store.b.keys("blob") == []


def test_body_longer_than_its_content_length_is_refused_at_the_limit(endpoint: Endpoint) -> None:
    upload = Upload(count=40)
    r = endpoint.stream(upload, _headers(body=upload.data) | {"Content-Length": "100"})
    assert r.status_code == 413
    assert upload.pulled == LIMIT // upload.size + 1 and endpoint.jobs == []


def test_refusal_before_the_end_of_the_body_closes_the_connection(endpoint: Endpoint) -> None:
    # else the server would read the rest of the body to find the next request
    upload = Upload(count=40)
    r = endpoint.stream(upload, _headers(body=upload.data))
    assert r.status_code == 413 and r.headers["connection"] == "close"


def test_body_that_arrives_too_slowly_is_refused_with_408(endpoint: Endpoint) -> None:
    upload = Upload(count=3, stall_after=1)
    start = time.monotonic()
    r = endpoint.stream(upload, _headers(body=upload.data))
    assert r.status_code == 408 and r.headers["connection"] == "close"
    assert time.monotonic() - start < READ_TIMEOUT + 2
    assert endpoint.jobs == []


def test_input_no_format_recognises_is_refused_with_422_and_the_reason(endpoint: Endpoint) -> None:
    r = endpoint.client.post("/push", content=IMAGE, headers=_headers(body=IMAGE))
    assert r.status_code == 422
    assert r.json()["detail"].startswith("no known format recognises this input; send one of: ")
    assert "newsmlg2" in r.json()["detail"]
    assert endpoint.jobs == [] and endpoint.store.b.keys("blob") == []


def test_input_is_not_sniffed_when_the_deployment_names_its_format(tmp_path: Path) -> None:
    # the ingest worker parses with the named codec and explains what is wrong
    jobs: list[IngestJob] = []
    app = create_app(Store(SqliteBackend(tmp_path / "s.db")), jobs.append, SECRET,
                     input_format="wiretext")
    r = TestClient(app).post("/push", content=IMAGE, headers=_headers(body=IMAGE))
    assert r.status_code == 202 and len(jobs) == 1


def test_unknown_input_format_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFormat, match="unknown format 'newsml'"):
        create_app(Store(SqliteBackend(tmp_path / "s.db")), [].append, SECRET,
                   input_format="newsml")


def test_replayed_request_is_refused_with_409_saying_it_was_already_accepted(
        endpoint: Endpoint) -> None:
    headers = _headers()
    first = endpoint.client.post("/push", content=BODY, headers=headers)
    again = endpoint.client.post("/push", content=BODY, headers=headers)
    assert first.status_code == 202 and again.status_code == 409
    assert again.json()["detail"].startswith("already accepted")
    assert again.json()["accepted"] == first.json()["accepted"]
    assert len(endpoint.jobs) == 1


def test_same_item_signed_anew_is_a_new_request(endpoint: Endpoint) -> None:
    # the ingest worker, not the endpoint, drops content it has seen
    now = int(time.time())
    for ts in (now - 1, now):
        assert endpoint.client.post("/push", content=BODY, headers=_headers(ts)).status_code == 202
    assert len(endpoint.jobs) == 2


def test_request_that_could_not_be_queued_can_be_sent_again(tmp_path: Path) -> None:
    store = Store(SqliteBackend(tmp_path / "s.db"))
    attempts: list[IngestJob] = []

    def enqueue(job: IngestJob) -> None:
        attempts.append(job)
        if len(attempts) == 1:
            raise ConnectionError("the broker is unreachable")

    client = TestClient(create_app(store, enqueue, SECRET), raise_server_exceptions=False)
    headers = _headers()
    assert client.post("/push", content=BODY, headers=headers).status_code == 500
    assert client.post("/push", content=BODY, headers=headers).status_code == 202


@pytest.mark.integration
def test_replay_is_refused_by_every_server_sharing_the_store(redis_store: Store) -> None:
    jobs: list[IngestJob] = []
    one, other = (TestClient(create_app(redis_store, jobs.append, SECRET)) for _ in range(2))
    headers = _headers()
    assert one.post("/push", content=BODY, headers=headers).status_code == 202
    assert other.post("/push", content=BODY, headers=headers).status_code == 409
    assert len(jobs) == 1


def test_no_api_schema_or_docs_are_served(endpoint: Endpoint) -> None:
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert endpoint.client.get(path).status_code == 404, path


def test_health_check_answers(endpoint: Endpoint) -> None:
    r = endpoint.client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readiness_covers_the_store_and_goes_503_when_a_dependency_is_away(
        endpoint: Endpoint) -> None:
    from syndicate.ops import ReadyCheck

    assert endpoint.client.get("/readyz").json() == {"status": "ready", "checks": {"store": "ok"}}
    app = create_app(endpoint.store, lambda job: None, SECRET, ready_checks=[
        ReadyCheck("store", lambda: None), ReadyCheck("broker", lambda: "connection refused")])
    r = TestClient(app).get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["broker"] == "connection refused"


# --------------------------------------------------------------------------------------
# the endpoint served by uvicorn, reached over a socket the way an agency reaches it

MiB = 1024 * 1024
SERVED_READ_TIMEOUT = 1.0


@dataclass
class Served:
    port: int
    queue: Path
    state: Path
    log: Path

    def queued(self) -> list[dict[str, object]]:
        if not self.queue.exists():
            return []
        return [json.loads(line) for line in self.queue.read_text().splitlines()]

    def stored_blobs(self) -> list[str]:
        store = Store(SqliteBackend(self.state))
        try:
            return store.b.keys("blob")
        finally:
            store.close()

    def connect(self) -> socket.socket:
        sock = socket.socket()
        # a small send buffer, so that what the client has sent is close to what reached
        # the server
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        sock.settimeout(30)
        sock.connect(("127.0.0.1", self.port))
        return sock


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    served = Served(port, tmp_path / "queue.jsonl", tmp_path / "state.sqlite3",
                    tmp_path / "uvicorn.log")
    # the server runs the code under test, wherever this process found it
    paths = [str(Path(syndicate.__file__).resolve().parent.parent), os.environ.get("PYTHONPATH")]
    env = dict(os.environ, PUSH_TEST_QUEUE=str(served.queue), PUSH_TEST_STATE=str(served.state),
               PUSH_TEST_SECRET=SECRET.decode(), PUSH_TEST_READ_TIMEOUT=str(SERVED_READ_TIMEOUT),
               PYTHONPATH=os.pathsep.join(p for p in paths if p))
    with served.log.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "push_server:app",
             "--app-dir", str(Path(__file__).parent), "--host", "127.0.0.1", "--port", str(port),
             "--log-level", "warning"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not come up: {served.log.read_text()}")
            time.sleep(0.1)
        yield served
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _answer(sock: socket.socket) -> bytes:
    """What the server sent back, up to the end of the connection (or its reset)."""
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except ConnectionResetError:
        pass  # a server that closes with unread input resets: what it sent before is here
    return data


def _send_chunked(sock: socket.socket, head: str, chunks: int, size: int) -> int:
    """Send ``head`` and a chunked body of ``chunks`` chunks of ``size`` bytes, until it is all
    sent or the server closes the connection on it; returns the body bytes that went out."""
    sock.sendall(head.encode("ascii") + b"Transfer-Encoding: chunked\r\n\r\n")
    sent = 0
    chunk = b"x" * size
    try:
        for _ in range(chunks):
            sock.sendall(b"%x\r\n" % size + chunk + b"\r\n")
            sent += size
        sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server stopped reading and closed the connection
    return sent


@pytest.mark.integration
def test_signed_push_to_the_running_server_is_queued(served: Served) -> None:
    r = httpx.post(f"http://127.0.0.1:{served.port}/push", content=BODY, headers=_headers())
    assert r.status_code == 202
    assert [job["blob"] for job in served.queued()] == [r.json()["accepted"]]


@pytest.mark.integration
def test_chunked_body_of_50_mb_is_cut_off_by_the_running_server_at_the_limit(
        served: Served) -> None:
    chunks, size = 50, MiB
    stamp = str(int(time.time()))
    mac = hmac.new(SECRET, stamp.encode("ascii") + b".", hashlib.sha256)
    for _ in range(chunks):
        mac.update(b"x" * size)
    head = ("POST /push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"X-Syndicate-Timestamp: {stamp}\r\nX-Syndicate-Signature: sha256={mac.hexdigest()}\r\n")
    with served.connect() as sock:
        sent = _send_chunked(sock, head, chunks, size)
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    # the server read up to the limit and closed the connection on the rest: beyond the
    # limit, the client sent at most what the sockets' buffers held (on loopback, nothing:
    # its 11th MB does not go through)
    assert MAX_BYTES <= sent <= chunks * size // 2, sent
    assert served.queued() == [] and served.stored_blobs() == []


@pytest.mark.integration
def test_unsigned_chunked_body_is_refused_by_the_running_server_unread(served: Served) -> None:
    chunks, size = 50, MiB
    with served.connect() as sock:
        sent = _send_chunked(sock, "POST /push HTTP/1.1\r\nHost: 127.0.0.1\r\n", chunks, size)
        answer = _answer(sock)
    assert answer.startswith(b"HTTP/1.1 401 "), answer[:200]
    # the server closed the connection at once: the client sent at most what the sockets'
    # buffers held
    assert sent <= chunks * size // 2, sent
    assert served.queued() == []


@pytest.mark.integration
def test_body_that_stops_coming_is_cut_off_by_the_running_server(served: Served) -> None:
    head = ("POST /push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "".join(f"{k}: {v}\r\n" for k, v in _headers().items())
            + f"Content-Length: {len(BODY)}\r\n\r\n")
    with served.connect() as sock:
        start = time.monotonic()  # before the server can start its clock
        sock.sendall(head.encode("ascii") + BODY[:10])
        answer = _answer(sock)
        waited = time.monotonic() - start
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert SERVED_READ_TIMEOUT <= waited < SERVED_READ_TIMEOUT + 5
    assert served.queued() == []
