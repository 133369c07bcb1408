"""The Celery app: queues, routing, retries, dead letters. Tasks move jobs; pipeline.py works.

Queues are ``ingest``, ``translate`` (or ``translate.<src>-<tgt>`` for pairs configured as
dedicated, so a worker holds only the models it needs) and ``export``. Every task is
recorded in the ledger (see :mod:`syndicate.ledger`) before it is sent and runs under a
lease; it is acknowledged late and rejected when its worker dies. Transient errors are
retried from the ledger with exponential backoff and jitter; anything that fails for good
lands in the dead letters with its error and payload. With no broker configured the app runs
on kombu's filesystem transport under the data directory (the embedded default).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from celery import Celery, Task, signals
from celery.exceptions import SoftTimeLimitExceeded
from kombu import Exchange, Queue
from kombu.exceptions import OperationalError as KombuOperationalError
from kombu.transport import filesystem as _fs
from kombu.transport import redis as _kredis
from kombu.utils.json import dumps as kombu_dumps
from redis import exceptions as _redis_errors

from syndicate import ledger, logs, quarantine
from syndicate.errors import DeliveryFailed, DeliveryRejected, TransientError
from syndicate.ledger import LedgerTimes
from syndicate.partners import PipelineConfig, cached_config
from syndicate.pipeline import (
    FAILED,
    ExportJob,
    IngestJob,
    J,
    Runtime,
    TranslateJob,
    handle_export,
    handle_ingest,
    handle_translate,
    job_from_payload,
    job_payload,
)
from syndicate.settings import Settings, get_settings
from syndicate.store import Store, TaskRecord, open_store

log = logging.getLogger("syndicate.tasks")

ROLE_ENV = "SYNDICATE_WORKER_ROLE"
TRANSIENT: tuple[type[BaseException], ...] = (
    TransientError, DeliveryFailed, ConnectionError, TimeoutError, KombuOperationalError,
    SoftTimeLimitExceeded,
)


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: a destination or service briefly away; never a refusal (4xx, denied)."""
    return isinstance(exc, TRANSIENT) and not isinstance(exc, DeliveryRejected)


def queue_name(settings: Settings, base: str) -> str:
    return f"{settings.queue_prefix}{base}"


