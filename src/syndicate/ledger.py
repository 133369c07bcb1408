"""Nothing lost: every task is recorded in the state store before it is sent, and sent again
until a worker finishes it.

A broker can lose a message: Redis drops one a worker took at the instant it died, or the
last second of writes when it is killed; the embedded broker loses what its dying worker
held. The ledger does not trust it. A record carries the task's name, payload and batch and a
time to look after it again (its due time). A worker running a task holds a lease that it
renews, so a second copy that finds a live lease (or a finished task) is acknowledged without
running. The sweep, run every second by one process at a time (each worker's main process, and
``syndicate run``), looks at the records that are due: one whose lease is live waits longer,
one whose message is still in the broker waits its turn, the rest are sent (again). Retries
and embargoes wait in the ledger too, never as long ETAs in a worker's memory.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from syndicate.errors import TransientError
from syndicate.store import Store, TaskRecord

log = logging.getLogger("syndicate.ledger")


@dataclass(frozen=True)
class LedgerTimes:
    """The ledger's clock settings, in seconds."""

    #: a lease outlives a worker that died holding it by at most this long
    lease_ttl: int = 20
    #: a sent task not finished by then is looked after (sent again unless it is in the
    #: broker or running)
    resend_after: float = 30.0
    #: how often the sweep runs
    sweep_every: float = 1.0


def backoff(attempt: int, first: float, ceiling: float) -> float:
    """The delay before retry ``attempt`` (1, 2, ...): doubling, capped, with jitter so that a
    destination that comes back is not hit by every retry at once."""
    delay = min(first * 2 ** (attempt - 1), ceiling)
    return random.uniform(delay / 2, delay)


class LeaseKeeper:
    """Renews the leases of the tasks this process runs, from one background thread."""

    def __init__(self, store: Store, ttl: int) -> None:
        self.store = store
        self.ttl = ttl
        self._held: dict[str, str] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()

    def hold(self, task_id: str, token: str) -> None:
        with self._lock:
            self._held[task_id] = token
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._renew_forever, daemon=True,
                                                name="syndicate-leases")
                self._thread.start()

    def release(self, task_id: str) -> None:
        with self._lock:
            self._held.pop(task_id, None)

    def _renew_forever(self) -> None:
        while True:
            time.sleep(max(1.0, self.ttl / 3))
            with self._lock:
                held = list(self._held.items())
            for task_id, token in held:
                try:
                    if not self.store.task_renew(task_id, token, self.ttl):
                        log.warning("lost the lease of %s (the store restarted?); it may run "
                                    "again elsewhere, which is harmless", task_id)
                except Exception as exc:  # the store is down: the next round tries again
                    log.warning("could not renew the lease of %s: %s", task_id, exc)


_keeper: LeaseKeeper | None = None
_keeper_lock = threading.Lock()


def keeper(store: Store, ttl: int) -> LeaseKeeper:
    """This process's lease keeper (a forked child gets its own)."""
    global _keeper
    with _keeper_lock:
        if _keeper is None or _keeper._pid != os.getpid() or _keeper.store is not store:
            _keeper = LeaseKeeper(store, ttl)
        return _keeper


# --------------------------------------------------------------------------------------
# what the broker still holds


def _ids_in_messages(raw: Iterable[bytes | str]) -> set[str]:
    out: set[str] = set()
    for item in raw:
        try:
            msg = json.loads(item)
            task_id = (msg.get("headers") or {}).get("id") or \
                (msg.get("properties") or {}).get("correlation_id")
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            continue
        if task_id:
            out.add(str(task_id))
    return out


def redis_broker_ids(url: str, queues: Iterable[str], key_prefix: str = "") -> set[str]:
    """Task ids waiting in the Redis broker's queues.

    kombu keeps a queue as a list (one more per priority step, with a separator and the
    priority appended). What workers took and have not acknowledged is left out on purpose: a
    message there whose task holds no lease belongs to a dead worker (Redis would give it
    back only after the visibility timeout) or waits in a busy worker's prefetch, where a
    second copy that an idle worker takes first does no harm.
    """
    import redis

    client = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=5)
    try:
        names: list[str] = []
        for q in queues:
            names.append(f"{key_prefix}{q}")
            names += [f"{key_prefix}{q}\x06\x16{p}" for p in (3, 6, 9)]
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.lrange(name, 0, -1)
        lists = pipe.execute()
        return _ids_in_messages(m for lst in lists for m in lst)
    except redis.exceptions.RedisError as exc:
        raise TransientError(f"cannot look into the broker: {exc}") from exc
    finally:
        client.close()


def folder_broker_ids(folder: Path) -> set[str]:
    """Task ids in the embedded broker's folder (it has no unacknowledged state)."""
    raw: list[bytes] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return set()
    for entry in entries:
        if entry.name.endswith(".msg"):
            try:
                raw.append(Path(entry.path).read_bytes())
            except FileNotFoundError:  # taken meanwhile
                continue
    return _ids_in_messages(raw)


# --------------------------------------------------------------------------------------
# the sweep


@dataclass
class SweepResult:
    sent: int = 0
    waiting: int = 0
    running: int = 0


class Sweeper:
    """Sends what is due and not in hand; one sweep at a time across all processes."""

    def __init__(self, store: Store, send: Callable[[TaskRecord], None],
                 broker_ids: Callable[[], set[str] | None], times: LedgerTimes) -> None:
        self.store = store
        self.send = send
        self.broker_ids = broker_ids
        self.times = times

    def sweep(self, now: float | None = None, everything: bool = False) -> SweepResult:
        """One look at the due records (``everything``: every record, due or not)."""
        result = SweepResult()
        try:
            with self.store.lock("ledger-sweep", ttl=30, wait=0.0):
                self._sweep(now or time.time(), everything, result)
        except TransientError as exc:
            # another process is sweeping, or the store or broker is away: next time
            log.debug("no sweep this time: %s", exc)
        return result

    def _sweep(self, now: float, everything: bool, result: SweepResult) -> None:
        due = self.store.tasks_due(float("inf") if everything else now, limit=5000)
        if not due:
            return
        candidates = []
        for rec, running in due:
            if running:
                result.running += 1
                self.store.task_postpone(rec.id, now + self.times.resend_after)
            else:
                candidates.append(rec)
        if not candidates:
            return
        present = self.broker_ids()
        for rec in candidates:
            if present is not None and rec.id in present:
                # still queued behind others, or taken by a worker that has not begun it
                result.waiting += 1
                self.store.task_postpone(rec.id, now + self.times.resend_after)
                continue
            # when the broker cannot be looked into, repeated sends back off
            wait = self.times.resend_after * (1 if present is not None else
                                              min(2 ** rec.resends, 32))
            self.store.task_later(replace(rec, resends=rec.resends + 1), now + wait)
            try:
                self.send(rec)
            except Exception as exc:  # the broker is down: the record stays, due again later
                log.warning("could not send %s (kept, sent when the broker answers): %s",
                            rec.id, exc)
                continue
            result.sent += 1
        if result.sent:
            log.info("ledger: sent %d task(s) no worker had", result.sent)


class SweepThread:
    """Runs a sweep every ``times.sweep_every`` seconds in the background."""

    def __init__(self, make_sweeper: Callable[[], Sweeper], every: float) -> None:
        self.make_sweeper = make_sweeper
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True, name="syndicate-sweep")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        sweeper: Sweeper | None = None
        while not self._stop.wait(self.every):
            try:
                if sweeper is None:
                    sweeper = self.make_sweeper()
                sweeper.sweep()
            except Exception as exc:  # never let the thread die: the next round tries again
                log.warning("ledger sweep failed: %s", exc)
