"""The sentence cache: which backend is chosen, keys, bounds, and surviving a Redis outage."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path

import pytest

from pipeline_support import make_runtime, sample_item
from syndicate.item import NewsItem
from syndicate.pipeline import TranslateJob, translate
from syndicate.settings import load_settings
from syndicate.store import ItemRef
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
    # the cache module reads no environment: only the URL its caller gives counts
    monkeypatch.setenv("SYNDICATE_REDIS_URL", "redis://127.0.0.1:6379/7")
    cache = open_cache(CacheSettings())
    assert isinstance(cache, MemoryCache)
    assert open_cache(CacheSettings()) is cache


def test_the_deployments_redis_selects_redis() -> None:
    cache = open_cache(CacheSettings(prefix="syndicate:test:mt:"), "redis://127.0.0.1:6379/7")
    assert isinstance(cache, RedisCache) and cache.prefix == "syndicate:test:mt:"
    assert cache.url == "redis://127.0.0.1:6379/7"


def test_the_configured_url_overrides_the_deployments_and_empty_forces_memory() -> None:
    own = open_cache(CacheSettings(redis_url="redis://127.0.0.1:6379/8"), "redis://127.0.0.1:6379/7")
    assert isinstance(own, RedisCache) and own.url == "redis://127.0.0.1:6379/8"
    assert isinstance(open_cache(CacheSettings(redis_url=""), "redis://127.0.0.1:6379/7"), MemoryCache)


def test_a_disabled_cache_is_none() -> None:
    assert open_cache(CacheSettings(enabled=False), "redis://127.0.0.1:6379/7") is None


def test_the_pipeline_gives_the_cache_the_state_stores_redis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With only a Redis broker configured, the translate stage caches in that Redis (the
    state store's), not in each worker process's memory."""
    import syndicate.translate as translate_pkg

    monkeypatch.delenv("SYNDICATE_REDIS_URL", raising=False)
    monkeypatch.setenv("SYNDICATE_BROKER_URL", "redis://127.0.0.1:6379/7")
    rt = dataclasses.replace(make_runtime(tmp_path), settings=load_settings())
    given: list[str | None] = []
    used: list[object] = []
    memory = MemoryCache()

    def fake_open_cache(settings: CacheSettings, redis_url: str | None = None) -> MemoryCache:
        given.append(redis_url)
        return memory

    def fake_translate_item(item: NewsItem, target: str, **kw: object) -> NewsItem:
        used.append(kw["cache"])
        return item.replace(language=target)

    monkeypatch.setattr(translate_pkg, "open_cache", fake_open_cache)
    monkeypatch.setattr(translate_pkg, "translate_item", fake_translate_item)
    item = sample_item()
    rt.store.put_item(ItemRef(item.guid, item.version, "en"), item)
    assert translate(rt, TranslateJob(item.guid, item.version, "en", "es")) is not None
    assert given == ["redis://127.0.0.1:6379/7"] and used == [memory]


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


#: one worker process's translate stage, as a worker builds it (tasks.runtime()), with an engine
#: that counts the sentences it is asked for; prints that count
_WORKER = r"""
import sys
from syndicate import tasks
from syndicate.pipeline import TranslateJob, translate
from syndicate.store import ItemRef
from syndicate.translate import register_engine
from syndicate.translate.segment import BRACKETS
sys.path.insert(0, sys.argv[1])
from pipeline_support import sample_item

class Upper:
    name = "upper"
    sentences = 0
    def translate_batch(self, sentences, source, target):
        Upper.sentences += len(sentences)
        return [s.upper() for s in sentences]
    def supports(self, source, target):
        return True
    def pairs(self):
        return [("en", "es")]
    def model_version(self, source, target):
        return "1"
    def placeholders(self, source, target):
        return BRACKETS

register_engine("upper", lambda settings: Upper())
rt = tasks.runtime()
item = sample_item()
rt.store.put_item(ItemRef(item.guid, item.version, "en"), item)
translate(rt, TranslateJob(item.guid, item.version, "en", "es"))
print(Upper.sentences)
"""


@pytest.mark.integration
def test_two_worker_processes_share_cached_sentences_with_only_a_redis_broker(
    tmp_path: Path,
) -> None:
    import os
    import subprocess
    import sys

    import redis

    url = "redis://127.0.0.1:6379/7"
    tag = f"tcache{uuid.uuid4().hex[:8]}"
    config = tmp_path / "syndicate.yaml"
    config.write_text(
        f"translation:\n  engine: upper\n  cache:\n    prefix: '{tag}:mt:'\n"
        f"partners:\n  - id: acme\n    languages: [es]\n"
        f"    destinations: [{{type: directory, path: {tmp_path / 'out'}}}]\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_BROKER_URL=url, SYNDICATE_PREFIX=tag, SYNDICATE_CONFIG=str(config),
               SYNDICATE_DATA_DIR=str(tmp_path / "var"), PYTHONPATH=os.pathsep.join(sys.path))
    tests_dir = str(Path(__file__).resolve().parent)

    def worker() -> int:
        done = subprocess.run([sys.executable, "-c", _WORKER, tests_dir], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return int(done.stdout.strip().splitlines()[-1])

    try:
        assert worker() > 0
        # a second process starts with an empty memory: everything comes from Redis
        assert worker() == 0
        assert any(redis.Redis.from_url(url).scan_iter(match=f"{tag}:mt:*"))
    finally:
        r = redis.Redis.from_url(url)
        for key in r.scan_iter(match=f"{tag}:*"):
            r.delete(key)
