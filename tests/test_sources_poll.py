"""The polled URL source, against a real HTTP server on loopback that honours ETags."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from syndicate.partners import SourceConfig
from syndicate.pipeline import IngestJob
from syndicate.sources import SourceEnv, collect, create
from syndicate.store import SqliteBackend, Store

pytestmark = pytest.mark.integration


class Feed:
    body = b"<feed>one</feed>"
    full_responses = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        etag = '"' + hashlib.sha256(Feed.body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        Feed.full_responses += 1
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(Feed.body)))
        self.end_headers()
        self.wfile.write(Feed.body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/wire.xml"
    finally:
        server.shutdown()


def test_unchanged_url_is_ingested_once_and_refetched_conditionally(url: str,
                                                                     tmp_path: Path) -> None:
    Feed.body, Feed.full_responses = b"<feed>one</feed>", 0
    store = Store(SqliteBackend(tmp_path / "s.db"))
    src = create(SourceConfig.model_validate({"type": "url", "name": "wire", "url": url}), 0,
                 SourceEnv(store, tmp_path))
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    collect(src, store, jobs.append)
    assert len(jobs) == 1 and Feed.full_responses == 1


def test_changed_content_is_ingested_again(url: str, tmp_path: Path) -> None:
    Feed.body = b"<feed>one</feed>"
    store = Store(SqliteBackend(tmp_path / "s.db"))
    src = create(SourceConfig.model_validate({"type": "url", "name": "wire", "url": url}), 0,
                 SourceEnv(store, tmp_path))
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    Feed.body = b"<feed>two</feed>"
    collect(src, store, jobs.append)
    assert [store.get_blob(j.blob) for j in jobs] == [b"<feed>one</feed>", b"<feed>two</feed>"]
