"""Operations on the queues and the ledger: what the broker holds, the sweep, resuming a run,
replaying a dead letter."""

from __future__ import annotations

import logging
import time

from syndicate import ledger
from syndicate.errors import TransientError
from syndicate.ledger import LedgerTimes
from syndicate.pipeline import URGENT
from syndicate.settings import Settings, get_settings
from syndicate.store import Store, TaskRecord, open_store
from syndicate.tasks.broker import dedicated_pairs, lane_queue, queue_name, settings
from syndicate.tasks.jobs import TASKS_BY_NAME, publish
from syndicate.tasks.process import runtime

log = logging.getLogger("syndicate.tasks")


def ledger_times(s: Settings | None = None) -> LedgerTimes:
    s = s or get_settings()
    return LedgerTimes(lease_ttl=s.lease_ttl, resend_after=s.resend_after)


def all_queues(s: Settings | None = None) -> list[str]:
    s = s or get_settings()
    translate = ["translate", *(f"translate.{p}" for p in dedicated_pairs())]
    names = ["ingest", *translate, "export"]
    urgent = [lane_queue(q, URGENT) for q in (*translate, "export")]
    return [queue_name(s, q) for q in (*names, *urgent)]


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
    # a replay is no new arrival: neither a source's last arrival nor end-to-end time counts it
    payload.pop("arrived", None)
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


