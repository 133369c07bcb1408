"""The feed server's ``/metrics``: its own process, plus gauges of the whole cluster read at
scrape from the broker and the state store, each from a few small keys (the cost does not grow
with the history of deliveries or dead letters)."""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

from syndicate.metrics import SENT_AT_HEADER
from syndicate.partners import PipelineConfig
from syndicate.store import Store

log = logging.getLogger("syndicate.web.metrics")

OPERATOR_TOKEN_ENV = "SYNDICATE_OPERATOR_TOKEN"
#: how long the answer of the workers (who consumes which queue) is reused
CONSUMERS_TTL = 10.0
#: how long the feed server waits for the workers to answer
INSPECT_TIMEOUT = 1.0


def operator_denied(request: Request, environ: Mapping[str, str]) -> Response | None:
    """None when the request carries the operator token; else the answer to give it (503 when
    no token is configured: these pages are never open)."""
    token = environ.get(OPERATOR_TOKEN_ENV, "")
    if not token:
        return JSONResponse({"status": 503, "detail": f"{OPERATOR_TOKEN_ENV} is not set: the "
                             "operator endpoints stay closed until it is"}, status_code=503)
    scheme, _, offered = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(offered.strip().encode(),
                                                             token.encode()):
        return JSONResponse({"status": 401, "detail": "send the operator token as "
                             "'Authorization: Bearer <token>'"}, status_code=401,
                            headers={"WWW-Authenticate": 'Bearer realm="syndicate-operator"'})
    return None


# --------------------------------------------------------------------------------------
# the broker


@dataclass(frozen=True, slots=True)
class QueueState:
    name: str
    depth: int
    #: seconds the oldest waiting message has waited (None: empty, or its send time unknown)
    oldest_age: float | None


class BrokerProbe(Protocol):
    def queues(self) -> list[QueueState]: ...

    def consumers(self) -> dict[str, list[str]] | None:
        """Per worker node, the queues it consumes (None: the workers could not be asked)."""
        ...


def sent_at(message: bytes | str) -> float | None:
    """The send time a kombu message carries in its headers (see ``tasks.jobs.publish``)."""
    try:
        value = json.loads(message).get("headers", {}).get(SENT_AT_HEADER)
        return float(value) if value is not None else None
    except (ValueError, TypeError, AttributeError):
        return None


class RedisBrokerProbe:
    """Queue lengths with LLEN and the oldest message (the list's tail) with LINDEX: two reads
    per queue whatever its length."""

    def __init__(self, url: str, key_prefix: str, names: Callable[[], list[str]],
                 inspect: Callable[[], dict[str, list[str]] | None]) -> None:
        import redis

        self.r = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.key_prefix = key_prefix
        self.names = names
        self._inspect = inspect

    def queues(self) -> list[QueueState]:
        names = self.names()
        pipe = self.r.pipeline(transaction=False)
        for n in names:
            # kombu pushes on the left and takes from the right: the oldest is at -1
            pipe.llen(self.key_prefix + n)
            pipe.lindex(self.key_prefix + n, -1)
        got = pipe.execute()
        now = time.time()
        out = []
        for i, n in enumerate(names):
            depth, oldest = int(got[2 * i]), got[2 * i + 1]
            sent = sent_at(oldest) if oldest is not None else None
            out.append(QueueState(n, depth, max(0.0, now - sent) if sent is not None else None))
        return out

    def consumers(self) -> dict[str, list[str]] | None:
        return self._inspect()


class FolderBrokerProbe:
    """The embedded broker: one file per message, named after its queue."""

    def __init__(self, folder: Path, names: Callable[[], list[str]],
                 inspect: Callable[[], dict[str, list[str]] | None]) -> None:
        self.folder = folder
        self.names = names
        self._inspect = inspect

    def queues(self) -> list[QueueState]:
        names = self.names()
        files = list(os.scandir(self.folder)) if self.folder.is_dir() else []
        now = time.time()
        out = []
        for n in names:
            mine = [f for f in files if f.name.partition(".")[2] == f"{n}.msg"]
            ages = []
            for f in mine:
                try:
                    ages.append(now - f.stat().st_mtime)
                except OSError:  # taken between the listing and the look
                    continue
            out.append(QueueState(n, len(mine), max(ages) if ages else None))
        return out

    def consumers(self) -> dict[str, list[str]] | None:
        return self._inspect()


