"""What an operator needs to know about a running deployment, gathered once into a typed
:class:`StatusReport`: ``syndicate status`` prints it, the feed server's ``/ops`` page shows it.

Every figure costs the same whatever the history: queue depths are list lengths, rates come
from per-minute counters that expire, and last times are one key per source, partner and worker.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from syndicate.errors import SyndicateError
from syndicate.partners import PipelineConfig
from syndicate.settings import Settings, mask_url
from syndicate.store import DeadLetter, Store, WorkerSighting

#: the outcomes counted per stage, in the order they are shown
STAGE_OUTCOMES: dict[str, tuple[str, ...]] = {
    "ingest": ("ingested", "duplicate", "rejected", "failed", "retrying"),
    "translate": ("translated", "superseded", "failed", "retrying"),
    "deliver": ("delivered", "held", "skipped", "superseded", "failed", "retrying"),
}

#: every condition that makes ``syndicate status`` exit 1, as `--help` and the README list them
ATTENTION_CONDITIONS = (
    "a queue has no worker consuming it",
    "a worker stopped answering without shutting down, and no worker of its role replaced it",
    "the beat's poll has not run for 3 poll intervals (at least a minute) while sources are "
    "configured",
    "dead letters wait",
    "a partner had failed deliveries in the last 15 minutes",
    "a source has had nothing for longer than its quiet_after",
)


class Unreachable(SyndicateError):
    """The state store or the broker does not answer."""


@dataclass(frozen=True, slots=True)
class WorkerState:
    node: str
    role: str
    queues: tuple[str, ...]
    online: bool
    #: when it was last seen (started, or answered a status), Unix time
    seen: float | None = None
    #: when it shut down on purpose; None for one that is online or stopped answering
    stopped: float | None = None

    @property
    def state(self) -> str:
        if self.online:
            return "online"
        return "stopped" if self.stopped is not None else "not answering"


@dataclass(frozen=True, slots=True)
class QueueState:
    name: str
    #: messages waiting (not the ones workers hold); None when the broker cannot tell
    depth: int | None
    #: the workers consuming it (empty when none, or when workers were not asked)
    consumers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OutcomeRate:
    outcome: str
    #: count per minute over the last 15 minutes, oldest first, the current minute last
    per_minute: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.per_minute)

    @property
    def rate(self) -> float:
        """Per minute, averaged over the window."""
        return self.total / max(1, len(self.per_minute))


@dataclass(frozen=True, slots=True)
class StageFlow:
    stage: str
    outcomes: tuple[OutcomeRate, ...]

    @property
    def total(self) -> int:
        return sum(o.total for o in self.outcomes)


@dataclass(frozen=True, slots=True)
class PartnerState:
    id: str
    last_delivery: float | None
    failures_recent: int


@dataclass(frozen=True, slots=True)
class SourceState:
    name: str
    last_arrival: float | None
    quiet_after: float
    #: nothing arrived for longer than quiet_after (a source with no arrival yet is not quiet)
    quiet: bool


@dataclass(frozen=True, slots=True)
class BeatState:
    last_seen: float | None
    alive: bool
    #: whether anything depends on it (sources are configured, and a broker runs the beat)
    needed: bool


@dataclass(frozen=True, slots=True)
class StatusReport:
    at: float
    #: "embedded" (the worker lives inside `syndicate run`) or the broker's masked URL
    broker: str
    embedded: bool
    #: False when the workers could not be asked (the broker does not support it)
    workers_asked: bool
    workers: tuple[WorkerState, ...]
    queues: tuple[QueueState, ...]
    stages: tuple[StageFlow, ...]
    beat: BeatState
    #: the newest dead letters (all of them unless the caller asked for fewer)
    dead_letters: tuple[DeadLetter, ...]
    dead_letter_count: int
    partners: tuple[PartnerState, ...]
    sources: tuple[SourceState, ...]
    #: what needs attention, one sentence each (empty when all is well)
    attention: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.attention

    def roles_online(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for w in self.workers:
            if w.online:
                out[w.role] = out.get(w.role, 0) + 1
        return out

    def to_json(self) -> dict[str, object]:
        """A plain structure for ``syndicate status --json`` (times as ISO 8601, UTC)."""
        return {
            "ok": self.ok,
            "attention": list(self.attention),
            "at": iso(self.at),
            "broker": self.broker,
            "embedded": self.embedded,
            "workers_asked": self.workers_asked,
            "roles_online": self.roles_online(),
            "workers": [{"node": w.node, "role": w.role, "state": w.state, "queues": list(w.queues),
                         "seen": iso(w.seen), "stopped": iso(w.stopped)} for w in self.workers],
            "queues": [{"name": q.name, "depth": q.depth, "consumers": list(q.consumers)}
                       for q in self.queues],
            "stages": {s.stage: {o.outcome: {"last_15_min": o.total, "per_minute": list(o.per_minute)}
                                 for o in s.outcomes} for s in self.stages},
            "beat": {"last_seen": iso(self.beat.last_seen), "alive": self.beat.alive,
                     "needed": self.beat.needed},
            "dead_letter_count": self.dead_letter_count,
            "dead_letters": [{"id": d.id, "task": d.task, "guid": d.guid, "time": d.at,
                              "error": f"{d.error_type}: {d.error}"} for d in self.dead_letters],
            "partners": [{"id": p.id, "last_delivery": iso(p.last_delivery),
                          "failures_last_15_min": p.failures_recent} for p in self.partners],
            "sources": [{"name": s.name, "last_arrival": iso(s.last_arrival),
                         "quiet_after_seconds": s.quiet_after, "quiet": s.quiet}
                        for s in self.sources],
        }


def iso(t: float | None) -> str | None:
    if t is None:
        return None
    return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")


def ago(t: float | None, now: float) -> str:
    """ "never", or how long before ``now``: "12 s ago", "5 min ago", "3 h ago", "2 d ago"."""
    if t is None:
        return "never"
    s = max(0.0, now - t)
    if s < 120:
        return f"{s:.0f} s ago"
    if s < 7200:
        return f"{s / 60:.0f} min ago"
    if s < 172800:
        return f"{s / 3600:.0f} h ago"
    return f"{s / 86400:.0f} d ago"


def duration(seconds: float) -> str:
    if seconds % 3600 == 0:
        return f"{seconds / 3600:g}h"
    if seconds % 60 == 0:
        return f"{seconds / 60:g}m"
    return f"{seconds:g}s"


# --------------------------------------------------------------------------------------
# reaching the store and the broker


def reach_redis(url: str, timeout: float = 2.0) -> str | None:
    """None when the Redis at ``url`` answers a PING within ``timeout``, else why not."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
        return None
    except redis.exceptions.RedisError as exc:
        return str(exc) or type(exc).__name__
    finally:
        client.close()


