"""A translated story has one identity: partners see the translation's own guid everywhere.

The document, the file path, the S3 key and metadata, the webhook request, the feed entry and
its item URL all name the translation by its guid; a kill of the source story reaches the
partner under that guid too. Translations go through the real Apertium engine, hence the
integration mark.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import boto3
import feedparser
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from pipeline_support import (
    InlineDispatcher,
    ensure_codecs,
    g2_bytes,
    ingest,
    make_runtime,
    outputs,
    sample_item,
)
from syndicate import formats
from syndicate.destinations import guid_slug
from syndicate.item import NewsItem, PubStatus
from syndicate.pipeline import Runtime
from syndicate.translate import translated_guid
from syndicate.web.feeds import create_app, item_path

pytestmark = pytest.mark.integration

SOURCE = sample_item(1)
SPANISH = translated_guid(SOURCE.guid, "es")
TOKEN = {"ACME_FEED_TOKEN": "acme-token"}
AUTH = {"Authorization": "Bearer acme-token"}


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


def spanish_partner(destination: str) -> str:
    """A configuration with one partner taking Spanish newsmlg2 copy at ``destination``."""
    return ("partners:\n  - id: acme\n    languages: [es]\n    formats: [newsmlg2]\n"
            "    feed_token_env: ACME_FEED_TOKEN\n    destinations:\n"
            + "".join(f"      {line}\n" for line in destination.strip().splitlines()))


def run(rt: Runtime, *items: NewsItem) -> None:
    d = InlineDispatcher()
    for n, item in enumerate(items):
        ingest(rt, g2_bytes(item), d, f"{n}.xml")
        d.drain(rt)


def document(data: bytes) -> NewsItem:
    (item,) = formats.parse(data).items
    return item


def kill(item: NewsItem) -> NewsItem:
    return item.replace(pub_status=PubStatus.CANCELED)


# --------------------------------------------------------------------------------------
# directory


def test_translation_is_written_to_the_path_of_its_own_guid(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, spanish_partner("- type: directory\n  path: {out}/acme"))
    run(rt, SOURCE)
    (written,) = outputs(tmp_path / "out" / "acme")
    assert written == f"es/{guid_slug(SPANISH)}/v1.newsmlg2.xml"
    assert document((tmp_path / "out" / "acme" / written).read_bytes()).guid == SPANISH


def test_kill_of_the_source_replaces_the_file_the_partner_got_for_the_translation(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path, spanish_partner("- type: directory\n  path: {out}/acme"))
    # a kill of the same version: the partner's file is overwritten in place
    run(rt, SOURCE, kill(SOURCE))
    (written,) = outputs(tmp_path / "out" / "acme")
    assert written == f"es/{guid_slug(SPANISH)}/v1.newsmlg2.xml"
    killed = document((tmp_path / "out" / "acme" / written).read_bytes())
    assert (killed.guid, killed.pub_status) == (SPANISH, PubStatus.CANCELED)


# --------------------------------------------------------------------------------------
# S3


def s3_partner(bucket: str, endpoint: str) -> str:
    return spanish_partner(f"- type: s3\n  bucket: {bucket}\n  endpoint_url: {endpoint}")


def test_translation_object_key_and_metadata_name_its_own_guid_and_its_source(
    tmp_path: Path, bucket: str, s3_endpoint: str
) -> None:
    rt = make_runtime(tmp_path, s3_partner(bucket, s3_endpoint))
    run(rt, SOURCE)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    (key,) = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert key == f"acme/es/{guid_slug(SPANISH)}/v1.newsmlg2.xml"
    obj = s3.get_object(Bucket=bucket, Key=key)
    assert document(obj["Body"].read()).guid == SPANISH
    assert obj["Metadata"]["guid"] == SPANISH
    assert obj["Metadata"]["source-guid"] == SOURCE.guid


def test_source_copy_object_has_no_source_guid_metadata(
    tmp_path: Path, bucket: str, s3_endpoint: str
) -> None:
    config = s3_partner(bucket, s3_endpoint).replace("languages: [es]", "languages: [en]")
    rt = make_runtime(tmp_path, config)
    run(rt, SOURCE)
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    (key,) = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    meta = s3.get_object(Bucket=bucket, Key=key)["Metadata"]
    assert meta["guid"] == SOURCE.guid
    assert "source-guid" not in meta


# --------------------------------------------------------------------------------------
# webhook


@pytest.fixture
def hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[tuple[dict[str, str],
                                                                             bytes]]]]:
    """A partner endpoint on loopback that accepts every POST and keeps what it got."""
    monkeypatch.setenv("ACME_WEBHOOK_SECRET", "s3cr3t")
    got: list[tuple[dict[str, str], bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            got.append((dict(self.headers.items()),
                        self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_post_of_a_translation_is_keyed_and_labelled_by_its_own_guid(
    tmp_path: Path, hook: tuple[str, list[tuple[dict[str, str], bytes]]]
) -> None:
    url, got = hook
    rt = make_runtime(tmp_path, spanish_partner(
        f"- type: webhook\n  url: {url}\n  secret_env: ACME_WEBHOOK_SECRET"))
    run(rt, SOURCE)
    ((headers, body),) = got
    assert headers["Idempotency-Key"] == f"acme/es/{guid_slug(SPANISH)}/v1.newsmlg2.xml"
    assert document(body).guid == SPANISH


# --------------------------------------------------------------------------------------
# feed


def feed_client(rt: Runtime) -> TestClient:
    return TestClient(create_app(rt.config, rt.store, environ=TOKEN))


def feed_runtime(tmp_path: Path) -> Runtime:
    return make_runtime(tmp_path, spanish_partner("- type: feed"))


def test_feed_lists_a_translation_under_its_own_guid_and_item_url(tmp_path: Path) -> None:
    rt = feed_runtime(tmp_path)
    run(rt, SOURCE)
    client = feed_client(rt)
    (entry,) = feedparser.parse(client.get("/feeds/acme/es.atom", headers=AUTH).content).entries
    assert entry.id == SPANISH
    path = item_path("acme", "es", SPANISH, 1)
    (href,) = [link.href for link in entry.links if link.rel == "alternate"]
    assert href.endswith(path)
    r = client.get(path, headers=AUTH)
    assert r.status_code == 200
    assert document(r.content).guid == SPANISH


def test_earlier_version_of_a_translation_stays_readable_at_its_item_url(
    tmp_path: Path,
) -> None:
    rt = feed_runtime(tmp_path)
    run(rt, SOURCE, SOURCE.replace(version=2, headline="The council approves the budget"))
    r = feed_client(rt).get(item_path("acme", "es", SPANISH, 1), headers=AUTH)
    assert r.status_code == 200
    assert (document(r.content).guid, document(r.content).version) == (SPANISH, 1)


def test_ninjs_feed_gives_a_translation_its_own_uri(tmp_path: Path) -> None:
    rt = feed_runtime(tmp_path)
    run(rt, SOURCE)
    (doc,) = json.loads(feed_client(rt).get("/feeds/acme/es.json", headers=AUTH).content)
    assert doc["uri"] == SPANISH


def test_kill_of_the_source_tombstones_the_translation_in_the_feed(tmp_path: Path) -> None:
    rt = feed_runtime(tmp_path)
    run(rt, SOURCE, kill(SOURCE.replace(version=2)))
    root = etree.fromstring(feed_client(rt).get("/feeds/acme/es.atom", headers=AUTH).content)
    tombs = root.findall("{http://purl.org/atompub/tombstones/1.0}deleted-entry")
    assert [t.get("ref") for t in tombs] == [SPANISH]
    assert root.findall("{http://www.w3.org/2005/Atom}entry") == []
