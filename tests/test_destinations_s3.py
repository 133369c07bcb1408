"""The S3 destination over HTTP against an S3-compatible server on loopback (moto)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import boto3
import pytest

from syndicate.destinations import Delivery, create
from syndicate.errors import ConfigError, DeliveryFailed, DeliveryRejected

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])

GUID = "urn:newsml:example.com:20261128:story-1"


def delivery(version: int = 1, pub_status: str = "usable", data: bytes = b"<newsItem/>"
             ) -> Delivery:
    return Delivery("acme", "es", GUID, version, "newsmlg2", data, pub_status)


def test_object_lands_under_prefix_plus_delivery_key_with_type_and_metadata(
    bucket: str, s3_endpoint: str
) -> None:
    dest = create("s3", {"bucket": bucket, "prefix": "syndicate/", "endpoint_url": s3_endpoint})
    where = dest.deliver(delivery())
    key = "syndicate/" + delivery().key
    assert where == f"s3://{bucket}/{key}"
    obj = boto3.client("s3", endpoint_url=s3_endpoint).get_object(Bucket=bucket, Key=key)
    assert obj["Body"].read() == b"<newsItem/>"
    assert obj["ContentType"] == "application/vnd.iptc.g2.newsitem+xml"
    assert obj["Metadata"]["guid"] == GUID
    assert obj["Metadata"]["version"] == "1"
    assert obj["Metadata"]["language"] == "es"


def test_repeated_delivery_overwrites_instead_of_adding(bucket: str, s3_endpoint: str) -> None:
    dest = create("s3", {"bucket": bucket, "endpoint_url": s3_endpoint})
    dest.deliver(delivery())
    dest.deliver(delivery())
    listed = boto3.client("s3", endpoint_url=s3_endpoint).list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in listed["Contents"]] == [delivery().key]


def test_kill_overwrites_the_object_of_its_version(bucket: str, s3_endpoint: str) -> None:
    dest = create("s3", {"bucket": bucket, "endpoint_url": s3_endpoint})
    dest.deliver(delivery(2, data=b"<story/>"))
    dest.deliver(delivery(2, "canceled", b"<kill/>"))
    obj = boto3.client("s3", endpoint_url=s3_endpoint).get_object(Bucket=bucket,
                                                                   Key=delivery(2).key)
    assert obj["Body"].read() == b"<kill/>"
    assert obj["Metadata"]["pub-status"] == "canceled"


def test_missing_bucket_is_a_refusal_for_good(bucket: str, s3_endpoint: str) -> None:
    dest = create("s3", {"bucket": "no-such-bucket-here", "endpoint_url": s3_endpoint})
    with pytest.raises(DeliveryRejected, match="NoSuchBucket"):
        dest.deliver(delivery())


def test_unreachable_endpoint_is_retryable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    dest = create("s3", {"bucket": "acme-news", "region": "us-east-1",
                         "endpoint_url": f"http://127.0.0.1:{free_port()}"})
    with pytest.raises(DeliveryFailed, match="cannot reach S3") as info:
        dest.deliver(delivery())
    assert not isinstance(info.value, DeliveryRejected)


def test_threads_creating_their_first_s3_destinations_at_once_share_one_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    # an endpoint no other test used: the first client for it is built in this test
    options = {"bucket": "acme-news", "region": "us-east-1",
               "endpoint_url": f"http://127.0.0.1:{free_port()}"}
    barrier = threading.Barrier(16)
    clients: list[object] = []

    def first_delivery() -> None:
        barrier.wait()
        clients.append(create("s3", options).client)

    threads = [threading.Thread(target=first_delivery) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert len(clients) == 16
    assert len({id(c) for c in clients}) == 1


def test_bad_options_name_the_field() -> None:
    with pytest.raises(ConfigError, match="s3 destination: bucket"):
        create("s3", {"bucket": "Not A Bucket"})
    with pytest.raises(ConfigError, match="s3 destination: prefix"):
        create("s3", {"bucket": "acme-news", "prefix": "/abs/"})
    with pytest.raises(ConfigError, match="buket"):
        create("s3", {"buket": "acme-news"})


def test_a_named_profile_supplies_the_credentials(
    bucket: str, s3_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "credentials").write_text(
        "[newsroom]\naws_access_key_id = testing\naws_secret_access_key = testing\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    dest = create("s3", {"bucket": bucket, "endpoint_url": s3_endpoint, "profile": "newsroom"})
    assert dest.deliver(delivery()).startswith(f"s3://{bucket}/")


def test_a_profile_that_does_not_exist_is_a_refusal_for_good(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    dest = create("s3", {"bucket": "acme-news", "region": "us-east-1", "profile": "archive"})
    with pytest.raises(DeliveryRejected, match="archive"):
        dest.deliver(delivery())
