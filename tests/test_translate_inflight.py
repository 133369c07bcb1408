"""Sentences in flight: two workers given the same sentence at once translate it once, and a
write-thru sends the engine only the sentences that changed."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator, Sequence

import pytest

from syndicate.item import Block, NewsItem
from syndicate.translate import TranslationStats, translate_items
from syndicate.translate.cache import MemoryCache, RedisCache, SharedCache
from syndicate.translate.config import CacheSettings, TranslationSettings
from syndicate.translate.engine import register_engine, reset_engines
from syndicate.translate.segment import BRACKETS, Placeholders

REDIS = "redis://127.0.0.1:6379/7"


class SlowEngine:
    """Upper-cases each sentence, taking a while per batch so that two callers overlap; counts
    every sentence it is asked for."""

    name = "slow"

    def __init__(self, delay: float = 0.3) -> None:
        self.delay = delay
        self.fail = False
        self.sentences: list[str] = []
        self._lock = threading.Lock()

    def translate_batch(self, sentences: Sequence[str], source: str, target: str) -> list[str]:
        time.sleep(self.delay)
        if self.fail:
            raise RuntimeError("engine down")
        with self._lock:
            self.sentences += sentences
        return [s.upper() for s in sentences]

    def supports(self, source: str, target: str) -> bool:
        return True

    def pairs(self) -> list[tuple[str, str]]:
        return [("en", "es")]

    def model_version(self, source: str, target: str) -> str:
        return "1"

    def placeholders(self, source: str, target: str) -> Placeholders:
        return BRACKETS


@pytest.fixture()
def engine() -> SlowEngine:
    eng = SlowEngine()
    register_engine("slow", lambda _settings: eng)
    reset_engines()
    return eng


@pytest.fixture()
def prefix() -> Iterator[str]:
    import redis

    tag = f"tinflight{uuid.uuid4().hex[:8]}:mt:"
    yield tag
    r = redis.Redis.from_url(REDIS)
    for key in r.scan_iter(match=f"{tag}*"):
        r.delete(key)


def story(guid: str, sentences: Sequence[str]) -> NewsItem:
    return NewsItem(guid=guid, language="en", headline="Storm hits the coast",
                    body=tuple(Block.para(s) for s in sentences))


SENTENCES = [f"The storm damaged house number {chr(65 + i)} on the coast road." for i in range(12)]


def run_two_workers(caches: Sequence[RedisCache], items: Sequence[NewsItem]) -> list[TranslationStats]:
    """Each cache is one worker's: both translate ``items`` at the same moment."""
    settings = TranslationSettings(prefer=("slow",))
    stats = [TranslationStats() for _ in caches]
    start = threading.Barrier(len(caches))
    errors: list[BaseException] = []

    def work(i: int) -> None:
        start.wait()
        try:
            translate_items(items, "es", settings=settings, cache=caches[i], stats=stats[i])
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(caches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    return stats


def test_the_memory_cache_takes_no_claims() -> None:
    assert not isinstance(MemoryCache(), SharedCache)
    assert isinstance(RedisCache(REDIS), SharedCache)


def test_a_write_thru_sends_only_its_new_and_changed_sentences(engine: SlowEngine) -> None:
    engine.delay = 0
    settings = TranslationSettings(prefer=("slow",))
    cache = MemoryCache()
    first = story("urn:t:1", SENTENCES[:10])
    translate_items([first], "es", settings=settings, cache=cache)
    engine.sentences.clear()
    # eight sentences kept, one changed, one dropped, two added
    changed = SENTENCES[1].replace("coast road", "harbour road")
    second = story("urn:t:1", [SENTENCES[0], changed, *SENTENCES[3:10], *SENTENCES[10:12]])
    translate_items([second], "es", settings=settings, cache=cache)
    assert sorted(engine.sentences) == sorted([changed, *SENTENCES[10:12]])


@pytest.mark.integration
def test_two_workers_given_the_same_story_at_once_translate_each_sentence_once(
    engine: SlowEngine, prefix: str
) -> None:
    # one connection each, as two worker processes would have
    caches = [RedisCache(REDIS, prefix, ttl=60, wait=10), RedisCache(REDIS, prefix, ttl=60, wait=10)]
    stats = run_two_workers(caches, [story("urn:t:2", SENTENCES)])
    distinct = len(SENTENCES) + 1  # and the headline
    assert len(engine.sentences) == distinct
    assert sorted(engine.sentences) == sorted(set(engine.sentences))
    assert sum(s.engine_sentences for s in stats) == distinct
    # the worker that waited counts what it was given as cached
    assert sum(s.cache_sentences for s in stats) == distinct


@pytest.mark.integration
def test_overlapping_stories_share_the_sentences_they_have_in_common(
    engine: SlowEngine, prefix: str
) -> None:
    caches = [RedisCache(REDIS, prefix, ttl=60, wait=10) for _ in range(2)]
    settings = TranslationSettings(prefer=("slow",))
    items = [story("urn:t:a", SENTENCES[:8]), story("urn:t:b", SENTENCES[4:])]
    stats = [TranslationStats(), TranslationStats()]
    start = threading.Barrier(2)

    def work(i: int) -> None:
        start.wait()
        translate_items([items[i]], "es", settings=settings, cache=caches[i], stats=stats[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the headline and the four sentences both stories carry went to the engine once
    assert len(engine.sentences) == len(SENTENCES) + 1
    assert sorted(engine.sentences) == sorted(set(engine.sentences))


@pytest.mark.integration
def test_a_claim_whose_worker_never_answers_is_translated_after_the_wait(
    engine: SlowEngine, prefix: str
) -> None:
    engine.delay = 0
    gone = RedisCache(REDIS, prefix, ttl=60, wait=60)
    here = RedisCache(REDIS, prefix, ttl=60, wait=0.3)
    # a worker claims the story's sentences and dies before translating them
    from syndicate.translate.cache import cache_key

    item = story("urn:t:3", SENTENCES[:3])
    claimed = [cache_key("slow", "1", "en", "es", s) for s in SENTENCES[:3]]
    assert gone.claim_many(claimed) == [True] * 3
    t0 = time.monotonic()
    (out,) = translate_items([item], "es", settings=TranslationSettings(prefer=("slow",)),
                             cache=here)
    assert time.monotonic() - t0 >= 0.3
    assert sorted(engine.sentences) == sorted([*SENTENCES[:3], item.headline])
    assert out.body[0].text == SENTENCES[0].upper()


@pytest.mark.integration
def test_a_failed_translation_drops_its_claims_so_nobody_waits_for_it(
    engine: SlowEngine, prefix: str
) -> None:
    engine.delay = 0
    engine.fail = True
    cache = RedisCache(REDIS, prefix, ttl=60, wait=60)
    with pytest.raises(RuntimeError):
        translate_items([story("urn:t:4", SENTENCES[:3])], "es",
                        settings=TranslationSettings(prefer=("slow",)), cache=cache)
    assert not list(cache.client.scan_iter(match=f"{prefix}claim:*"))


@pytest.mark.integration
def test_a_waiting_worker_stops_waiting_when_the_claim_is_dropped(prefix: str) -> None:
    holder = RedisCache(REDIS, prefix, ttl=60, wait=60)
    waiter = RedisCache(REDIS, prefix, ttl=60, wait=60)
    assert holder.claim_many(["k"]) == [True]
    assert waiter.claim_many(["k"]) == [False]
    threading.Timer(0.2, holder.release_many, args=(["k"],)).start()
    t0 = time.monotonic()
    assert waiter.wait_many(["k"]) == [None]
    assert time.monotonic() - t0 < 5


@pytest.mark.integration
def test_a_waiting_worker_gets_the_value_its_claimer_stores(prefix: str) -> None:
    holder = RedisCache(REDIS, prefix, ttl=60, wait=60)
    waiter = RedisCache(REDIS, prefix, ttl=60, wait=60)
    assert holder.claim_many(["k"]) == [True]
    threading.Timer(0.2, holder.set_many, args=({"k": "v"},)).start()
    assert waiter.wait_many(["k"]) == ["v"]


@pytest.mark.integration
def test_translated_sentences_leave_no_claims_behind(engine: SlowEngine, prefix: str) -> None:
    engine.delay = 0
    cache = RedisCache(REDIS, prefix, ttl=60, wait=60)
    translate_items([story("urn:t:5", SENTENCES[:3])], "es",
                    settings=TranslationSettings(prefer=("slow",)), cache=cache)
    assert not list(cache.client.scan_iter(match=f"{prefix}claim:*"))


def test_in_flight_waiting_is_configurable_and_zero_turns_it_off() -> None:
    assert CacheSettings().inflight_wait == 30.0
    cache = RedisCache(REDIS, "unused:", wait=0)
    assert cache.claim_many(["a", "b"]) == [True, True]