class _AtomicFilesystemChannel(_fs.Channel):
    """kombu's filesystem channel, writing each message under a temporary name first.

    kombu writes the message file in place, so a consumer listing the folder at that instant
    can take an empty file and stop the worker with a decoding error. The temporary name
    (leading dot, ``.tmp`` suffix) matches no queue, and the rename is atomic.
    """

    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        tmp = os.path.join(self.data_folder_out, f".{name}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(kombu_dumps(payload).encode("utf-8"))
            os.replace(tmp, final)
        except OSError as exc:
            raise KombuOperationalError(f"cannot queue a message in {final}: {exc}") from exc


class AtomicFilesystemTransport(_fs.Transport):
    Channel = _AtomicFilesystemChannel


class _ResilientRedisQoS(_kredis.QoS):
    """kombu's Redis QoS, whose give-back of unacknowledged messages survives a lost broker.

    When Redis goes away, the worker's consumer collects the broken connection (its transport
    forgets the client) and then closes the channels; a channel's close gives back the
    messages it holds, which needs a connection again and fails with AttributeError
    ('NoneType' object has no attribute 'hostname') or a connection error. kombu lets that
    escape as an "Unrecoverable error" and the worker exits. Nothing needs giving back by
    hand: those messages are still in Redis's unacknowledged set, which the visibility timeout
    restores (and the ledger re-sends what is not there), so the failure is logged and the
    worker reconnects.
    """

    def restore_unacked_once(self, stderr: Any = None) -> Any:
        try:
            return super().restore_unacked_once(stderr)
        except (AttributeError, OSError, _redis_errors.RedisError) as exc:
            log.warning("could not give back %d unacknowledged message(s) on a lost broker "
                        "connection (%r); Redis restores them after the visibility timeout",
                        len(self._delivered or ()), exc)
            return None


class _ResilientRedisChannel(_kredis.Channel):
    QoS = _ResilientRedisQoS


class ResilientRedisTransport(_kredis.Transport):
    """kombu's Redis transport with :class:`_ResilientRedisQoS`."""

    Channel = _ResilientRedisChannel


def broker_settings(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The broker URL and transport options: Redis (or another broker), or the embedded one."""
    if settings.broker_url:
        opts: dict[str, Any] = {"visibility_timeout": settings.visibility_timeout}
        if settings.broker_url.startswith(("redis://", "rediss://")):
            opts.update(socket_timeout=10, socket_connect_timeout=5, retry_on_timeout=True,
                        health_check_interval=15)
            # look for tasks of dead workers every few seconds (kombu's default sweep runs
            # every 100 s, long after a short visibility timeout has passed)
            opts.update(unacked_restore_interval=max(1, min(10, settings.visibility_timeout // 4)),
                        unacked_restore_throttle=1,
                        # a worker killed inside a sweep leaves the sweep mutex behind; it must
                        # not block every other worker's sweeps for kombu's default 5 minutes
                        unacked_mutex_expire=min(300, max(5, settings.visibility_timeout)))
            if settings.broker_key_prefix:
                opts["global_keyprefix"] = settings.broker_key_prefix
        return settings.broker_url, opts
    folder = (settings.broker_dir).resolve()
    for sub in ("queue", "control", "processed"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return "filesystem://localhost/", {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "polling_interval": 0.05,
    }


def _transport_for(settings: Settings) -> str | None:
    if settings.broker_url is None:
        return "syndicate.tasks:AtomicFilesystemTransport"
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return "syndicate.tasks:ResilientRedisTransport"
    return None


def _queue(name: str) -> Queue:
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def make_app(settings: Settings) -> Celery:
    app = Celery("syndicate", set_as_current=True)
    broker, transport_options = broker_settings(settings)
    app.conf.update(
        broker_url=broker,
        broker_transport=_transport_for(settings),
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        result_backend=None,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=min(settings.task_soft_time_limit, settings.task_time_limit),
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_hijack_root_logger=False,
        task_default_queue=queue_name(settings, "ingest"),
        # one direct exchange per queue: a message goes to exactly one queue
        task_queues=[_queue(queue_name(settings, q)) for q in ("ingest", "translate", "export")],
        task_create_missing_queues=True,
        task_routes=(route_task,),
        beat_schedule={
            "poll-sources": {
                "task": "syndicate.poll_sources",
                "schedule": settings.poll_interval,
                "options": {"expires": settings.poll_interval * 2},
            },
        },
        timezone="UTC",
        enable_utc=True,
    )
    return app


# --------------------------------------------------------------------------------------
# per-process state: settings, configuration, store


@dataclass
class _Process:
    runtime: Runtime | None = None
    pid: int = 0


_proc = _Process()
_proc_lock = threading.Lock()


def runtime() -> Runtime:
    """This process's configuration and store (opened once per process, after any fork)."""
    with _proc_lock:
        if _proc.runtime is None or _proc.pid != os.getpid():
            s = get_settings()
            config = cached_config(str(s.config_path.resolve()))
            store = open_store(s.state_url, s.prefix, s.sqlite_path)
            _proc.runtime = Runtime(config=config, store=store, lock_ttl=s.delivery_lock_ttl)
            _proc.pid = os.getpid()
        return _proc.runtime


def dedicated_pairs() -> tuple[str, ...]:
    try:
        return runtime().config.translation.dedicated_queues
    except Exception:  # routing must never fail on a configuration problem: use the shared queue
        return ()


def route_task(name: str, args: Any, kwargs: dict[str, Any], options: Any, task: Any = None,
               **kw: Any) -> dict[str, str]:
    s = get_settings()
    if name == "syndicate.translate":
        job = job_from_payload(TranslateJob, kwargs)
        if job.pair in dedicated_pairs():
            return {"queue": queue_name(s, f"translate.{job.pair}")}
        return {"queue": queue_name(s, "translate")}
    if name == "syndicate.export":
        return {"queue": queue_name(s, "export")}
    return {"queue": queue_name(s, "ingest")}


settings = get_settings()
app = make_app(settings)


# --------------------------------------------------------------------------------------
# tasks


def ledger_times(s: Settings | None = None) -> LedgerTimes:
    s = s or get_settings()
    return LedgerTimes(lease_ttl=s.lease_ttl, resend_after=s.resend_after)


def publish(rec: TaskRecord) -> None:
    """Send a recorded task to its queue (raises when the broker cannot take it)."""
    TASKS_BY_NAME[rec.task].apply_async(kwargs=rec.payload, task_id=rec.id)


class CeleryDispatcher:
    """Queues follow-up jobs as Celery tasks, each recorded in the ledger before it is sent.

    A job with a time (an embargo) waits in the ledger and is sent when it is due; a send the
    broker refuses is kept and sent by the sweep when the broker answers again.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def _send(self, task: Task, job: IngestJob | TranslateJob | ExportJob,
              eta: dt.datetime | None = None) -> None:
        rec = TaskRecord(job.task_id, task.name, job_payload(job), job.batch)
        now = time.time()
        if eta is not None and eta.timestamp() > now:
            self.store.task_put(rec, eta.timestamp())
            return
        self.store.task_put(rec, now + settings.resend_after)
        try:
            publish(rec)
        except Exception as exc:
            log.warning("the broker did not take %s; kept, the sweep sends it: %s", rec.id, exc)

    def translate(self, job: TranslateJob) -> None:
        self._send(translate_task, job)

    def export(self, job: ExportJob, eta: dt.datetime | None = None) -> None:
        self._send(export_task, job, eta)

    def ingest(self, job: IngestJob) -> None:
        self._send(ingest_task, job)


class PipelineTask(Task):
    """Late acks; failures are handled by :func:`run_job` (retries in the ledger, dead letters)."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any,
                   einfo: Any) -> None:
        # only what run_job could not handle reaches here (the store was unreachable): the
        # task's record stays in the ledger and the sweep sends it again
        log.error("task %s stopped: %s; the ledger sends it again", task_id, exc,
                  extra={"task": self.name})


def _dead_letter(rt: Runtime, name: str, payload: dict[str, Any], exc: BaseException) -> None:
    data = None
    if name == "syndicate.ingest" and payload.get("blob"):
        data = rt.store.get_blob(str(payload["blob"]))
        reason = f"{type(exc).__name__}: {exc}"
        if payload.get("ref"):
            rt.store.set_outcome(str(payload["source"]), str(payload["ref"]), reason)
        if payload.get("quarantined"):
            quarantine.update_reason(Path(str(payload["quarantined"])), reason)
    dl = rt.store.add_dead_letter(name, payload, exc, guid=payload.get("guid"), data=data)
    log.error("failed for good, dead letter %s: %s", dl.id, exc,
              extra={"task": name, "guid": payload.get("guid"),
                     "partner": payload.get("partner"), "language": payload.get("language")})


def run_job(task: Task, cls: type[J], handler: Callable[[Runtime, J, CeleryDispatcher], str],
            payload: dict[str, Any]) -> str:
    """Run one pipeline task under its lease, exactly once to completion.

    A second copy (the task finished, or another worker runs it now) is acknowledged without
    running. A transient failure is retried from the ledger after a backoff; a permanent one,
    too many retries, or a task that keeps killing its worker goes to the dead letters.
    """
    rt = runtime()
    s = get_settings()
    task_id = str(task.request.id)
    token = uuid.uuid4().hex
    start = rt.store.task_begin(task_id, token, s.lease_ttl)
    if start.status != "run":
        log.info("%s is %s: this copy is acknowledged without running", task_id,
                 "finished" if start.status == "done" else "running elsewhere")
        return start.status
    rec = start.record or TaskRecord(task_id, task.name, dict(payload), payload.get("batch"))
    # the batch in the ledger wins: a run that resumed this task counts it
    job = job_from_payload(cls, {**payload, "batch": rec.batch})
    if start.starts > s.max_retries + 2:
        exc = RuntimeError(f"begun {start.starts - 1} times without finishing: each time its "
                           "worker died (out of memory? a crash in a translation engine?)")
        _dead_letter(rt, task.name, payload, exc)
        rt.store.task_finish(task_id, token, FAILED, rec.batch)
        return FAILED
    leases = ledger.keeper(rt.store, s.lease_ttl)
    leases.hold(task_id, token)
    try:
        outcome = handler(rt, job, CeleryDispatcher(rt.store))
    except Exception as exc:
        leases.release(task_id)
        attempt = rec.attempts + 1
        if not is_transient(exc) or attempt > s.max_retries:
            _dead_letter(rt, task.name, payload, exc)
            rt.store.task_finish(task_id, token, FAILED, rec.batch)
            return FAILED
        delay = ledger.backoff(attempt, s.retry_backoff, s.retry_backoff_max)
        rt.store.task_later(dataclasses.replace(rec, attempts=attempt), time.time() + delay, token)
        log.warning("retry %d of %d in %.1f s: %s", attempt, s.max_retries, delay, exc,
                    extra={"task": task.name, "guid": payload.get("guid")})
        return "retrying"
    leases.release(task_id)
    rt.store.task_finish(task_id, token, outcome, rec.batch)
    return outcome


@app.task(bind=True, base=PipelineTask, name="syndicate.ingest")
def ingest_task(self: Task, **payload: Any) -> str:
    return run_job(self, IngestJob, handle_ingest, payload)


@app.task(bind=True, base=PipelineTask, name="syndicate.translate")
def translate_task(self: Task, **payload: Any) -> str:
    return run_job(self, TranslateJob, handle_translate, payload)


@app.task(bind=True, base=PipelineTask, name="syndicate.export")
def export_task(self: Task, **payload: Any) -> str:
    return run_job(self, ExportJob, handle_export, payload)


@app.task(name="syndicate.poll_sources", acks_late=False, ignore_result=True)
def poll_sources_task() -> int:
    """Beat's periodic round over the configured sources; one poller per source at a time.

    Not a pipeline task: nothing to dead-letter (the next round polls again), so a source
    that is down is logged and skipped.
    """
    from syndicate.sources import SourceEnv, collect, create

    rt = runtime()
    env = SourceEnv(rt.store, get_settings().data_dir)
    dispatcher = CeleryDispatcher(rt.store)
    queued = 0
    for i, cfg in enumerate(rt.config.sources):
        name = cfg.key(i)
        try:
            source = create(cfg, i, env)
            with rt.store.lock(f"poll:{name}", ttl=300, wait=0.0):
                queued += collect(source, rt.store, dispatcher.ingest).queued
        except TransientError as exc:
            log.warning("source %s skipped this round: %s", name, exc, extra={"source": name})
    return queued


TASKS_BY_NAME: dict[str, Task] = {
    "syndicate.ingest": ingest_task,
    "syndicate.translate": translate_task,
    "syndicate.export": export_task,
}


def all_queues(s: Settings | None = None) -> list[str]:
    s = s or get_settings()
    names = ["ingest", "translate", "export", *(f"translate.{p}" for p in dedicated_pairs())]
    return [queue_name(s, q) for q in names]


def broker_ids() -> set[str] | None:
    """The task ids the broker holds (queued, or taken and not acknowledged); None when this
    kind of broker cannot be looked into."""
    s = get_settings()
    if s.broker_url is None:
        return ledger.folder_broker_ids(s.broker_dir.resolve() / "queue")
    if s.broker_url.startswith(("redis://", "rediss://")):
        return ledger.redis_broker_ids(s.broker_url, all_queues(s), s.broker_key_prefix)
    return None


def make_sweeper(store: Store | None = None) -> ledger.Sweeper:
    s = get_settings()
    if store is None:
        store = open_store(s.state_url, s.prefix, s.sqlite_path)
    return ledger.Sweeper(store, publish, broker_ids, ledger_times(s))


def adopt_pending(batch: str) -> int:
    """Count every unfinished task of the ledger in ``batch`` (a run resuming earlier work,
    replays included); returns how many."""
    store = runtime().store
    pending = store.pending_tasks()
    for rec in pending:
        store.task_adopt(rec, batch)
    return len(pending)


def replay(dead_letter_id: str) -> str:
    """Queue a dead letter's task again with its payload (and its saved input); returns the task id."""
    import base64

    rt = runtime()
    dl = rt.store.get_dead_letter(dead_letter_id)
    task = TASKS_BY_NAME.get(dl.task)
    if task is None:
        raise TransientError(f"dead letter {dl.id} names an unknown task {dl.task!r}")
    payload = dl.kwargs()
    payload["batch"] = None
    if dl.data_b64 is not None:
        payload["blob"] = rt.store.put_blob(base64.b64decode(dl.data_b64))
        if payload.get("ref") and payload.get("source"):
            quarantined = rt.store.quarantined_copy(str(payload["source"]), str(payload["ref"]))
            if quarantined:
                payload["quarantined"] = quarantined
        payload["ref"] = ""  # the original file was already settled (quarantined)
    rec = TaskRecord(f"replay:{dl.id}", task.name, payload)
    rt.store.task_put(rec, time.time() + settings.resend_after)
    rt.store.remove_dead_letter(dl.id)
    try:
        publish(rec)
    except Exception as exc:
        log.warning("the broker did not take %s; kept, the sweep sends it: %s", rec.id, exc)
    return rec.id


# --------------------------------------------------------------------------------------
# worker process set-up


@signals.setup_logging.connect
def _setup_logging(**kw: Any) -> None:
    # workers log one JSON object per line (guid, version, partner, language attached)
    logs.configure(get_settings().log_level)


@signals.worker_init.connect
def _check_at_start(**kw: Any) -> None:
    # a bad configuration or an unreachable store stops the worker now, not at its first task
    rt = runtime()
    rt.store.ping()
    log.info("worker ready: %s", get_settings().describe())


_sweep_thread: ledger.SweepThread | None = None


@signals.worker_ready.connect
def _start_sweeping(**kw: Any) -> None:
    # every worker keeps the ledger moving (one sweep at a time across them all), so nothing
    # depends on beat or `syndicate run` being up to send what a broker lost
    global _sweep_thread
    if _sweep_thread is None:
        _sweep_thread = ledger.SweepThread(make_sweeper, ledger_times().sweep_every)
        _sweep_thread.start()
    if os.environ.get(ROLE_ENV) in ("export", "all"):
        threading.Thread(target=remove_stale_parts, daemon=True, name="syndicate-parts").start()


def remove_stale_parts() -> int:
    """Partial files a killed export worker left under the partners' folders go (the ones of
    live writers stay)."""
    from syndicate.destinations import create

    removed = 0
    for partner in runtime().config.partners:
        for dest in partner.destinations:
            if dest.type != "directory":
                continue
            try:
                found = create(dest.type, dest.options()).remove_stale_parts()  # type: ignore[attr-defined]
            except Exception as exc:  # a folder that cannot be read: the check reports it
                log.warning("could not look for partial files of %s: %s", partner.id, exc)
                continue
            for path in found:
                log.info("removed %s, left by an export worker killed while writing it", path)
            removed += len(found)
    return removed


def _reset_after_fork() -> None:
    # a pool process forked while another thread held this lock would wait on it forever
    global _proc_lock
    _proc_lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)


