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

from syndicate.commands import add_config_argument, use_config
from syndicate.errors import ConfigError, SyndicateError, TransientError, UsageError

if TYPE_CHECKING:
    from syndicate.ledger import Sweeper
    from syndicate.pipeline import Runtime
    from syndicate.settings import Settings
    from syndicate.sources import Source
    from syndicate.store import BatchStatus
    from syndicate.tasks import CeleryDispatcher

HELP = "run the pipeline: ingest what arrives in the inbox, translate it, deliver it to partners"

SUMMARY = ("ingested", "rejected", "translated", "delivered", "failed")


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_config_argument(p)
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
    use_config(args.config)
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
        batch = uuid.uuid4().hex
        sweeper = tasks.make_sweeper(rt.store)
        if settings.embedded:
            worker, log_file = _start_embedded_worker(settings, args.concurrency)
            # an earlier run that stopped halfway, or replayed dead letters: that work runs
            # now, and `--once` waits for it (the on-disk broker cannot tell what its last
            # worker held; a second copy of a task is turned away by its lease)
            resumed = tasks.adopt_pending(batch) if args.once else len(rt.store.pending_tasks())
            if resumed:
                print(f"run: resuming {resumed} unfinished task(s) of an earlier run or replay")
                sweeper.sweep(everything=True)
        dispatcher = tasks.CeleryDispatcher(rt.store)
        print(f"run: watching {_watched(srcs)}")
        if args.once:
            return _once(args, rt, srcs, dispatcher, sweeper, batch, worker, log_file)
        return _forever(settings, rt, srcs, dispatcher, sweeper, worker)
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


def _watched(srcs: Sequence[Source]) -> str:
    return ", ".join(f"{src.name} ({getattr(src, 'root', None) or src.name})" for src in srcs)


class Reporter:
    """Says what a run's batches did as it happens: deliveries, and each failure with why."""

    def __init__(self, rt: Runtime, quiet: bool = False) -> None:
        self.rt = rt
        self.quiet = quiet
        self.started = _now_iso()
        self.seen_dead: set[str] = set()
        self.counts: dict[str, int] = {}
        self.last_line = 0.0

    def progress(self, status: BatchStatus, force: bool = False) -> None:
        counts = {k: status.count(k) for k in ("delivered", "failed", "rejected")}
        grew_failures = counts["failed"] + counts["rejected"] > \
            self.counts.get("failed", 0) + self.counts.get("rejected", 0)
        if grew_failures:
            self.failures()
        if self.quiet or counts == self.counts:
            return
        if force or grew_failures or time.monotonic() - self.last_line > 2.0:
            print(f"run: {counts['delivered']} delivered, {counts['failed']} failed, "
                  f"{counts['rejected']} rejected, {status.pending} pending", flush=True)
            self.counts = counts
            self.last_line = time.monotonic()

    def failures(self) -> None:
        for dl in self.rt.store.dead_letters():
            if dl.id in self.seen_dead or dl.at < self.started:
                continue
            self.seen_dead.add(dl.id)
            payload = dl.kwargs()
            what = (f"{payload.get('partner')}/{payload.get('destination')}"
                    if dl.task == "syndicate.export" else
                    str(payload.get("filename") or payload.get("guid") or dl.task))
            print(f"run: FAILED {dl.task.split('.')[-1]} {what}: {dl.error_type}: {dl.error} "
                  f"(dead letter {dl.id})", file=sys.stderr, flush=True)


def _now_iso() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _once(args: argparse.Namespace, rt: Runtime, srcs: Sequence[Source],
          dispatcher: CeleryDispatcher, sweeper: Sweeper, batch: str,
          worker: subprocess.Popen[bytes] | None, log_file: IO[bytes] | None) -> int:
    from tqdm import tqdm

    from syndicate import sources
    from syndicate.pipeline import OUTCOMES

    queued = 0
    for src in srcs:
        queued += sources.collect(src, rt.store, dispatcher.ingest, batch).queued
    deadline = time.monotonic() + args.timeout if args.timeout else None
    tty = sys.stdout.isatty()
    bar = tqdm(total=queued, unit="task", disable=not tty, leave=False)
    reporter = Reporter(rt, quiet=tty)
    try:
        while True:
            try:
                status = rt.store.batch_status(batch, OUTCOMES)
                reporter.progress(status)
            except TransientError as exc:
                # the state store is restarting: the workers wait for it too
                print(f"run: waiting for the state store: {exc}", file=sys.stderr)
                time.sleep(1.0)
                continue
            # the ledger sends again what a broker lost (workers sweep too; one at a time)
            sweeper.sweep()
            done = sum(status.outcomes.values())
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
    reporter.progress(status, force=True)
    # an input whose usable items went on but some were left out counts as ingested; its dead
    # letter says what was left out
    reporter.failures()
    for src in srcs:  # archive or quarantine what this run took
        sources.collect(src, rt.store, dispatcher.ingest, None)
    counts = {k: status.count(k) for k in SUMMARY}
    extra = {k: status.count(k) for k in ("duplicate", "superseded", "held") if status.count(k)}
    line = ", ".join(f"{counts[k]} {k}" for k in SUMMARY)
    if extra:
        line += " (" + ", ".join(f"{v} {k}" for k, v in extra.items()) + ")"
    print(f"run: {line}")
    if queued == 0:
        print(f"run: nothing new in {_watched(srcs)}")
    for text in destination_summary(rt, batch):
        print(text)
    if counts["rejected"] or counts["failed"]:
        print("see `syndicate dead-letters` for what failed and why")
        return 1
    if reporter.seen_dead:
        print("see `syndicate dead-letters` for the items left out of an input and why")
    return 0


