"""What the pipeline counts and times for Prometheus, and the exporter each worker serves it on.

Workers run prometheus_client in multiprocess mode: every process (a prefork pool's children
too) writes its samples to files in one directory per worker, and the exporter in the worker's
main process adds them up at scrape. prometheus_client is imported on first use only.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("syndicate.metrics")

PORT_ENV = "SYNDICATE_METRICS_PORT"
HOST_ENV = "SYNDICATE_METRICS_HOST"
DIR_ENV = "SYNDICATE_METRICS_DIR"
DEFAULT_PORT = 9808
DEFAULT_HOST = "127.0.0.1"
#: prometheus_client reads it when it is first imported: set before any metric exists
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

#: the message header a task is sent with: its send time (Unix), for the age of a queue's
#: oldest message
SENT_AT_HEADER = "syndicate_sent_at"

#: a stage takes milliseconds (ingest, deliver) to minutes (a long story through Argos)
STAGE_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                 120.0, 300.0)
#: arrival to delivery: seconds when the queues are empty, many minutes under a backlog
END_TO_END_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1200.0,
                      1800.0, 3600.0)


@dataclass(frozen=True)
class ExporterSettings:
    """Where a worker serves its metrics (port 0: it serves none) and where its processes
    write them."""

    port: int
    host: str
    directory: Path

    @classmethod
    def from_env(cls, data_dir: Path, node: str) -> ExporterSettings:
        # one port per role by default, so the README's shape (a worker per role on one
        # machine) starts without two exporters wanting one port
        default = str(DEFAULT_PORT + _ROLE_PORT_OFFSET.get(os.environ.get(_ROLE_ENV, ""), 0))
        raw = os.environ.get(PORT_ENV, default).strip() or default
        if not raw.isdigit() or int(raw) > 65535:
            from syndicate.errors import ConfigError

            raise ConfigError(f"{PORT_ENV}={raw!r}: give a TCP port (0 turns the exporter off)")
        folder = os.environ.get(DIR_ENV) or str(data_dir / "metrics" / _safe(node))
        return cls(int(raw), os.environ.get(HOST_ENV) or DEFAULT_HOST, Path(folder))


_ROLE_ENV = "SYNDICATE_WORKER_ROLE"
#: the default exporter port of each role: 9808 + this
_ROLE_PORT_OFFSET = {"ingest": 0, "translate": 1, "export": 2, "urgent": 3, "all": 4}


def _safe(node: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in node) or "worker"


class _Metrics:
    def __init__(self) -> None:
        from prometheus_client import Counter, Histogram

        self.ingested = Counter("syndicate_items_ingested", "Items ingested (new or a newer "
                                "version), per source and input format.", ["source", "format"])
        self.rejected = Counter("syndicate_items_rejected", "Inputs rejected (dead letter and "
                                "quarantine), per source.", ["source"])
        self.duplicate = Counter("syndicate_items_duplicate", "Items seen before and dropped, "
                                 "per source and input format.", ["source", "format"])
        self.translations = Counter("syndicate_translations", "Items translated, per engine and "
                                    "language pair.", ["engine", "pair"])
        self.sentences = Counter("syndicate_translation_sentences", "Sentences translated, from "
                                 "the sentence cache or an engine.", ["engine", "pair", "origin"])
        self.deliveries = Counter("syndicate_deliveries", "Delivery tasks per partner, "
                                  "destination and outcome (failed counts each failed attempt).",
                                  ["partner", "destination", "outcome"])
        self.stage = Histogram("syndicate_stage_duration_seconds", "Time spent in one pipeline "
                               "stage per task.", ["stage"], buckets=STAGE_BUCKETS)
        self.end_to_end = Histogram("syndicate_end_to_end_seconds", "Arrival at ingest to "
                                    "delivery, per partner (embargoed copy left out).",
                                    ["partner"], buckets=END_TO_END_BUCKETS)


_metrics: _Metrics | None = None
_metrics_lock = threading.Lock()
_enabled = True


def _get() -> _Metrics | None:
    global _metrics
    if not _enabled:
        return None
    if _metrics is None:
        with _metrics_lock:
            if _metrics is None:
                _metrics = _Metrics()
    return _metrics


def disable() -> None:
    """Record nothing in this process (a worker whose exporter is off)."""
    global _enabled
    _enabled = False


def _safely(record: Any) -> None:
    # a metric must never fail the task it measures
    try:
        m = _get()
        if m is not None:
            record(m)
    except Exception as exc:
        log.warning("could not record a metric: %s", exc)


# --------------------------------------------------------------------------------------
# what the pipeline records


def ingested(source: str, fmt: str, new: int, duplicates: int) -> None:
    def rec(m: _Metrics) -> None:
        if new:
            m.ingested.labels(source, fmt).inc(new)
        if duplicates:
            m.duplicate.labels(source, fmt).inc(duplicates)
    _safely(rec)


def rejected(source: str) -> None:
    _safely(lambda m: m.rejected.labels(source).inc())


def translated(engine: str, pair: str, cache_sentences: int, engine_sentences: int) -> None:
    def rec(m: _Metrics) -> None:
        m.translations.labels(engine, pair).inc()
        m.sentences.labels(engine, pair, "cache").inc(cache_sentences)
        m.sentences.labels(engine, pair, "engine").inc(engine_sentences)
    _safely(rec)


def delivery(partner: str, destination: str, outcome: str) -> None:
    _safely(lambda m: m.deliveries.labels(partner, destination, outcome).inc())


def stage_time(stage: str, seconds: float) -> None:
    _safely(lambda m: m.stage.labels(stage).observe(seconds))


def end_to_end(partner: str, seconds: float) -> None:
    _safely(lambda m: m.end_to_end.labels(partner).observe(max(0.0, seconds)))


# --------------------------------------------------------------------------------------
# the worker's exporter


def prepare_worker(settings: ExporterSettings) -> bool:
    """In a worker's main process, before its pool starts: an empty metrics directory, named
    to prometheus_client (its children inherit it). False, recording nothing, when off."""
    if settings.port == 0:
        disable()
        return False
    # the files of a previous run would be added to this one's counts
    shutil.rmtree(settings.directory, ignore_errors=True)
    settings.directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(settings.directory)
    import sys

    if "prometheus_client.values" in sys.modules:
        # imported before the directory was known: switch it to the multiprocess values
        from prometheus_client import values

        values.ValueClass = values.MultiProcessValue()
    return True


def start_exporter(settings: ExporterSettings) -> int:
    """Serve the sum of every process's samples on ``host:port``; returns the port bound."""
    from prometheus_client import CollectorRegistry, start_http_server
    from prometheus_client.multiprocess import MultiProcessCollector

    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=str(settings.directory))
    server, _thread = start_http_server(settings.port, addr=settings.host, registry=registry)
    return int(server.server_port)


def process_gone(pid: int) -> None:
    """A pool process ended: its live gauges are dropped (its counters stay counted)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
