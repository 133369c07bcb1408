"""The pipeline's Celery tasks: one factory runs every stage under its lease, exactly once to
completion; follow-up jobs are recorded in the ledger before they are sent."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from kombu.exceptions import OperationalError as KombuOperationalError

from syndicate import ledger, metrics, retention
from syndicate.errors import DeliveryFailed, DeliveryRejected, TransientError
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
    reject_input,
)
from syndicate.store import Store, TaskRecord
from syndicate.tasks.broker import app, settings
from syndicate.tasks.process import runtime

log = logging.getLogger("syndicate.tasks")

TRANSIENT: tuple[type[BaseException], ...] = (
    TransientError, DeliveryFailed, ConnectionError, TimeoutError, KombuOperationalError,
    SoftTimeLimitExceeded,
)


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: a destination or service briefly away; never a refusal (4xx, denied)."""
    return isinstance(exc, TRANSIENT) and not isinstance(exc, DeliveryRejected)


_BRIEF = ("guid", "version", "language", "target", "partner", "destination", "filename")


def _brief(payload: dict[str, Any]) -> str:
    # what a worker's log and Flower show of a task: its story, never the whole payload (and
    # Celery's own safe repr of every payload costs a tenth of a send)
    return repr({k: payload[k] for k in _BRIEF if k in payload})


def publish(rec: TaskRecord) -> None:
    """Send a recorded task to its queue (raises when the broker cannot take it)."""
    publish_many([rec])


def publish_many(recs: list[TaskRecord]) -> None:
    """Send recorded tasks to their queues, as one batch where the broker takes batches (one
    Redis round trip for them all); raises when the broker cannot take them."""
    if not recs:
        return
    # the send time travels in the message: the age of a queue's oldest message is read from it
    headers = {metrics.SENT_AT_HEADER: time.time()}
    with app.producer_or_acquire() as producer, producer.batch():
        for rec in recs:
            TASKS_BY_NAME[rec.task].apply_async(
                kwargs=rec.payload, task_id=rec.id, headers=headers, producer=producer,
                argsrepr="()", kwargsrepr=_brief(rec.payload))


class CeleryDispatcher:
    """Queues follow-up jobs as Celery tasks, each recorded in the ledger before it is sent.

    A job with a time (an embargo) waits in the ledger and is sent when it is due; a send the
    broker refuses is kept and sent by the sweep when the broker answers again.

    With ``hold``, jobs wait in the dispatcher until :meth:`flush` (or the task's finish,
    :func:`run_job`) records them all in one write and sends them in one batch.
    """

    def __init__(self, store: Store, hold: bool = False) -> None:
        self.store = store
        self.hold = hold
        #: (record, when the ledger looks after it next, whether it is sent now)
        self._held: list[tuple[TaskRecord, float, bool]] = []

    def _send(self, task: Task, job: IngestJob | TranslateJob | ExportJob,
              eta: dt.datetime | None = None) -> None:
        rec = TaskRecord(job.task_id, task.name, job_payload(job), job.batch)
        now = time.time()
        if eta is not None and eta.timestamp() > now:
            self._held.append((rec, eta.timestamp(), False))
        else:
            self._held.append((rec, now + settings.resend_after, True))
        if not self.hold:
            self.flush()

    def take(self) -> list[tuple[TaskRecord, float, bool]]:
        """The held jobs, handed over to be recorded (the dispatcher holds none after)."""
        held, self._held = self._held, []
        return held

    def flush(self) -> None:
        """Record the held jobs in one write, then send those due now."""
        held = self.take()
        if held:
            self.store.task_put_many([(rec, due) for rec, due, _ in held])
            self.send([rec for rec, _, now in held if now])

    @staticmethod
    def send(recs: list[TaskRecord]) -> None:
        """Send recorded tasks; what the broker refuses stays in the ledger for the sweep."""
        try:
            publish_many(recs)
        except Exception as exc:
            log.warning("the broker did not take %s; kept, the sweep sends it: %s",
                        ", ".join(r.id for r in recs), exc)

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
    if name == "syndicate.ingest" and payload.get("blob"):
        job = job_from_payload(IngestJob, payload)
        dl_id = reject_input(rt, job, exc, rt.store.get_blob(job.blob))
    else:
        dl_id = rt.store.add_dead_letter(name, payload, exc, guid=payload.get("guid")).id
    log.error("failed for good, dead letter %s: %s", dl_id, exc,
              extra={"task": name, "guid": payload.get("guid"),
                     "partner": payload.get("partner"), "language": payload.get("language")})


