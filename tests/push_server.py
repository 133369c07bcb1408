"""The push endpoint for tests that reach it over real sockets, served by uvicorn in a process
of its own: ``uvicorn --factory push_server:app --app-dir tests``, its state in a SQLite file
and its queue a file of JSON lines that the tests read (both named in the environment)."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from fastapi import FastAPI

from syndicate.pipeline import IngestJob, job_payload
from syndicate.store import SqliteBackend, Store
from syndicate.web.push import create_app


def app() -> FastAPI:
    queue = Path(os.environ["PUSH_TEST_QUEUE"])

    def enqueue(job: IngestJob) -> None:
        with queue.open("a", encoding="utf-8") as f:
            f.write(json.dumps(job_payload(job)) + "\n")

    store = Store(SqliteBackend(Path(os.environ["PUSH_TEST_STATE"])))
    return create_app(store, enqueue, os.environ["PUSH_TEST_SECRET"].encode("utf-8"),
                      read_timeout=float(os.environ["PUSH_TEST_READ_TIMEOUT"]))


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
