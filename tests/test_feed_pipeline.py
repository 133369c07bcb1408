"""Stories reach a partner's pull feed through the pipeline: versions, kills and embargoes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
from fastapi.testclient import TestClient
from lxml import etree

from pipeline_support import NOW, InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item
from syndicate.item import PubStatus
from syndicate.pipeline import Runtime
from syndicate.web.feeds import create_app

CONFIG = """
partners:
  - id: homewire
    languages: [en]
    formats: [newsmlg2, ninjs]
    feed_token_env: HOMEWIRE_FEED_TOKEN
    destinations:
      - type: feed
"""
AUTH = {"Authorization": "Bearer hw-token"}


def feed(rt: Runtime, now: dt.datetime = NOW) -> bytes:
    app = create_app(rt.config, rt.store, environ={"HOMEWIRE_FEED_TOKEN": "hw-token"},
                     now=lambda: now)
    r = TestClient(app).get("/feeds/homewire/en.atom", headers=AUTH)
    assert r.status_code == 200
    return r.content


def test_ingested_story_appears_in_the_partner_feed(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONFIG)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(1)), d)
    d.drain(rt)
    parsed = feedparser.parse(feed(rt))
    assert [e.id for e in parsed.entries] == [sample_item(1).guid]


def test_new_version_replaces_the_old_in_the_feed(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONFIG)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(1)), d)
    ingest(rt, g2_bytes(sample_item(1, 2, headline="Council approves budget, revised")), d,
           "v2.xml")
    d.drain(rt)
    assert [e.title for e in feedparser.parse(feed(rt)).entries] == [
        "Council approves budget, revised"]


def test_kill_through_the_pipeline_leaves_a_tombstone(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONFIG)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(1)), d)
    d.drain(rt)
    ingest(rt, g2_bytes(sample_item(1, 2, pub_status=PubStatus.CANCELED)), d, "kill.xml")
    d.drain(rt)
    root = etree.fromstring(feed(rt))
    tombs = root.findall("{http://purl.org/atompub/tombstones/1.0}deleted-entry")
    assert [t.get("ref") for t in tombs] == [sample_item(1).guid]
    assert root.findall("{http://www.w3.org/2005/Atom}entry") == []


def test_embargoed_story_is_held_out_of_the_feed(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, CONFIG)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(1, embargo=NOW + dt.timedelta(hours=1))), d)
    d.drain(rt)
    assert d.held, "the pipeline holds the delivery until the embargo lifts"
    assert feedparser.parse(feed(rt)).entries == []
