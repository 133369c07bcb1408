"""The task ledger: recorded before sent, sent again until finished, never run twice at once."""

from __future__ import annotations

import dataclasses
import time
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from syndicate import ledger, tasks
from syndicate.errors import DeliveryFailed, DeliveryRejected, TransientError
from syndicate.ledger import LedgerTimes, Sweeper
from syndicate.partners import PipelineConfig
from syndicate.pipeline import ExportJob, Runtime, job_payload
from syndicate.store import SqliteBackend, Store, TaskRecord

TIMES = LedgerTimes(lease_ttl=5, resend_after=30.0, sweep_every=1.0)


def rec(task_id: str = "t1", batch: str | None = "b") -> TaskRecord:
    return TaskRecord(task_id, "syndicate.export", {"guid": "urn:x"}, batch)


# --------------------------------------------------------------------------------------
# the store's ledger


def test_a_recorded_task_is_pending_in_its_batch_until_finished(store: Store) -> None:
    store.task_put(rec(), due=time.time() + 30)
    assert store.batch_status("b", ("delivered",)).pending == 1
    start = store.task_begin("t1", "tok", 5)
    assert start.status == "run" and start.record == rec() and start.starts == 1
    store.task_finish("t1", "tok", "delivered", "b")
    status = store.batch_status("b", ("delivered",))
    assert status.pending == 0 and status.count("delivered") == 1
    assert store.task_record("t1") is None and store.pending_tasks() == []


def test_a_second_copy_of_a_finished_task_is_turned_away(store: Store) -> None:
    store.task_put(rec(), due=time.time())
    assert store.task_begin("t1", "a", 5).status == "run"
    store.task_finish("t1", "a", "delivered", "b")
    assert store.task_begin("t1", "b", 5).status == "done"
    # and it is counted once
    assert store.batch_status("b", ("delivered",)).count("delivered") == 1


def test_a_second_copy_of_a_running_task_is_turned_away(store: Store) -> None:
    store.task_put(rec(), due=time.time())
    assert store.task_begin("t1", "a", 5).status == "run"
    assert store.task_begin("t1", "b", 5).status == "busy"


def test_a_lease_is_renewed_only_by_its_holder(store: Store) -> None:
    store.task_put(rec(), due=time.time())
    store.task_begin("t1", "a", 5)
    assert store.task_renew("t1", "a", 5)
    assert not store.task_renew("t1", "someone-else", 5)


def test_a_lease_of_a_dead_worker_expires(store: Store) -> None:
    store.task_put(rec(), due=time.time())
    assert store.task_begin("t1", "a", 1).status == "run"
    time.sleep(1.2)
    start = store.task_begin("t1", "b", 5)
    assert start.status == "run" and start.starts == 2


def test_a_retry_waits_in_the_ledger_with_its_attempt_count(store: Store) -> None:
    store.task_put(rec(), due=time.time() + 30)
    store.task_begin("t1", "a", 5)
    later = time.time() + 100
    store.task_later(dataclasses.replace(rec(), attempts=1), later, "a")
    assert store.tasks_due(time.time()) == []
    ((back, running),) = store.tasks_due(later + 1)
    assert back.attempts == 1 and not running  # the lease went with the retry


def test_due_tasks_say_whether_a_worker_holds_them(store: Store) -> None:
    store.task_put(rec("t1"), due=time.time())
    store.task_put(rec("t2"), due=time.time())
    store.task_begin("t1", "a", 5)
    due = {r.id: running for r, running in store.tasks_due(time.time() + 1)}
    assert due == {"t1": True, "t2": False}


def test_a_run_adopts_unfinished_tasks_into_its_batch(store: Store) -> None:
    store.task_put(rec("t1", batch="old"), due=time.time())
    store.task_put(rec("t2", batch=None), due=time.time())
    for r in store.pending_tasks():
        store.task_adopt(r, "new")
    assert store.batch_status("new", ()).pending == 2
    start = store.task_begin("t2", "a", 5)
    assert start.record is not None and start.record.batch == "new"


# --------------------------------------------------------------------------------------
# the sweep


