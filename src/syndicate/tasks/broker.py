"""The Celery app and its broker: queues, routing, the transports syndicate runs on.

Importing it creates no folder and opens no store: the embedded broker's folders are made
when its transport first opens a channel, and routing reads the cached configuration.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from typing import Any

from celery import Celery
from kombu import Exchange, Queue
from kombu.exceptions import OperationalError as KombuOperationalError
from kombu.transport import filesystem as _fs
from kombu.transport import redis as _kredis
from kombu.utils.json import dumps as kombu_dumps
from redis import exceptions as _redis_errors

from syndicate.partners import cached_config
from syndicate.pipeline import TranslateJob, job_from_payload
from syndicate.settings import Settings, get_settings

log = logging.getLogger("syndicate.tasks")


def queue_name(settings: Settings, base: str) -> str:
    return f"{settings.queue_prefix}{base}"


class _AtomicFilesystemChannel(_fs.Channel):
    """kombu's filesystem channel, writing each message under a temporary name first.

    kombu writes the message file in place, so a consumer listing the folder at that instant
    can take an empty file and stop the worker with a decoding error. The temporary name
    (leading dot, ``.tmp`` suffix) matches no queue, and the rename is atomic.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for folder in (self.data_folder_in, self.data_folder_out, self.control_folder,
                       self.processed_folder):
            if folder:
                os.makedirs(folder, exist_ok=True)

    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        name = f"{round(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        tmp = os.path.join(self.data_folder_out, f".{name}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(kombu_dumps(payload).encode("utf-8"))
            os.replace(tmp, final)
        except OSError as exc:
            raise KombuOperationalError(f"cannot queue a message in {final}: {exc}") from exc


class AtomicFilesystemTransport(_fs.Transport):
    Channel = _AtomicFilesystemChannel


class _ResilientRedisQoS(_kredis.QoS):
    """kombu's Redis QoS, whose give-back of unacknowledged messages survives a lost broker.

    When Redis goes away, the worker's consumer collects the broken connection (its transport
    forgets the client) and then closes the channels; a channel's close gives back the
    messages it holds, which needs a connection again and fails with AttributeError
    ('NoneType' object has no attribute 'hostname') or a connection error. kombu lets that
    escape as an "Unrecoverable error" and the worker exits. Nothing needs giving back by
    hand: those messages are still in Redis's unacknowledged set, which the visibility timeout
    restores (and the ledger re-sends what is not there), so the failure is logged and the
    worker reconnects.
    """

    def restore_unacked_once(self, stderr: Any = None) -> Any:
        try:
            return super().restore_unacked_once(stderr)
        except (AttributeError, OSError, _redis_errors.RedisError) as exc:
            log.warning("could not give back %d unacknowledged message(s) on a lost broker "
                        "connection (%r); Redis restores them after the visibility timeout",
                        len(self._delivered or ()), exc)
            return None

    # A task that ends after its broker connection was lost and re-made is acknowledged (or
    # rejected) on the channel it came from, closed since: kombu reaches for the channel's
    # connection, gone, and the AttributeError stops the worker. The message is still in
    # Redis's unacknowledged set: the visibility timeout gives it back, and the ledger turns
    # away the copy of a finished task (a retry waits in the ledger anyway).
    def _lost(self, what: str, delivery_tag: Any) -> bool:
        if self.channel.closed or self.channel.connection is None:
            log.warning("cannot %s message %s: its broker connection was lost; Redis gives it "
                        "back after the visibility timeout", what, delivery_tag)
            return True
        return False

    def ack(self, delivery_tag: Any) -> Any:
        if self._lost("acknowledge", delivery_tag):
            return None
        return super().ack(delivery_tag)

    def reject(self, delivery_tag: Any, requeue: bool = False) -> Any:
        if self._lost("reject", delivery_tag):
            return None
        return super().reject(delivery_tag, requeue)


class _ResilientRedisChannel(_kredis.Channel):
    QoS = _ResilientRedisQoS