class CachedInspect:
    """Asks the workers which queues they consume, at most once every ``ttl`` seconds.

    Asking takes the whole inspect timeout (celery waits for every worker that may answer), so
    after the first answer a stale one is refreshed in the background and a scrape never waits.
    """

    def __init__(self, ask: Callable[[], dict[str, list[str]] | None],
                 ttl: float = CONSUMERS_TTL) -> None:
        self.ask = ask
        self.ttl = ttl
        self._at: float | None = None
        self._value: dict[str, list[str]] | None = None
        self._lock = threading.Lock()
        self._refreshing = False

    def _refresh(self) -> None:
        try:
            value = self.ask()
        except Exception as exc:  # the broker being down must not take /metrics down
            log.warning("could not ask the workers for their queues: %s", exc)
            value = None
        with self._lock:
            self._value, self._at, self._refreshing = value, time.monotonic(), False

    def __call__(self) -> dict[str, list[str]] | None:
        with self._lock:
            first = self._at is None
            stale = first or time.monotonic() - (self._at or 0.0) >= self.ttl
            start = stale and not self._refreshing
            if start:
                self._refreshing = True
        if first and start:
            self._refresh()
        elif start:
            threading.Thread(target=self._refresh, daemon=True, name="syndicate-inspect").start()
        with self._lock:
            return self._value


def celery_active_queues() -> dict[str, list[str]] | None:
    from syndicate import tasks

    replies = tasks.app.control.inspect(timeout=INSPECT_TIMEOUT).active_queues()
    if replies is None:
        return {}  # asked, and no worker answered
    return {node: [str(q["name"]) for q in queues] for node, queues in replies.items()}


def role_of(queues: Iterable[str], prefix: str) -> str:
    """The worker role a node's queues show (see ``tasks.roles``)."""
    bases = {q.removeprefix(prefix) for q in queues}
    routine = {b for b in bases if not b.endswith(".urgent")}
    has_translate = any(b == "translate" or b.startswith("translate.") for b in routine)
    if "ingest" in routine and (has_translate or "export" in routine):
        return "all"
    if not routine:
        return "urgent"
    if "ingest" in routine:
        return "ingest"
    if has_translate:
        return "translate"
    if "export" in routine:
        return "export"
    return "other"


def default_queue_names() -> list[str]:
    from syndicate import tasks
    from syndicate.pipeline import URGENT
    from syndicate.tasks.broker import lane_queue

    s = tasks.settings
    bases = ["ingest", "translate", *(f"translate.{p}" for p in tasks.dedicated_pairs()), "export"]
    lanes = [lane_queue(b, URGENT) for b in bases if b != "ingest"]
    return [tasks.queue_name(s, q) for q in (*bases, *lanes)]


def broker_probe_from_settings() -> BrokerProbe | None:
    from syndicate import tasks

    s = tasks.settings
    inspect = CachedInspect(celery_active_queues)
    if s.embedded:
        return FolderBrokerProbe(s.broker_dir / "queue", default_queue_names, inspect)
    if s.broker_url and s.broker_url.startswith(("redis://", "rediss://")):
        return RedisBrokerProbe(s.broker_url, s.broker_key_prefix, default_queue_names, inspect)
    return None


# --------------------------------------------------------------------------------------
# the gauges


