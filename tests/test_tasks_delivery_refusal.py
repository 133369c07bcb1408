"""A destination's refusal goes to the dead letters at once; its hiccups are retried."""

from __future__ import annotations

import celery

from syndicate import tasks
from syndicate.errors import DeliveryFailed, DeliveryRejected


def _attempts(exc: Exception) -> int:
    """How often a pipeline-like task that always raises ``exc`` runs before giving up."""
    app = celery.Celery("refusal-check", set_as_current=False)
    app.conf.task_always_eager = True
    calls: list[int] = []

    @app.task(bind=True, autoretry_for=tasks.PipelineTask.autoretry_for,
              dont_autoretry_for=tasks.PipelineTask.dont_autoretry_for,
              max_retries=2, default_retry_delay=0)
    def deliver(self: celery.Task) -> None:
        calls.append(1)
        raise exc

    deliver.apply()
    return len(calls)


def test_refused_delivery_is_not_retried() -> None:
    assert _attempts(DeliveryRejected("webhook answered 422")) == 1


def test_failed_delivery_is_retried() -> None:
    assert _attempts(DeliveryFailed("webhook answered 503")) == 3


def test_every_pipeline_task_skips_retries_for_refusals() -> None:
    for task in (tasks.ingest_task, tasks.translate_task, tasks.export_task):
        assert issubclass(DeliveryRejected, task.dont_autoretry_for)
