"""The SQLite backend of the state store: one file on disk, for the embedded default."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import typing
from collections.abc import Iterator, Sequence
from pathlib import Path

from syndicate.errors import TransientError
from syndicate.store.backend import LeaseSpaces, Op


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
        # pages of a sorted set by (score, member), as Redis orders them
        db.execute("CREATE INDEX IF NOT EXISTS zsets_by_score_member ON zsets (ns, k, score, m)")

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
            row = db.execute("SELECT v, expires FROM kv WHERE ns=? AND k=?", (ns, key)).fetchone()
            if row is not None and row[1] is not None and row[1] < time.time():
                row = None  # expired: counts from nothing, as in Redis
            value = (int(row[0]) if row else 0) + 1
            # the key keeps its expiry, as INCR does in Redis
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)",
                       (ns, key, str(value), row[1] if row else None))
            return value

    def expire_if(self, ns: str, key: str, value: str, ttl: int) -> bool:
        with self._tx() as db:
            cur = db.execute("UPDATE kv SET expires=? WHERE ns=? AND k=? AND v=? AND "
                             "(expires IS NULL OR expires>=?)",
                             (time.time() + ttl, ns, key, value, time.time()))
            return cur.rowcount == 1

    def take_lease(self, ns: LeaseSpaces, key: str, token: str,
                   ttl: int) -> tuple[str, str | None, str | int | None]:
        lease, done_ns, task_ns, starts_ns = ns
        now = time.time()

        def live(db: sqlite3.Connection, space: str) -> str | None:
            row = db.execute("SELECT v, expires FROM kv WHERE ns=? AND k=?", (space, key)).fetchone()
            return None if row is None or (row[1] is not None and row[1] < now) else str(row[0])

        with self._tx() as db:
            if live(db, lease) is not None:
                return "busy", None, None
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)", (lease, key, token, now + ttl))
            done, text = live(db, done_ns), live(db, task_ns)
            if done is not None:
                db.execute("DELETE FROM kv WHERE ns=? AND k=?", (lease, key))
                return "done", text, done
            starts = int(live(db, starts_ns) or 0) + 1
            db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,NULL)", (starts_ns, key, str(starts)))
            return "run", text, starts

    def zrange_due(self, ns: str, key: str, max_score: float, limit: int | None) -> list[str]:
        rows = self._db().execute(
            "SELECT m FROM zsets WHERE ns=? AND k=? AND score<=? ORDER BY score LIMIT ?",
            (ns, key, max_score, limit or -1),
        ).fetchall()
        return [r[0] for r in rows]

    def zrange_scored(self, ns: str, key: str, min_score: float, max_score: float,
                      offset: int, limit: int) -> list[tuple[str, float]]:
        rows = self._db().execute(
            "SELECT m, score FROM zsets WHERE ns=? AND k=? AND score>=? AND score<=? "
            "ORDER BY score, m LIMIT ? OFFSET ?",
            (ns, key, min_score, max_score, limit, offset),
        ).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def zcard(self, ns: str, key: str) -> int:
        row = self._db().execute(
            "SELECT count(*) FROM zsets WHERE ns=? AND k=?", (ns, key)
        ).fetchone()
        return int(row[0])

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
                elif kind == "srem":
                    db.execute("DELETE FROM sets WHERE ns=? AND k=? AND m=?", (op[1], op[2], op[3]))
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
                elif kind == "forget_if_due":
                    then = op[5]
                    if then[0] not in ("delete", "srem"):
                        raise ValueError(f"forget_if_due cannot {then[0]!r}")
                    cur = db.execute("DELETE FROM zsets WHERE ns=? AND k=? AND m=? AND score<=?",
                                     (op[1], op[2], op[3], op[4]))
                    if cur.rowcount and then[0] == "delete":
                        db.execute("DELETE FROM kv WHERE ns=? AND k=?", (then[1], then[2]))
                    elif cur.rowcount:
                        db.execute("DELETE FROM sets WHERE ns=? AND k=? AND m=?",
                                   (then[1], then[2], then[3]))
                elif kind == "count":
                    row = db.execute("SELECT v, expires FROM kv WHERE ns=? AND k=?",
                                     (op[1], op[2])).fetchone()
                    live = row is not None and (row[1] is None or row[1] >= now)
                    db.execute("INSERT OR REPLACE INTO kv VALUES (?,?,?,?)",
                               (op[1], op[2], str((int(row[0]) if live else 0) + op[3]),
                                now + op[4]))
                else:
                    raise ValueError(f"unknown store operation {kind!r}")

    def ping(self) -> None:
        self._db().execute("SELECT 1")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None
