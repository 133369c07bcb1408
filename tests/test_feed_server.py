"""The partner feed server: Atom, ninjs and NewsML-G2 pulled over HTTP, per-partner auth."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import jsonschema
import pytest
from fastapi.testclient import TestClient
from lxml import etree

from pipeline_support import NOW, ensure_codecs, sample_item
from syndicate.destinations import Delivery, create, guid_slug
from syndicate.errors import ConfigError
from syndicate.item import Dateline, NewsItem, PubStatus, Subject
from syndicate.partners import parse_config
from syndicate.store import ItemRef, SqliteBackend, Store
from syndicate.web.feeds import create_app

CONFIG = """
partners:
  - id: acme
    languages: [es, en]
    feed_token_env: ACME_FEED_TOKEN
    destinations:
      - type: feed
  - id: globex
    languages: [es]
    feed_token_env: GLOBEX_FEED_TOKEN
    destinations:
      - type: feed
"""
TOKENS = {"ACME_FEED_TOKEN": "acme-secret-token", "GLOBEX_FEED_TOKEN": "globex-secret-token"}
ACME = {"Authorization": "Bearer acme-secret-token"}
TOMBSTONES = "http://purl.org/atompub/tombstones/1.0"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    ensure_codecs()
    return Store(SqliteBackend(tmp_path / "state.sqlite3"))


@pytest.fixture
def client(store: Store) -> TestClient:
    app = create_app(parse_config(CONFIG), store, environ=TOKENS, now=lambda: NOW)
    return TestClient(app)


@pytest.fixture(scope="module")
def ninjs_validator(shared_dir: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads((shared_dir / "standards" / "ninjs" / "ninjs-schema_3.1.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def publish(store: Store, item: NewsItem, partner: str = "acme", language: str = "es") -> str:
    """Deliver ``item`` (already in ``language``) to the partner's feed the way the pipeline does."""
    item = item.replace(language=language)
    store.put_item(ItemRef(item.guid, item.version, language), item)
    dest = create("feed", {}, store)
    return dest.deliver(Delivery(partner, language, item.guid, item.version, "newsmlg2", b"",
                                 str(item.pub_status)))


def g2_link(entry: feedparser.FeedParserDict) -> str:
    (href,) = [link.href for link in entry.links
               if link.type == "application/vnd.iptc.g2.newsitem+xml"]
    return str(href)


def story(n: int, version: int = 1, minutes: int = 0, **changes: object) -> NewsItem:
    at = NOW - dt.timedelta(hours=1) + dt.timedelta(minutes=minutes)
    return sample_item(n, version, modified=at, created=at, **changes)


def test_atom_feed_parses_without_warnings_and_lists_the_item(
    store: Store, client: TestClient
) -> None:
    publish(store, story(1, subjects=(Subject(qcode="medtop:11000000", name="politics"),),
                         summary="Budget passes.", byline="Ana Ruiz"))
    r = client.get("/feeds/acme/es.atom", headers=ACME)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    (entry,) = parsed.entries
    assert entry.id == "urn:newsml:example.com:20261128:story-1"
    assert entry.title == "The city council approves the new budget 1"
    assert entry.author == "Ana Ruiz"
    assert entry.summary == "Budget passes."
    assert entry.tags[0].term == "medtop:11000000"
    assert "The vote was unanimous." in entry.content[0].value
    assert g2_link(entry).endswith(
        f"/items/acme/es/{guid_slug('urn:newsml:example.com:20261128:story-1')}/v1.xml")
    assert any(link.rel == "self" for link in parsed.feed.links)


def test_atom_entries_are_newest_first(store: Store, client: TestClient) -> None:
    publish(store, story(1, minutes=1))
    publish(store, story(2, minutes=30))
    publish(store, story(3, minutes=10))
    parsed = feedparser.parse(client.get("/feeds/acme/es.atom", headers=ACME).content)
    assert [e.id.rsplit("-", 1)[1] for e in parsed.entries] == ["2", "3", "1"]


