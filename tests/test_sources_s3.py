"""The S3 inbox source over HTTP against an S3-compatible server on loopback (moto)."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from syndicate.partners import SourceConfig
from syndicate.pipeline import IngestJob
from syndicate.sources import SourceEnv, collect, create
from syndicate.store import SqliteBackend, Store

pytestmark = pytest.mark.integration


def _source(bucket: str, endpoint: str, store: Store, tmp: Path):  # type: ignore[no-untyped-def]
    cfg = SourceConfig.model_validate(
        {"type": "s3", "name": "wire", "bucket": bucket, "prefix": "inbox/",
         "endpoint_url": endpoint})
    return create(cfg, 0, SourceEnv(store, tmp))


def test_each_object_is_queued_once(bucket: str, s3_endpoint: str, tmp_path: Path) -> None:
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.put_object(Bucket=bucket, Key="inbox/a.xml", Body=b"<a/>")
    s3.put_object(Bucket=bucket, Key="inbox/b.txt", Body=b"b")
    store = Store(SqliteBackend(tmp_path / "s.db"))
    src = _source(bucket, s3_endpoint, store, tmp_path)
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    collect(src, store, jobs.append)
    assert sorted(j.filename or "" for j in jobs) == ["a.xml", "b.txt"]
    assert store.get_blob(jobs[0].blob) in (b"<a/>", b"b")


def test_ingested_object_is_archived_and_rejected_one_quarantined_with_its_reason(
    bucket: str, s3_endpoint: str, tmp_path: Path
) -> None:
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.put_object(Bucket=bucket, Key="inbox/good.xml", Body=b"good")
    s3.put_object(Bucket=bucket, Key="inbox/bad.xml", Body=b"bad")
    store = Store(SqliteBackend(tmp_path / "s.db"))
    src = _source(bucket, s3_endpoint, store, tmp_path)
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    for job in jobs:
        store.set_outcome("wire", job.ref, None if job.ref == "good.xml" else "MalformedInput: cut")
    collect(src, store, jobs.append)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert keys == {"inbox/.archive/good.xml", "inbox/.quarantine/bad.xml",
                    "inbox/.quarantine/bad.xml.reason.txt"}
    reason = s3.get_object(Bucket=bucket, Key="inbox/.quarantine/bad.xml.reason.txt")
    assert b"MalformedInput" in reason["Body"].read()


def test_claimed_object_left_by_a_dead_poller_is_queued_again(
    bucket: str, s3_endpoint: str, tmp_path: Path
) -> None:
    s3 = boto3.client("s3", endpoint_url=s3_endpoint)
    s3.put_object(Bucket=bucket, Key="inbox/.processing/orphan.xml", Body=b"orphan")
    store = Store(SqliteBackend(tmp_path / "s.db"))
    src = _source(bucket, s3_endpoint, store, tmp_path)
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    assert [j.filename for j in jobs] == ["orphan.xml"]