class FakeBroker:
    def __init__(self, holds: set[str] | None = None, down: bool = False) -> None:
        self.holds = holds if holds is not None else set()
        self.down = down
        self.sent: list[str] = []

    def send(self, r: TaskRecord) -> None:
        if self.down:
            raise ConnectionError("broker unreachable")
        self.sent.append(r.id)
        self.holds.add(r.id)

    def ids(self) -> set[str] | None:
        return set(self.holds)


def sweeper(store: Store, broker: FakeBroker) -> Sweeper:
    return Sweeper(store, broker.send, broker.ids, TIMES)


def test_a_due_task_the_broker_lost_is_sent_again(store: Store) -> None:
    broker = FakeBroker()
    store.task_put(rec(), due=time.time() - 1)
    assert sweeper(store, broker).sweep().sent == 1
    assert broker.sent == ["t1"]


def test_a_task_still_queued_is_not_sent_twice(store: Store) -> None:
    broker = FakeBroker(holds={"t1"})
    store.task_put(rec(), due=time.time() - 1)
    result = sweeper(store, broker).sweep()
    assert result.sent == 0 and result.waiting == 1
    assert store.tasks_due(time.time()) == []  # looked after again later


def test_a_running_task_is_not_sent_again(store: Store) -> None:
    broker = FakeBroker()
    store.task_put(rec(), due=time.time() - 1)
    store.task_begin("t1", "a", 5)
    result = sweeper(store, broker).sweep()
    assert result.sent == 0 and result.running == 1


def test_a_task_not_yet_due_waits(store: Store) -> None:
    broker = FakeBroker()
    store.task_put(rec(), due=time.time() + 60)
    assert sweeper(store, broker).sweep().sent == 0


def test_a_send_the_broker_refuses_is_kept_and_sent_when_it_is_back(store: Store) -> None:
    broker = FakeBroker(down=True)
    store.task_put(rec(), due=time.time() - 1)
    assert sweeper(store, broker).sweep().sent == 0
    (kept,) = store.pending_tasks()
    assert kept.id == "t1"
    broker.down = False
    assert sweeper(store, broker).sweep(now=time.time() + TIMES.resend_after + 1).sent == 1


def test_one_sweep_at_a_time_across_processes(store: Store) -> None:
    broker = FakeBroker()
    store.task_put(rec(), due=time.time() - 1)
    with store.lock("ledger-sweep"):
        assert sweeper(store, broker).sweep().sent == 0
    assert sweeper(store, broker).sweep().sent == 1


def test_without_a_look_into_the_broker_resends_back_off(store: Store) -> None:
    sent: list[str] = []
    blind = Sweeper(store, lambda r: sent.append(r.id), lambda: None, TIMES)
    store.task_put(rec(), due=time.time() - 1)
    now = time.time()
    blind.sweep(now)
    blind.sweep(now + TIMES.resend_after + 1)
    assert len(sent) == 2
    blind.sweep(now + 2 * TIMES.resend_after + 2)  # the third waits twice as long
    assert len(sent) == 2


def test_retry_delays_double_up_to_the_ceiling_with_jitter() -> None:
    for attempt, ceiling in ((1, 2.0), (2, 4.0), (3, 8.0), (10, 600.0)):
        delay = ledger.backoff(attempt, 2.0, 600.0)
        assert ceiling / 2 <= delay <= ceiling


def test_the_embedded_broker_folder_is_looked_into(tmp_path: Path) -> None:
    import json

    (tmp_path / "1_x.export.msg").write_text(json.dumps({"headers": {"id": "t1"}}))
    (tmp_path / ".2_y.export.msg.tmp").write_text("{")
    assert ledger.folder_broker_ids(tmp_path) == {"t1"}


# --------------------------------------------------------------------------------------
# a task's run under its lease


@pytest.fixture
def rt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    runtime = Runtime(PipelineConfig(), Store(SqliteBackend(tmp_path / "s.db")))
    monkeypatch.setattr(tasks.jobs, "runtime", lambda: runtime)
    return runtime


JOB = ExportJob("urn:x", 1, "es", "acme", "0", ("newsmlg2",), "b")


def fake_task(task_id: str = JOB.task_id) -> Any:
    return SimpleNamespace(request=SimpleNamespace(id=task_id), name="syndicate.export")


