"""The kill path end to end: a story goes to a partner's folder (translated) and to another's pull
feed; its kill, sent as NITF, as NewsML-G2 with a ten-digit version or as ninjs, reaches both and
replaces the story there. Translations go through the real Apertium engine."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from pipeline_support import NOW, InlineDispatcher, ensure_codecs, ingest, make_runtime
from syndicate import formats
from syndicate.formats import atom
from syndicate.item import NewsItem, PubStatus, guid_slug
from syndicate.pipeline import INGESTED, Runtime
from syndicate.store import Store
from syndicate.web.feeds import create_app

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures"
CONFIG = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2, ninjs]
    destinations:
      - type: directory
        path: {out}/acme
  - id: homewire
    languages: [en]
    formats: [newsmlg2, ninjs]
    feed_token_env: HOMEWIRE_FEED_TOKEN
    destinations:
      - type: feed
"""
AUTH = {"Authorization": "Bearer hw-token"}
TOMBSTONE = "{http://purl.org/atompub/tombstones/1.0}deleted-entry"
ENTRY = "{http://www.w3.org/2005/Atom}entry"

#: (story, its kill, the kill's version) in the style of one agency per format
KILLS = {
    "nitf": ("nitf/dpa-nitf36-story.xml", "nitf/dpa-nitf36-kill.xml", 2),
    "newsmlg2": ("newsmlg2/reuters-story-v2026113011.xml",
                 "newsmlg2/reuters-kill-v2026113012.xml", 2026113012),
    "ninjs": ("ninjs/ap-ninjs1-story.json", "ninjs/ap-ninjs1-kill.json", 2),
}


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


def feed_client(rt: Runtime) -> TestClient:
    app = create_app(rt.config, rt.store, environ={"HOMEWIRE_FEED_TOKEN": "hw-token"},
                     now=lambda: NOW)
    return TestClient(app)


def folder_versions(root: Path) -> dict[Path, dict[int, dict[str, NewsItem]]]:
    """Per story folder: each version's item in each format delivered there."""
    out: dict[Path, dict[int, dict[str, NewsItem]]] = defaultdict(lambda: defaultdict(dict))
    for path in root.rglob("v*.*"):
        version, fmt, _ = path.name[1:].split(".", 2)
        (item,) = formats.parse(path.read_bytes(), fmt).items
        out[path.parent][int(version)][fmt] = item
    return out


@pytest.mark.parametrize("kill_format", list(KILLS))
def test_a_kill_replaces_the_story_in_every_partner_folder_and_feed(
    kill_format: str, store: Store, tmp_path: Path, assert_valid_g2,  # type: ignore[no-untyped-def]
) -> None:
    story_file, kill_file, kill_version = KILLS[kill_format]
    # on each state store: the ten-digit version is kept and compared in Redis and SQLite alike
    rt = dataclasses.replace(make_runtime(tmp_path, CONFIG), store=store)
    d = InlineDispatcher()
    client = feed_client(rt)

    story_bytes = (FIXTURES / story_file).read_bytes()
    assert ingest(rt, story_bytes, d, Path(story_file).name) == INGESTED
    d.drain(rt)
    (story,) = formats.parse(story_bytes).items
    (story_folder,) = folder_versions(tmp_path / "out" / "acme").values()
    assert {fmt: i.pub_status for fmt, i in story_folder[story.version].items()} == {
        "newsmlg2": PubStatus.USABLE, "ninjs": PubStatus.USABLE}
    root = etree.fromstring(client.get("/feeds/homewire/en.atom", headers=AUTH).content)
    assert [e.findtext("{http://www.w3.org/2005/Atom}id") for e in root.findall(ENTRY)] == [
        atom.entry_id(story.guid)]

    kill_bytes = (FIXTURES / kill_file).read_bytes()
    assert ingest(rt, kill_bytes, d, Path(kill_file).name) == INGESTED
    d.drain(rt)
    (kill,) = formats.parse(kill_bytes).items
    assert (kill.guid, kill.version, kill.pub_status) == (story.guid, kill_version, PubStatus.CANCELED)

    # the folder partner (Spanish, translated): the story's newest copy is the kill, each format
    ((folder, versions),) = folder_versions(tmp_path / "out" / "acme").items()
    assert sorted(versions) == [story.version, kill_version]
    newest = versions[max(versions)]
    assert set(newest) == {"newsmlg2", "ninjs"}
    for item in newest.values():
        assert (item.version, item.pub_status, item.language) == (
            kill_version, PubStatus.CANCELED, "es")
    assert_valid_g2((folder / f"v{kill_version}.newsmlg2.xml").read_bytes())

    # the feed partner: a tombstone where the story was, in Atom; the canceled item in ninjs
    root = etree.fromstring(client.get("/feeds/homewire/en.atom", headers=AUTH).content)
    assert root.findall(ENTRY) == []
    assert [t.get("ref") for t in root.findall(TOMBSTONE)] == [atom.entry_id(story.guid)]
    (doc,) = json.loads(client.get("/feeds/homewire/en.json", headers=AUTH).content)
    assert (doc["uri"], doc["version"], doc["pubStatus"]) == (
        story.guid, str(kill_version), "canceled")
    items = f"/items/homewire/en/{guid_slug(story.guid)}"
    assert client.get(f"{items}/v{story.version}.xml", headers=AUTH).status_code == 410
    served = client.get(f"{items}/v{kill_version}.xml", headers=AUTH)
    assert served.status_code == 200
    assert_valid_g2(served.content)
    assert formats.parse(served.content).items[0].pub_status is PubStatus.CANCELED