def test_only_the_newest_version_of_a_story_is_listed(store: Store, client: TestClient) -> None:
    publish(store, story(1, version=1))
    publish(store, story(1, version=2, minutes=5, headline="Budget approved, revised"))
    publish(store, story(1, version=1))  # a late copy of the older version changes nothing
    parsed = feedparser.parse(client.get("/feeds/acme/es.atom", headers=ACME).content)
    assert [e.title for e in parsed.entries] == ["Budget approved, revised"]
    assert g2_link(parsed.entries[0]).endswith("/v2.xml")


def test_a_killed_story_becomes_an_rfc6721_tombstone(store: Store, client: TestClient) -> None:
    publish(store, story(1))
    publish(store, story(1, version=2, minutes=5, pub_status=PubStatus.CANCELED))
    body = client.get("/feeds/acme/es.atom", headers=ACME).content
    assert not feedparser.parse(body).bozo
    root = etree.fromstring(body)
    assert root.findall("{http://www.w3.org/2005/Atom}entry") == []
    (tomb,) = root.findall(f"{{{TOMBSTONES}}}deleted-entry")
    assert tomb.get("ref") == "urn:newsml:example.com:20261128:story-1"
    assert tomb.get("when") == "2026-11-28T08:05:00Z"


def test_embargoed_entry_is_not_listed_before_its_time(store: Store, client: TestClient) -> None:
    publish(store, story(1, embargo=NOW + dt.timedelta(minutes=1)))
    publish(store, story(2, embargo=NOW - dt.timedelta(minutes=1)))
    parsed = feedparser.parse(client.get("/feeds/acme/es.atom", headers=ACME).content)
    assert [e.id.rsplit("-", 1)[1] for e in parsed.entries] == ["2"]
    slug = guid_slug(story(1).guid)
    assert client.get(f"/items/acme/es/{slug}/v1.xml", headers=ACME).status_code == 404


def test_pages_follow_rfc5005_next_links_to_the_end(store: Store, client: TestClient) -> None:
    for n in range(1, 6):
        publish(store, story(n, minutes=n))
    seen: list[str] = []
    url: str | None = "/feeds/acme/es.atom?limit=2"
    pages = 0
    while url is not None:
        parsed = feedparser.parse(client.get(url, headers=ACME).content)
        assert not parsed.bozo
        seen += [e.id.rsplit("-", 1)[1] for e in parsed.entries]
        nxt = [link.href for link in parsed.feed.links if link.rel == "next"]
        url = nxt[0] if nxt else None
        pages += 1
    assert seen == ["5", "4", "3", "2", "1"]
    assert pages == 3


def test_limit_out_of_range_is_a_400(client: TestClient) -> None:
    assert client.get("/feeds/acme/es.atom?limit=0", headers=ACME).status_code == 400
    assert client.get("/feeds/acme/es.atom?limit=x", headers=ACME).status_code == 400
    assert client.get("/feeds/acme/es.atom?after=%%%", headers=ACME).status_code == 400


def test_feed_is_per_language(store: Store, client: TestClient) -> None:
    publish(store, story(1), language="es")
    publish(store, story(2), language="en")
    es = feedparser.parse(client.get("/feeds/acme/es.atom", headers=ACME).content)
    en = feedparser.parse(client.get("/feeds/acme/en.atom", headers=ACME).content)
    assert [e.id[-1] for e in es.entries] == ["1"]
    assert [e.id[-1] for e in en.entries] == ["2"]


def test_source_language_copy_tagged_with_a_region_serves_the_plain_language_feed(
    store: Store, client: TestClient
) -> None:
    publish(store, story(1), language="en-GB")
    en = feedparser.parse(client.get("/feeds/acme/en.atom", headers=ACME).content)
    assert len(en.entries) == 1


def test_json_feed_items_validate_as_ninjs_31(
    store: Store, client: TestClient, ninjs_validator: jsonschema.Draft202012Validator
) -> None:
    publish(store, story(1))
    publish(store, story(2, minutes=3))
    publish(store, story(2, version=2, minutes=4, pub_status=PubStatus.CANCELED))
    r = client.get("/feeds/acme/es.json", headers=ACME)
    assert r.status_code == 200
    docs = r.json()
    assert isinstance(docs, list) and len(docs) == 2
    for doc in docs:
        ninjs_validator.validate(doc)
    assert [d["pubStatus"] for d in docs] == ["canceled", "usable"]


