"""Pipeline benchmark: items through ingest, translation (Apertium en->es) and delivery on real
Redis with real `celery worker` processes, for 1 and then 2 worker processes.

Baseline, measured in the same run: the time spent inside the stage functions themselves
(each records its own duration into Redis). Overhead per delivery = wall time of the single
worker run minus that stage time, divided by the deliveries. Needs Redis (default
redis://127.0.0.1:6379/7; keys under a fresh prefix, removed afterwards).
Run: .venv/bin/python bench/pipeline.py [--items N] [--redis URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """
translation:
  engine: apertium
partners:
  - id: diario
    languages: [es]
    formats: [newsmlg2]
    destinations: [{{type: directory, path: {out}/diario}}]
  - id: homewire
    languages: [en]
    formats: [newsmlg2, ninjs]
    destinations: [{{type: directory, path: {out}/homewire}}]
"""
DELIVERIES_PER_ITEM = 3
STAGES = ("ingest", "translate", "deliver")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--items", type=int, default=60)
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="syndicate-bench-"))
    tag = f"bench{uuid.uuid4().hex[:8]}"
    (tmp / "syndicate.yaml").write_text(CONFIG.format(out=tmp / "out"))
    env = {
        "SYNDICATE_BROKER_URL": args.redis, "SYNDICATE_REDIS_URL": args.redis,
        "SYNDICATE_PREFIX": tag, "SYNDICATE_QUEUE_PREFIX": f"{tag}.",
        "SYNDICATE_BROKER_KEY_PREFIX": f"{tag}:broker:",
        "SYNDICATE_CONFIG": str(tmp / "syndicate.yaml"), "SYNDICATE_DATA_DIR": str(tmp / "var"),
        "SYNDICATE_LOG_LEVEL": "WARNING",
    }
    import yaml

    mt = yaml.safe_load((ROOT / "configs" / "translation.yaml").read_text())
    # no sentence cache: every item costs a real translation in both runs
    mt.setdefault("cache", {})["enabled"] = False
    (tmp / "translation.yaml").write_text(yaml.safe_dump(mt))
    env["SYNDICATE_TRANSLATION_CONFIG"] = str(tmp / "translation.yaml")
    os.environ.update(env)

    from syndicate import formats, tasks
    from syndicate.item import Block, NewsItem
    from syndicate.pipeline import OUTCOMES, IngestJob

    rt = tasks.runtime()
    store = rt.store
    dispatcher = tasks.CeleryDispatcher(store)
    render = formats.renderer("newsmlg2").render
    now = dt.datetime.now(dt.UTC)

    def blobs(start: int, n: int) -> list[str]:
        out = []
        for i in range(start, start + n):
            item = NewsItem(
                guid=f"urn:newsml:bench.example:{tag}:{i}", language="en",
                headline=f"Port handles {i} thousand tonnes of grain in record week",
                provider="bench.example", created=now,
                body=(Block.para(f"The port handled {i} thousand tonnes of grain last week, "
                                 f"officials said on day {i % 7}."),
                      Block.para(f"Shipments number {i} went to {i % 13} countries.")),
            )
            out.append(store.put_blob(render(item)))
        return out

    def run(workers: int, start: int) -> tuple[float, float, int]:
        procs = []
        for w in range(workers):
            log = (tmp / f"worker-{workers}-{w}.log").open("ab")
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "syndicate", "worker", "--role", "all", "-c", "1",
                 "-n", f"{tag}-{workers}-{w}@%h", "-l", "WARNING"],
                env={**os.environ}, cwd=tmp, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True))
        try:
            deadline = time.monotonic() + 60
            while len(tasks.app.control.inspect(timeout=0.5).ping() or {}) < workers:
                if time.monotonic() > deadline:
                    raise SystemExit("workers did not start; see " + str(tmp))
            # warm up: one item per worker loads models and opens connections
            warm = f"warm{workers}"
            for b in blobs(10_000_000 + start, workers):
                dispatcher.ingest(IngestJob("bench", "", b, "warm.xml", warm))
            while store.batch_status(warm, OUTCOMES).pending:
                time.sleep(0.05)
            ready = blobs(start, args.items)
            store.reset_timings()
            batch = uuid.uuid4().hex
            t0 = time.perf_counter()
            for b in ready:
                dispatcher.ingest(IngestJob("bench", "", b, "bench.xml", batch))
            # poll only the pending count, and not too often: the poller shares the CPUs
            while store.batch_status(batch, ()).pending:
                time.sleep(0.02)
            wall = time.perf_counter() - t0
            st = store.batch_status(batch, OUTCOMES)
            stage = sum(store.timing(s) for s in STAGES)
            delivered = st.count("delivered")
            if delivered != args.items * DELIVERIES_PER_ITEM or st.count("failed"):
                raise SystemExit(f"unexpected outcomes {st.outcomes}; see {tmp}")
            return wall, stage, delivered
        finally:
            for p in procs:
                os.killpg(p.pid, signal.SIGTERM)
            for p in procs:
                p.wait()

    try:
        wall1, stage1, d1 = run(1, 0)
        wall2, stage2, d2 = run(2, args.items)
    finally:
        for key in store.b.r.scan_iter(match=f"{tag}*", count=1000):  # type: ignore[attr-defined]
            store.b.r.delete(key)  # type: ignore[attr-defined]
    rate1, rate2 = d1 / wall1, d2 / wall2
    overhead_ms = (wall1 - stage1) / d1 * 1000
    print(f"items: {args.items}, deliveries per item: {DELIVERIES_PER_ITEM} "
          "(es NewsML-G2, en NewsML-G2 + ninjs)")
    print(f"1 worker:  {wall1:.2f} s wall, {stage1:.2f} s in stage functions (baseline); "
          f"{rate1:.1f} deliveries/s; stage time / wall = {stage1 / wall1:.3f}")
    print(f"2 workers: {wall2:.2f} s wall, {stage2:.2f} s in stage functions; "
          f"{rate2:.1f} deliveries/s")
    print(f"pipeline: {rate2:.1f} deliveries/s; overhead {overhead_ms:.2f} ms/delivery; "
          f"scaling 1->2 workers: {rate2 / rate1:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
