"""What each worker process sets up: its runtime (settings, configuration and store, once per
process and after any fork), logging, model preloading, the ledger sweep and stale-file clean-up."""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from celery import signals

from syndicate import ledger, logs, metrics
from syndicate.partners import PipelineConfig, cached_config
from syndicate.pipeline import Runtime
from syndicate.settings import get_settings
from syndicate.store import open_store
from syndicate.tasks.roles import ROLE_ENV

log = logging.getLogger("syndicate.tasks")


@dataclass
class _Process:
    runtime: Runtime | None = None
    pid: int = 0


_proc = _Process()
_proc_lock = threading.Lock()


def runtime() -> Runtime:
    """This process's configuration and store (opened once per process, after any fork)."""
    with _proc_lock:
        if _proc.runtime is None or _proc.pid != os.getpid():
            s = get_settings()
            config = cached_config(str(s.config_path.resolve()))
            store = open_store(s.state_url, s.prefix, s.sqlite_path)
            _proc.runtime = Runtime(config=config, store=store, lock_ttl=s.delivery_lock_ttl,
                                    settings=s)
            _proc.pid = os.getpid()
        return _proc.runtime


@signals.setup_logging.connect
def _setup_logging(**kw: Any) -> None:
    # workers log one JSON object per line (guid, version, partner, language attached)
    logs.configure(get_settings().log_level)


@signals.worker_init.connect
def _check_at_start(**kw: Any) -> None:
    # a bad configuration or an unreachable store stops the worker now, not at its first task
    rt = runtime()
    rt.store.ping()
    log.info("worker ready: %s", rt.settings.describe())
    _prepare_metrics(kw.get("sender"), rt)


_exporter: metrics.ExporterSettings | None = None


def _prepare_metrics(worker: Any, rt: Runtime) -> None:
    # before the pool forks: its children inherit the metrics directory
    global _exporter
    node = str(getattr(worker, "hostname", "") or f"worker-{os.getpid()}")
    settings = metrics.ExporterSettings.from_env(rt.settings.data_dir, node)
    _exporter = settings if metrics.prepare_worker(settings) else None


@signals.worker_ready.connect
def _start_exporter(**kw: Any) -> None:
    if _exporter is None:
        return
    try:
        port = metrics.start_exporter(_exporter)
    except OSError as exc:  # the worker still works; Prometheus shows its target down
        log.error("metrics exporter not started on %s:%d: %s (set %s to a free port, 0 for "
                  "none)", _exporter.host, _exporter.port, exc, metrics.PORT_ENV)
        return
    log.info("metrics on http://%s:%d/metrics (files in %s)", _exporter.host, port,
             _exporter.directory)


@signals.worker_process_shutdown.connect
def _pool_process_gone(pid: int | None = None, **kw: Any) -> None:
    metrics.process_gone(pid or os.getpid())


_sweep_thread: ledger.SweepThread | None = None


@signals.worker_ready.connect
def _start_sweeping(**kw: Any) -> None:
    # every worker keeps the ledger moving (one sweep at a time across them all), so nothing
    # depends on beat or `syndicate run` being up to send what a broker lost
    global _sweep_thread
    if _sweep_thread is None:
        from syndicate.tasks.operations import ledger_times, make_sweeper

        _sweep_thread = ledger.SweepThread(make_sweeper, ledger_times().sweep_every)
        _sweep_thread.start()
    if os.environ.get(ROLE_ENV) in ("export", "all"):
        threading.Thread(target=remove_stale_parts, daemon=True, name="syndicate-parts").start()


def _node_and_queues(sender: Any) -> tuple[str, list[str]]:
    node = str(getattr(sender, "hostname", "") or "")
    try:
        queues = sorted(q.name for q in sender.task_consumer.queues)
    except Exception:  # not started yet, or a consumer of another shape: the role says enough
        queues = []
    return node, queues


@signals.worker_ready.connect
def _note_started(sender: Any = None, **kw: Any) -> None:
    # remembered, so that `syndicate status` can name a worker that stops answering
    node, queues = _node_and_queues(sender)
    role = os.environ.get(ROLE_ENV, "all")

    def note() -> None:
        try:
            runtime().store.note_worker(node, role, queues)
        except Exception as exc:
            log.warning("could not record this worker as seen: %s", exc)

    def keep_noting() -> None:
        # the sighting lasts a day: renewed hourly, so a long-running worker stays known
        while not _stop_noting.wait(3600):
            note()

    note()
    threading.Thread(target=keep_noting, daemon=True, name="syndicate-sighting").start()


_stop_noting = threading.Event()


@signals.worker_shutdown.connect
def _note_stopped(sender: Any = None, **kw: Any) -> None:
    _stop_noting.set()
    node = str(getattr(sender, "hostname", "") or "")
    try:
        runtime().store.note_worker_stopped(node)
    except Exception as exc:
        log.warning("could not record this worker as stopped: %s", exc)


def remove_stale_parts() -> int:
    """Partial files a killed export worker left under the partners' folders go (the ones of
    live writers stay)."""
    from syndicate.destinations import create

    removed = 0
    for partner in runtime().config.partners:
        for dest in partner.destinations:
            if dest.type != "directory":
                continue
            try:
                found = create(dest.type, dest.options()).remove_stale_parts()  # type: ignore[attr-defined]
            except Exception as exc:  # a folder that cannot be read: the check reports it
                log.warning("could not look for partial files of %s: %s", partner.id, exc)
                continue
            for path in found:
                log.info("removed %s, left by an export worker killed while writing it", path)
            removed += len(found)
    return removed


def _reset_after_fork() -> None:
    # a pool process forked while another thread held this lock would wait on it forever
    global _proc_lock
    _proc_lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_after_fork)


@signals.worker_process_init.connect
def _process_init(**kw: Any) -> None:
    _proc.runtime = None  # a fresh store connection in each child
    if os.environ.get(ROLE_ENV) in ("translate", "all", "urgent"):
        preload_models(runtime().config)


def preload_models(config: PipelineConfig) -> None:
    """Load the translation models this process will need once, before the first task."""
    from syndicate.translate import preload

    for src, tgt in _configured_pairs(config):
        try:
            preload(src, tgt, config.translation)
        except Exception as exc:  # reported again, precisely, by the first task that needs it
            log.warning("could not preload the %s->%s models: %s", src, tgt, exc)


def _configured_pairs(config: PipelineConfig) -> list[tuple[str, str]]:
    pinned = os.environ.get("SYNDICATE_TRANSLATE_PAIRS")
    if pinned:
        return [tuple(p.split("-", 1)) for p in pinned.split(",") if "-" in p]  # type: ignore[misc]
    src = config.ingest.language or "en"
    return [(src, t) for t in config.target_languages(src)]