def atom_paragraphs(client: TestClient) -> list[etree._Element]:
    root = etree.fromstring(client.get("/feeds/acme/es.atom", headers=ACME).content)
    return root.findall(".//{http://www.w3.org/2005/Atom}content//{http://www.w3.org/1999/xhtml}p")


def test_atom_entry_content_opens_with_the_dateline_as_the_ninjs_feed_has_it(
    store: Store, client: TestClient
) -> None:
    publish(store, story(1, dateline=Dateline("MOSCOW, October 22. /TASS/.", city="MOSCOW")))
    first = atom_paragraphs(client)[0]
    assert "".join(first.itertext()).startswith(
        "MOSCOW, October 22. /TASS/. The city council approved the budget")
    (span,) = first.findall("{http://www.w3.org/1999/xhtml}span")
    assert span.get("class") == "dateline"
    (doc,) = client.get("/feeds/acme/es.json", headers=ACME).json()
    assert doc["bodies"][1]["value"].startswith("".join(first.itertext()))


def test_atom_entry_content_of_a_story_without_dateline_is_its_body(
    store: Store, client: TestClient
) -> None:
    publish(store, story(1))
    assert ["".join(p.itertext()) for p in atom_paragraphs(client)] == [
        "The city council approved the budget on Friday.", "The vote was unanimous."]


def test_json_feed_pages_with_a_link_header(store: Store, client: TestClient) -> None:
    for n in range(1, 4):
        publish(store, story(n, minutes=n))
    first = client.get("/feeds/acme/es.json?limit=2", headers=ACME)
    assert len(first.json()) == 2
    nxt = first.links["next"]["url"]
    rest = client.get(nxt, headers=ACME)
    assert len(rest.json()) == 1 and "next" not in rest.links


