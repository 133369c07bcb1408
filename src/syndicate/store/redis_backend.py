"""The Redis backend of the state store: workers on several machines share it."""

from __future__ import annotations

import contextlib
import typing
from collections.abc import Iterator, Sequence

from syndicate.errors import TransientError
from syndicate.store.backend import LeaseSpaces, Op


class RedisBackend:
    """Keys are ``<prefix>:<ns>:<key>``; every write is one round trip (or one Lua script)."""

    # compared as decimal strings (longer is larger, then digit by digit), never as Lua
    # numbers: those are doubles, which tell versions above 2^53 apart no more
    _SET_MAX = """
    local cur = redis.call('GET', KEYS[1])
    local new = ARGV[1]
    if (not cur) or #cur < #new or (#cur == #new and cur < new) then
      redis.call('SET', KEYS[1], new); return new
    end
    return cur
    """

    _DELETE_IF = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
    return 0
    """

    _EXPIRE_IF = """
    if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('EXPIRE', KEYS[1], ARGV[2]) end
    return 0
    """

    _FORGET_IF_DUE = """
    local s = redis.call('ZSCORE', KEYS[1], ARGV[1])
    if (not s) or tonumber(s) > tonumber(ARGV[2]) then return 0 end
    redis.call('ZREM', KEYS[1], ARGV[1])
    if ARGV[3] == 'delete' then redis.call('DEL', KEYS[2]) else redis.call('SREM', KEYS[2], ARGV[4]) end
    return 1
    """

    # a task's start in one round trip (see Backend.take_lease); KEYS: lease done task starts
    _TAKE_LEASE = """
    if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return {'busy'} end
    local done = redis.call('GET', KEYS[2])
    local text = redis.call('GET', KEYS[3])
    if done then redis.call('DEL', KEYS[1]); return {'done', text, done} end
    return {'run', text, redis.call('INCR', KEYS[4])}
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
        self._forget_if_due = self.r.register_script(self._FORGET_IF_DUE)
        self._take_lease = self.r.register_script(self._TAKE_LEASE)

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
        if value < 0:
            raise ValueError(f"set_max takes whole numbers from 0 up, not {value}")
        with self._transient():
            return int(self._set_max(keys=[self._k(ns, key)], args=[str(value)]))

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

    def take_lease(self, ns: LeaseSpaces, key: str, token: str,
                   ttl: int) -> tuple[str, str | None, str | int | None]:
        lease, done, task, starts = ns
        with self._transient():
            reply = typing.cast(list[typing.Any], self._take_lease(
                keys=[self._k(lease, key), self._k(done, key), self._k(task, key),
                      self._k(starts, key)], args=[token, ttl]))
        if reply[0] == "busy":
            return "busy", None, None
        return str(reply[0]), reply[1], reply[2]

    def zrange_due(self, ns: str, key: str, max_score: float, limit: int | None) -> list[str]:
        with self._transient():
            return typing.cast(list[str], self.r.zrangebyscore(
                self._k(ns, key), "-inf", max_score,
                start=0 if limit else None, num=limit or None))

    def zrange_scored(self, ns: str, key: str, min_score: float, max_score: float,
                      offset: int, limit: int) -> list[tuple[str, float]]:
        with self._transient():
            return [(m, float(s)) for m, s in typing.cast(
                list[tuple[str, float]],
                self.r.zrangebyscore(self._k(ns, key), min_score, max_score, start=offset,
                                     num=limit, withscores=True))]

    def zcard(self, ns: str, key: str) -> int:
        with self._transient():
            return int(typing.cast(int, self.r.zcard(self._k(ns, key))))

    def apply(self, ops: Sequence[Op]) -> None:
        # scripts go as EVAL (Redis keeps them compiled by their digest): a script registered
        # with redis-py costs a SCRIPT EXISTS round trip on every pipeline that holds one
        with self._transient():
            pipe = self.r.pipeline(transaction=True)
            for op in ops:
                kind = op[0]
                if kind == "put":
                    pipe.set(self._k(op[1], op[2]), op[3], ex=op[4])
                elif kind == "delete":
                    pipe.delete(self._k(op[1], op[2]))
                elif kind == "delete_if":
                    pipe.eval(self._DELETE_IF, 1, self._k(op[1], op[2]), op[3])
                elif kind == "zadd":
                    pipe.zadd(self._k(op[1], op[2]), {op[3]: op[4]})
                elif kind == "zrem":
                    pipe.zrem(self._k(op[1], op[2]), op[3])
                elif kind == "sadd":
                    pipe.sadd(self._k(op[1], op[2]), op[3])
                elif kind == "srem":
                    pipe.srem(self._k(op[1], op[2]), op[3])
                elif kind == "smove":
                    pipe.smove(self._k(op[1], op[2]), self._k(op[1], op[3]), op[4])
                elif kind == "incr_float":
                    pipe.incrbyfloat(self._k(op[1], op[2]), op[3])
                elif kind == "forget_if_due":
                    then = op[5]
                    if then[0] not in ("delete", "srem"):
                        raise ValueError(f"forget_if_due cannot {then[0]!r}")
                    pipe.eval(self._FORGET_IF_DUE, 2, self._k(op[1], op[2]),
                              self._k(then[1], then[2]), op[3], repr(float(op[4])), then[0],
                              *then[3:])
                elif kind == "count":
                    pipe.incrby(self._k(op[1], op[2]), op[3])
                    pipe.expire(self._k(op[1], op[2]), op[4])
                else:
                    raise ValueError(f"unknown store operation {kind!r}")
            pipe.execute()

    def ping(self) -> None:
        with self._transient():
            self.r.ping()

    def close(self) -> None:
        self.r.close()