class ResilientRedisTransport(_kredis.Transport):
    """kombu's Redis transport with :class:`_ResilientRedisQoS`."""

    Channel = _ResilientRedisChannel


def broker_settings(settings: Settings) -> tuple[str, dict[str, Any]]:
    """The broker URL and transport options: Redis (or another broker), or the embedded one."""
    if settings.broker_url:
        opts: dict[str, Any] = {"visibility_timeout": settings.visibility_timeout}
        if settings.broker_url.startswith(("redis://", "rediss://")):
            opts.update(socket_timeout=10, socket_connect_timeout=5, retry_on_timeout=True,
                        health_check_interval=15)
            # look for tasks of dead workers every few seconds (kombu's default sweep runs
            # every 100 s, long after a short visibility timeout has passed)
            opts.update(unacked_restore_interval=max(1, min(10, settings.visibility_timeout // 4)),
                        unacked_restore_throttle=1,
                        # a worker killed inside a sweep leaves the sweep mutex behind; it must
                        # not block every other worker's sweeps for kombu's default 5 minutes
                        unacked_mutex_expire=min(300, max(5, settings.visibility_timeout)))
            if settings.broker_key_prefix:
                opts["global_keyprefix"] = settings.broker_key_prefix
            # a worker asks for its queues in the order it names them (urgent lanes first),
            # not in turns: a flash never waits for the routine queue's turn
            opts["queue_order_strategy"] = "priority"
        return settings.broker_url, opts
    # the folders are made when the transport first opens a channel, not on import
    folder = (settings.broker_dir).resolve()
    return "filesystem://localhost/", {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "polling_interval": 0.05,
    }


def _transport_for(settings: Settings) -> str | None:
    if settings.broker_url is None:
        return "syndicate.tasks.broker:AtomicFilesystemTransport"
    if settings.broker_url.startswith(("redis://", "rediss://")):
        return "syndicate.tasks.broker:ResilientRedisTransport"
    return None


def _queue(name: str) -> Queue:
    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def make_app(settings: Settings) -> Celery:
    app = Celery("syndicate", set_as_current=True)
    broker, transport_options = broker_settings(settings)
    app.conf.update(
        broker_url=broker,
        broker_transport=_transport_for(settings),
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,
        result_backend=None,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=min(settings.task_soft_time_limit, settings.task_time_limit),
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        worker_hijack_root_logger=False,
        task_default_queue=queue_name(settings, "ingest"),
        # one direct exchange per queue: a message goes to exactly one queue
        task_queues=[_queue(queue_name(settings, q)) for q in ("ingest", "translate", "export")],
        task_create_missing_queues=True,
        task_routes=(route_task,),
        beat_schedule={
            "poll-sources": {
                "task": "syndicate.poll_sources",
                "schedule": settings.poll_interval,
                "options": {"expires": settings.poll_interval * 2},
            },
        },
        timezone="UTC",
        enable_utc=True,
    )
    return app


def dedicated_pairs() -> tuple[str, ...]:
    """Language pairs with a queue of their own, from the configuration (read once)."""
    try:
        s = get_settings()
        return cached_config(str(s.config_path.resolve())).translation.dedicated_queues
    except Exception:  # routing must never fail on a configuration problem: use the shared queue
        return ()


def route_task(name: str, args: Any, kwargs: dict[str, Any], options: Any, task: Any = None,
               **kw: Any) -> dict[str, str]:
    s = get_settings()
    if name == "syndicate.translate":
        job = job_from_payload(TranslateJob, kwargs)
        base = f"translate.{job.pair}" if job.pair in dedicated_pairs() else "translate"
        return {"queue": queue_name(s, lane_queue(base, job.lane))}
    if name == "syndicate.export":
        lane = str(kwargs.get("lane") or "")
        return {"queue": queue_name(s, lane_queue("export", lane))}
    return {"queue": queue_name(s, "ingest")}


def lane_queue(base: str, lane: str) -> str:
    """The queue of ``base``'s ``lane``: "translate.urgent" for urgent translations."""
    return f"{base}.{lane}" if lane else base


settings = get_settings()
app = make_app(settings)
