"""Retention per partner: feed entries (with their items) and the delivery ledger kept no longer
than the partner's ``retention`` says, and a kill still reaching whoever received a story
within it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from pipeline_support import (
    NOW,
    InlineDispatcher,
    ensure_codecs,
    g2_bytes,
    ingest,
    make_runtime,
    outputs,
    sample_item,
)
from syndicate import retention
from syndicate.destinations.feed import feed_entry
from syndicate.errors import ConfigError
from syndicate.item import PubStatus
from syndicate.partners import parse_config
from syndicate.store import DeliveryRecord, FeedEntry, Store

DAY = 86400.0


def put(store: Store, n: int, days_ago: float, partner: str = "acme",
        version: int = 1) -> FeedEntry:
    ensure_codecs()
    at = NOW - dt.timedelta(days=days_ago)
    item = sample_item(n, version, modified=at, created=at, language="es")
    entry = feed_entry(item, "es", at)
    store.put_feed_entry(partner, entry, item)
    return entry


def deliver(store: Store, n: int, days_ago: float, partner: str = "acme") -> DeliveryRecord:
    at = (NOW - dt.timedelta(days=days_ago)).isoformat()
    rec = DeliveryRecord(partner, "0", "es", f"urn:story:{n}", 1, "newsmlg2", f"/out/{n}",
                         "usable", at)
    store.record_delivery(rec)
    return rec


def listed(store: Store, partner: str = "acme") -> list[str]:
    return [e.guid[-7:] for e in store.feed_page(partner, ["es"], None, 100, lambda e: True)]


def test_entries_older_than_the_days_are_pruned_with_their_items(store: Store) -> None:
    old, new = put(store, 1, days_ago=10), put(store, 2, days_ago=1)
    done = store.prune_partner("acme", days=7, entries=None, now=NOW.timestamp())
    assert done.feed_entries == 1
    assert listed(store) == ["story-2"]
    assert store.feed_entry("acme", "es", old.guid) is None
    assert store.feed_items("acme", [old, new])[0] is None
    assert store.feed_items("acme", [old, new])[1] is not None


def test_entries_beyond_the_newest_n_are_pruned(store: Store) -> None:
    for n in range(1, 8):
        put(store, n, days_ago=8 - n)
    store.prune_partner("acme", days=None, entries=3, now=NOW.timestamp())
    assert listed(store) == ["story-7", "story-6", "story-5"]


def test_pruning_is_bounded_per_pass_and_finishes_over_several(store: Store) -> None:
    for n in range(1, 11):
        put(store, n, days_ago=30 + n)
    first = store.prune_partner("acme", days=7, entries=None, now=NOW.timestamp(), budget=4)
    assert first.feed_entries == 4
    while store.prune_partner("acme", days=7, entries=None, now=NOW.timestamp(),
                              budget=4).feed_entries:
        pass
    assert listed(store) == []


def test_a_partner_without_retention_keeps_everything(store: Store) -> None:
    config = parse_config("""
partners:
  - id: acme
    languages: [es]
    feed_token_env: T
    destinations: [{type: feed}]
