"""HTTP push endpoint for wire copy: agencies POST items, signed with HMAC-SHA256.

A request carries ``X-Syndicate-Timestamp`` (Unix seconds) and ``X-Syndicate-Signature:
sha256=<hex>`` where the MAC covers ``"<timestamp>." + body`` under the shared key
(SYNDICATE_PUSH_SECRET). Unsigned, wrongly signed or stale (more than 5 minutes off)
requests get 401 and nothing is ingested. Accepted bodies are stored and queued for ingest
(202). Serve it with ``uvicorn --factory syndicate.sources.http_push:app``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

from syndicate.pipeline import IngestJob
from syndicate.store import Store

MAX_SKEW = 300
MAX_BYTES = 10 * 1024 * 1024
TS_HEADER = "X-Syndicate-Timestamp"
SIG_HEADER = "X-Syndicate-Signature"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: bytes, timestamp: str | None, signature: str | None, body: bytes,
           now: float) -> str | None:
    """None when the request is authentic and fresh, else why not (for the 401 body)."""
    if not timestamp or not signature:
        return "missing signature headers"
    try:
        ts = int(timestamp)
    except ValueError:
        return "bad timestamp"
    if abs(now - ts) > MAX_SKEW:
        return "stale request"
    if not hmac.compare_digest(sign(secret, timestamp, body), signature.strip()):
        return "bad signature"
    return None


def create_app(
    store: Store, enqueue: Callable[[IngestJob], None], secret: bytes,
    source: str = "push", clock: Callable[[], float] = time.time,
) -> FastAPI:
    api = FastAPI(title="syndicate push", docs_url=None, redoc_url=None)

    @api.post("/push", status_code=202)
    async def push(request: Request) -> JSONResponse:
        length = int(request.headers.get("content-length") or 0)
        if length > MAX_BYTES:
            raise HTTPException(413, "item too large")
        body = await request.body()
        problem = verify(secret, request.headers.get(TS_HEADER),
                         request.headers.get(SIG_HEADER), body, clock())
        if problem is not None:
            raise HTTPException(401, problem)
        if not body.strip():
            raise HTTPException(400, "empty body")
        blob = store.put_blob(body)
        name = request.headers.get("X-Filename") or f"push-{blob[:12]}"
        job = IngestJob(source, "", blob, name)
        enqueue(job)
        return JSONResponse({"accepted": blob, "task": job.task_id}, status_code=202)

    @api.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

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
    return create_app(rt.store, dispatcher.ingest,
                      settings.push_secret.get_secret_value().encode("utf-8"))