class ClusterCollector(Collector):
    """The cluster gauges, read at each scrape."""

    def __init__(self, config: PipelineConfig, store: Store, broker: BrokerProbe | None,
                 queue_prefix: str = "", now: Callable[[], float] = time.time) -> None:
        self.config = config
        self.store = store
        self.broker = broker
        self.queue_prefix = queue_prefix
        self.now = now

    def collect(self) -> Iterable[GaugeMetricFamily]:
        yield from self._store_gauges()
        if self.broker is not None:
            yield from self._broker_gauges(self.broker)

    def _store_gauges(self) -> Iterable[GaugeMetricFamily]:
        try:
            dead = self.store.dead_letter_count()
            sources = {cfg.key(i): cfg.quiet_after for i, cfg in enumerate(self.config.sources)}
            arrivals = self.store.source_last_arrivals(list(sources))
            partners = [p.id for p in self.config.partners]
            delivered = self.store.partner_last_deliveries(partners)
            failures = self.store.partner_recent_failures(partners, self.now())
        except Exception as exc:  # no gauge at all beats a wrong one; Prometheus sees them go
            log.warning("state store unreadable for the metrics: %s", exc)
            return
        yield GaugeMetricFamily("syndicate_dead_letters",
                                "Tasks that failed for good and wait for a replay.", value=dead)
        last = GaugeMetricFamily("syndicate_source_last_arrival_timestamp_seconds",
                                 "When an input of the source last arrived (Unix time).",
                                 labels=["source"])
        quiet = GaugeMetricFamily("syndicate_source_quiet_after_seconds",
                                  "How long the source may stay without an arrival "
                                  "(quiet_after).", labels=["source"])
        for name, after in sources.items():
            quiet.add_metric([name], after)
            at = arrivals[name]
            if at is not None:
                last.add_metric([name], at)
        yield last
        yield quiet
        delivery = GaugeMetricFamily("syndicate_partner_last_delivery_timestamp_seconds",
                                     "When a delivery to the partner last succeeded (Unix time).",
                                     labels=["partner"])
        failed = GaugeMetricFamily("syndicate_partner_failures_recent",
                                   "Failed delivery attempts to the partner in the last "
                                   f"{Store.RECENT_MINUTES} minutes.", labels=["partner"])
        for p in partners:
            at = delivered[p]
            if at is not None:
                delivery.add_metric([p], at)
            failed.add_metric([p], failures[p])
        yield delivery
        yield failed

    def _broker_gauges(self, broker: BrokerProbe) -> Iterable[GaugeMetricFamily]:
        try:
            queues = broker.queues()
        except Exception as exc:
            log.warning("queue depths unavailable: %s", exc)
            queues = []
        depth = GaugeMetricFamily("syndicate_queue_depth", "Messages waiting in the queue "
                                  "(taken and running ones not counted).", labels=["queue"])
        age = GaugeMetricFamily("syndicate_queue_oldest_age_seconds", "How long the oldest "
                                "waiting message has waited (0: none waits).", labels=["queue"])
        names = []
        for q in queues:
            name = q.name.removeprefix(self.queue_prefix)
            names.append((q.name, name))
            depth.add_metric([name], q.depth)
            if q.oldest_age is not None or q.depth == 0:
                age.add_metric([name], q.oldest_age or 0.0)
        if queues:
            yield depth
            yield age
        nodes = broker.consumers()
        if nodes is None:
            return
        consumers = GaugeMetricFamily("syndicate_queue_consumers", "Worker nodes consuming the "
                                      "queue.", labels=["queue"])
        counts = {full: 0 for full, _ in names}
        for node_queues in nodes.values():
            for queue in set(node_queues):
                counts[queue] = counts.get(queue, 0) + 1
        for full, n in counts.items():
            consumers.add_metric([full.removeprefix(self.queue_prefix)], n)
        yield consumers
        online = GaugeMetricFamily("syndicate_workers_online", "Worker nodes answering, per "
                                   "role.", labels=["role"])
        roles: dict[str, int] = dict.fromkeys(("ingest", "translate", "export", "urgent", "all"), 0)
        for qs in nodes.values():
            role = role_of(qs, self.queue_prefix)
            roles[role] = roles.get(role, 0) + 1
        for role, n in roles.items():
            online.add_metric([role], n)
        yield online


class MetricsEndpoint:
    """What ``/metrics`` serves: this process's metrics and the cluster gauges."""

    def __init__(self, config: PipelineConfig, store: Store, broker: BrokerProbe | None,
                 queue_prefix: str = "") -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        self.registry.register(ClusterCollector(config, store, broker, queue_prefix))

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