def reach_broker(s: Settings, timeout: float = 2.0) -> str | None:
    """None when the broker answers (the embedded one always does), else why not."""
    if s.broker_url is None:
        return None
    if s.broker_url.startswith(("redis://", "rediss://")):
        return reach_redis(s.broker_url, timeout)
    from syndicate import tasks

    try:
        with tasks.app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # any transport's failure means the same here
        return f"{type(exc).__name__}: {exc}"
    return None


def reach_store(s: Settings, timeout: float = 2.0) -> str | None:
    """None when the state store answers, else why not."""
    if s.state_url:
        return reach_redis(s.state_url, timeout)
    from syndicate.store import open_store

    try:
        store = open_store(None, s.prefix, s.sqlite_path)
        try:
            store.ping()
        finally:
            store.close()
    except Exception as exc:  # sqlite3 errors and OSError alike
        return f"{type(exc).__name__}: {exc}"
    return None


def require_reachable(s: Settings, timeout: float = 2.0) -> None:
    """Raise :class:`Unreachable` naming the store or broker that does not answer."""
    problem = reach_store(s, timeout)
    if problem is not None:
        where = mask_url(s.state_url) if s.state_url else str(s.sqlite_path)
        raise Unreachable(f"the state store {where} is unreachable: {problem}")
    problem = reach_broker(s, timeout)
    if problem is not None:
        assert s.broker_url is not None
        raise Unreachable(f"the broker {mask_url(s.broker_url)} is unreachable: {problem}")


# --------------------------------------------------------------------------------------
# queues and workers


