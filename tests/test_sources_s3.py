"""The S3 inbox source over HTTP against an S3-compatible server on loopback (moto)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from syndicate.partners import SourceConfig
from syndicate.pipeline import IngestJob
from syndicate.sources import SourceEnv, collect, create
from syndicate.store import SqliteBackend, Store

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
           ) -> str:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    name = f"wire-{abs(hash(request.node.name)) % 10**8}"
    boto3.client("s3", endpoint_url=s3_endpoint).create_bucket(Bucket=name)
    return name


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
