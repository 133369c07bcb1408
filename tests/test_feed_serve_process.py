"""The feed server as it runs in production: ``syndicate serve`` in its own process, and the
feed store on Redis."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import feedparser
import httpx
import pytest
from fastapi.testclient import TestClient

from pipeline_support import ensure_codecs, sample_item
from serve_process import serving
from syndicate.destinations import Delivery, create
from syndicate.item import NewsItem
from syndicate.partners import parse_config
from syndicate.store import ItemRef, RedisBackend, SqliteBackend, Store
from syndicate.web.feeds import create_app

pytestmark = pytest.mark.integration

CONFIG = """
partners:
  - id: acme
    languages: [es]
    feed_token_env: ACME_FEED_TOKEN
    destinations:
      - type: feed
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def publish(store: Store, item: NewsItem) -> None:
    item = item.replace(language="es")
    store.put_item(ItemRef(item.guid, item.version, "es"), item)
    create("feed", {}, store).deliver(
        Delivery("acme", "es", item.guid, item.version, "ninjs", b"", str(item.pub_status)))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    ensure_codecs()
    data = tmp_path / "var"
    store = Store(SqliteBackend(data / "state.sqlite3"))
    publish(store, sample_item(1))
    publish(store, sample_item(2))
    store.close()
    (tmp_path / "syndicate.yaml").write_text(CONFIG)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_DATA_DIR=str(data), SYNDICATE_CONFIG=str(tmp_path / "syndicate.yaml"),
               ACME_FEED_TOKEN="acme-token", SYNDICATE_LOG_LEVEL="WARNING")
    with serving(env) as url:
        yield url


def test_serve_process_answers_a_partner_feed_over_http(served: str) -> None:
    r = httpx.get(f"{served}/feeds/acme/es.atom",
                  headers={"Authorization": "Bearer acme-token"}, timeout=5)
    assert r.status_code == 200
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo
    assert len(parsed.entries) == 2
    assert httpx.get(f"{served}/feeds/acme/es.atom", timeout=5).status_code == 401


def test_serve_fails_with_a_pointed_message_without_the_token(tmp_path: Path) -> None:
    (tmp_path / "syndicate.yaml").write_text(CONFIG)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SYNDICATE_") and k != "ACME_FEED_TOKEN"}
    env.update(SYNDICATE_DATA_DIR=str(tmp_path / "var"),
               SYNDICATE_CONFIG=str(tmp_path / "syndicate.yaml"))
    done = subprocess.run([sys.executable, "-m", "syndicate", "serve", "--port",
                           str(_free_port())], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode != 0
    assert "ACME_FEED_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_feed_store_on_redis_keeps_only_the_newest_version() -> None:
    ensure_codecs()
    prefix = f"syndicate-test-feeds-{uuid.uuid4().hex[:8]}"
    backend = RedisBackend("redis://127.0.0.1:6379/0", prefix)
    store = Store(backend)
    try:
        publish(store, sample_item(1, 1))
        publish(store, sample_item(1, 2, headline="Revised"))
        publish(store, sample_item(1, 1))
        app = create_app(parse_config(CONFIG), store, environ={"ACME_FEED_TOKEN": "t"})
        body = TestClient(app).get("/feeds/acme/es.atom", headers={"X-API-Key": "t"}).content
        assert [e.title for e in feedparser.parse(body).entries] == ["Revised"]
    finally:
        keys = list(backend.r.scan_iter(match=f"{prefix}:*"))
        if keys:
            backend.r.delete(*keys)
        store.close()
