"""Scrape benchmark: the feed server's /metrics with 10^3 and 10^4 deliveries on record.

Baseline, measured in the same run over the same store: what the previous /metrics did at each
scrape (walk every delivery record and every dead letter). The new scrape reads a few keys per
source, partner and queue, so its time should not move with the history.
Run: .venv/bin/python bench/metrics_scrape.py [--redis URL] [--sizes 1000,10000] [--repeat R]
Uses its own key prefix in the given Redis (DB 7 by default) and removes only those keys.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Callable

import redis

from syndicate.partners import parse_config
from syndicate.store import RedisBackend, Store
from syndicate.web.cluster_metrics import MetricsEndpoint, RedisBrokerProbe

CONFIG = """
sources:
  - {type: inbox, name: wire, path: /tmp/none}
partners:
""" + "".join(f"""  - id: p{i}
    languages: [es]
    destinations: [{{type: directory, path: /tmp/none/p{i}}}]
""" for i in range(10))


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def fill(store: Store, start: int, stop: int) -> None:
    for i in range(start, stop):
        store.record_delivery_of(f"p{i % 10}", "0", "es", f"urn:story:{i}", 1, "newsmlg2",
                                 f"/out/{i}.xml", "usable")
        if i % 10 == 0:
            store.add_dead_letter("syndicate.export", {"guid": f"urn:story:{i}"},
                                  RuntimeError("refused"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    store = Store(RedisBackend(args.redis, prefix))
    config = parse_config(CONFIG)
    # seven queues, each with a waiting message (the workers' answer is left out: it is
    # refreshed in the background, never waited for by a scrape)
    queues = ["ingest", "translate", "export", "translate.urgent", "export.urgent",
              "translate.en-es", "translate.en-fr"]
    r = redis.Redis.from_url(args.redis)
    for q in queues:
        r.lpush(f"{prefix}:broker:{q}", json.dumps({"headers": {"syndicate_sent_at": time.time()}}))
    broker = RedisBrokerProbe(args.redis, f"{prefix}:broker:", lambda: queues, lambda: {})
    endpoint = MetricsEndpoint(config, store, broker=broker)

    def old_scrape() -> None:
        counts: dict[tuple[str, str], int] = {}
        for rec in store.deliveries():
            counts[(rec.partner, rec.destination)] = counts.get((rec.partner, rec.destination),
                                                                0) + 1
        len(store.dead_letters())

    try:
        filled = 0
        for size in (int(s) for s in args.sizes.split(",")):
            fill(store, filled, size)
            filled = size
            endpoint.render()
            new = best_of(args.repeat, endpoint.render)
            old = best_of(max(1, args.repeat // 2), old_scrape)
            print(f"{size} deliveries, {size // 10} dead letters: /metrics {new * 1000:.1f} ms; "
                  f"walking the history (before) {old * 1000:.1f} ms; ratio {new / old:.4f}")
    finally:
        keys = list(r.scan_iter(match=f"{prefix}*", count=1000))
        for i in range(0, len(keys), 500):
            r.delete(*keys[i:i + 500])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