""")
    put(store, 1, days_ago=4000)
    deliver(store, 1, days_ago=4000)
    assert retention.prune(store, config, now=NOW.timestamp(), force=True) == {}
    assert listed(store) == ["story-1"]


def test_delivery_records_older_than_the_days_are_pruned(store: Store) -> None:
    deliver(store, 1, days_ago=40)
    deliver(store, 2, days_ago=2)
    done = store.prune_partner("acme", days=30, entries=None, now=NOW.timestamp())
    assert done.deliveries == 1
    assert [r.guid for r in store.deliveries_of("acme")] == ["urn:story:2"]


def test_only_the_partners_own_ledger_is_pruned(store: Store) -> None:
    deliver(store, 1, days_ago=40, partner="acme")
    deliver(store, 1, days_ago=40, partner="globex")
    store.prune_partner("acme", days=30, entries=None, now=NOW.timestamp())
    assert store.partners_received("urn:story:1") == {"globex"}
    assert len(store.deliveries_of("globex")) == 1


def test_a_story_received_within_the_days_is_still_known_as_received(store: Store) -> None:
    deliver(store, 1, days_ago=40)
    deliver(store, 1, days_ago=2)  # a write-thru: the story's last delivery is recent
    store.prune_partner("acme", days=30, entries=None, now=NOW.timestamp())
    assert store.partners_received("urn:story:1") == {"acme"}


def test_a_story_beyond_the_days_is_forgotten_as_received(store: Store) -> None:
    deliver(store, 1, days_ago=40)
    store.prune_partner("acme", days=30, entries=None, now=NOW.timestamp())
    assert store.partners_received("urn:story:1") == set()


def test_the_entries_limit_never_forgets_who_received_a_story(store: Store) -> None:
    for n in range(1, 5):
        put(store, n, days_ago=1)
        deliver(store, n, days_ago=1)
    store.prune_partner("acme", days=None, entries=1, now=NOW.timestamp())
    assert all(store.partners_received(f"urn:story:{n}") == {"acme"} for n in range(1, 5))
    assert len(store.deliveries_of("acme")) == 4


def test_delivery_records_written_before_the_index_are_pruned_too(store: Store) -> None:
    rec = deliver(store, 1, days_ago=40)
    # as an earlier release left them: the record and the received set, no time index
    store.b.apply([("zrem", "delividx", "acme", f"acme|0|es|newsmlg2|{rec.guid}"),
                   ("zrem", "partner-stories", "acme", rec.guid)])
    store.prune_partner("acme", days=30, entries=None, now=NOW.timestamp())
    assert store.deliveries_of("acme") == []
    assert store.partners_received(rec.guid) == set()


def test_deliveries_since_a_time_are_read_from_the_time_index(store: Store) -> None:
    for n, days in enumerate((9, 5, 3, 1)):
        deliver(store, n, days_ago=days)
    deliver(store, 7, days_ago=2, partner="globex")
    legacy = deliver(store, 8, days_ago=2)
    store.b.apply([("zrem", "delividx", "acme", f"acme|0|es|newsmlg2|{legacy.guid}"),
                   ("delete", "delividx-built", "acme")])  # written before the index was kept
    since = (NOW - dt.timedelta(days=4)).timestamp()
    found = store.deliveries_since("acme", since)
    assert sorted(r.guid for r in found) == ["urn:story:2", "urn:story:3", "urn:story:8"]
    reads: list[int] = []
    many = store.b.get_many
    store.b.get_many = lambda keys: reads.append(len(keys)) or many(keys)  # type: ignore[method-assign]
    assert len(store.deliveries_since("acme", (NOW - dt.timedelta(days=1.5)).timestamp())) == 1
    assert reads == [1]  # only the record asked for is read


def test_retention_wants_days_or_entries() -> None:
    with pytest.raises(ConfigError, match="give days, entries or both"):
        parse_config("""
partners:
  - id: acme
    languages: [es]
    retention: {}
""")


def test_the_beats_pass_prunes_each_partner_at_most_once_a_minute(store: Store) -> None:
    config = parse_config("""
partners:
  - id: acme
    languages: [es]
    retention: {days: 7}
""")
    put(store, 1, days_ago=30)
    first = retention.prune(store, config, now=NOW.timestamp())
    put(store, 2, days_ago=30)
    again = retention.prune(store, config, now=NOW.timestamp())
    assert first["acme"].feed_entries == 1
    assert again == {}
    assert listed(store) == ["story-2"]


# the pipeline: a kill within retention reaches the partner, a story beyond it is forgotten

PARTNERS = """
partners:
  - id: acme
    languages: [en]
    formats: [newsmlg2]
    retention: {{days: 30, entries: 1}}
    destinations:
      - type: directory
        path: {out}/acme
"""


def _kill_after_pruning(tmp_path: Path, days_later: float) -> list[str]:
    ensure_codecs()
    rt, d = make_runtime(tmp_path, PARTNERS), InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(1)), d, "1.xml")
    ingest(rt, g2_bytes(sample_item(2)), d, "2.xml")
    d.drain(rt)
    before = set(outputs(tmp_path / "out"))
    retention.prune(rt.store, rt.config, now=time.time() + days_later * DAY, force=True)
    ingest(rt, g2_bytes(sample_item(1, 2, pub_status=PubStatus.CANCELED)), d, "kill.xml")
    d.drain(rt)
    return sorted(set(outputs(tmp_path / "out")) - before)


def test_a_kill_reaches_a_partner_that_received_the_story_within_retention(
    tmp_path: Path,
) -> None:
    assert len(_kill_after_pruning(tmp_path, days_later=1)) == 1


def test_a_kill_of_a_story_beyond_retention_goes_nowhere(tmp_path: Path) -> None:
    assert _kill_after_pruning(tmp_path, days_later=31) == []
