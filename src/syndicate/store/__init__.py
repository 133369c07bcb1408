"""Pipeline state behind one interface: dedupe, items, versions, deliveries, dead letters.

Redis when configured (workers on several machines share it), SQLite on disk for the
embedded default. Both offer the same small key/value, set and counter primitives; the
pipeline's vocabulary (claim content, note a version, record a delivery ...) is built on
them once, in :class:`Store`. The primitives are in ``backend``, the backends in
``redis_backend`` and ``sqlite_backend``, the records in ``records``.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import heapq
import itertools
import json
import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from syndicate.errors import SyndicateError, TransientError
from syndicate.item import NewsItem, guid_slug
from syndicate.item_json import decode_item, encode_item
from syndicate.store.backend import Backend, Op
from syndicate.store.records import (
    BATCH_OUTCOMES,
    BatchStatus,
    DeadLetter,
    DeliveryRecord,
    FeedEntry,
    ItemRef,
    TaskRecord,
    TaskStart,
)
from syndicate.store.redis_backend import RedisBackend
from syndicate.store.sqlite_backend import SqliteBackend

__all__ = [
    "BATCH_OUTCOMES",
    "Backend",
    "BatchStatus",
    "DeadLetter",
    "DeliveryRecord",
    "FeedEntry",
    "ItemRef",
    "Op",
    "Pruned",
    "RedisBackend",
    "SqliteBackend",
    "Store",
    "TaskRecord",
    "TaskStart",
    "WorkerSighting",
    "decode_item",
    "encode_item",
    "open_store",
]


@dataclasses.dataclass(frozen=True, slots=True)
class WorkerSighting:
    """A worker as last seen: its node name, role, queues, when, and when it shut down."""

    node: str
    role: str
    queues: tuple[str, ...]
    seen: float
    stopped: float | None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _timestamp(iso: str) -> float:
    t = dt.datetime.fromisoformat(iso)
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).timestamp()


@dataclasses.dataclass(frozen=True, slots=True)
class Pruned:
    """What one retention pass forgot: feed entries, delivery records, received stories."""

    feed_entries: int
    deliveries: int
    stories: int


class Store:
    """Pipeline state over a :class:`Backend`. Every operation is safe to repeat."""

    #: raw input kept for re-ingest and replays (Redis TTL; SQLite keeps it until it expires)
    BLOB_TTL = 14 * 24 * 3600

    def __init__(self, backend: Backend) -> None:
        self.b = backend
        # stage timings wait here and travel with the task's completion (one round trip)
        self._timings: dict[str, float] = {}
        self._timings_lock = threading.Lock()
        # partners whose time indexes are known to be built (never unbuilt): one read saved
        # per write
        self._indexed: set[tuple[str, str]] = set()

    # ingest ---------------------------------------------------------------------------
    def content_seen(self, guid: str, version: int, digest: str) -> bool:
        """True once this guid+version with this content has been ingested and fanned out."""
        return self.b.get("content", f"{guid}|{version}|{digest}") is not None

    def mark_content_seen(self, guid: str, version: int, digest: str) -> None:
        self.b.put("content", f"{guid}|{version}|{digest}", _now())

    def note_version(self, guid: str, version: int) -> int:
        """Record that ``version`` of ``guid`` exists; returns the newest version known."""
        return self.b.set_max("latest", guid, version)

    def item_and_latest(self, ref: ItemRef) -> tuple[NewsItem | None, int | None]:
        """The stored item and the newest version of its guid, in one round trip."""
        text, latest = self.b.get_many([("item", ref.key), ("latest", ref.guid)])
        return (decode_item(text) if text is not None else None,
                int(latest) if latest is not None else None)

    def source_language(self, guid: str) -> str | None:
        return self.b.get("source-language", guid)

    def latest_version(self, guid: str) -> int | None:
        v = self.b.get("latest", guid)
        return int(v) if v is not None else None

    def put_item(self, ref: ItemRef, item: NewsItem) -> None:
        self.b.put("item", ref.key, encode_item(item))

    def put_arrived_item(self, ref: ItemRef, item: NewsItem) -> None:
        """Keep an item as it arrived, and the language its story arrived in, in one round
        trip."""
        self.b.apply([("put", "item", ref.key, encode_item(item), None),
                      ("put", "source-language", ref.guid, ref.language, None)])

    def get_item(self, ref: ItemRef) -> NewsItem | None:
        text = self.b.get("item", ref.key)
        return decode_item(text) if text is not None else None

    def put_blob(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        self.b.put("blob", sha, base64.b64encode(data).decode("ascii"), ttl=self.BLOB_TTL)
        return sha

    def get_blob(self, sha: str) -> bytes | None:
        text = self.b.get("blob", sha)
        return base64.b64decode(text) if text is not None else None

    # deliveries -----------------------------------------------------------------------
    @staticmethod
    def _delivery_key(partner: str, destination: str, language: str, guid: str, fmt: str) -> str:
        return f"{partner}|{destination}|{language}|{fmt}|{guid}"

    def last_delivery(
        self, partner: str, destination: str, language: str, guid: str, fmt: str
    ) -> DeliveryRecord | None:
        text = self.b.get("delivery", self._delivery_key(partner, destination, language, guid, fmt))
        return DeliveryRecord(**json.loads(text)) if text else None

    def record_delivery(self, rec: DeliveryRecord) -> None:
        """Record ``rec`` as the latest delivery of its key; its partner has received the
        story. Both are indexed by time for the partner's retention (:meth:`prune_partner`)."""
        key = self._delivery_key(rec.partner, rec.destination, rec.language, rec.guid, rec.format)
        at = _timestamp(rec.at)
        self.b.apply([("put", "delivery", key, json.dumps(dataclasses.asdict(rec)), None),
                      ("sadd", "received", rec.guid, rec.partner),
                      ("zadd", "delividx", rec.partner, key, at),
                      ("zadd", "partner-stories", rec.partner, rec.guid, at)])

    def record_delivery_of(
        self, partner: str, destination: str, language: str, guid: str, version: int,
        fmt: str, location: str, pub_status: str, rev: str = "",
    ) -> None:
        self.record_delivery(DeliveryRecord(partner, destination, language, guid, version, fmt,
                                            location, pub_status, _now(), rev))

    def partners_received(self, guid: str) -> set[str]:
        """Partners that have been delivered some version of ``guid`` (kills go to them)."""
        return self.b.smembers("received", guid)

    def deliveries_of(self, partner: str) -> list[DeliveryRecord]:
        """Every delivery on record for ``partner`` (its latest per key), found by reading every
        record: for checks and tools, never on a request's path."""
        prefix = f"{partner}|"
        out = []
        for key in self.b.keys("delivery"):
            if key.startswith(prefix):
                text = self.b.get("delivery", key)
                if text:
                    out.append(DeliveryRecord(**json.loads(text)))
        return out

    def deliveries_since(self, partner: str, since: float) -> list[DeliveryRecord]:
        """The deliveries on record for ``partner`` at or after ``since`` (epoch seconds; its
        latest per key), read from its time index: the cost follows what is asked for, not the
        partner's whole history."""
        self._delivery_index_ready(partner)
        out: list[DeliveryRecord] = []
        offset = 0
        while True:
            page = self.b.zrange_scored("delividx", partner, since, float("inf"), offset, 500)
            if not page:
                return out
            offset += len(page)
            texts = self.b.get_many([("delivery", key) for key, _ in page])
            out += [DeliveryRecord(**json.loads(t)) for t in texts if t]

    def deliveries(self) -> list[DeliveryRecord]:
        out = []
        for key in self.b.keys("delivery"):
            text = self.b.get("delivery", key)
            if text:
                out.append(DeliveryRecord(**json.loads(text)))
        return out

    @contextlib.contextmanager
    def lock(self, name: str, ttl: int = 60, wait: float = 30.0) -> Iterator[None]:
        """A short mutual exclusion across processes and machines (expires if the holder dies)."""
        token = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        delay = 0.002
        while not self.b.put_if_absent("lock", name, token, ttl=ttl):
            if time.monotonic() > deadline:
                raise TransientError(f"could not take the lock {name!r} within {wait:.0f} s")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
        try:
            yield
        finally:
            self.b.delete_if("lock", name, token)

    # partner pull feeds ---------------------------------------------------------------
    # Each partner's entries are indexed per language by time (a sorted set scored by minus
    # the entry's ``updated``, so that score then guid is the feed's order, newest first): a
    # page reads its own entries and items, whatever the feed's history.

    @staticmethod
    def _feed_score(entry: FeedEntry) -> float:
        return -_timestamp(entry.updated)

    @staticmethod
    def _feed_index_ops(partner: str, entry: FeedEntry) -> list[Op]:
        return [("zadd", f"feedidx:{partner}", entry.language, entry.guid,
                 Store._feed_score(entry)),
                ("sadd", "feedlangs", partner, entry.language),
                ("put", f"feedslug:{partner}", f"{entry.language}|{guid_slug(entry.guid)}",
                 entry.guid, None)]

    def put_feed_entry(self, partner: str, entry: FeedEntry, item: NewsItem) -> bool:
        """Make ``entry`` (with ``item``) the feed's copy of its guid unless a newer version is
        there; False (and nothing changed) when it is.

        The small entries are kept apart from the items, so listing a feed reads only the
        entries and the items of the page it shows.
        """
        key = f"{entry.language}|{entry.guid}"
        self._feed_index_ready(partner)
        with self.lock(f"feed:{partner}:{key}", ttl=30, wait=35.0):
            current = self.b.get(f"feed:{partner}", key)
            old = FeedEntry(**json.loads(current)) if current is not None else None
            if old is not None and old.version > entry.version:
                return False
            # one transaction: an entry never names an item that is not there yet, and the
            # index moves with it (a newer version takes its guid's place in the order)
            ops: list[Op] = [
                ("put", f"feeditem:{partner}", entry.item_key, encode_item(item), None),
                ("put", f"feed:{partner}", key, json.dumps(dataclasses.asdict(entry)), None),
                *self._feed_index_ops(partner, entry)]
            if old is not None and old.item_key != entry.item_key:
                ops.append(("delete", f"feeditem:{partner}", old.item_key))
            self.b.apply(ops)
            return True

    def feed_entry(self, partner: str, language: str, guid: str) -> FeedEntry | None:
        text = self.b.get(f"feed:{partner}", f"{language}|{guid}")
        return FeedEntry(**json.loads(text)) if text else None

    def feed_entry_by_slug(self, partner: str, language: str, slug: str) -> FeedEntry | None:
        """The entry whose guid has the slug ``slug`` (item URLs name it), in two reads."""
        self._feed_index_ready(partner)
        guid = self.b.get(f"feedslug:{partner}", f"{language}|{slug}")
        return self.feed_entry(partner, language, guid) if guid is not None else None

    def feed_entries(self, partner: str) -> list[FeedEntry]:
        """Every entry of ``partner``'s feeds, all languages, in no particular order (it reads
        them all: for tests and tools, never for serving a page)."""
        return [FeedEntry(**json.loads(t)) for t in self.b.values(f"feed:{partner}")]

    def feed_languages(self, partner: str) -> set[str]:
        """The languages (as tagged) that ``partner``'s feed entries are kept under."""
        self._feed_index_ready(partner)
        return self.b.smembers("feedlangs", partner)

    def feed_page(self, partner: str, languages: Sequence[str], after: tuple[float, str] | None,
                  count: int, keep: Callable[[FeedEntry], bool]) -> list[FeedEntry]:
        """Up to ``count`` entries of ``partner`` in ``languages``, newest first (by minus
        ``updated`` as a Unix time, then guid), after the position ``after``, that ``keep``
        takes. Reads the indexes from that position on and only as many entries as it needs.
        """
        self._feed_index_ready(partner)
        merged = heapq.merge(*(self._feed_index_after(partner, lang, after, count)
                               for lang in sorted(set(languages))))
        out: list[FeedEntry] = []
        while len(out) < count:
            chunk = list(itertools.islice(merged, count - len(out)))
            if not chunk:
                break
            texts = self.b.get_many([(f"feed:{partner}", f"{lang}|{guid}")
                                     for _, guid, lang in chunk])
            for text in texts:
                if text is None:  # pruned between the two reads
                    continue
                entry = FeedEntry(**json.loads(text))
                if keep(entry):
                    out.append(entry)
        return out

    def _feed_index_after(self, partner: str, language: str, after: tuple[float, str] | None,
                          batch: int) -> Iterator[tuple[float, str, str]]:
        """(score, guid, language) of one language's index after ``after``, read ``batch`` at
        a time from where the last read ended."""
        ns = f"feedidx:{partner}"
        batch = max(batch, 16)
        low, offset = (after[0], 0) if after is not None else (-math.inf, 0)
        while True:
            got = self.b.zrange_scored(ns, language, low, math.inf, offset, batch)
            for guid, score in got:
                if after is None or (score, guid) > after:
                    yield score, guid, language
            if len(got) < batch:
                return
            last = got[-1][1]
            if last == low:  # a run of one score longer than a batch
                offset += len(got)
            else:
                low, offset = last, sum(1 for _, s in got if s == last)

    def _feed_index_ready(self, partner: str) -> None:
        """Index the entries written before the index was kept (once per partner: it reads
        them all)."""
        if ("feedidx-built", partner) in self._indexed:
            return
        if self.b.get("feedidx-built", partner) is not None:
            self._indexed.add(("feedidx-built", partner))
            return
        with self.lock(f"feedidx-build:{partner}", ttl=300, wait=300.0):
            if self.b.get("feedidx-built", partner) is not None:
                return
            ops: list[Op] = []
            for text in self.b.values(f"feed:{partner}"):
                ops += self._feed_index_ops(partner, FeedEntry(**json.loads(text)))
                if len(ops) >= 1500:
                    self.b.apply(ops)
                    ops = []
            ops.append(("put", "feedidx-built", partner, _now(), None))
            self.b.apply(ops)

    def feed_items(self, partner: str, entries: list[FeedEntry]) -> list[NewsItem | None]:
        """The items of ``entries``, in order, in one round trip (None where one is missing)."""
        if not entries:
            return []
        texts = self.b.get_many([(f"feeditem:{partner}", e.item_key) for e in entries])
        return [decode_item(t) if t is not None else None for t in texts]

    # retention ----------------------------------------------------------------------
    def prune_partner(self, partner: str, *, days: float | None, entries: int | None,
                      now: float | None = None, budget: int = 1000) -> Pruned:
        """Forget ``partner``'s history beyond its retention, at most ``budget`` records of
        each kind per call (the rest waits for the next): its feed entries (with their items)
        older than ``days`` or beyond the newest ``entries`` of each language, and its delivery
        records older than ``days``.

        The stories it has received (whom a kill goes to) are forgotten only once the story's
        last delivery to it is older than ``days``: a story within retention still gets its
        kill, whatever ``entries`` pruned from the feed.
        """
        t = time.time() if now is None else now
        self._feed_index_ready(partner)
        self._delivery_index_ready(partner)
        feed = 0
        for lang in sorted(self.b.smembers("feedlangs", partner)):
            ns = f"feedidx:{partner}"
            victims: dict[str, float] = {}
            if days is not None:
                # scores are minus the entry's time: the oldest sort last
                victims.update(self.b.zrange_scored(ns, lang, -(t - days * 86400), math.inf, 0,
                                                    budget - feed))
            if entries is not None and len(victims) < budget - feed:
                over = self.b.zcard(ns, lang) - entries
                if over > 0:
                    victims.update(self.b.zrange_scored(ns, lang, -math.inf, math.inf, entries,
                                                        min(over, budget - feed)))
            feed += sum(self._drop_feed_entry(partner, lang, guid, score)
                        for guid, score in victims.items())
            if feed >= budget:
                break
        deliveries = stories = 0
        if days is not None:
            cutoff = t - days * 86400
            keys = self.b.zrange_due("delividx", partner, cutoff, budget)
            # a delivery recorded since the read moves its score, which keeps the record
            self.b.apply([("forget_if_due", "delividx", partner, k, cutoff, ("delete", "delivery", k))
                          for k in keys])
            guids = self.b.zrange_due("partner-stories", partner, cutoff, budget)
            self.b.apply([("forget_if_due", "partner-stories", partner, g, cutoff,
                           ("srem", "received", g, partner)) for g in guids])
            deliveries, stories = len(keys), len(guids)
        return Pruned(feed, deliveries, stories)

    def _drop_feed_entry(self, partner: str, language: str, guid: str, score: float) -> bool:
        key = f"{language}|{guid}"
        with self.lock(f"feed:{partner}:{key}", ttl=30, wait=35.0):
            text = self.b.get(f"feed:{partner}", key)
            entry = FeedEntry(**json.loads(text)) if text is not None else None
            if entry is not None and self._feed_score(entry) != score:
                return False  # a newer version took its place since the index was read
            ops: list[Op] = [("zrem", f"feedidx:{partner}", language, guid),
                             ("delete", f"feedslug:{partner}", f"{language}|{guid_slug(guid)}")]
            if entry is not None:
                ops += [("delete", f"feed:{partner}", key),
                        ("delete", f"feeditem:{partner}", entry.item_key)]
            self.b.apply(ops)
            return entry is not None

    def _delivery_index_ready(self, partner: str) -> None:
        """Index the partner's delivery records written before the index was kept (once: it
        reads every record)."""
        if ("delividx-built", partner) in self._indexed:
            return
        if self.b.get("delividx-built", partner) is not None:
            self._indexed.add(("delividx-built", partner))
            return
        prefix = f"{partner}|"
        ops: list[Op] = []
        for key in self.b.keys("delivery"):
            if not key.startswith(prefix):
                continue
            text = self.b.get("delivery", key)
            if text is None:
                continue
            rec = DeliveryRecord(**json.loads(text))
            at = _timestamp(rec.at)
            ops += [("zadd", "delividx", partner, key, at),
                    ("zadd", "partner-stories", partner, rec.guid, at)]
            if len(ops) >= 1000:
                self.b.apply(ops)
                ops = []
        ops.append(("put", "delividx-built", partner, _now(), None))
        self.b.apply(ops)

    # dead letters ---------------------------------------------------------------------
    def add_dead_letter(
        self,
        task: str,
        payload: dict[str, Any],
        error: BaseException,
        guid: str | None = None,
        data: bytes | None = None,
    ) -> DeadLetter:
        dl = DeadLetter(
            id=dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8],
            task=task,
            payload=json.dumps(payload, sort_keys=True),
            error=str(error) or repr(error),
            error_type=type(error).__name__,
            guid=guid,
            at=_now(),
            data_b64=base64.b64encode(data).decode("ascii") if data is not None else None,
        )
        self.b.apply([("put", "dead", dl.id, json.dumps(dataclasses.asdict(dl)), None),
                      ("sadd", "dead-index", "all", dl.id)])
        return dl

    def dead_letter_count(self) -> int:
        """How many dead letters wait, in one read whatever their number."""
        if self.b.get("dead-index", "built") is None:
            self._dead_letter_ids()  # indexes dead letters written before the index, once
        return self.b.scard("dead-index", "all")

    def recount_dead_letters(self) -> int:
        """Index the dead letters recorded before the index was kept (once, at start: it
        lists them all); returns the count."""
        return len(self._dead_letter_ids())

    def dead_letters(self) -> list[DeadLetter]:
        # listed from an index set, not a scan of the keyspace, whose cost grows with history
        ids = sorted(self._dead_letter_ids())
        texts = self.b.get_many([("dead", i) for i in ids]) if ids else []
        return [DeadLetter(**json.loads(t)) for t in texts if t]

    def _dead_letter_ids(self) -> set[str]:
        if self.b.get("dead-index", "built") is None:
            # dead letters written before the index existed: indexed once
            for key in self.b.keys("dead"):
                self.b.sadd("dead-index", "all", key)
            self.b.put("dead-index", "built", _now())
        return self.b.smembers("dead-index", "all")

    def get_dead_letter(self, dl_id: str) -> DeadLetter:
        text = self.b.get("dead", dl_id)
        if text is None:
            raise SyndicateError(f"no dead letter {dl_id!r} (list them with `syndicate dead-letters`)")
        return DeadLetter(**json.loads(text))

    def remove_dead_letter(self, dl_id: str) -> None:
        self.b.apply([("delete", "dead", dl_id), ("srem", "dead-index", "all", dl_id)])

    # the task ledger: every task recorded before it is sent, until a worker finishes it ----
    #: a finished task's id is remembered this long, so a late second copy is not run again
    DONE_TTL = 2 * 24 * 3600

    def task_put(self, rec: TaskRecord, due: float) -> None:
        """Record a task (before it is sent) and when to look after it next; count it as
        pending in its batch."""
        self.b.apply(self._put_ops([(rec, due)]))

    def task_put_many(self, recs: Sequence[tuple[TaskRecord, float]]) -> None:
        """:meth:`task_put` for several tasks, in one write."""
        if recs:
            self.b.apply(self._put_ops(recs))

    @staticmethod
    def _put_ops(recs: Sequence[tuple[TaskRecord, float]]) -> list[Op]:
        ops: list[Op] = []
        for rec, due in recs:
            ops += [("put", "task", rec.id, rec.to_json(), None),
                    ("zadd", "taskdue", "due", rec.id, due)]
            if rec.batch:
                ops.append(("sadd", "batch", f"{rec.batch}:pending", rec.id))
        return ops

    def task_record(self, task_id: str) -> TaskRecord | None:
        text = self.b.get("task", task_id)
        return TaskRecord.from_json(task_id, text) if text is not None else None

    def task_begin(self, task_id: str, token: str, lease_ttl: int) -> TaskStart:
        """Take the task's lease before running it: ``done`` when it already finished (a second
        copy), ``busy`` when another worker holds a live lease, else ``run`` with its record
        and how often a worker has begun it."""
        # one step: the lease, then (a finisher writes ``done`` before it lets go) whether the
        # task finished, its record, and the count of its starts
        status, text, extra = self.b.take_lease(("lease", "done", "task", "starts"), task_id,
                                                token, lease_ttl)
        if status == "busy":
            return TaskStart("busy")
        if status == "done":
            if text is not None:
                self._forget_finished(TaskRecord.from_json(task_id, text), str(extra))
            return TaskStart("done")
        rec = TaskRecord.from_json(task_id, text) if text is not None else None
        return TaskStart("run", rec, int(extra or 1))

    def _forget_finished(self, rec: TaskRecord, outcome: str) -> None:
        # a finished task recorded again (its parent ran a second time after a crash between
        # its work and its own finish): nothing to run, but its batch must count it
        ops: list[Op] = [("delete", "task", rec.id), ("zrem", "taskdue", "due", rec.id)]
        if rec.batch:
            ops.append(("smove", "batch", f"{rec.batch}:pending", f"{rec.batch}:{outcome}",
                        rec.id))
        self.b.apply(ops)

    def task_renew(self, task_id: str, token: str, lease_ttl: int) -> bool:
        """Extend a lease this worker holds; False when it is no longer ours."""
        return self.b.expire_if("lease", task_id, token, lease_ttl)

    def task_finish(self, task_id: str, token: str | None, outcome: str,
                    batch: str | None, stage: str | None = None,
                    partner: str | None = None,
                    followups: Sequence[tuple[TaskRecord, float]] = ()) -> None:
        """The task is done for good (any outcome, dead letters included): forget its record,
        count it in its batch once, write the stage timings, let go of the lease; with
        ``stage``, count its outcome for the operators too (:meth:`count_outcome`); record
        its ``followups`` (:meth:`task_put`); all in one round trip."""
        with self._timings_lock:
            timings, self._timings = self._timings, {}
        ops: list[Op] = self._put_ops(followups)
        ops += self._outcome_ops(stage, outcome, partner, None) if stage else []
        ops += [("put", "done", task_id, outcome, self.DONE_TTL),
                         ("delete", "task", task_id), ("zrem", "taskdue", "due", task_id),
                         ("delete", "starts", task_id)]
        if batch:
            ops.append(("smove", "batch", f"{batch}:pending", f"{batch}:{outcome}", task_id))
        ops += [("incr_float", "timing", stage, amount) for stage, amount in timings.items()]
        if token is not None:
            ops.append(("delete_if", "lease", task_id, token))
        self.b.apply(ops)

    def task_later(self, rec: TaskRecord, due: float, token: str | None = None) -> None:
        """Keep ``rec`` (a retry, a re-send) for ``due``; let go of the lease if held."""
        ops: list[Op] = [("put", "task", rec.id, rec.to_json(), None),
                         ("zadd", "taskdue", "due", rec.id, due)]
        if token is not None:
            # a worker that lived to schedule a retry: only starts that never end count as
            # crashes (see Store.task_begin)
            ops += [("delete_if", "lease", rec.id, token), ("delete", "starts", rec.id)]
        self.b.apply(ops)

    def task_postpone(self, task_id: str, due: float) -> None:
        self.b.apply([("zadd", "taskdue", "due", task_id, due)])

    def tasks_due(self, now: float, limit: int = 500) -> list[tuple[TaskRecord, bool]]:
        """Records due by ``now``, each with whether a worker holds its lease right now."""
        ids = self.b.zrange_due("taskdue", "due", now, limit)
        if not ids:
            return []
        n = len(ids)
        values = self.b.get_many([("task", i) for i in ids] + [("lease", i) for i in ids] +
                                 [("done", i) for i in ids])
        out = []
        stale: list[Op] = []
        for i, task_id in enumerate(ids):
            text, lease, done = values[i], values[n + i], values[2 * n + i]
            if text is None:  # finished between the two reads, or a record lost with its data
                stale.append(("zrem", "taskdue", "due", task_id))
                continue
            rec = TaskRecord.from_json(task_id, text)
            if done is not None:
                self._forget_finished(rec, done)
                continue
            out.append((rec, lease is not None))
        if stale:
            self.b.apply(stale)
        return out

    def pending_tasks(self) -> list[TaskRecord]:
        """Every task recorded and not finished."""
        return [rec for rec, _ in self.tasks_due(float("inf"), limit=0)]

    def task_adopt(self, rec: TaskRecord, batch: str) -> None:
        """Count a pending task in ``batch`` from now on (a run that resumes earlier work)."""
        rec = dataclasses.replace(rec, batch=batch)
        self.b.apply([("put", "task", rec.id, rec.to_json(), None),
                      ("sadd", "batch", f"{batch}:pending", rec.id)])

    # batches: what `syndicate run --once` waits for ---------------------------------------
    def batch_members(self, batch: str, outcome: str) -> set[str]:
        """The task ids of ``batch`` that ended with ``outcome`` (or are ``pending``)."""
        return self.b.smembers("batch", f"{batch}:{outcome}")

    def batch_status(self, batch: str, outcomes: tuple[str, ...]) -> BatchStatus:
        return BatchStatus(
            pending=self.b.scard("batch", f"{batch}:pending"),
            outcomes={o: self.b.scard("batch", f"{batch}:{o}") for o in outcomes},
        )

    # sources --------------------------------------------------------------------------
    def seen_marker(self, source: str, key: str) -> str | None:
        return self.b.get(f"seen:{source}", key)

    def mark_seen(self, source: str, key: str, marker: str) -> None:
        self.b.put(f"seen:{source}", key, marker)

    def forget_seen(self, source: str, key: str) -> None:
        self.b.delete(f"seen:{source}", key)

    def seen_keys(self, source: str) -> list[str]:
        return self.b.keys(f"seen:{source}")

    def first_sighting(self, ns: str, key: str, ttl: int) -> bool:
        """True if ``key`` was not seen in ``ns`` in the last ``ttl`` seconds; it is now.
        Atomic on both backends: of two concurrent sightings exactly one is first."""
        return self.b.put_if_absent(f"sighting:{ns}", key, _now(), ttl=ttl)

    def forget_sighting(self, ns: str, key: str) -> None:
        """Undo a first sighting whose work failed, so that a retry counts as first again."""
        self.b.delete(f"sighting:{ns}", key)

    def set_outcome(self, source: str, ref: str, reason: str | None) -> None:
        """How the ingest of an arrival ended: ``reason`` None for success."""
        self.b.put(f"outcome:{source}", ref, json.dumps({"ok": reason is None, "reason": reason}))

    def note_quarantined(self, source: str, ref: str, path: str) -> None:
        """Where an arrival's rejected input was quarantined (a replay releases it)."""
        self.b.put("quarantined", f"{source}|{ref}", path, ttl=self.BLOB_TTL)

    def quarantined_copy(self, source: str, ref: str) -> str | None:
        return self.b.get("quarantined", f"{source}|{ref}")

    def pop_outcome(self, source: str, ref: str) -> tuple[bool, str | None] | None:
        text = self.b.get(f"outcome:{source}", ref)
        if text is None:
            return None
        self.b.delete(f"outcome:{source}", ref)
        data = json.loads(text)
        return bool(data["ok"]), data["reason"]

    # operations: what `syndicate status` and the /ops page read ----------------------------
    # Counters per minute that expire, and one "last time" key per source, partner and worker:
    # reading them costs the same whatever the history.

    #: how far back the per-minute counters reach
    RECENT_MINUTES = 15
    _COUNT_TTL = (RECENT_MINUTES + 2) * 60
    #: a worker not heard of for this long is forgotten (scaled down, or long gone)
    WORKER_TTL = 24 * 3600

    def count_outcome(self, stage: str, outcome: str, partner: str | None = None,
                      now: float | None = None) -> None:
        """Count one task of ``stage`` (ingest, translate, deliver) that ended with
        ``outcome`` this minute; a delivery also moves its partner's last delivery, a failed
        or retried one counts among its partner's recent failures."""
        self.b.apply(self._outcome_ops(stage, outcome, partner, now))

    def _outcome_ops(self, stage: str, outcome: str, partner: str | None,
                     now: float | None) -> list[Op]:
        t = time.time() if now is None else now
        minute = int(t // 60)
        ops: list[Op] = [("count", "rate", f"{stage}|{outcome}|{minute}", 1, self._COUNT_TTL)]
        if partner:
            if outcome == "delivered":
                ops.append(("put", "partner-last-delivery", partner, repr(t), None))
            elif outcome in ("failed", "retrying"):
                ops.append(("count", "partner-failures", f"{partner}|{minute}", 1,
                            self._COUNT_TTL))
        return ops

    def outcome_counts(self, pairs: list[tuple[str, str]], now: float | None = None
                       ) -> dict[tuple[str, str], list[int]]:
        """Per (stage, outcome), the count of each of the last RECENT_MINUTES minutes, oldest
        first (the current, unfinished minute last)."""
        minutes = self._recent_minutes(now)
        values = self.b.get_many([("rate", f"{st}|{o}|{m}") for st, o in pairs for m in minutes])
        n = len(minutes)
        return {pair: [int(v or 0) for v in values[i * n:(i + 1) * n]]
                for i, pair in enumerate(pairs)}

    def partner_recent_failures(self, partners: list[str], now: float | None = None
                                ) -> dict[str, int]:
        """Failed or retried deliveries per partner over the last RECENT_MINUTES minutes."""
        minutes = self._recent_minutes(now)
        values = self.b.get_many([("partner-failures", f"{p}|{m}") for p in partners
                                  for m in minutes])
        n = len(minutes)
        return {p: sum(int(v or 0) for v in values[i * n:(i + 1) * n])
                for i, p in enumerate(partners)}

    def partner_last_deliveries(self, partners: list[str]) -> dict[str, float | None]:
        """When each partner was last delivered something (Unix time), None if never."""
        values = self.b.get_many([("partner-last-delivery", p) for p in partners])
        return {p: float(v) if v else None for p, v in zip(partners, values, strict=True)}

    def note_arrival(self, source: str, now: float | None = None) -> None:
        """Something arrived from ``source`` now (a file, an object, a push, a polled page)."""
        self.b.put("source-last-arrival", source, repr(time.time() if now is None else now))

    def source_last_arrivals(self, sources: list[str]) -> dict[str, float | None]:
        values = self.b.get_many([("source-last-arrival", s) for s in sources])
        return {s: float(v) if v else None for s, v in zip(sources, values, strict=True)}

    def note_beat(self, now: float | None = None) -> None:
        """The beat's periodic task ran now (its heartbeat)."""
        self.b.put("heartbeat", "beat", repr(time.time() if now is None else now))

    def beat_last_seen(self) -> float | None:
        v = self.b.get("heartbeat", "beat")
        return float(v) if v else None

    def note_worker(self, node: str, role: str, queues: list[str], now: float | None = None
                    ) -> None:
        """A worker answered or started: remembered for a day, so that one that stops
        answering can be named."""
        t = time.time() if now is None else now
        self.b.apply([("put", "worker", node, json.dumps({"role": role, "queues": queues,
                                                           "seen": t, "stopped": None}),
                       self.WORKER_TTL),
                      ("sadd", "worker-index", "all", node)])

    def note_worker_stopped(self, node: str, now: float | None = None) -> None:
        """A worker shut down on purpose (a crash leaves its last sighting as it was)."""
        text = self.b.get("worker", node)
        if text is None:
            return
        data = json.loads(text)
        data["stopped"] = time.time() if now is None else now
        self.b.put("worker", node, json.dumps(data), ttl=self.WORKER_TTL)

    def workers_seen(self) -> list[WorkerSighting]:
        """The workers seen in the last day, by node name."""
        nodes = sorted(self.b.smembers("worker-index", "all"))
        values = self.b.get_many([("worker", n) for n in nodes]) if nodes else []
        out = []
        for node, text in zip(nodes, values, strict=True):
            if text is None:  # not seen for a day: forgotten
                self.b.srem("worker-index", "all", node)
            else:
                d = json.loads(text)
                out.append(WorkerSighting(node, str(d["role"]), tuple(d["queues"]),
                                          float(d["seen"]), d.get("stopped")))
        return out

    def _recent_minutes(self, now: float | None) -> list[int]:
        current = int((time.time() if now is None else now) // 60)
        return list(range(current - self.RECENT_MINUTES + 1, current + 1))

    # measurements ---------------------------------------------------------------------
    def add_timing(self, stage: str, seconds: float) -> None:
        """Add to a stage's total; written when the task finishes (:meth:`task_finish`)."""
        with self._timings_lock:
            self._timings[stage] = self._timings.get(stage, 0.0) + seconds

    def timing(self, stage: str) -> float:
        v = self.b.get("timing", stage)
        return float(v) if v else 0.0

    def reset_timings(self) -> None:
        for key in self.b.keys("timing"):
            self.b.delete("timing", key)

    def ping(self) -> None:
        self.b.ping()

    def close(self) -> None:
        self.b.close()


def open_store(state_url: str | None, prefix: str, sqlite_path: Path) -> Store:
    """Redis at ``state_url`` when given, else the SQLite file at ``sqlite_path``."""
    if state_url:
        return Store(RedisBackend(state_url, prefix))
    return Store(SqliteBackend(sqlite_path))