#: the stage each task counts under in the per-minute counters (`syndicate status`, /ops)
STAGES = {"syndicate.ingest": "ingest", "syndicate.translate": "translate",
          "syndicate.export": "deliver"}


def _count(rt: Runtime, name: str, outcome: str, payload: dict[str, Any]) -> None:
    partner = payload.get("partner") if name == "syndicate.export" else None
    try:
        rt.store.count_outcome(STAGES.get(name, name), outcome, partner)
    except Exception as exc:  # a counter must never cost a task its outcome
        log.debug("could not count %s %s: %s", name, outcome, exc)


def run_job(task: Task, cls: type[J], handler: Callable[[Runtime, J, CeleryDispatcher], str],
            payload: dict[str, Any]) -> str:
    """Run one pipeline task under its lease, exactly once to completion.

    A second copy (the task finished, or another worker runs it now) is acknowledged without
    running. A transient failure is retried from the ledger after a backoff; a permanent one,
    too many retries, or a task that keeps killing its worker goes to the dead letters.
    """
    rt = runtime()
    s = rt.settings
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
        _count(rt, task.name, FAILED, payload)
        return FAILED
    leases = ledger.keeper(rt.store, s.lease_ttl)
    leases.hold(task_id, token)
    # follow-ups are recorded with the task's finish, in the same write, and sent after it
    dispatcher = CeleryDispatcher(rt.store, hold=True)
    try:
        outcome = handler(rt, job, dispatcher)
    except Exception as exc:
        leases.release(task_id)
        try:
            dispatcher.flush()  # what the handler queued before it failed still goes on
        except Exception as lost:  # the store is down: the retry plans them again
            log.warning("could not record the follow-ups of %s: %s", task_id, lost)
        attempt = rec.attempts + 1
        if not is_transient(exc) or attempt > s.max_retries:
            _dead_letter(rt, task.name, payload, exc)
            rt.store.task_finish(task_id, token, FAILED, rec.batch)
            _count(rt, task.name, FAILED, payload)
            return FAILED
        delay = ledger.backoff(attempt, s.retry_backoff, s.retry_backoff_max)
        rt.store.task_later(dataclasses.replace(rec, attempts=attempt), time.time() + delay, token)
        log.warning("retry %d of %d in %.1f s: %s", attempt, s.max_retries, delay, exc,
                    extra={"task": task.name, "guid": payload.get("guid")})
        _count(rt, task.name, "retrying", payload)
        return "retrying"
    leases.release(task_id)
    # finished, counted for the operators and its follow-ups recorded in one round trip; sent
    # after (a worker that dies in between leaves them to the sweep, never lost)
    held = dispatcher.take()
    rt.store.task_finish(task_id, token, outcome, rec.batch, STAGES.get(task.name, task.name),
                         payload.get("partner") if task.name == "syndicate.export" else None,
                         followups=[(r, due) for r, due, _ in held])
    dispatcher.send([r for r, _, now in held if now])
    return outcome


def _pipeline_task(name: str, cls: type[J],
                   handler: Callable[[Runtime, J, CeleryDispatcher], str]) -> Task:
    """The Celery task that runs ``handler`` on a ``cls`` job (see :func:`run_job`)."""

    def run(self: Task, **payload: Any) -> str:
        return run_job(self, cls, handler, payload)

    run.__name__ = run.__qualname__ = name.rsplit(".", 1)[-1] + "_task"
    task: Task = app.task(bind=True, base=PipelineTask, name=name)(run)
    return task


ingest_task = _pipeline_task("syndicate.ingest", IngestJob, handle_ingest)
translate_task = _pipeline_task("syndicate.translate", TranslateJob, handle_translate)
export_task = _pipeline_task("syndicate.export", ExportJob, handle_export)


@app.task(name="syndicate.poll_sources", acks_late=False, ignore_result=True)
def poll_sources_task() -> int:
    """Beat's periodic round over the configured sources; one poller per source at a time.

    Not a pipeline task: nothing to dead-letter (the next round polls again), so a source
    that is down is logged and skipped.
    """
    from syndicate.sources import SourceEnv, collect, create

    rt = runtime()
    # the beat's heartbeat: `syndicate status` tells from it that the polls still come
    rt.store.note_beat()
    env = SourceEnv(rt.store, rt.settings.data_dir)
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
    try:
        # the beat's round also keeps each partner's history within its retention
        retention.prune(rt.store, rt.config)
    except TransientError as exc:
        log.warning("retention skipped this round: %s", exc)
    return queued


TASKS_BY_NAME: dict[str, Task] = {
    "syndicate.ingest": ingest_task,
    "syndicate.translate": translate_task,
    "syndicate.export": export_task,
}