def queue_depths(s: Settings, names: Sequence[str]) -> dict[str, int | None]:
    """Messages waiting per queue (reserved and running ones are not counted)."""
    if s.broker_url is None:
        folder = s.broker_dir / "queue"
        files = os.listdir(folder) if folder.is_dir() else []
        return {n: sum(1 for f in files if f.partition(".")[2] == f"{n}.msg") for n in names}
    if s.broker_url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(s.broker_url, socket_timeout=5, socket_connect_timeout=5)
        try:
            pipe = client.pipeline(transaction=False)
            for n in names:
                # kombu keeps one list per priority step besides the queue's own
                for key in (n, *(f"{n}\x06\x16{p}" for p in (3, 6, 9))):
                    pipe.llen(f"{s.broker_key_prefix}{key}")
            lengths = pipe.execute()
        except redis.exceptions.RedisError as exc:
            raise Unreachable(f"the broker {mask_url(s.broker_url)} is unreachable: {exc}") from exc
        finally:
            client.close()
        return {n: sum(lengths[i * 4:(i + 1) * 4]) for i, n in enumerate(names)}
    from syndicate import tasks

    out: dict[str, int | None] = {}
    with tasks.app.connection_for_write() as conn:
        for n in names:
            try:
                out[n] = conn.default_channel.queue_declare(n, passive=True).message_count
            except Exception:  # a queue nobody has declared yet is empty
                out[n] = 0
    return out


#: node name -> the queues it consumes; None when workers cannot be asked
Inspector = Callable[[float], dict[str, tuple[str, ...]] | None]


def inspect_workers(timeout: float) -> dict[str, tuple[str, ...]] | None:
    """The workers that answer within ``timeout`` seconds, with the queues they consume."""
    from syndicate import tasks

    try:
        replies = tasks.app.control.inspect(timeout=timeout).active_queues()
    except Exception:  # a broker without broadcast (the embedded one on some systems)
        return None
    return {node: tuple(sorted(str(q["name"]) for q in queues))
            for node, queues in (replies or {}).items()}


def _role_of(queues: tuple[str, ...], s: Settings) -> str:
    from syndicate.tasks.broker import queue_name
    from syndicate.tasks.roles import roles

    have = set(queues)
    for name, role in roles().items():
        if have == {queue_name(s, q) for q in role.queues}:
            return name
    translate = queue_name(s, "translate")
    if have and all(q.startswith(translate) for q in have):
        return "translate"
    return "other"


# --------------------------------------------------------------------------------------
# the report


def gather(
    settings: Settings,
    config: PipelineConfig,
    store: Store,
    *,
    inspector: Inspector | None = inspect_workers,
    timeout: float = 1.0,
    depths: Callable[[Sequence[str]], dict[str, int | None]] | None = None,
    now: float | None = None,
    dead_letter_limit: int | None = None,
) -> StatusReport:
    """The deployment as it stands: ``store`` and the broker must answer (check first with
    :func:`require_reachable`); ``inspector`` None leaves the workers unasked."""
    from syndicate.tasks.operations import all_queues

    t = time.time() if now is None else now
    s = settings
    names = all_queues(s)
    depth = (depths or (lambda n: queue_depths(s, n)))(names)
    replies = inspector(timeout) if inspector is not None else None
    seen = {w.node: w for w in store.workers_seen()}
    workers = _workers(replies, seen, s, store, t)
    consumers: dict[str, list[str]] = {n: [] for n in names}
    for w in workers:
        if w.online:
            for q in w.queues:
                consumers.setdefault(q, []).append(w.node)
    queues = tuple(QueueState(n, depth.get(n), tuple(consumers.get(n, ()))) for n in names)

    pairs = [(st, o) for st, outs in STAGE_OUTCOMES.items() for o in outs]
    counts = store.outcome_counts(pairs, t)
    stages = tuple(StageFlow(st, tuple(OutcomeRate(o, tuple(counts[(st, o)])) for o in outs))
                   for st, outs in STAGE_OUTCOMES.items())

    beat_seen = store.beat_last_seen()
    beat_limit = max(60.0, 3 * s.poll_interval)
    beat = BeatState(beat_seen, beat_seen is not None and t - beat_seen <= beat_limit,
                     needed=bool(config.sources) and not s.embedded)

    letters = sorted(store.dead_letters(), key=lambda d: d.at, reverse=True)
    n_dead = len(letters)

    ids = [p.id for p in config.partners]
    last = store.partner_last_deliveries(ids)
    failures = store.partner_recent_failures(ids, t)
    partners = tuple(PartnerState(p, last[p], failures[p]) for p in ids)

    source_names = [c.key(i) for i, c in enumerate(config.sources)]
    arrivals = store.source_last_arrivals(source_names)
    sources = tuple(_source_state(name, arrivals[name], c.quiet_after, t)
                    for name, c in zip(source_names, config.sources, strict=True))

    report = StatusReport(
        at=t, broker="embedded" if s.embedded else mask_url(s.broker_url or ""),
        embedded=s.embedded, workers_asked=replies is not None, workers=workers, queues=queues,
        stages=stages, beat=beat, dead_letters=tuple(letters[:dead_letter_limit]),
        dead_letter_count=n_dead, partners=partners, sources=sources)
    return _with_attention(report, beat_limit)