def run(handler: Any) -> str:
    return tasks.run_job(fake_task(), ExportJob, handler, job_payload(JOB))


def record_job(rt: Runtime) -> None:
    rt.store.task_put(TaskRecord(JOB.task_id, "syndicate.export", job_payload(JOB), "b"),
                      time.time() + 30)


def test_a_finished_task_is_counted_in_its_batch_and_forgotten(rt: Runtime) -> None:
    record_job(rt)
    assert run(lambda rt, job, d: "delivered") == "delivered"
    assert rt.store.batch_status("b", ("delivered",)).count("delivered") == 1
    assert rt.store.pending_tasks() == []


def test_a_second_copy_runs_nothing(rt: Runtime) -> None:
    record_job(rt)
    calls: list[str] = []
    run(lambda rt, job, d: calls.append("ran") or "delivered")
    assert run(lambda rt, job, d: calls.append("ran") or "delivered") == "done"
    assert calls == ["ran"]


def test_a_transient_failure_is_retried_from_the_ledger_not_dropped(rt: Runtime) -> None:
    record_job(rt)

    def fails(rt: Runtime, job: ExportJob, d: Any) -> str:
        raise DeliveryFailed("connection reset")

    assert run(fails) == "retrying"
    (kept,) = rt.store.pending_tasks()
    assert kept.attempts == 1 and kept.payload == job_payload(JOB)
    assert rt.store.dead_letters() == []
    assert rt.store.tasks_due(time.time()) == []  # not before its backoff


def test_too_many_retries_end_in_the_dead_letters(rt: Runtime) -> None:
    rt.store.task_put(TaskRecord(JOB.task_id, "syndicate.export", job_payload(JOB), "b",
                                 attempts=rt.settings.max_retries), time.time())

    def fails(rt: Runtime, job: ExportJob, d: Any) -> str:
        raise TransientError("still down")

    assert run(fails) == "failed"
    (dl,) = rt.store.dead_letters()
    assert dl.error == "still down" and dl.kwargs()["partner"] == "acme"
    assert rt.store.batch_status("b", ("failed",)).count("failed") == 1
    assert rt.store.pending_tasks() == []


def test_a_refusal_goes_to_the_dead_letters_at_once(rt: Runtime) -> None:
    record_job(rt)

    def refused(rt: Runtime, job: ExportJob, d: Any) -> str:
        raise DeliveryRejected("403 Forbidden")

    assert run(refused) == "failed"
    assert rt.store.dead_letters()[0].error_type == "DeliveryRejected"


def test_a_task_that_keeps_killing_its_worker_is_dead_lettered(rt: Runtime) -> None:
    record_job(rt)
    for _ in range(rt.settings.max_retries + 2):
        assert rt.store.task_begin(JOB.task_id, uuid.uuid4().hex, 1).status == "run"
        rt.store.b.delete("lease", JOB.task_id)  # its worker died: the lease ran out
    assert run(lambda rt, job, d: "delivered") == "failed"
    assert "worker died" in rt.store.dead_letters()[0].error


