"""The sentence cache: which backend is chosen, keys, bounds, and surviving a Redis outage."""

from __future__ import annotations

import uuid

import pytest

from syndicate.translate.cache import MemoryCache, RedisCache, cache_key, open_cache
from syndicate.translate.config import CacheSettings


def test_keys_differ_by_engine_model_version_pair_and_sentence() -> None:
    base = ("argos", "1.0", "en", "es", "Hello.")
    keys = {cache_key(*base)}
    for i, other in enumerate(("apertium", "1.1", "fr", "de", "Hello!")):
        changed = list(base)
        changed[i] = other
        keys.add(cache_key(*changed))
    assert len(keys) == 6


def test_without_a_redis_url_the_cache_is_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SYNDICATE_REDIS_URL", raising=False)
    cache = open_cache(CacheSettings())
    assert isinstance(cache, MemoryCache)
    assert open_cache(CacheSettings()) is cache


def test_the_redis_url_from_the_environment_selects_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_REDIS_URL", "redis://127.0.0.1:6379/0")
    cache = open_cache(CacheSettings(prefix="syndicate:test:mt:"))
    assert isinstance(cache, RedisCache) and cache.prefix == "syndicate:test:mt:"


def test_a_disabled_cache_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDICATE_REDIS_URL", "redis://127.0.0.1:6379/0")
    assert open_cache(CacheSettings(enabled=False)) is None


def test_the_memory_cache_drops_its_oldest_entries_beyond_its_bound() -> None:
    cache = MemoryCache(max_entries=2)
    cache.set_many({"a": "1", "b": "2"})
    cache.set_many({"c": "3"})
    assert cache.get_many(["a", "b", "c"]) == [None, "2", "3"]


def test_an_unreachable_redis_degrades_to_no_cache() -> None:
    cache = RedisCache("redis://127.0.0.1:9/0", prefix="syndicate:test:mt:")
    cache.set_many({"k": "v"})
    assert cache.get_many(["k", "j"]) == [None, None]


@pytest.mark.integration
def test_redis_round_trips_unicode_with_a_ttl() -> None:
    prefix = f"syndicate:test:mt:{uuid.uuid4().hex}:"
    cache = RedisCache("redis://127.0.0.1:6379/0", prefix=prefix, ttl=60)
    try:
        cache.set_many({"a": "MOSCÚ, 22 de octubre", "b": "Москва"})
        assert cache.get_many(["a", "missing", "b"]) == ["MOSCÚ, 22 de octubre", None, "Москва"]
        assert 0 < cache.client.ttl(prefix + "a") <= 60
    finally:
        keys = cache.client.keys(prefix + "*")
        if keys:
            cache.client.delete(*keys)
