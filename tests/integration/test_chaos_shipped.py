"""With the shipped settings, a worker and Redis killed together lose nothing and double nothing.

The production shape: Redis persisting as shipped (append-only, fsync every second), one
worker per role. In the middle of a run an export worker and Redis are SIGKILLed at once; Redis
comes back, a supervisor starts a new export worker (the ingest and translate workers ride the
outage out by themselves). Within a minute of that fault every delivery key is at every
folder, S3 bucket and webhook exactly once (a webhook may see a POST again, always under the
same idempotency key).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from hook_receiver import Hook, hook_receiver
from pipeline_cluster import Cluster, OwnRedis, wait_for
from test_pipeline_cluster import write_items

pytestmark = pytest.mark.integration

STORIES = 40
CONFIG = """
translation:
  engine: apertium
partners:
  - id: diario
    languages: [es]
    formats: [newsmlg2, ninjs]
    destinations:
      - type: directory
        path: {{out}}/diario
      - id: bucket
        type: s3
        bucket: {bucket}
        endpoint_url: {endpoint}
        region: us-east-1
      - id: hook
        type: webhook
        url: {hook}
        secret_env: DIARIO_HOOK_SECRET
        timeout: 5
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {{out}}/homewire
"""


@pytest.fixture
def hook() -> Iterator[Hook]:
    with hook_receiver() as receiver:
        yield receiver


def s3_keys(endpoint: str, bucket: str) -> list[str]:
    s3 = boto3.client("s3", endpoint_url=endpoint)
    keys: list[str] = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def folder_keys(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def progress(cluster: Cluster, endpoint: str, bucket: str, hook: Hook) -> str:
    """What arrived where, what the ledger still holds, and what the workers complained of."""
    import json

    import redis

    r = redis.Redis.from_url(cluster.redis_url, decode_responses=True)
    pending = "ledger: " + ", ".join(k.split(":task:", 1)[1] for k in
                                     r.scan_iter(match=f"{cluster.tag}:task:*"))[:3000]
    logs = "\n".join(p.read_text(errors="replace") for p in sorted(cluster.logs.iterdir()))
    complaints = [line[:400] for line in logs.splitlines()
                  if '"level": "info"' not in line][-40:]
    return json.dumps({
        "diario folder": len(folder_keys(cluster.out / "diario")),
        "s3": len(s3_keys(endpoint, bucket)),
        "webhook keys": len(hook.keys()),
        "homewire folder": len(folder_keys(cluster.out / "homewire")),
    }) + "\n" + pending + "\n" + "\n".join(complaints)


@pytest.mark.chaos
def test_worker_and_redis_killed_together_lose_and_double_nothing_within_a_minute(
    tmp_path: Path, s3_endpoint: str, bucket: str, hook: Hook
) -> None:
    own = OwnRedis(tmp_path)
    own.start()
    config = CONFIG.format(bucket=bucket, endpoint=s3_endpoint, hook=hook.url)
    cluster = Cluster(tmp_path / "c", config, redis_url=own.url, shipped=True,
                      DIARIO_HOOK_SECRET="hook-secret")
    try:
        inbox = tmp_path / "inbox"
        write_items(inbox, STORIES)
        ingest = cluster.start_worker("ingest", concurrency=4)
        translate = cluster.start_worker("translate", concurrency=1)
        export = cluster.start_worker("export", concurrency=4)
        run = cluster.start_run_once(inbox, timeout=400)
        wait_for(lambda: len(hook.posts) >= 10, 180, "the first webhook deliveries")

        cluster.kill_worker(export)
        own.kill()
        time.sleep(1.0)
        own.start()
        last_fault = time.monotonic()
        cluster.start_worker("export", concurrency=4)  # the supervisor replaces the dead one

        # per story: diario gets two formats at three destinations, homewire one file
        def complete() -> bool:
            return (len(folder_keys(cluster.out / "diario")) == 2 * STORIES
                    and len(s3_keys(s3_endpoint, bucket)) == 2 * STORIES
                    and len(hook.keys()) == 2 * STORIES
                    and len(folder_keys(cluster.out / "homewire")) == STORIES)

        try:
            wait_for(complete, 60, "every delivery within a minute of the fault")
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {progress(cluster, s3_endpoint, bucket, hook)}") from None
        took = time.monotonic() - last_fault
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, out + err + cluster.worker_log()
        assert ingest.poll() is None and translate.poll() is None, (
            "a worker died with Redis\n" + cluster.worker_log())

        stray = [k for k in folder_keys(cluster.out) if Path(k).name.startswith(".tmp-")]
        assert not stray, stray
        # exactly once: one key per story and format, the same keys everywhere
        dir_keys = set(folder_keys(cluster.out / "diario"))
        s3 = s3_keys(s3_endpoint, bucket)
        assert len(s3) == len(set(s3)) == 2 * STORIES
        assert {k.split("/", 1)[1] for k in s3} == dir_keys  # the bucket keys name the partner
        by_key: dict[str, set[bytes]] = {}
        for post in hook.posts:
            by_key.setdefault(post.key, set()).add(post.body)
        assert {k.split("/", 1)[1] for k in by_key} == dir_keys
        assert all(len(bodies) == 1 for bodies in by_key.values()), "a key with two bodies"
        print(f"every delivery in place {took:.1f} s after the fault; "
              f"{len(hook.posts) - len(by_key)} webhook POST(s) repeated under their key")
    finally:
        cluster.stop()
        own.stop()