def destination_summary(rt: Runtime, batch: str) -> list[str]:
    """Per partner destination: where its copy is, and how many deliveries reached it or
    failed in ``batch`` (a destination that failed is never named as delivered)."""
    tally: dict[tuple[str, str], dict[str, int]] = {}
    for outcome in ("delivered", "failed", "held", "superseded", "skipped"):
        for task_id in rt.store.batch_members(batch, outcome):
            if not task_id.startswith("export:"):
                continue
            _, partner_id, dest_name, _rest = task_id.split(":", 3)
            tallied = tally.setdefault((partner_id, dest_name), {})
            tallied[outcome] = tallied.get(outcome, 0) + 1
    lines = []
    for partner in rt.config.partners:
        for dest_id, dest in zip(partner.destination_ids(), partner.destinations, strict=True):
            options = dest.options()
            where = options.get("path") or options.get("url") or options.get("bucket") or dest.type
            if isinstance(where, str) and dest.type == "directory":
                where = str(Path(where).resolve())
            elif dest.type == "sftp":
                # a folder on a partner's server: named with the server, as its deliveries are
                path = str(options.get("path") or "")
                where = (f"sftp://{options.get('username')}@{options.get('host')}:"
                         f"{options.get('port', 22)}" + (path if path.startswith("/")
                                                          else f"/~/{path}"))
            counts = tally.get((partner.id, dest_id), {})
            langs = ", ".join(partner.languages)
            if counts.get("failed"):
                lines.append(f"FAILED for {partner.id} ({langs}): {dest.type} {where}: "
                             f"{counts['failed']} failed, {counts.get('delivered', 0)} delivered")
            elif counts.get("delivered"):
                lines.append(f"results for {partner.id} ({langs}): {where} "
                             f"({counts['delivered']} delivered)")
            else:
                lines.append(f"nothing new for {partner.id} ({langs}) at {where}")
    return lines


def _forever(settings: Settings, rt: Runtime, srcs: Sequence[Source],
             dispatcher: CeleryDispatcher, sweeper: Sweeper,
             worker: subprocess.Popen[bytes] | None) -> int:
    from syndicate import sources
    from syndicate.pipeline import OUTCOMES

    print(f"run: {settings.describe()}; Ctrl-C stops")
    reporter = Reporter(rt)
    rounds: dict[str, dict[str, int]] = {}
    next_poll = 0.0
    while True:
        if time.monotonic() >= next_poll:
            batch = uuid.uuid4().hex
            queued = 0
            for src in srcs:
                r = sources.collect(src, rt.store, dispatcher.ingest, batch)
                queued += r.queued
                if r.queued:
                    print(f"run: {src.name}: queued {r.queued} input(s)", flush=True)
            if queued:
                rounds[batch] = {}
            next_poll = time.monotonic() + settings.poll_interval
        try:
            sweeper.sweep()
            for batch, seen in list(rounds.items()):
                status = rt.store.batch_status(batch, OUTCOMES)
                now = {k: status.count(k) for k in ("delivered", "failed", "rejected")}
                if now != seen:
                    if now["failed"] + now["rejected"] > seen.get("failed", 0) + \
                            seen.get("rejected", 0):
                        reporter.failures()
                    rounds[batch] = now
                if status.pending == 0:
                    print(f"run: round {batch[:8]}: {now['delivered']} delivered, "
                          f"{now['failed']} failed, {now['rejected']} rejected", flush=True)
                    del rounds[batch]
        except TransientError as exc:
            print(f"run: waiting for the state store: {exc}", file=sys.stderr)
        if worker is not None and worker.poll() is not None:
            raise SyndicateError(f"the embedded worker stopped (exit {worker.returncode})")
        time.sleep(min(1.0, settings.poll_interval))
