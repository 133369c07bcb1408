"""Sentence cache: a translated sentence is looked up before any engine sees it.

Keyed by engine, model version, language pair and the sentence as the engine sees it, so a
new model version never serves old translations. Redis when the deployment has one (the state
store's, given by the caller; one MGET and one pipelined SET per batch, entries expire), else an
in-process dict, so the embedded setup works without Redis. Wire copy repeats its background
paragraphs: they are translated once.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from syndicate.translate.config import CacheSettings

log = logging.getLogger(__name__)


def cache_key(engine: str, model_version: str, source: str, target: str, sentence: str) -> str:
    """A fixed-length key for one sentence translation (the hash of all its parts)."""
    h = hashlib.sha256()
    for part in (engine, model_version, source, target, sentence):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:40]


class SentenceCache(Protocol):
    def get_many(self, keys: Sequence[str]) -> list[str | None]: ...

    def set_many(self, entries: Mapping[str, str]) -> None: ...


class MemoryCache:
    """In-process cache, bounded: the oldest entries go first."""

    def __init__(self, max_entries: int = 200_000) -> None:
        self.max_entries = max_entries
        self._data: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        with self._lock:
            return [self._data.get(k) for k in keys]

    def set_many(self, entries: Mapping[str, str]) -> None:
        with self._lock:
            self._data.update(entries)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)


class RedisCache:
    """Redis-backed cache shared by every translate worker.

    A Redis outage degrades to translating without the cache (logged), never to a failed
    translation: the cache saves work, it holds nothing that cannot be recomputed.
    """

    def __init__(self, url: str, prefix: str = "syndicate:mt:", ttl: int = 30 * 24 * 3600) -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self.ttl = ttl
        self.client: Any = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)

    def _errors(self) -> tuple[type[BaseException], ...]:
        import redis

        return (redis.RedisError, OSError)

    def get_many(self, keys: Sequence[str]) -> list[str | None]:
        if not keys:
            return []
        try:
            values = self.client.mget([self.prefix + k for k in keys])
        except self._errors() as exc:
            log.warning("translation cache unavailable (%s); translating without it", exc)
            return [None] * len(keys)
        return [v.decode("utf-8") if v is not None else None for v in values]

    def set_many(self, entries: Mapping[str, str]) -> None:
        if not entries:
            return
        try:
            pipe = self.client.pipeline(transaction=False)
            for k, v in entries.items():
                pipe.set(self.prefix + k, v.encode("utf-8"), ex=self.ttl)
            pipe.execute()
        except self._errors() as exc:
            log.warning("translation cache unavailable (%s); results not cached", exc)


_memory: dict[int, MemoryCache] = {}
_redis: dict[tuple[str, str, int], RedisCache] = {}
_lock = threading.Lock()


def open_cache(settings: CacheSettings, redis_url: str | None = None) -> SentenceCache | None:
    """The cache the settings ask for: Redis or the process's memory cache, None when disabled.

    ``redis_url`` is the deployment's Redis (the state store's, ``Settings.state_url``); the
    settings' own ``redis_url`` overrides it, "" forcing the in-process cache. Every process
    given the same URL shares the cached sentences.
    """
    if not settings.enabled:
        return None
    url = settings.redis_url if settings.redis_url is not None else (redis_url or "")
    with _lock:
        if url:
            key = (url, settings.prefix, settings.ttl)
            if key not in _redis:
                _redis[key] = RedisCache(url, settings.prefix, settings.ttl)
            return _redis[key]
        cache = _memory.get(settings.max_entries)
        if cache is None:
            cache = _memory[settings.max_entries] = MemoryCache(settings.max_entries)
        return cache
