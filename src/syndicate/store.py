"""Pipeline state behind one interface: dedupe, items, versions, deliveries, dead letters.

Redis when configured (workers on several machines share it), SQLite on disk for the
embedded default. Both offer the same small key/value, set and counter primitives; the
pipeline's vocabulary (claim content, note a version, record a delivery ...) is built on
them once, in :class:`Store`.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import sqlite3
import threading
import time
import typing
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndicate.errors import SyndicateError, TransientError
from syndicate.item import NewsItem
from syndicate.item_json import decode_item, encode_item

# --------------------------------------------------------------------------------------
# records


@dataclass(frozen=True, slots=True)
class ItemRef:
    """An item version in one language: the source guid, its version, the language."""

    guid: str
    version: int
    language: str

    @property
    def key(self) -> str:
        return f"{self.guid}|{self.version}|{self.language}"


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    partner: str
    destination: str
    language: str
    guid: str
    version: int
    format: str
    location: str
    pub_status: str
    at: str


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """The newest version of one item in one partner's pull feed (the item is kept beside it).

    Entries are keyed by the guid the partner sees: a translation's own guid.
    """

    guid: str
    version: int
    language: str
    pub_status: str
    #: when the entry last changed (ISO 8601, UTC): the item's modified time, else arrival
    updated: str
    #: the embargo (ISO 8601) for the feed server to check again before it lists the entry
    embargo: str | None
    #: for a translation (whose ``guid`` is its own): the source's guid, which the items of
    #: the store are kept under; None for source copy
    source_guid: str | None = None

    @property
    def item_key(self) -> str:
        return f"{self.language}|{self.guid}|{self.version}"

    @property
    def store_guid(self) -> str:
        """The guid the pipeline keeps this entry's item versions under (:class:`ItemRef`)."""
        return self.source_guid or self.guid


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A task that failed for good: what ran, with what payload, and why."""

    id: str
    task: str
    payload: str
    error: str
    error_type: str
    guid: str | None
    at: str
    #: the raw input bytes (base64) when the task was an ingest: nothing is lost
    data_b64: str | None = None

    def kwargs(self) -> dict[str, Any]:
        loaded = json.loads(self.payload)
        assert isinstance(loaded, dict)
        return loaded


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """A task as the ledger keeps it until a worker finishes it: enough to send it again."""

    id: str
    task: str
    payload: dict[str, Any]
    batch: str | None = None
    #: transient failures so far (a retry is due at the record's due time)
    attempts: int = 0
    #: times it was sent again because no worker had it
    resends: int = 0

    def to_json(self) -> str:
        return json.dumps({"task": self.task, "payload": self.payload, "batch": self.batch,
                           "attempts": self.attempts, "resends": self.resends},
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, task_id: str, text: str) -> TaskRecord:
        data = json.loads(text)
        return cls(task_id, str(data["task"]), dict(data["payload"]), data.get("batch"),
                   int(data.get("attempts", 0)), int(data.get("resends", 0)))


@dataclass(frozen=True, slots=True)
class TaskStart:
    """What :meth:`Store.task_begin` found: ``run``, ``busy`` or ``done``."""

    status: str
    record: TaskRecord | None = None
    starts: int = 0


#: every outcome a task can end with (kept in step with syndicate.pipeline.OUTCOMES)
BATCH_OUTCOMES = ("ingested", "rejected", "duplicate", "translated", "delivered", "superseded",
                  "held", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class BatchStatus:
    pending: int
    outcomes: dict[str, int]

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)


# --------------------------------------------------------------------------------------
# backends: a handful of primitives

#: one write of :meth:`Backend.apply`, all of which happen in one transaction:
#: ("put", ns, key, value, ttl) ("delete", ns, key) ("delete_if", ns, key, value)
#: ("zadd", ns, key, member, score) ("zrem", ns, key, member) ("sadd", ns, key, member)
#: ("smove", ns, src, dst, member) -- moves only a member that is in src
#: ("incr_float", ns, key, amount)
Op = tuple[Any, ...]


class Backend(typing.Protocol):
    def get(self, ns: str, key: str) -> str | None: ...
    def put(self, ns: str, key: str, value: str, ttl: int | None = None) -> None: ...
    def put_if_absent(self, ns: str, key: str, value: str, ttl: int | None = None) -> bool: ...
    def delete(self, ns: str, key: str) -> None: ...
    def delete_if(self, ns: str, key: str, value: str) -> None: ...
    def put_and_add(self, ns: str, key: str, value: str, ttl: int | None,
                    set_ns: str, set_key: str, member: str) -> None: ...
    def keys(self, ns: str) -> list[str]: ...
    def values(self, ns: str) -> list[str]: ...
    def set_max(self, ns: str, key: str, value: int) -> int: ...
    def sadd(self, ns: str, key: str, member: str) -> bool: ...
    def srem(self, ns: str, key: str, member: str) -> bool: ...
    def smembers(self, ns: str, key: str) -> set[str]: ...
    def scard(self, ns: str, key: str) -> int: ...
    def incr_float(self, ns: str, key: str, amount: float) -> None: ...
    def get_many(self, keys: list[tuple[str, str]]) -> list[str | None]: ...
    def incr(self, ns: str, key: str) -> int: ...
    def expire_if(self, ns: str, key: str, value: str, ttl: int) -> bool: ...
    def zrange_due(self, ns: str, key: str, max_score: float, limit: int | None) -> list[str]: ...
    def apply(self, ops: Sequence[Op]) -> None: ...
    def ping(self) -> None: ...
    def close(self) -> None: ...


class RedisBackend:
    """Keys are ``<prefix>:<ns>:<key>``; every write is one round trip (or one Lua script)."""

    _SET_MAX = """
    local cur = redis.call('GET', KEYS[1])
    if (not cur) or tonumber(cur) < tonumber(ARGV[1]) then
      redis.call('SET', KEYS[1], ARGV[1]); return tonumber(ARGV[1])
    end
    return tonumber(cur)
    """

    _DELETE_IF = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """

    _EXPIRE_IF = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
    return 0
    """

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis_mod = redis
        self.r = redis.Redis.from_url(
            url, decode_responses=True, socket_timeout=10, socket_connect_timeout=5,
            health_check_interval=15, retry_on_timeout=True,
        )
        self.prefix = prefix
        self._set_max = self.r.register_script(self._SET_MAX)
        self._delete_if = self.r.register_script(self._DELETE_IF)
        self._expire_if = self.r.register_script(self._EXPIRE_IF)

    def _k(self, ns: str, key: str) -> str:
        return f"{self.prefix}:{ns}:{key}"

    @contextlib.contextmanager
    def _transient(self) -> Iterator[None]:
        try:
            yield
        except self._redis_mod.exceptions.ConnectionError as exc:
            raise TransientError(f"the state store (Redis) is unreachable: {exc}") from exc
        except self._redis_mod.exceptions.TimeoutError as exc:
            raise TransientError(f"the state store (Redis) timed out: {exc}") from exc
        except self._redis_mod.exceptions.BusyLoadingError as exc:
            raise TransientError(f"the state store (Redis) is loading: {exc}") from exc

    def get(self, ns: str, key: str) -> str | None:
        with self._transient():
            return typing.cast(str | None, self.r.get(self._k(ns, key)))

    def put(self, ns: str, key: str, value: str, ttl: int | None = None) -> None:
        with self._transient():
            self.r.set(self._k(ns, key), value, ex=ttl)

    def put_if_absent(self, ns: str, key: str, value: str, ttl: int | None = None) -> bool:
        with self._transient():
            return bool(self.r.set(self._k(ns, key), value, ex=ttl, nx=True))

    def delete(self, ns: str, key: str) -> None:
        with self._transient():
            self.r.delete(self._k(ns, key))

    def delete_if(self, ns: str, key: str, value: str) -> None:
        with self._transient():
            self._delete_if(keys=[self._k(ns, key)], args=[value])

    def put_and_add(self, ns: str, key: str, value: str, ttl: int | None,
                    set_ns: str, set_key: str, member: str) -> None:
        with self._transient():
            pipe = self.r.pipeline(transaction=True)
            pipe.set(self._k(ns, key), value, ex=ttl)
            pipe.sadd(self._k(set_ns, set_key), member)
            pipe.execute()

    def keys(self, ns: str) -> list[str]:
        head = len(self._k(ns, ""))
        with self._transient():
            return sorted(k[head:] for k in self.r.scan_iter(match=self._k(ns, "*"), count=500))

    def values(self, ns: str) -> list[str]:
        """Every value in ``ns`` (order unspecified): one scan and one MGET per 500 keys."""
        out: list[str] = []
        with self._transient():
            batch: list[str] = []
            for k in self.r.scan_iter(match=self._k(ns, "*"), count=500):
                batch.append(k)
                if len(batch) == 500:
                    out += [v for v in typing.cast(list[str | None], self.r.mget(batch)) if v]
                    batch = []
            if batch:
                out += [v for v in typing.cast(list[str | None], self.r.mget(batch)) if v]
        return out

    def set_max(self, ns: str, key: str, value: int) -> int:
        with self._transient():
            return int(self._set_max(keys=[self._k(ns, key)], args=[value]))

    def sadd(self, ns: str, key: str, member: str) -> bool:
        with self._transient():
            return bool(self.r.sadd(self._k(ns, key), member))

    def srem(self, ns: str, key: str, member: str) -> bool:
        with self._transient():
            return bool(self.r.srem(self._k(ns, key), member))

    def smembers(self, ns: str, key: str) -> set[str]:
        with self._transient():
            return set(typing.cast(set[str], self.r.smembers(self._k(ns, key))))

    def scard(self, ns: str, key: str) -> int:
        with self._transient():
            return int(typing.cast(int, self.r.scard(self._k(ns, key))))

    def incr_float(self, ns: str, key: str, amount: float) -> None:
        with self._transient():
            self.r.incrbyfloat(self._k(ns, key), amount)

    def get_many(self, keys: list[tuple[str, str]]) -> list[str | None]:
        if not keys:
            return []
        with self._transient():
            return typing.cast(list[str | None], self.r.mget([self._k(n, k) for n, k in keys]))

    def incr(self, ns: str, key: str) -> int:
        with self._transient():
            return int(typing.cast(int, self.r.incr(self._k(ns, key))))

    def expire_if(self, ns: str, key: str, value: str, ttl: int) -> bool:
        with self._transient():
            return bool(self._expire_if(keys=[self._k(ns, key)], args=[value, ttl]))

    def zrange_due(self, ns: str, key: str, max_score: float, limit: int | None) -> list[str]:
        with self._transient():
            return typing.cast(list[str], self.r.zrangebyscore(
                self._k(ns, key), "-inf", max_score,
                start=0 if limit else None, num=limit or None))

    def apply(self, ops: Sequence[Op]) -> None:
        with self._transient():
            pipe = self.r.pipeline(transaction=True)
            for op in ops:
                kind = op[0]
                if kind == "put":
                    pipe.set(self._k(op[1], op[2]), op[3], ex=op[4])
                elif kind == "delete":
                    pipe.delete(self._k(op[1], op[2]))
                elif kind == "delete_if":
                    self._delete_if(keys=[self._k(op[1], op[2])], args=[op[3]], client=pipe)
                elif kind == "zadd":
                    pipe.zadd(self._k(op[1], op[2]), {op[3]: op[4]})
                elif kind == "zrem":
                    pipe.zrem(self._k(op[1], op[2]), op[3])
                elif kind == "sadd":
                    pipe.sadd(self._k(op[1], op[2]), op[3])
                elif kind == "smove":
                    pipe.smove(self._k(op[1], op[2]), self._k(op[1], op[3]), op[4])
                elif kind == "incr_float":
                    pipe.incrbyfloat(self._k(op[1], op[2]), op[3])
                else:
                    raise ValueError(f"unknown store operation {kind!r}")
            pipe.execute()

    def ping(self) -> None:
        with self._transient():
            self.r.ping()

    def close(self) -> None:
        self.r.close()


class SqliteBackend:
    """One SQLite file in WAL mode, shared by the worker processes of the embedded default."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        db = self._db()
        db.execute("CREATE TABLE IF NOT EXISTS kv (ns TEXT, k TEXT, v TEXT, expires REAL, "
                   "PRIMARY KEY (ns, k))")
        db.execute("CREATE TABLE IF NOT EXISTS sets (ns TEXT, k TEXT, m TEXT, "
                   "PRIMARY KEY (ns, k, m))")
        db.execute("CREATE TABLE IF NOT EXISTS zsets (ns TEXT, k TEXT, m TEXT, score REAL, "
                   "PRIMARY KEY (ns, k, m))")
        db.execute("CREATE INDEX IF NOT EXISTS zsets_by_score ON zsets (ns, k, score)")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransientError(f"the state store {self.path} is busy: {exc}") from exc
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    def get(self, ns: str, key: str) -> str | None:
        row = self._db().execute(
            "SELECT v, expires FROM kv WHERE ns=? AND k=?", (ns, key)
        ).fetchone()
        if row is None or (row[1] is not None and row[1] < time.time()):
            return None
        return typing.cast(str, row[0])

    def put(self, ns: str, key: str, value: str, ttl: int | None = None) -> None:
        exp = time.time() + ttl if ttl else None
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)", (ns, key, value, exp))

    def put_if_absent(self, ns: str, key: str, value: str, ttl: int | None = None) -> bool:
        exp = time.time() + ttl if ttl else None
        with self._tx() as db:
            db.execute(
                "DELETE FROM kv WHERE ns=? AND k=? AND expires IS NOT NULL AND expires<?",
                (ns, key, time.time()),
            )
            cur = db.execute("INSERT OR IGNORE INTO kv VALUES (?,?,?,?)", (ns, key, value, exp))
            return cur.rowcount == 1

    def delete(self, ns: str, key: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM kv WHERE ns=? AND k=?", (ns, key))

    def delete_if(self, ns: str, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM kv WHERE ns=? AND k=? AND v=?", (ns, key, value))

    def put_and_add(self, ns: str, key: str, value: str, ttl: int | None,
                    set_ns: str, set_key: str, member: str) -> None:
        exp = time.time() + ttl if ttl else None
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)", (ns, key, value, exp))
            db.execute("INSERT OR IGNORE INTO sets VALUES (?,?,?)", (set_ns, set_key, member))

    def keys(self, ns: str) -> list[str]:
        rows = self._db().execute("SELECT k FROM kv WHERE ns=? ORDER BY k", (ns,)).fetchall()
        return [r[0] for r in rows]

    def values(self, ns: str) -> list[str]:
        rows = self._db().execute(
            "SELECT v FROM kv WHERE ns=? AND (expires IS NULL OR expires>=?)", (ns, time.time())
        ).fetchall()
        return [r[0] for r in rows]

    def set_max(self, ns: str, key: str, value: int) -> int:
        with self._tx() as db:
            row = db.execute("SELECT v FROM kv WHERE ns=? AND k=?", (ns, key)).fetchone()
            if row is None or int(row[0]) < value:
                db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,NULL)", (ns, key, str(value)))
                return value
            return int(row[0])

    def sadd(self, ns: str, key: str, member: str) -> bool:
        with self._tx() as db:
            cur = db.execute("INSERT OR IGNORE INTO sets VALUES (?,?,?)", (ns, key, member))
            return cur.rowcount == 1

    def srem(self, ns: str, key: str, member: str) -> bool:
        with self._tx() as db:
            cur = db.execute("DELETE FROM sets WHERE ns=? AND k=? AND m=?", (ns, key, member))
            return cur.rowcount == 1

    def smembers(self, ns: str, key: str) -> set[str]:
        rows = self._db().execute("SELECT m FROM sets WHERE ns=? AND k=?", (ns, key)).fetchall()
        return {r[0] for r in rows}

    def scard(self, ns: str, key: str) -> int:
        row = self._db().execute(
            "SELECT count(*) FROM sets WHERE ns=? AND k=?", (ns, key)
        ).fetchone()
        return int(row[0])

    def incr_float(self, ns: str, key: str, amount: float) -> None:
        with self._tx() as db:
            row = db.execute("SELECT v FROM kv WHERE ns=? AND k=?", (ns, key)).fetchone()
            total = (float(row[0]) if row else 0.0) + amount
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,NULL)", (ns, key, repr(total)))

    def get_many(self, keys: list[tuple[str, str]]) -> list[str | None]:
        return [self.get(n, k) for n, k in keys]

    def incr(self, ns: str, key: str) -> int:
        with self._tx() as db:
            row = db.execute("SELECT v FROM kv WHERE ns=? AND k=?", (ns, key)).fetchone()
            value = (int(row[0]) if row else 0) + 1
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,NULL)", (ns, key, str(value)))
            return value

    def expire_if(self, ns: str, key: str, value: str, ttl: int) -> bool:
        with self._tx() as db:
            cur = db.execute("UPDATE kv SET expires=? WHERE ns=? AND k=? AND v=? AND "
                             "(expires IS NULL OR expires>=?)",
                             (time.time() + ttl, ns, key, value, time.time()))
            return cur.rowcount == 1

    def zrange_due(self, ns: str, key: str, max_score: float, limit: int | None) -> list[str]:
        rows = self._db().execute(
            "SELECT m FROM zsets WHERE ns=? AND k=? AND score<=? ORDER BY score LIMIT ?",
            (ns, key, max_score, limit or -1),
        ).fetchall()
        return [r[0] for r in rows]

    def apply(self, ops: Sequence[Op]) -> None:
        now = time.time()
        with self._tx() as db:
            for op in ops:
                kind = op[0]
                if kind == "put":
                    exp = now + op[4] if op[4] else None
                    db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)",
                               (op[1], op[2], op[3], exp))
                elif kind == "delete":
                    db.execute("DELETE FROM kv WHERE ns=? AND k=?", (op[1], op[2]))
                elif kind == "delete_if":
                    db.execute("DELETE FROM kv WHERE ns=? AND k=? AND v=?", (op[1], op[2], op[3]))
                elif kind == "zadd":
                    db.execute("INSERT OR REPLACE INTO zsets VALUES (?,?,?,?)",
                               (op[1], op[2], op[3], op[4]))
                elif kind == "zrem":
                    db.execute("DELETE FROM zsets WHERE ns=? AND k=? AND m=?", (op[1], op[2], op[3]))
                elif kind == "sadd":
                    db.execute("INSERT OR IGNORE INTO sets VALUES (?,?,?)", (op[1], op[2], op[3]))
                elif kind == "smove":
                    cur = db.execute("DELETE FROM sets WHERE ns=? AND k=? AND m=?",
                                     (op[1], op[2], op[4]))
                    if cur.rowcount:
                        db.execute("INSERT OR IGNORE INTO sets VALUES (?,?,?)", (op[1], op[3], op[4]))
                elif kind == "incr_float":
                    row = db.execute("SELECT v FROM kv WHERE ns=? AND k=?", (op[1], op[2])).fetchone()
                    total = (float(row[0]) if row else 0.0) + op[3]
                    db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,NULL)",
                               (op[1], op[2], repr(total)))
                else:
                    raise ValueError(f"unknown store operation {kind!r}")

    def ping(self) -> None:
        self._db().execute("SELECT 1")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


