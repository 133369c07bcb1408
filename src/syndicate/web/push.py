"""HTTP push endpoint for wire copy: agencies POST items, signed with HMAC-SHA256.

A request carries ``X-Syndicate-Timestamp`` (Unix seconds) and ``X-Syndicate-Signature:
sha256=<hex>`` where the MAC covers ``"<timestamp>." + body`` under the shared key
(SYNDICATE_PUSH_SECRET), as :mod:`syndicate.signing` makes and checks them. Answers, in the
order they are decided:

- 401: signature headers missing or stale (more than 5 minutes off), before the body is read;
- 413: a Content-Length over 10 MB, at once; a body that passes 10 MB (chunked, or longer
  than its Content-Length said), as soon as it does;
- 408: a body not all there 30 s after the first read of it;
- 401: a signature that does not match the body; 400: an empty body;
- 422: input that no format recognises, with the reason (only its first bytes are sniffed:
  parsing is the ingest worker's job; a deployment that names its ``ingest.format`` skips this);
- 409: a signature accepted before. Its body says so, with the blob and task it was accepted
  as: an agency that lost our 202 and re-sends the same request can stop there;
- 202: stored and queued for ingest.

413 and 408 (and the early 401) close the connection: the rest of the body is never read.

Serve it with ``uvicorn --factory syndicate.web.push:app``; in production add
``--timeout-keep-alive 5`` (idle connections do not pile up), ``--limit-concurrency`` (e.g.
50: then 503, not out of memory, since each request may hold 10 MB) and
``--no-server-header``, and leave ``--h11-max-incomplete-event-size`` at its 16 KB (the
largest request head). Uvicorn has no timeout on a new connection or on the request head, so
a client sending its headers a byte at a time holds a connection (and a place under
--limit-concurrency) for as long as it likes: facing the internet, put the endpoint behind a
proxy that has those timeouts (nginx: ``client_header_timeout 10s; client_body_timeout 30s;
client_max_body_size 10m``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Callable, Sequence

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.requests import ClientDisconnect

from syndicate import formats
from syndicate.errors import MalformedInput, UnsupportedFormat
from syndicate.ops import ReadyCheck, config_probe, reach_broker, readiness, store_probe
from syndicate.pipeline import IngestJob
from syndicate.signing import SIGNATURE_HEADER as SIG_HEADER
from syndicate.signing import TIMESTAMP_HEADER as TS_HEADER
from syndicate.signing import sign as sign  # clients sign with it; kept importable from here
from syndicate.signing import timestamp_problem
from syndicate.signing import verify as verify_signature
from syndicate.store import Store

MAX_SKEW = 300
MAX_BYTES = 10 * 1024 * 1024
#: seconds a request body may take to arrive, from the first byte read
READ_TIMEOUT = 30.0
#: seconds a signature is remembered. A timestamp is fresh from MAX_SKEW before to MAX_SKEW
#: after the server's time, so one signature can be presented for 2 * MAX_SKEW seconds; the
#: minute more covers clocks that differ between the servers sharing the store.
SEEN_TTL = 2 * MAX_SKEW + 60


def check_headers(timestamp: str | None, signature: str | None, now: float) -> str | None:
    """None when the signature headers are there and fresh, else why not (for the 401 body).

    Needs no body: a request that fails here is refused before its body is read.
    """
    if not timestamp or not signature:
        return "missing signature headers"
    return timestamp_problem(timestamp, now, MAX_SKEW)


def verify(secret: bytes, timestamp: str | None, signature: str | None, body: bytes,
           now: float) -> str | None:
    """None when the request is authentic and fresh, else why not (for the 401 body)."""
    problem = check_headers(timestamp, signature, now)
    if problem is not None:
        return problem
    assert timestamp is not None and signature is not None
    if not verify_signature(secret, timestamp, body, signature.strip()):
        return "bad signature"
    return None


def _refuse_unread(status: int, detail: str) -> HTTPException:
    # The body is not (all) read: without "Connection: close" the server would go on reading
    # it, to the end, to find the next request on the connection.
    return HTTPException(status, detail, headers={"Connection": "close"})


async def read_body(request: Request, max_bytes: int, timeout: float) -> bytes:
    """The request body, counted as it arrives: refused (413) as soon as it passes
    ``max_bytes``, or (408) when it is not all there ``timeout`` seconds after the first read.
    """
    chunks: list[bytes] = []
    total = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                total += len(chunk)
                if total > max_bytes:
                    raise _refuse_unread(413, f"item too large: over {max_bytes} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise _refuse_unread(408, f"the body did not arrive within {timeout:g} s") from None
    except ClientDisconnect:
        raise _refuse_unread(400, "the client went away before the end of the body") from None
    return b"".join(chunks)


def create_app(
    store: Store, enqueue: Callable[[IngestJob], None], secret: bytes,
    source: str = "push", clock: Callable[[], float] = time.time,
    *, max_bytes: int = MAX_BYTES, read_timeout: float = READ_TIMEOUT,
    input_format: str = "auto",
    ready_checks: Sequence[ReadyCheck] | None = None,
) -> FastAPI:
    """The endpoint; ``input_format`` is the deployment's ``ingest.format`` (a name, or "auto"
    to sniff each body). An unknown name is refused here, at start-up. ``ready_checks``: what
    ``/readyz`` looks at (default: the store answers)."""
    known = formats.names()
    if input_format != "auto":
        formats.get(input_format)
    # no API schema or docs pages: nothing here is for browsing, and less is exposed
    api = FastAPI(title="syndicate push", openapi_url=None, docs_url=None, redoc_url=None)

    @api.post("/push", status_code=202)
    async def push(request: Request) -> JSONResponse:
        timestamp, signature = request.headers.get(TS_HEADER), request.headers.get(SIG_HEADER)
        problem = check_headers(timestamp, signature, clock())
        if problem is not None:
            raise _refuse_unread(401, problem)
        declared = request.headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                raise _refuse_unread(400, "bad Content-Length")
            if int(declared) > max_bytes:
                raise _refuse_unread(413, f"item too large: over {max_bytes} bytes")
        body = await read_body(request, max_bytes, read_timeout)
        problem = verify(secret, timestamp, signature, body, clock())
        if problem is not None:
            raise HTTPException(401, problem)
        if not body.strip():
            raise HTTPException(400, "empty body")
        if input_format == "auto":
            try:
                formats.detect(body, request.headers.get("X-Filename"))
            except UnsupportedFormat:
                raise HTTPException(422, "no known format recognises this input; "
                                         f"send one of: {', '.join(known)}") from None
            except MalformedInput as exc:
                raise HTTPException(422, str(exc)) from None
        # the blob's name is its sha256: a replay names the same blob and task as the original
        blob = hashlib.sha256(body).hexdigest()
        name = request.headers.get("X-Filename") or f"push-{blob[:12]}"
        job = IngestJob(source, "", blob, name, arrived=time.time())
        accepted = {"accepted": blob, "task": job.task_id}
        assert signature is not None  # verified above
        seen = (f"push:{source}", signature.strip())
        if not store.first_sighting(*seen, ttl=SEEN_TTL):
            return JSONResponse(
                {"detail": "already accepted: this request (its signature) was seen before and "
                           "the item is queued; do not send it again", **accepted},
                status_code=409)
        try:
            store.put_blob(body)
            enqueue(job)
        except BaseException:
            # not accepted after all: the agency's retry with the same signature must get in
            store.forget_sighting(*seen)
            raise
        with contextlib.suppress(Exception):  # the time of the last arrival is for operators
            store.note_arrival(source)
        return JSONResponse(accepted, status_code=202)

    readies = list(ready_checks) if ready_checks is not None else [
        ReadyCheck("store", store_probe(store))]

    @api.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @api.get("/readyz")
    def readyz() -> JSONResponse:
        r = readiness(readies)
        return JSONResponse(r.to_json(), status_code=200 if r.ready else 503)

    return api


def app() -> FastAPI:
    """The endpoint wired to this deployment's store and queues (uvicorn --factory)."""
    from syndicate import tasks
    from syndicate.errors import ConfigError

    settings = tasks.settings
    if settings.push_secret is None:
        raise ConfigError("set SYNDICATE_PUSH_SECRET: the push endpoint accepts only signed requests")
    rt = tasks.runtime()
    dispatcher = tasks.CeleryDispatcher(rt.store)
    readies = [ReadyCheck("store", store_probe(rt.store)),
               ReadyCheck("broker", lambda: reach_broker(settings)),
               ReadyCheck("configuration", config_probe("push", rt.config, settings, rt.store))]
    return create_app(rt.store, dispatcher.ingest,
                      settings.push_secret.get_secret_value().encode("utf-8"),
                      input_format=rt.config.ingest.format, ready_checks=readies)
