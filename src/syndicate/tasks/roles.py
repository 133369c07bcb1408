"""Worker roles: the pool, concurrency, prefetch and queues each kind of worker runs with."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from syndicate.pipeline import URGENT
from syndicate.settings import Settings
from syndicate.tasks.broker import dedicated_pairs, lane_queue, queue_name

ROLE_ENV = "SYNDICATE_WORKER_ROLE"


@dataclass(frozen=True)
class WorkerRole:
    """Pool, concurrency, prefetch and queues of one worker role."""

    name: str
    queues: tuple[str, ...]
    pool: str
    concurrency: int
    prefetch: int
    doc: str


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def roles(pairs: tuple[str, ...] = ()) -> dict[str, WorkerRole]:
    """The roles; ``pairs`` ("en-es") makes the translate role take only those pairs' queues.

    Each role names its urgent lanes first: the worker takes from them before anything else
    (flashes, bulletins and kills overtake the backlog)."""
    translate_queues = (
        tuple(f"translate.{p}" for p in pairs) if pairs
        else ("translate", *(f"translate.{p}" for p in dedicated_pairs()))
    )
    urgent_translate = tuple(lane_queue(q, URGENT) for q in translate_queues)
    translate = (*urgent_translate, *translate_queues)
    export = (lane_queue("export", URGENT), "export")
    return {
        "ingest": WorkerRole("ingest", ("ingest",), "threads", 8, 4,
                             "I/O-bound: reading inputs, parsing, queueing; threads"),
        "translate": WorkerRole("translate", translate, "prefork", _cores(), 1,
                                "CPU-bound: one process per core, models loaded once per "
                                "process, one task at a time"),
        "export": WorkerRole("export", export, "threads", 16, 4,
                             "I/O-bound: rendering and writing to destinations; threads"),
        # threads: a task's hand-off to a prefork child and back cost about 2 ms a task, more
        # than a delivery's own stages; the engines work outside the interpreter lock (Apertium
        # in its own processes, one pipeline per thread; CTranslate2 in its threads), and a
        # prefetch of 4 keeps the next message at hand while a task runs
        "all": WorkerRole("all", (*urgent_translate, export[0], "ingest", *translate_queues,
                                  "export"), "threads",
                          _cores(), 4, "every queue in one worker (small installations); "
                          "threads"),
        # the other roles take the urgent lanes first, but only when one of their processes is
        # free: this one is always free for them, so a flash never waits for routine copy
        "urgent": WorkerRole("urgent", (*urgent_translate, export[0]), "prefork", 1, 1,
                             "the urgent lanes only (flashes, bulletins, kills): one process "
                             "kept free for them, its models loaded"),
    }


def worker_argv(role: WorkerRole, settings: Settings, concurrency: int | None = None,
                hostname: str | None = None, loglevel: str = "INFO") -> list[str]:
    """The ``celery worker`` command line of a role."""

    queues = ",".join(queue_name(settings, q) for q in role.queues)
    return [
        sys.executable, "-m", "celery", "-A", "syndicate.tasks", "worker",
        "-Q", queues, "--pool", role.pool, "-c", str(concurrency or role.concurrency),
        "--prefetch-multiplier", str(role.prefetch),
        "-n", hostname or f"{role.name}-{os.getpid()}@%h",
        "-l", loglevel, "--without-gossip", "--without-mingle",
    ]


def beat_argv(settings: Settings, loglevel: str = "INFO") -> list[str]:

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "celery", "-A", "syndicate.tasks", "beat", "-l", loglevel,
            "-s", str(settings.data_dir / "beat-schedule")]


def role_environment(role: str) -> dict[str, str]:
    return {**os.environ, ROLE_ENV: role}
