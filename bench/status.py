"""Status benchmark: what `syndicate status` and /ops cost to gather, on a quiet store (the
baseline) and after a long history, in the same run against real Redis: N deliveries on record
(the keys that grow with history) and N outcomes counted in the last 15 minutes (the most the
per-minute counters ever hold; older ones expire).

The second figure should stay near the first: the ratio is what to watch. Also the cost of
counting one outcome (what every task pays once).
Run: .venv/bin/python bench/status.py [--history N] [--repeat R]  (Redis at 127.0.0.1:6379/7,
under a prefix of its own, removed afterwards)
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path

import redis

from syndicate import ops
from syndicate.partners import parse_config
from syndicate.settings import Settings
from syndicate.store import RedisBackend, Store

URL = "redis://127.0.0.1:6379/7"
CONFIG = """
partners:
""" + "".join(f"""  - id: partner{i}
    languages: [en]
    destinations:
      - type: directory
        path: /tmp/bench-status/p{i}
""" for i in range(10)) + """
sources:
""" + "".join(f"""  - type: inbox
    name: source{i}
    path: /tmp/bench-status/s{i}
""" for i in range(5))


def best_gather(settings: Settings, store: Store, repeat: int) -> float:
    config = parse_config(CONFIG)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        ops.gather(settings, config, store, inspector=None, depths=lambda n: dict.fromkeys(n, 0))
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--history", type=int, default=20000, help="outcomes counted before")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    prefix = f"bench{uuid.uuid4().hex[:8]}"
    store = Store(RedisBackend(URL, prefix))
    settings = Settings(broker_url=URL, prefix=prefix, queue_prefix=f"{prefix}.",
                        data_dir=Path("/tmp/bench-status"))  # type: ignore[call-arg]
    try:
        quiet = best_gather(settings, store, args.repeat)
        stages = [(s, o) for s, outs in ops.STAGE_OUTCOMES.items() for o in outs]
        now = time.time()
        t0 = time.perf_counter()
        for i in range(args.history):
            stage, outcome = stages[i % len(stages)]
            store.count_outcome(stage, outcome, f"partner{i % 10}", now=now - (i % 15) * 60)
        per_count = (time.perf_counter() - t0) / args.history
        pipe = redis.Redis.from_url(URL).pipeline(transaction=False)
        for i in range(args.history * 10):  # deliveries on record: what grows with history
            pipe.set(f"{prefix}:delivery:partner{i % 10}|0|en|newsmlg2|urn:story:{i}", "{}")
            if i % 1000 == 999:
                pipe.execute()
        pipe.execute()
        busy = best_gather(settings, store, args.repeat)
        print(f"gather, quiet store (baseline): {quiet * 1000:8.2f} ms")
        print(f"gather, after {args.history * 10} deliveries and {args.history} outcomes: "
              f"{busy * 1000:8.2f} ms   "
              f"ratio {busy / quiet:.2f}")
        print(f"counting one outcome:           {per_count * 1e6:8.1f} us")
    finally:
        r = redis.Redis.from_url(URL)
        keys = list(r.scan_iter(match=f"{prefix}:*", count=1000))
        for i in range(0, len(keys), 500):
            r.delete(*keys[i:i + 500])


if __name__ == "__main__":
    main()
