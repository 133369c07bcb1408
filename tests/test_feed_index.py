"""The feed store's time index: a page reads its own entries, newest first, from a cursor, on
both backends (SQLite here, Redis in the integration run)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline_support import NOW, ensure_codecs, sample_item
from syndicate.destinations.feed import feed_entry
from syndicate.item import PubStatus, guid_slug
from syndicate.store import FeedEntry, SqliteBackend, Store


def put(store: Store, n: int, minutes: int, version: int = 1, language: str = "es",
        partner: str = "acme", **changes: object) -> FeedEntry:
    ensure_codecs()
    at = NOW - dt.timedelta(hours=10) + dt.timedelta(minutes=minutes)
    item = sample_item(n, version, modified=at, created=at, language=language, **changes)
    entry = feed_entry(item, language, at)
    store.put_feed_entry(partner, entry, item)
    return entry


def everything(e: FeedEntry) -> bool:
    return True


def score(e: FeedEntry) -> tuple[float, str]:
    return (-dt.datetime.fromisoformat(e.updated).timestamp(), e.guid)


def walk(store: Store, languages: list[str], size: int) -> list[list[str]]:
    """Every page of the feed, as guids, following the position of each page's last entry."""
    pages: list[list[str]] = []
    after = None
    while True:
        got = store.feed_page("acme", languages, after, size, everything)
        if not got:
            return pages
        pages.append([e.guid for e in got])
        after = score(got[-1])


def test_a_page_lists_the_newest_entries_first(store: Store) -> None:
    for n, minutes in [(1, 5), (2, 30), (3, 10)]:
        put(store, n, minutes)
    got = store.feed_page("acme", ["es"], None, 10, everything)
    assert [e.guid[-7:] for e in got] == ["story-2", "story-3", "story-1"]


def test_pages_from_a_cursor_cover_the_feed_once_in_order(store: Store) -> None:
    entries = [put(store, n, minutes=n * 3) for n in range(1, 24)]
    expected = [e.guid for e in sorted(entries, key=score)]
    pages = walk(store, ["es"], 5)
    assert [len(p) for p in pages] == [5, 5, 5, 5, 3]
    assert [g for p in pages for g in p] == expected


def test_entries_of_the_same_second_page_by_guid_without_loss_or_repeat(store: Store) -> None:
    # more entries in one second than a read takes at once: the index pages within the tie
    entries = [put(store, n, minutes=0) for n in range(1, 41)]
    pages = walk(store, ["es"], 3)
    assert [g for p in pages for g in p] == sorted(e.guid for e in entries)


def test_a_new_version_replaces_its_older_one_in_the_index(store: Store) -> None:
    put(store, 1, minutes=10)
    put(store, 2, minutes=20)
    put(store, 1, minutes=30, version=2)
    got = store.feed_page("acme", ["es"], None, 10, everything)
    assert [(e.guid[-7:], e.version) for e in got] == [("story-1", 2), ("story-2", 1)]


def test_an_older_version_arriving_late_leaves_the_index_as_it_was(store: Store) -> None:
    put(store, 1, minutes=30, version=2)
    put(store, 2, minutes=20)
    put(store, 1, minutes=40, version=1)
    got = store.feed_page("acme", ["es"], None, 10, everything)
    assert [(e.guid[-7:], e.version) for e in got] == [("story-1", 2), ("story-2", 1)]


def test_a_kill_moves_its_story_to_the_top_as_a_withdrawn_entry(store: Store) -> None:
    put(store, 1, minutes=10)
    put(store, 2, minutes=20)
    put(store, 1, minutes=50, version=2, pub_status=PubStatus.CANCELED)
    (first, second) = store.feed_page("acme", ["es"], None, 10, everything)
    assert (first.guid[-7:], first.pub_status) == ("story-1", "canceled")
    assert second.guid[-7:] == "story-2"


def test_a_page_merges_the_languages_it_is_given_in_time_order(store: Store) -> None:
    put(store, 1, minutes=10, language="en")
    put(store, 2, minutes=20, language="en-GB")
    put(store, 3, minutes=30, language="en")
    put(store, 4, minutes=40, language="fr")
    pages = walk(store, ["en", "en-GB"], 2)
    assert [[g[-7:] for g in p] for p in pages] == [["story-3", "story-2"], ["story-1"]]
    assert store.feed_languages("acme") == {"en", "en-GB", "fr"}


def test_entries_left_out_by_the_filter_are_made_up_from_further_down(store: Store) -> None:
    for n in range(1, 11):
        put(store, n, minutes=n)
    odd = store.feed_page("acme", ["es"], None, 3, lambda e: int(e.guid[-1]) % 2 == 1)
    assert [e.guid[-7:] for e in odd] == ["story-9", "story-7", "story-5"]


def test_an_entry_is_found_by_the_slug_of_its_guid(store: Store) -> None:
    entry = put(store, 7, minutes=1)
    found = store.feed_entry_by_slug("acme", "es", guid_slug(entry.guid))
    assert found == entry
    assert store.feed_entry_by_slug("acme", "en", guid_slug(entry.guid)) is None


def test_entries_written_before_the_index_are_indexed_on_first_read(store: Store) -> None:
    put(store, 1, minutes=10)
    put(store, 2, minutes=20)
    # as a store written by an earlier release has them: entries, no index
    for key in ("feedidx-built", "feedlangs"):
        store.b.delete(key, "acme")
    store.b.apply([("zrem", "feedidx:acme", "es", e.guid) for e in store.feed_entries("acme")]
                  + [("srem", "feedlangs", "acme", "es")])
    earlier = Store(store.b)  # a process started on that store
    got = earlier.feed_page("acme", ["es"], None, 10, everything)
    assert [e.guid[-7:] for e in got] == ["story-2", "story-1"]


class Counting(SqliteBackend):
    """Counts the index members and the keys a reader asks for."""

    read = 0
    paging = False

    def zrange_scored(self, ns: str, key: str, min_score: float, max_score: float,
                      offset: int, limit: int) -> list[tuple[str, float]]:
        got = super().zrange_scored(ns, key, min_score, max_score, offset, limit)
        self.read += len(got)
        return got

    def get_many(self, keys: list[tuple[str, str]]) -> list[str | None]:
        self.read += len(keys)
        return super().get_many(keys)

    def values(self, ns: str) -> list[str]:
        assert not self.paging, f"a page listed all of {ns}"
        return super().values(ns)


def test_a_page_reads_as_much_after_a_long_history_as_after_a_short_one(tmp_path: Path) -> None:
    reads = []
    for size in (60, 600):
        backend = Counting(tmp_path / f"{size}.db")
        store = Store(backend)
        entries = [put(store, n, minutes=n) for n in range(size)]
        middle = sorted(entries, key=score)[size // 2]
        backend.read, backend.paging = 0, True
        store.feed_page("acme", ["es"], score(middle), 5, everything)
        reads.append(backend.read)
    assert reads[0] == reads[1]
