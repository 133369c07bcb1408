"""``syndicate run``: the main job. Watch the inbox, ingest, translate, deliver.

With no broker configured it starts a real Celery worker on the embedded on-disk broker
and the SQLite store (no Redis, no Docker); with SYNDICATE_BROKER_URL set it feeds the
running workers. ``--once`` processes what is there, waits for every delivery, prints a
summary and exits 0 when nothing failed or was rejected.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from syndicate.errors import ConfigError, SyndicateError, TransientError, UsageError

if TYPE_CHECKING:
    from syndicate.pipeline import Runtime
    from syndicate.settings import Settings
    from syndicate.sources import Source
    from syndicate.tasks import CeleryDispatcher

HELP = "run the pipeline: ingest what arrives in the inbox, translate it, deliver it to partners"

SUMMARY = ("ingested", "rejected", "translated", "delivered", "failed")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=None,
                   help="pipeline configuration (default: SYNDICATE_CONFIG, configs/syndicate.yaml, "
                        "or the packaged default)")
    p.add_argument("--inbox", type=Path, default=None,
                   help="take input from this folder, leaving its files in place (each file is "
                        "ingested once; rejected ones are copied to <data dir>/quarantine)")
    p.add_argument("--once", action="store_true",
                   help="process what is in the inbox, wait for every delivery, print a summary, "
                        "exit (0: nothing failed or was rejected)")
    p.add_argument("--timeout", type=float, default=None,
                   help="with --once: give up after this many seconds (exit 1)")
    p.add_argument("--concurrency", type=int, default=None,
                   help="embedded worker processes (default: one per core)")


def run(args: argparse.Namespace) -> int:
    if args.config is not None:
        if not args.config.is_file():
            raise UsageError(f"--config {args.config}: no such file")
        os.environ["SYNDICATE_CONFIG"] = str(args.config.resolve())
    from syndicate.settings import get_settings

    get_settings.cache_clear()
    settings = get_settings()
    # the embedded worker is another process: it must see the same absolute paths
    os.environ["SYNDICATE_DATA_DIR"] = str(settings.data_dir.resolve())
    os.environ.setdefault("SYNDICATE_CONFIG", str(settings.config_path.resolve()))
    get_settings.cache_clear()
    settings = get_settings()

    from syndicate import checks, sources, tasks
    from syndicate.partners import SourceConfig

    rt = tasks.runtime()
    config = rt.config
    if not config.partners:
        raise ConfigError(f"{settings.config_path}: no partners configured, nothing would be delivered")
    if args.inbox is not None:
        if not args.inbox.is_dir():
            raise UsageError(f"--inbox {args.inbox}: no such folder")
        cfgs = [SourceConfig(type="inbox", name=f"inbox-{_slug(args.inbox)}",
                             path=str(args.inbox.resolve()), claim="keep")]  # type: ignore[call-arg]
    elif config.sources:
        cfgs = list(config.sources)
    else:
        default_inbox = config.inbox or settings.data_dir / "inbox"
        if not default_inbox.is_absolute():
            default_inbox = settings.data_dir / default_inbox
        default_inbox.mkdir(parents=True, exist_ok=True)
        cfgs = [SourceConfig(type="inbox", name="inbox", path=str(default_inbox))]  # type: ignore[call-arg]
    # every problem the work would meet, found before anything is taken from a source
    checks.require("run", config, settings, sources=cfgs, store=rt.store)
    env = sources.SourceEnv(rt.store, settings.data_dir)
    srcs = [sources.create(c, i, env) for i, c in enumerate(cfgs)]

    worker: subprocess.Popen[bytes] | None = None
    log_file: IO[bytes] | None = None
    # a service manager stops us with SIGTERM: stop the embedded worker on the way out
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    try:
        if settings.embedded:
            worker, log_file = _start_embedded_worker(settings, args.concurrency)
            # an earlier run that stopped halfway: its unfinished work goes out again (every
            # task is idempotent; the on-disk broker cannot tell what its last worker held)
            for old in rt.store.open_batches():
                sent = tasks.resend_pending(old)
                print(f"run: resuming {sent} unfinished task(s) of an earlier run")
        dispatcher = tasks.CeleryDispatcher(rt.store)
        if args.once:
            return _once(args, settings, rt, srcs, dispatcher, worker, log_file)
        return _forever(settings, rt, srcs, dispatcher, worker)
    finally:
        if worker is not None:
            _stop(worker)
        if log_file is not None:
            log_file.close()


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _slug(path: Path) -> str:
    import hashlib

    return hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:10]


def _start_embedded_worker(settings: Settings, concurrency: int | None
                           ) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    from syndicate import tasks

    role = tasks.roles()["all"]
    argv = tasks.worker_argv(role, settings, concurrency, f"embedded-{os.getpid()}@%h",
                             loglevel="INFO")
    log_dir = settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = (log_dir / "worker.log").open("ab")
    proc = subprocess.Popen(argv, env=tasks.role_environment("all"), stdout=log_file,
                            stderr=subprocess.STDOUT, start_new_session=True)
    return proc, log_file


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _once(args: argparse.Namespace, settings: Settings, rt: Runtime, srcs: Sequence[Source],
          dispatcher: CeleryDispatcher, worker: subprocess.Popen[bytes] | None,
          log_file: IO[bytes] | None) -> int:
    from tqdm import tqdm

    from syndicate import sources, tasks
    from syndicate.pipeline import OUTCOMES

    batch = uuid.uuid4().hex
    rt.store.batch_open(batch)
    queued = 0
    for src in srcs:
        queued += sources.collect(src, rt.store, dispatcher.ingest, batch).queued
    deadline = time.monotonic() + args.timeout if args.timeout else None
    bar = tqdm(total=queued, unit="task", disable=not sys.stdout.isatty(), leave=False)
    # no progress for this long: the broker may have dropped a message (a worker died between
    # taking it and recording it); pending tasks are sent again
    stall_after = tasks.stall_seconds(settings)
    last_done, last_change = -1, time.monotonic()
    try:
        while True:
            try:
                status = rt.store.batch_status(batch, OUTCOMES)
            except TransientError as exc:
                # the state store is restarting: the workers wait for it too
                print(f"run: waiting for the state store: {exc}", file=sys.stderr)
                time.sleep(1.0)
                continue
            done = sum(status.outcomes.values())
            if done != last_done:
                last_done, last_change = done, time.monotonic()
            elif status.pending and time.monotonic() - last_change > stall_after:
                sent = tasks.resend_pending(batch)
                print(f"run: no progress for {stall_after:.0f} s; sent {sent} pending task(s) "
                      "again", file=sys.stderr)
                last_change = time.monotonic()
            bar.total = done + status.pending
            bar.n = done
            bar.refresh()
            if status.pending == 0:
                break
            if worker is not None and worker.poll() is not None:
                raise SyndicateError(
                    f"the embedded worker stopped (exit {worker.returncode}); see "
                    f"{Path(getattr(log_file, 'name', 'worker.log'))}"
                )
            if deadline is not None and time.monotonic() > deadline:
                bar.close()
                print(f"run: gave up after {args.timeout:.0f} s with {status.pending} task(s) "
                      "still pending", file=sys.stderr)
                return 1
            time.sleep(0.1)
    finally:
        bar.close()
    for src in srcs:  # archive or quarantine what this run took
        sources.collect(src, rt.store, dispatcher.ingest, None)
    counts = {k: status.count(k) for k in SUMMARY}
    extra = {k: status.count(k) for k in ("duplicate", "superseded", "held") if status.count(k)}
    line = ", ".join(f"{counts[k]} {k}" for k in SUMMARY)
    if extra:
        line += " (" + ", ".join(f"{v} {k}" for k, v in extra.items()) + ")"
    print(f"run: {line}")
    if queued == 0:
        inboxes = ", ".join(str(getattr(src, "root", src.name)) for src in srcs)
        print(f"run: nothing new in the inbox ({inboxes})")
    for partner in rt.config.partners:
        for dest in partner.destinations:
            where = dest.options().get("path") or dest.options().get("url") or dest.type
            if isinstance(where, str) and dest.type == "directory":
                where = str(Path(where).resolve())
            print(f"results for {partner.id} ({', '.join(partner.languages)}): {where}")
    if counts["rejected"] or counts["failed"]:
        print("see `syndicate dead-letters` for what failed and why")
        return 1
    return 0


def _forever(settings: Settings, rt: Runtime, srcs: Sequence[Source],
             dispatcher: CeleryDispatcher, worker: subprocess.Popen[bytes] | None) -> int:
    from syndicate import sources, tasks

    print(f"run: watching {len(srcs)} source(s); {settings.describe()}; Ctrl-C stops")
    last_sweep = time.monotonic()
    while True:
        batch = uuid.uuid4().hex
        queued = 0
        for src in srcs:
            r = sources.collect(src, rt.store, dispatcher.ingest, batch)
            queued += r.queued
            if r.queued:
                print(f"run: {src.name}: queued {r.queued} input(s)")
        if queued:
            rt.store.batch_open(batch)
        if time.monotonic() - last_sweep > 30:
            for stalled in rt.store.stalled_batches(tasks.stall_seconds(settings)):
                n = tasks.resend_pending(stalled)
                print(f"run: no progress in batch {stalled[:8]}; sent {n} task(s) again")
            last_sweep = time.monotonic()
        if worker is not None and worker.poll() is not None:
            raise SyndicateError(f"the embedded worker stopped (exit {worker.returncode})")
        time.sleep(settings.poll_interval)
