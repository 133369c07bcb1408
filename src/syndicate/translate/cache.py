"""Sentence cache: a translated sentence is looked up before any engine sees it.

Keyed by engine, model version, language pair and the sentence as the engine sees it, so a
new model version never serves old translations. Redis when the deployment has one (the state
store's, given by the caller; one MGET and one pipelined SET per batch, entries expire), else an
in-process dict, so the embedded setup works without Redis. Wire copy repeats its background
paragraphs: they are translated once. In Redis a worker also claims the sentences it is about
to translate, so another worker given the same sentence at the same time waits for the result
instead of translating it again.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

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


@runtime_checkable
class SharedCache(SentenceCache, Protocol):
    """A cache several processes translate through: a sentence being translated is claimed, so
    the others wait for it rather than translate it too."""

    def claim_many(self, keys: Sequence[str]) -> list[bool]:
        """Claim each missing key for this caller; False where another caller holds it."""
        ...

    def wait_many(self, keys: Sequence[str]) -> list[str | None]:
        """The values of keys claimed by others, as they arrive; None where none came in time
        or the claim was dropped without one (the caller translates those itself)."""
        ...

    def release_many(self, keys: Sequence[str]) -> None:
        """Drop this caller's claims without values (its translation failed)."""
        ...


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

    #: seconds between two looks at sentences another worker is translating
    POLL = 0.02

    def __init__(self, url: str, prefix: str = "syndicate:mt:", ttl: int = 30 * 24 * 3600,
                 wait: float = 30.0) -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self.ttl = ttl
        #: how long a claim holds and how long another worker waits for its result: a worker
        #: that dies mid-batch costs the others this much at most, then they translate
        self.wait = wait
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
            # the value is there: whoever waits for it stops waiting
            pipe.delete(*(self._claim(k) for k in entries))
            pipe.execute()
        except self._errors() as exc:
            log.warning("translation cache unavailable (%s); results not cached", exc)

    def _claim(self, key: str) -> str:
        return f"{self.prefix}claim:{key}"

    def claim_many(self, keys: Sequence[str]) -> list[bool]:
        if not keys or self.wait <= 0:
            return [True] * len(keys)
        try:
            pipe = self.client.pipeline(transaction=False)
            for k in keys:
                pipe.set(self._claim(k), b"1", nx=True, px=max(1, int(self.wait * 1000)))
            return [bool(ok) for ok in pipe.execute()]
        except self._errors() as exc:
            log.warning("translation cache unavailable (%s); translating without claims", exc)
            return [True] * len(keys)

    def wait_many(self, keys: Sequence[str]) -> list[str | None]:
        found: dict[str, str] = {}
        pending = list(keys)
        deadline = time.monotonic() + self.wait
        try:
            while pending:
                # claims before values: a claimer writes its value before it drops its claim,
                # so a claim seen gone here has its value (if any) visible in the values
                pipe = self.client.pipeline(transaction=False)
                pipe.mget([self._claim(k) for k in pending])
                pipe.mget([self.prefix + k for k in pending])
                claims, values = pipe.execute()
                still = []
                for k, claim, value in zip(pending, claims, values, strict=True):
                    if value is not None:
                        found[k] = value.decode("utf-8")
                    elif claim is not None:
                        still.append(k)
                    # else: dropped without a value (the claimer failed): ours to translate
                pending = still
                if pending and time.monotonic() >= deadline:
                    log.info("%d sentences claimed by another worker did not arrive in %.1f s; "
                             "translating them here", len(pending), self.wait)
                    break
                if pending:
                    time.sleep(self.POLL)
        except self._errors() as exc:
            log.warning("translation cache unavailable (%s); translating without it", exc)
        return [found.get(k) for k in keys]

    def release_many(self, keys: Sequence[str]) -> None:
        if not keys:
            return
        try:
            self.client.delete(*(self._claim(k) for k in keys))
        except self._errors() as exc:
            log.warning("translation cache unavailable (%s); claims left to expire", exc)


_memory: dict[int, MemoryCache] = {}
_redis: dict[tuple[str, str, int, float], RedisCache] = {}
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
            key = (url, settings.prefix, settings.ttl, settings.inflight_wait)
            if key not in _redis:
                _redis[key] = RedisCache(url, settings.prefix, settings.ttl, settings.inflight_wait)
            return _redis[key]
        cache = _memory.get(settings.max_entries)
        if cache is None:
            cache = _memory[settings.max_entries] = MemoryCache(settings.max_entries)
        return cache