# --------------------------------------------------------------------------------------
# the pipeline's vocabulary


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class Store:
    """Pipeline state over a :class:`Backend`. Every operation is safe to repeat."""

    #: raw input kept for re-ingest and replays (Redis TTL; SQLite keeps it until it expires)
    BLOB_TTL = 14 * 24 * 3600

    def __init__(self, backend: Backend) -> None:
        self.b = backend
        # stage timings wait here and travel with the task's completion (one round trip)
        self._timings: dict[str, float] = {}
        self._timings_lock = threading.Lock()

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

    def latest_version(self, guid: str) -> int | None:
        v = self.b.get("latest", guid)
        return int(v) if v is not None else None

    def put_item(self, ref: ItemRef, item: NewsItem) -> None:
        self.b.put("item", ref.key, encode_item(item))

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
        key = self._delivery_key(rec.partner, rec.destination, rec.language, rec.guid, rec.format)
        self.b.put_and_add("delivery", key, json.dumps(dataclasses.asdict(rec)), None,
                           "received", rec.guid, rec.partner)

    def record_delivery_of(
        self, partner: str, destination: str, language: str, guid: str, version: int,
        fmt: str, location: str, pub_status: str,
    ) -> None:
        self.record_delivery(DeliveryRecord(partner, destination, language, guid, version, fmt,
                                            location, pub_status, _now()))

    def partners_received(self, guid: str) -> set[str]:
        """Partners that have been delivered some version of ``guid`` (kills go to them)."""
        return self.b.smembers("received", guid)

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
    def put_feed_entry(self, partner: str, entry: FeedEntry, item: NewsItem) -> bool:
        """Make ``entry`` (with ``item``) the feed's copy of its guid unless a newer version is
        there; False (and nothing changed) when it is.

        The small entries are kept apart from the items, so listing a feed reads only the
        entries and the items of the page it shows.
        """
        key = f"{entry.language}|{entry.guid}"
        with self.lock(f"feed:{partner}:{key}", ttl=30, wait=35.0):
            current = self.b.get(f"feed:{partner}", key)
            old = FeedEntry(**json.loads(current)) if current is not None else None
            if old is not None and old.version > entry.version:
                return False
            # the item first: an entry never names an item that is not there yet
            self.b.put(f"feeditem:{partner}", entry.item_key, encode_item(item))
            self.b.put(f"feed:{partner}", key, json.dumps(dataclasses.asdict(entry)))
            if old is not None and old.item_key != entry.item_key:
                self.b.delete(f"feeditem:{partner}", old.item_key)
            return True

    def feed_entry(self, partner: str, language: str, guid: str) -> FeedEntry | None:
        text = self.b.get(f"feed:{partner}", f"{language}|{guid}")
        return FeedEntry(**json.loads(text)) if text else None

    def feed_entries(self, partner: str) -> list[FeedEntry]:
        """Every entry of ``partner``'s feeds, all languages, in no particular order."""
        return [FeedEntry(**json.loads(t)) for t in self.b.values(f"feed:{partner}")]

    def feed_items(self, partner: str, entries: list[FeedEntry]) -> list[NewsItem | None]:
        """The items of ``entries``, in order, in one round trip (None where one is missing)."""
        if not entries:
            return []
        texts = self.b.get_many([(f"feeditem:{partner}", e.item_key) for e in entries])
        return [decode_item(t) if t is not None else None for t in texts]

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
        self.b.put("dead", dl.id, json.dumps(dataclasses.asdict(dl)))
        return dl

    def dead_letters(self) -> list[DeadLetter]:
        out = []
        for key in self.b.keys("dead"):
            text = self.b.get("dead", key)
            if text:
                out.append(DeadLetter(**json.loads(text)))
        return out

    def get_dead_letter(self, dl_id: str) -> DeadLetter:
        text = self.b.get("dead", dl_id)
        if text is None:
            raise SyndicateError(f"no dead letter {dl_id!r} (list them with `syndicate dead-letters`)")
        return DeadLetter(**json.loads(text))

    def remove_dead_letter(self, dl_id: str) -> None:
        self.b.delete("dead", dl_id)

    # the task ledger: every task recorded before it is sent, until a worker finishes it ----
    #: a finished task's id is remembered this long, so a late second copy is not run again
    DONE_TTL = 2 * 24 * 3600

    def task_put(self, rec: TaskRecord, due: float) -> None:
        """Record a task (before it is sent) and when to look after it next; count it as
        pending in its batch."""
        ops: list[Op] = [("put", "task", rec.id, rec.to_json(), None),
                         ("zadd", "taskdue", "due", rec.id, due)]
        if rec.batch:
            ops.append(("sadd", "batch", f"{rec.batch}:pending", rec.id))
        self.b.apply(ops)

    def task_record(self, task_id: str) -> TaskRecord | None:
        text = self.b.get("task", task_id)
        return TaskRecord.from_json(task_id, text) if text is not None else None

    def task_begin(self, task_id: str, token: str, lease_ttl: int) -> TaskStart:
        """Take the task's lease before running it: ``done`` when it already finished (a second
        copy), ``busy`` when another worker holds a live lease, else ``run`` with its record
        and how often a worker has begun it."""
        if not self.b.put_if_absent("lease", task_id, token, ttl=lease_ttl):
            return TaskStart("busy")
        # checked after the lease is taken: a finisher writes ``done`` before it lets go
        done, text = self.b.get_many([("done", task_id), ("task", task_id)])
        if done is not None:
            self.b.delete_if("lease", task_id, token)
            if text is not None:
                self._forget_finished(TaskRecord.from_json(task_id, text), done)
            return TaskStart("done")
        starts = self.b.incr("starts", task_id)
        rec = TaskRecord.from_json(task_id, text) if text is not None else None
        return TaskStart("run", rec, starts)

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
                    batch: str | None) -> None:
        """The task is done for good (any outcome, dead letters included): forget its record,
        count it in its batch once, write the stage timings, let go of the lease."""
        with self._timings_lock:
            timings, self._timings = self._timings, {}
        ops: list[Op] = [("put", "done", task_id, outcome, self.DONE_TTL),
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
    def batch_add(self, batch: str, task_id: str) -> None:
        """Count ``task_id`` as pending in ``batch``."""
        self.b.sadd("batch", f"{batch}:pending", task_id)

    def batch_done(self, batch: str | None, task_id: str, outcome: str) -> None:
        """Count a finished task (once, even if it ran twice); flush the stage timings."""
        with self._timings_lock:
            timings, self._timings = self._timings, {}
        ops: list[Op] = [("incr_float", "timing", k, v) for k, v in timings.items()]
        if batch:
            ops.append(("smove", "batch", f"{batch}:pending", f"{batch}:{outcome}", task_id))
        if ops:
            self.b.apply(ops)

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

    # measurements ---------------------------------------------------------------------
    def add_timing(self, stage: str, seconds: float) -> None:
        """Add to a stage's total; written with the next :meth:`batch_done` (or flush)."""
        with self._timings_lock:
            self._timings[stage] = self._timings.get(stage, 0.0) + seconds

    def flush_timings(self) -> None:
        with self._timings_lock:
            timings, self._timings = self._timings, {}
        if timings:
            self.b.apply([("incr_float", "timing", k, v) for k, v in timings.items()])

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
