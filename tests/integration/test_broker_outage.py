"""A retry that falls due while the broker is down is kept and sent when it is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pipeline_cluster import REDIS_URL, Cluster, OwnRedis, wait_for
from test_pipeline_cluster import write_items

pytestmark = pytest.mark.integration

CONFIG = """
partners:
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: webhook
        url: {hook}
        secret_env: HOMEWIRE_HOOK_SECRET
        timeout: 5
"""


@dataclass
class FlakyHook:
    """Answers 503 until told otherwise; says when the first request came."""

    url: str = ""
    status: int = 503
    posts: list[tuple[str, int]] = field(default_factory=list)
    first: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def hook() -> Iterator[FlakyHook]:
    state = FlakyHook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            status = state.status
            state.posts.append((self.headers.get("Idempotency-Key", ""), status))
            state.first.set()
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_port}/hook"
    try:
        yield state
    finally:
        server.shutdown()


@pytest.mark.chaos
def test_a_retry_due_during_a_broker_outage_is_not_lost(tmp_path: Path, hook: FlakyHook) -> None:
    broker = OwnRedis(tmp_path)
    broker.start()
    # the broker goes away; the state store (another Redis) stays
    cluster = Cluster(tmp_path / "c", CONFIG.format(hook=hook.url), redis_url=broker.url,
                      SYNDICATE_REDIS_URL=REDIS_URL, HOMEWIRE_HOOK_SECRET="s")
    try:
        inbox = tmp_path / "inbox"
        write_items(inbox, 1)
        worker = cluster.start_worker("all", concurrency=1)
        run = cluster.start_run_once(inbox, timeout=120)
        assert hook.first.wait(60), cluster.worker_log()
        broker.kill()  # the 503 is being retried: the retry falls due while the broker is down
        time.sleep(6.0)
        hook.status = 204
        broker.start()
        wait_for(lambda: any(status == 204 for _, status in hook.posts), 60,
                 "the retried delivery after the broker came back")
        out, err = run.communicate(timeout=90)
        assert run.returncode == 0, out + err + cluster.worker_log()
        assert "1 delivered, 0 failed" in out
        assert {key for key, _ in hook.posts} == {hook.posts[0][0]}  # one delivery key
        assert worker.poll() is None
        assert cluster.cli("dead-letters").stdout.startswith("no dead letters")
    finally:
        cluster.stop()
        cluster.cleanup_redis()
        broker.stop()