def _source_state(name: str, last: float | None, quiet_after: float, now: float) -> SourceState:
    return SourceState(name, last, quiet_after, last is not None and now - last > quiet_after)


def _workers(replies: dict[str, tuple[str, ...]] | None, seen: dict[str, WorkerSighting],
             s: Settings, store: Store, t: float) -> tuple[WorkerState, ...]:
    out = []
    for node, queues in sorted((replies or {}).items()):
        known = seen.get(node)
        role = known.role if known is not None and known.role != "all" else _role_of(queues, s)
        out.append(WorkerState(node, role, queues, True, t))
        with contextlib.suppress(SyndicateError):
            # remembered as seen now, so that it can be named if it stops answering
            store.note_worker(node, role, list(queues), t)
    if replies is not None:
        for node, w in sorted(seen.items()):
            if node not in replies:
                out.append(WorkerState(node, w.role, w.queues, False, w.seen, w.stopped))
    return tuple(out)


def _with_attention(r: StatusReport, beat_limit: float) -> StatusReport:
    out: list[str] = []
    if r.workers_asked and not r.embedded:
        for q in r.queues:
            if not q.consumers:
                waiting = f" ({q.depth} waiting)" if q.depth else ""
                out.append(f"queue {q.name} has no worker consuming it{waiting}")
        online = [w for w in r.workers if w.online]
        for w in r.workers:
            if w.online or w.stopped is not None:
                continue
            # replaced: a worker of the same role came up after this one was last seen
            if not any(o.role == w.role and (o.seen or 0) > (w.seen or 0) for o in online):
                out.append(f"worker {w.node} ({w.role}) stopped answering without shutting "
                           f"down (last seen {ago(w.seen, r.at)})")
    if r.beat.needed and not r.beat.alive:
        out.append(f"the beat's poll of the sources has not run for over {beat_limit:.0f} s "
                   f"(last {ago(r.beat.last_seen, r.at)}): is the beat, or every ingest worker, down?")
    if r.dead_letter_count:
        out.append(f"{r.dead_letter_count} dead letter(s) wait: `syndicate dead-letters`, then "
                   "`syndicate replay ID` after the fix")
    for p in r.partners:
        if p.failures_recent:
            out.append(f"partner {p.id}: {p.failures_recent} failed deliveries in the last "
                       "15 minutes")
    for src in r.sources:
        if src.quiet:
            out.append(f"source {src.name}: nothing arrived for longer than "
                       f"{duration(src.quiet_after)} (last {ago(src.last_arrival, r.at)})")
    return dataclasses.replace(r, attention=tuple(out))


# --------------------------------------------------------------------------------------
# readiness: /readyz of the feed server and the push endpoint


@dataclass(frozen=True, slots=True)
class ReadyCheck:
    """One dependency of a server: ``probe`` returns None when it is fine, else why not.
    A check that is not ``required`` is reported but never makes the server unready."""

    name: str
    probe: Callable[[], str | None]
    required: bool = True


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    #: (name, "ok" or the problem), in the order checked
    checks: tuple[tuple[str, str], ...]

    def to_json(self) -> dict[str, object]:
        return {"status": "ready" if self.ready else "unready", "checks": dict(self.checks)}


def readiness(checks: Sequence[ReadyCheck]) -> Readiness:
    ready = True
    out = []
    for c in checks:
        try:
            problem = c.probe()
        except Exception as exc:  # a probe that raises says the same as one that reports
            problem = f"{type(exc).__name__}: {exc}"
        if problem is not None and c.required:
            ready = False
        out.append((c.name, "ok" if problem is None else
                    problem if c.required else f"{problem} (not needed to serve)"))
    return Readiness(ready, tuple(out))


def store_probe(store: Store) -> Callable[[], str | None]:
    def probe() -> str | None:
        try:
            store.ping()
        except Exception as exc:  # a driver error of any kind means the same to a probe
            return f"the state store is unreachable: {exc}"
        return None

    return probe


def config_probe(role: str, config: PipelineConfig, settings: Settings, store: Store
                 ) -> Callable[[], str | None]:
    """The loaded configuration still passes the role's check (tokens and secrets are read
    from the environment)."""
    def probe() -> str | None:
        from syndicate import checks

        problems = checks.check(role, config, settings, store=store)
        return "; ".join(str(p) for p in problems) or None

    return probe