def test_follow_ups_are_recorded_before_they_are_sent(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def publish_many(recs: list[TaskRecord]) -> None:
        seen.extend(rt.store.task_record(r.id) is not None for r in recs)

    monkeypatch.setattr(tasks.jobs, "publish_many", publish_many)
    tasks.CeleryDispatcher(rt.store).export(JOB)
    assert seen == [True]


def test_a_follow_up_the_broker_refuses_is_kept(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    def publish_many(recs: list[TaskRecord]) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.jobs, "publish_many", publish_many)
    tasks.CeleryDispatcher(rt.store).export(JOB)
    assert [r.id for r in rt.store.pending_tasks()] == [JOB.task_id]


def test_an_embargoed_delivery_waits_in_the_ledger_until_its_time(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    sent: list[str] = []
    monkeypatch.setattr(tasks.jobs, "publish_many", lambda recs: sent.extend(r.id for r in recs))
    lifts = dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
    tasks.CeleryDispatcher(rt.store).export(JOB, eta=lifts)
    assert sent == []
    assert rt.store.tasks_due(time.time()) == []
    assert len(rt.store.tasks_due(lifts.timestamp() + 1)) == 1


FOLLOW = [ExportJob("urn:x", 1, "es", "acme", str(n), ("newsmlg2",), "b") for n in (1, 2)]


def test_a_task_records_its_follow_ups_with_its_finish_and_sends_them_in_one_batch(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_job(rt)
    batches: list[list[str]] = []
    states: list[tuple[bool, bool]] = []

    def publish_many(recs: list[TaskRecord]) -> None:
        batches.append([r.id for r in recs])
        # sent only once recorded, and once the task that queued them is done
        states.append((all(rt.store.task_record(r.id) for r in recs),
                       rt.store.task_record(JOB.task_id) is None))

    monkeypatch.setattr(tasks.jobs, "publish_many", publish_many)
    writes: list[int] = []
    apply = rt.store.b.apply
    monkeypatch.setattr(rt.store.b, "apply", lambda ops: writes.append(len(ops)) or apply(ops))

    def fans_out(rt: Runtime, job: ExportJob, d: Any) -> str:
        for follow in FOLLOW:
            d.export(follow)
        assert batches == [] and writes == []  # held until the task finishes
        return "delivered"

    assert run(fans_out) == "delivered"
    assert batches == [[j.task_id for j in FOLLOW]] and states == [(True, True)]
    assert len(writes) == 1  # the finish and both records in one write
    status = rt.store.batch_status("b", ("delivered",))
    assert status.count("delivered") == 1 and status.pending == 2
    assert {r.id for r in rt.store.pending_tasks()} == {j.task_id for j in FOLLOW}


def test_follow_ups_queued_before_a_failure_still_go_on(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_job(rt)
    sent: list[str] = []
    monkeypatch.setattr(tasks.jobs, "publish_many", lambda recs: sent.extend(r.id for r in recs))

    def fails_after_one(rt: Runtime, job: ExportJob, d: Any) -> str:
        d.export(FOLLOW[0])
        raise DeliveryFailed("connection reset")

    assert run(fails_after_one) == "retrying"
    assert sent == [FOLLOW[0].task_id]
    assert FOLLOW[0].task_id in {r.id for r in rt.store.pending_tasks()}


def test_follow_ups_a_worker_died_before_sending_are_left_to_the_sweep(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_job(rt)

    def dies(recs: list[TaskRecord]) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.jobs, "publish_many", dies)
    assert run(lambda rt, job, d: d.export(FOLLOW[0]) or "delivered") == "delivered"
    broker = FakeBroker()
    assert sweeper(rt.store, broker).sweep(time.time() + rt.settings.resend_after + 1).sent == 1
    assert broker.sent == [FOLLOW[0].task_id]


def test_a_finished_task_recorded_again_is_counted_and_forgotten(store: Store) -> None:
    # its parent ran a second time (a crash between the parent's work and its finish)
    store.task_put(rec(batch="b1"), due=time.time())
    store.task_begin("t1", "a", 5)
    store.task_finish("t1", "a", "delivered", "b1")
    store.task_put(rec(batch="b2"), due=time.time())
    assert store.task_begin("t1", "b", 5).status == "done"
    assert store.pending_tasks() == []
    assert store.batch_status("b2", ("delivered",)).count("delivered") == 1


def test_the_sweep_forgets_a_finished_task_recorded_again(store: Store) -> None:
    store.task_put(rec(batch="b1"), due=time.time())
    store.task_begin("t1", "a", 5)
    store.task_finish("t1", "a", "delivered", "b1")
    store.task_put(rec(batch="b2"), due=time.time() - 1)
    broker = FakeBroker()
    assert sweeper(store, broker).sweep().sent == 0
    assert store.batch_status("b2", ()).pending == 0


def test_retries_do_not_count_as_crashes(rt: Runtime) -> None:
    record_job(rt)

    def fails(rt: Runtime, job: ExportJob, d: Any) -> str:
        raise DeliveryFailed("connection reset")

    for _ in range(rt.settings.max_retries):
        assert run(fails) == "retrying"
    start = rt.store.task_begin(JOB.task_id, "probe", 5)
    assert start.starts == 1