@signals.worker_process_init.connect
def _process_init(**kw: Any) -> None:
    _proc.runtime = None  # a fresh store connection in each child
    if os.environ.get(ROLE_ENV) in ("translate", "all"):
        preload_models(runtime().config)


def preload_models(config: PipelineConfig) -> None:
    """Load the translation models this process will need once, before the first task."""
    from syndicate.translate import preload

    for src, tgt in _configured_pairs(config):
        try:
            preload(src, tgt)
        except Exception as exc:  # reported again, precisely, by the first task that needs it
            log.warning("could not preload the %s->%s models: %s", src, tgt, exc)


def _configured_pairs(config: PipelineConfig) -> list[tuple[str, str]]:
    pinned = os.environ.get("SYNDICATE_TRANSLATE_PAIRS")
    if pinned:
        return [tuple(p.split("-", 1)) for p in pinned.split(",") if "-" in p]  # type: ignore[misc]
    src = config.ingest.language or "en"
    return [(src, t) for t in config.target_languages(src)]


def data_dir() -> Path:
    return get_settings().data_dir


# --------------------------------------------------------------------------------------
# worker roles: how each kind of worker is run


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
    """The roles; ``pairs`` ("en-es") makes the translate role take only those pairs' queues."""
    translate_queues = (
        tuple(f"translate.{p}" for p in pairs) if pairs
        else ("translate", *(f"translate.{p}" for p in dedicated_pairs()))
    )
    return {
        "ingest": WorkerRole("ingest", ("ingest",), "threads", 8, 4,
                             "I/O-bound: reading inputs, parsing, queueing; threads"),
        "translate": WorkerRole("translate", translate_queues, "prefork", _cores(), 1,
                                "CPU-bound: one process per core, models loaded once per "
                                "process, one task at a time"),
        "export": WorkerRole("export", ("export",), "threads", 16, 4,
                             "I/O-bound: rendering and writing to destinations; threads"),
        "all": WorkerRole("all", ("ingest", *translate_queues, "export"), "prefork",
                          _cores(), 1, "every queue in one worker (small installations)"),
    }


def worker_argv(role: WorkerRole, settings: Settings, concurrency: int | None = None,
                hostname: str | None = None, loglevel: str = "INFO") -> list[str]:
    """The ``celery worker`` command line of a role."""
    import sys

    queues = ",".join(queue_name(settings, q) for q in role.queues)
    return [
        sys.executable, "-m", "celery", "-A", "syndicate.tasks", "worker",
        "-Q", queues, "--pool", role.pool, "-c", str(concurrency or role.concurrency),
        "--prefetch-multiplier", str(role.prefetch),
        "-n", hostname or f"{role.name}-{os.getpid()}@%h",
        "-l", loglevel, "--without-gossip", "--without-mingle",
    ]


def beat_argv(settings: Settings, loglevel: str = "INFO") -> list[str]:
    import sys

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "celery", "-A", "syndicate.tasks", "beat", "-l", loglevel,
            "-s", str(settings.data_dir / "beat-schedule")]


def role_environment(role: str) -> dict[str, str]:
    return {**os.environ, ROLE_ENV: role}
