"""A retry that falls due while the broker is down is kept and sent when it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hook_receiver import Hook, hook_receiver
from pipeline_cluster import REDIS_URL, Cluster, OwnRedis, wait_for
from test_pipeline_cluster import write_items

pytestmark = pytest.mark.integration

CONFIG = """
partners:
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: webhook
        url: {hook}
        secret_env: HOMEWIRE_HOOK_SECRET
        timeout: 5
"""


@pytest.fixture
def hook() -> Iterator[Hook]:
    with hook_receiver(status=503) as receiver:  # answers 503 until told otherwise
        yield receiver


def test_a_retry_due_during_a_broker_outage_is_not_lost(tmp_path: Path, hook: Hook) -> None:
    broker = OwnRedis(tmp_path)
    broker.start()
    # the broker goes away; the state store (another Redis) stays
    cluster = Cluster(tmp_path / "c", CONFIG.format(hook=hook.url), redis_url=broker.url,
                      SYNDICATE_REDIS_URL=REDIS_URL, HOMEWIRE_HOOK_SECRET="s")
    try:
        inbox = tmp_path / "inbox"
        write_items(inbox, 1)
        worker = cluster.start_worker("all", concurrency=1)
        run = cluster.start_run_once(inbox, timeout=120)
        assert hook.first.wait(60), cluster.worker_log()
        broker.kill()  # the 503 is being retried: the retry falls due while the broker is down
        time.sleep(6.0)
        hook.status = 204
        broker.start()
        wait_for(lambda: any(p.status == 204 for p in hook.posts), 60,
                 "the retried delivery after the broker came back")
        out, err = run.communicate(timeout=90)
        assert run.returncode == 0, out + err + cluster.worker_log()
        assert "1 delivered, 0 failed" in out
        assert len(hook.keys()) == 1  # one delivery key
        assert worker.poll() is None
        assert cluster.cli("dead-letters").stdout.startswith("no dead letters")
    finally:
        cluster.stop()
        cluster.cleanup_redis()
        broker.stop()
