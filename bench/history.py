"""History benchmark: a feed page and a /metrics scrape with 10^3, 10^4 and 10^5 deliveries
and feed entries on record, on Redis.

Each figure is printed with the same figure at 10^3 (the baseline, measured in the same run,
the sizes taken in turn round after round) and the ratio between them: flat within noise is
the goal. The store is filled through the store facade, as the feed destination and the
delivery task write it, a few thousand writes per transaction.
Run: .venv/bin/python bench/history.py [--redis URL] [--sizes 1000,10000,100000] [--repeat R]
Uses its own key prefix in the given Redis (DB 7 by default) and removes only those keys.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import statistics
import time
import typing
import uuid
from collections.abc import Callable, Sequence

import redis
from fastapi.testclient import TestClient

from syndicate import formats
from syndicate.destinations.feed import feed_entry
from syndicate.item import Block, NewsItem
from syndicate.partners import parse_config
from syndicate.store import Backend, DeliveryRecord, Op, RedisBackend, Store
from syndicate.web.cluster_metrics import RedisBrokerProbe
from syndicate.web.feeds import create_app

PARTNERS = 10
CONFIG = """
sources:
  - {type: inbox, name: wire, path: /tmp/none}
partners:
""" + "".join(f"""  - id: p{i}
    languages: [es]
    feed_token_env: P{i}_TOKEN
    destinations: [{{type: feed}}]
""" for i in range(PARTNERS))
ENV = {"SYNDICATE_OPERATOR_TOKEN": "operator"} | {f"P{i}_TOKEN": f"t{i}"
                                                   for i in range(PARTNERS)}
START = dt.datetime(2025, 11, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)


def story(i: int) -> NewsItem:
    # one a minute from a year ago: 10^5 stories span about 70 days
    at = START + dt.timedelta(minutes=i)
    return NewsItem(
        guid=f"urn:newsml:example.com:story-{i}", version=1, language="es",
        headline=f"El consejo municipal aprueba el presupuesto {i}", provider="example.com",
        body=(Block.para("El consejo municipal aprobó el presupuesto el viernes."),
              Block.para("La votación fue unánime.")),
        created=at, modified=at)


def put(store: Store, i: int) -> None:
    """Story ``i`` in partner p0's feed (the one the pages are read from) and a delivery of it
    to each of two partners (the ledger /metrics once walked)."""
    item = story(i)
    store.put_feed_entry("p0", feed_entry(item, "es", item.modified or NOW), item)
    for p in (f"p{i % PARTNERS}", f"p{(i + 1) % PARTNERS}"):
        store.record_delivery(DeliveryRecord(p, "0", "es", item.guid, 1, "newsmlg2",
                                             f"feed:{p}/es/{item.guid}@v1", "usable",
                                             (item.modified or NOW).isoformat()))


class BatchedWrites:
    """The writes of the store facade gathered into one transaction per few thousand, for
    filling the store with new stories fast: a lock is always free (one writer), and nothing
    read is there yet (each story is new; the feed index is marked built beforehand)."""

    def __init__(self, backend: RedisBackend) -> None:
        self.backend = backend
        self.ops: list[Op] = []

    def get(self, ns: str, key: str) -> str | None:
        return self.backend.get(ns, key) if ns == "feedidx-built" else None

    def put_if_absent(self, ns: str, key: str, value: str, ttl: int | None = None) -> bool:
        return ns == "lock"

    def delete_if(self, ns: str, key: str, value: str) -> None:
        if ns != "lock":
            self.apply([("delete_if", ns, key, value)])

    def apply(self, ops: Sequence[Op]) -> None:
        self.ops += ops
        if len(self.ops) >= 5000:
            self.flush()

    def flush(self) -> None:
        self.backend.apply(self.ops)
        self.ops = []


def fill(backend: RedisBackend, start: int, stop: int) -> None:
    batched = BatchedWrites(backend)
    store = Store(typing.cast(Backend, batched))
    for i in range(start, stop):
        put(store, i)
    batched.flush()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--repeat", type=int, default=61)
    args = ap.parse_args()
    formats.names()  # the codecs register on first use; not part of any measurement
    sizes = [int(x) for x in args.sizes.split(",")]
    run = f"benchhist{uuid.uuid4().hex[:8]}"
    r = redis.Redis.from_url(args.redis)
    config = parse_config(CONFIG)
    feed = {"Authorization": "Bearer t0"}
    operator = {"Authorization": "Bearer operator"}
    queues = ["ingest", "translate", "export"]
    try:
        # one store per size, all filled before any measurement, so that the figures of every
        # size are taken in turn under the same load (the machine may be busy with more)
        checks: dict[int, dict[str, Callable[[], object]]] = {}
        for size in sizes:
            prefix = f"{run}-{size}"
            backend = RedisBackend(args.redis, prefix)
            store = Store(backend)
            store.feed_languages("p0")  # the feed index is there from the start
            t0 = time.perf_counter()
            fill(backend, 0, size)
            print(f"filled {size} feed entries and {2 * size} deliveries in "
                  f"{time.perf_counter() - t0:.1f} s", flush=True)
            for q in queues:
                r.lpush(f"{prefix}:broker:{q}",
                        json.dumps({"headers": {"syndicate_sent_at": time.time()}}))
            broker = RedisBrokerProbe(args.redis, f"{prefix}:broker:", lambda: queues,
                                      lambda: {})
            client = TestClient(create_app(config, store, environ=ENV, now=lambda: NOW,
                                           broker=broker))
            # the page after the first 500 entries, by the cursor the feed links to
            link = client.get("/feeds/p0/es.json?limit=500", headers=feed).headers["link"]
            later = link.split("<", 1)[1].split(">", 1)[0].replace("limit=500", "limit=50")
            checks[size] = {
                "feed page (first 50)": functools.partial(
                    get, client, "/feeds/p0/es.atom?limit=50", feed),
                "feed page (50 after 500)": functools.partial(get, client, later, feed),
                "/metrics scrape": functools.partial(get, client, "/metrics", operator),
            }
        times: dict[tuple[int, str], list[float]] = {}
        for round_ in range(args.repeat + 1):
            for size in sizes:
                for name, fn in checks[size].items():
                    t0 = time.perf_counter()
                    fn()
                    if round_:  # the first round warms up
                        times.setdefault((size, name), []).append(time.perf_counter() - t0)
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        base = sizes[0]
        names = list(checks[base])
        print(f"medians of {args.repeat} rounds, sizes taken in turn; ratio against {base} "
              "(same run):")
        for name in names:
            print(f"  {name:28s} " + "  ".join(
                f"{size}: {med[size, name]:7.2f} ms ({med[size, name] / med[base, name]:.2f}x)"
                for size in sizes))
        last = sizes[-1]
        print(f"history: {last} vs {base}: " + "; ".join(
            f"{n} {med[last, n] / med[base, n]:.2f}x" for n in names))
    finally:
        keys = list(r.scan_iter(match=f"{run}-*", count=1000))
        for i in range(0, len(keys), 500):
            r.delete(*keys[i:i + 500])
    return 0


def get(client: TestClient, url: str, headers: dict[str, str]) -> None:
    assert client.get(url, headers=headers).status_code == 200


if __name__ == "__main__":
    raise SystemExit(main())