def test_item_document_is_valid_newsml_g2(store: Store, client: TestClient,
                                         assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    publish(store, story(1))
    slug = guid_slug(story(1).guid)
    r = client.get(f"/items/acme/es/{slug}/v1.xml", headers=ACME)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.iptc.g2.newsitem+xml")
    assert_valid_g2(r.content)
    assert client.get(f"/items/acme/es/{slug}/v9.xml", headers=ACME).status_code == 404


def test_unchanged_feed_answers_304_to_its_etag(store: Store, client: TestClient) -> None:
    publish(store, story(1))
    first = client.get("/feeds/acme/es.atom", headers=ACME)
    etag = first.headers["etag"]
    again = client.get("/feeds/acme/es.atom", headers={**ACME, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    publish(store, story(2, minutes=9))
    changed = client.get("/feeds/acme/es.atom", headers={**ACME, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_request_without_a_token_is_401(client: TestClient) -> None:
    r = client.get("/feeds/acme/es.atom")
    assert r.status_code == 401
    assert r.headers["www-authenticate"].startswith("Bearer")
    bad = client.get("/feeds/acme/es.atom", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_another_partners_token_is_403(client: TestClient) -> None:
    r = client.get("/feeds/acme/es.atom", headers={"X-API-Key": "globex-secret-token"})
    assert r.status_code == 403
    assert client.get("/feeds/globex/es.atom",
                      headers={"X-API-Key": "globex-secret-token"}).status_code == 200


def test_language_the_partner_does_not_take_is_404(client: TestClient) -> None:
    assert client.get("/feeds/globex/en.atom",
                      headers={"X-API-Key": "globex-secret-token"}).status_code == 404


def test_missing_token_variable_fails_at_start_up(store: Store) -> None:
    with pytest.raises(ConfigError, match="GLOBEX_FEED_TOKEN"):
        create_app(parse_config(CONFIG), store, environ={"ACME_FEED_TOKEN": "x"})


def test_while_a_token_is_replaced_both_the_old_and_the_new_one_open_the_feed(
        store: Store) -> None:
    config = parse_config(CONFIG.replace(
        "feed_token_env: ACME_FEED_TOKEN",
        "feed_token_env: ACME_FEED_TOKEN\n    feed_token_next_env: ACME_FEED_TOKEN_NEXT"))
    rotating = TestClient(create_app(config, store, environ={
        **TOKENS, "ACME_FEED_TOKEN_NEXT": "acme-new-token"}, now=lambda: NOW))
    for token in ("acme-secret-token", "acme-new-token"):
        assert rotating.get("/feeds/acme/es.atom",
                            headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert rotating.get("/feeds/globex/es.atom",
                        headers={"X-API-Key": "acme-new-token"}).status_code == 403
    # the rotation is over: the new token is the token, the next one unset, the old one dead
    done = TestClient(create_app(config, store, environ={
        **TOKENS, "ACME_FEED_TOKEN": "acme-new-token"}, now=lambda: NOW))
    assert done.get("/feeds/acme/es.atom",
                    headers={"X-API-Key": "acme-new-token"}).status_code == 200
    assert done.get("/feeds/acme/es.atom",
                    headers={"X-API-Key": "acme-secret-token"}).status_code == 401


def test_two_partners_with_the_same_token_stop_the_start(store: Store) -> None:
    with pytest.raises(ConfigError, match="same feed token"):
        create_app(parse_config(CONFIG), store,
                   environ={"ACME_FEED_TOKEN": "shared", "GLOBEX_FEED_TOKEN": "shared"})


def test_healthz_answers_while_the_process_is_alive(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_is_ready_when_the_store_answers(client: TestClient) -> None:
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready", "checks": {"store": "ok"}}


def test_readyz_is_503_when_the_store_is_gone_while_healthz_still_answers(
        store: Store, tmp_path: Path) -> None:
    class Down(SqliteBackend):
        def ping(self) -> None:
            raise OSError("disk gone")

    app = TestClient(create_app(parse_config(CONFIG), Store(Down(tmp_path / "d.db")),
                                environ=TOKENS))
    r = app.get("/readyz")
    assert r.status_code == 503 and "disk gone" in r.json()["checks"]["store"]
    assert app.get("/healthz").status_code == 200


def test_readyz_reports_a_dependency_the_feeds_do_not_need_without_being_unready(
        store: Store) -> None:
    from syndicate.ops import ReadyCheck

    checks = [ReadyCheck("store", lambda: None),
              ReadyCheck("broker", lambda: "connection refused", required=False)]
    r = TestClient(create_app(parse_config(CONFIG), store, environ=TOKENS,
                              ready_checks=checks)).get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"]["broker"] == "connection refused (not needed to serve)"


def test_feed_destination_needs_the_item_in_the_store(store: Store) -> None:
    from syndicate.errors import DeliveryFailed

    dest = create("feed", {}, store)
    with pytest.raises(DeliveryFailed, match="not in the state store"):
        dest.deliver(Delivery("acme", "es", "urn:x", 1, "newsmlg2", b""))


def test_empty_feed_is_valid_and_keeps_its_etag(client: TestClient) -> None:
    first = client.get("/feeds/acme/es.atom", headers=ACME)
    assert not feedparser.parse(first.content).bozo
    again = client.get("/feeds/acme/es.atom",
                       headers={**ACME, "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_redelivery_of_the_same_version_keeps_its_place_in_the_feed(store: Store) -> None:
    from syndicate.destinations.feed import FeedDestination

    ticks = iter([NOW, NOW + dt.timedelta(minutes=5)])
    dest = FeedDestination(store, clock=lambda: next(ticks))
    undated = sample_item(1, modified=None, created=None, language="es")
    store.put_item(ItemRef(undated.guid, 1, "es"), undated)
    dest.deliver(Delivery("acme", "es", undated.guid, 1, "newsmlg2", b""))
    # the same version again, e.g. for the partner's second format, five minutes later
    dest.deliver(Delivery("acme", "es", undated.guid, 1, "ninjs", b""))
    entry = store.feed_entry("acme", "es", undated.guid)
    assert entry is not None and entry.updated == "2026-11-28T09:00:00+00:00"
