"""Priority lanes benchmark: a flash's arrival-to-delivery time while a backlog of routine
stories drains, against the same flash on an idle pipeline, measured in the same run.

Real Redis and one fresh worker per role as the README runs them (ingest and export on
threads, translate on a process per core, the urgent role's one process; Apertium en->es, no
sentence cache so every story costs a real translation). First the idle baseline: flashes sent
one at a time. Then a backlog of routine stories is queued and, while it drains, flashes arrive
one after another; a routine story queued beside the first of them shows what the backlog costs
copy without the lane.
Needs Redis (default redis://127.0.0.1:6379/7; keys under a fresh prefix, removed afterwards).
Run: .venv/bin/python bench/priority.py [--backlog 500] [--flashes 5] [--redis URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import cluster

CONFIG = """
translation:
  engine: apertium
  cache: {{enabled: false}}
partners:
  - id: diario
    languages: [es]
    formats: [newsmlg2]
    destinations: [{{type: directory, path: {out}/diario}}]
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    destinations: [{{type: directory, path: {out}/homewire}}]
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--backlog", type=int, default=500)
    ap.add_argument("--flashes", type=int, default=5)
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    ap.add_argument("--no-urgent-worker", action="store_true",
                    help="without the urgent role's worker (the other roles still take the "
                         "urgent lanes first)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="syndicate-priority-"))
    tag = f"prio{uuid.uuid4().hex[:8]}"
    (tmp / "syndicate.yaml").write_text(CONFIG.format(out=tmp / "out"))
    cluster.use_redis(args.redis, tmp, tag, tmp / "syndicate.yaml")
    from syndicate import formats, tasks
    from syndicate.item import Block, NewsItem
    from syndicate.pipeline import IngestJob

    rt = tasks.runtime()
    store = rt.store
    dispatcher = tasks.CeleryDispatcher(store)
    render = formats.renderer("newsmlg2").render
    now = dt.datetime.now(dt.UTC)
    # the broker's key of the routine translate queue (kombu puts its key prefix in front)
    translate_queue = (tasks.settings.broker_key_prefix or "") + tasks.queue_name(
        tasks.settings, "translate")
    redis_client = store.b.r  # type: ignore[attr-defined]

    def story(kind: str, i: int, urgency: int) -> str:
        item = NewsItem(
            guid=f"urn:newsml:bench.example:{tag}:{kind}:{i}", language="en", urgency=urgency,
            headline=f"Port handles {i} thousand tonnes of grain in record week",
            provider="bench.example", created=now,
            body=(Block.para(f"The port handled {i} thousand tonnes of grain last week, "
                             f"officials said on day {i % 7}."),
                  Block.para(f"Shipments number {i} went to {i % 13} countries, and the "
                             "harbour master expects a busier month ahead.")),
        )
        return store.put_blob(render(item))

    def send(blob: str) -> tuple[str, float]:
        batch = uuid.uuid4().hex
        t0 = time.perf_counter()
        dispatcher.ingest(IngestJob("bench", "", blob, "story.xml", batch))
        return batch, t0

    def wait(batch: str, t0: float, limit: float = 600) -> float:
        while store.batch_status(batch, ()).pending:
            if time.perf_counter() - t0 > limit:
                raise SystemExit(f"batch {batch} did not finish; see {tmp}")
            time.sleep(0.005)
        return time.perf_counter() - t0

    roles = [("ingest", 8), ("translate", 2), ("export", 16)]
    if not args.no_urgent_worker:
        roles.append(("urgent", 1))
    workers = cluster.Workers(tmp, tag)
    try:
        for role, concurrency in roles:
            workers.start(role, concurrency, role)
        workers.wait_ready()
        for i in range(4):  # warm up: models loaded, connections open in every process
            wait(*send(story("warm", i, 5)))

        idle = []
        for i in range(args.flashes):
            idle.append(wait(*send(story("idle-flash", i, 1))))
            time.sleep(0.2)

        backlog = [story("routine", i, 5) for i in range(args.backlog)]
        flashes = [story("flash", i, 1) for i in range(args.flashes)]
        probe = story("probe", 0, 5)
        t_backlog = time.perf_counter()
        batch_backlog = uuid.uuid4().hex
        for blob in backlog:
            dispatcher.ingest(IngestJob("bench", "", blob, "story.xml", batch_backlog))
        # the flashes arrive while the backlog drains: once the routine translations queue up
        while redis_client.llen(translate_queue) < min(100, args.backlog // 3):
            time.sleep(0.01)
        loaded, waiting = [], []
        probe_sent = send(probe)
        for blob in flashes:
            waiting.append(redis_client.llen(translate_queue))
            loaded.append(wait(*send(blob)))
        probe_time = wait(*probe_sent)
        drained = wait(batch_backlog, t_backlog)
    finally:
        workers.stop()
        cluster.remove_keys(redis_client, tag)

    idle_ms = statistics.median(idle) * 1000
    loaded_ms = statistics.median(loaded) * 1000
    print(f"idle pipeline: flash arrival to delivered, median of {len(idle)}: {idle_ms:.0f} ms "
          f"(each: {', '.join(f'{t * 1000:.0f}' for t in idle)})")
    print(f"backlog of {args.backlog} routine stories drained in {drained:.1f} s; flashes sent "
          f"while {', '.join(map(str, waiting))} routine translations waited")
    print(f"under the backlog: flash median of {len(loaded)}: {loaded_ms:.0f} ms (each: "
          f"{', '.join(f'{t * 1000:.0f}' for t in loaded)}); a routine story queued beside the "
          f"first flash: {probe_time * 1000:.0f} ms")
    print("workers: " + ", ".join(f"{r} ({c})" for r, c in roles))
    print(f"priority: flash under backlog / idle = {loaded_ms / idle_ms:.2f} (goal < 2); "
          f"routine under backlog / idle flash = {probe_time * 1000 / idle_ms:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
