"""Queues and workers: the Celery side of syndicate. Tasks move jobs; pipeline.py works.

Queues are ``ingest``, ``translate`` (or ``translate.<src>-<tgt>`` for pairs configured as
dedicated, so a worker holds only the models it needs) and ``export``. Every task is
recorded in the ledger (see :mod:`syndicate.ledger`) before it is sent and runs under a
lease; it is acknowledged late and rejected when its worker dies. Transient errors are
retried from the ledger with exponential backoff and jitter; anything that fails for good
lands in the dead letters with its error and payload. With no broker configured the app runs
on kombu's filesystem transport under the data directory (the embedded default).

- :mod:`~syndicate.tasks.broker`: the Celery app, queues, routing and transports;
- :mod:`~syndicate.tasks.jobs`: the tasks (one factory) and the dispatcher of follow-up jobs;
- :mod:`~syndicate.tasks.process`: what each worker process sets up;
- :mod:`~syndicate.tasks.roles`: how each kind of worker is run;
- :mod:`~syndicate.tasks.operations`: the sweep, resuming a run, replays.

``celery -A syndicate.tasks`` finds the app here.
"""

from __future__ import annotations

from syndicate.tasks.broker import (
    AtomicFilesystemTransport,
    ResilientRedisTransport,
    app,
    broker_settings,
    dedicated_pairs,
    queue_name,
    route_task,
    settings,
)
from syndicate.tasks.jobs import (
    TASKS_BY_NAME,
    CeleryDispatcher,
    PipelineTask,
    export_task,
    ingest_task,
    is_transient,
    poll_sources_task,
    publish,
    run_job,
    translate_task,
)
from syndicate.tasks.operations import (
    adopt_pending,
    all_queues,
    broker_ids,
    ledger_times,
    make_sweeper,
    replay,
)
from syndicate.tasks.process import preload_models, remove_stale_parts, runtime
from syndicate.tasks.roles import (
    ROLE_ENV,
    WorkerRole,
    beat_argv,
    role_environment,
    roles,
    worker_argv,
)

__all__ = [
    "ROLE_ENV", "TASKS_BY_NAME", "AtomicFilesystemTransport", "CeleryDispatcher", "PipelineTask",
    "ResilientRedisTransport", "WorkerRole", "adopt_pending", "all_queues", "app", "beat_argv",
    "broker_ids", "broker_settings", "dedicated_pairs", "export_task", "ingest_task",
    "is_transient", "ledger_times", "make_sweeper", "poll_sources_task", "preload_models",
    "publish", "queue_name", "remove_stale_parts", "replay", "role_environment", "roles",
    "route_task", "run_job", "runtime", "settings", "translate_task", "worker_argv",
]
