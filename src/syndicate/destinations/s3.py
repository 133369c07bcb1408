"""An S3 bucket (AWS or any S3-compatible store): each delivery is one object under its key.

Credentials come only from the environment (boto3's usual chain); the options name the bucket,
the key prefix and, for S3-compatible stores, the endpoint.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from syndicate.destinations import Delivery, register
from syndicate.destinations._options import validate
from syndicate.errors import DeliveryFailed, DeliveryRejected

#: MIME type per output format (S3 serves the object with it)
CONTENT_TYPES: dict[str, str] = {
    "newsmlg2": "application/vnd.iptc.g2.newsitem+xml",
    "ninjs": "application/json",
    "nitf": "application/xml",
    "atom": "application/atom+xml",
    "iptc7901": "text/plain; charset=utf-8",
    "wiretext": "text/plain; charset=utf-8",
}

# error codes that no retry can fix: the bucket or the permissions have to change first
_PERMANENT_CODES = {
    "AccessDenied", "NoSuchBucket", "InvalidAccessKeyId", "SignatureDoesNotMatch",
    "AllAccessDisabled", "InvalidBucketName", "AccountProblem", "InvalidArgument",
}


_client_lock = threading.Lock()


def _client(endpoint_url: str | None, region: str | None, pid: int) -> Any:
    # Export threads start their first deliveries together, and a boto3 session is not
    # thread-safe (boto3.client() shares the default one): clients are built one at a time,
    # from a session of their own, and each is built once.
    with _client_lock:
        return _cached_client(endpoint_url, region, pid)


@functools.lru_cache(maxsize=16)
def _cached_client(endpoint_url: str | None, region: str | None, pid: int) -> Any:
    # a client per endpoint and process: building one costs far more than a put_object,
    # and the pipeline creates its destination per delivery
    import boto3
    from botocore.config import Config

    # retries inside boto3 stay short: the task layer retries with backoff on its own
    return boto3.session.Session().client(
        "s3", endpoint_url=endpoint_url, region_name=region,
        config=Config(retries={"max_attempts": 2, "mode": "standard"},
                      connect_timeout=5, read_timeout=30),
    )


def content_type(fmt: str) -> str:
    return CONTENT_TYPES.get(fmt, "application/octet-stream")


class S3Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bucket: str = Field(min_length=3, max_length=63, pattern=r"^[a-z0-9][a-z0-9.-]+[a-z0-9]$")
    #: prepended to every key as is ("syndicate/" gives syndicate/acme/es/...)
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    #: include the partner id in the key (off: the bucket or prefix is per partner already)
    partner_subdir: bool = True

    @field_validator("prefix")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/"):
            raise ValueError("an S3 key prefix must not start with '/'")
        return value

    @field_validator("endpoint_url")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value


class S3Destination:
    type = "s3"

    def __init__(self, options: S3Options) -> None:
        self.options = options
        self.client: Any = _client(options.endpoint_url, options.region, os.getpid())

    def object_key(self, delivery: Delivery) -> str:
        rel = delivery.key if self.options.partner_subdir else delivery.relative_key
        return self.options.prefix + rel

    def deliver(self, delivery: Delivery) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        key = self.object_key(delivery)
        where = f"s3://{self.options.bucket}/{key}"
        try:
            # the same key for every retry and for the kill of the same version: put_object
            # replaces, so a delivery is never doubled and a kill overwrites the story
            self.client.put_object(
                Bucket=self.options.bucket, Key=key, Body=delivery.data,
                ContentType=content_type(delivery.format),
                Metadata={
                    # S3 metadata is ASCII only: guids with other characters are escaped
                    "guid": delivery.guid.encode("ascii", "backslashreplace").decode("ascii"),
                    "version": str(delivery.version),
                    "language": delivery.language,
                    "pub-status": delivery.pub_status,
                    "partner": delivery.partner,
                },
            )
        except ClientError as exc:
            err = exc.response.get("Error", {})
            code = str(err.get("Code", "?"))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            msg = f"S3 refused {where}: {code} ({status}) {err.get('Message', '')}".strip()
            if code in _PERMANENT_CODES or (400 <= status < 500 and status not in (408, 429)):
                raise DeliveryRejected(msg) from exc
            raise DeliveryFailed(msg) from exc
        except BotoCoreError as exc:
            # connection refused, timeouts, endpoint down: worth another try
            raise DeliveryFailed(f"cannot reach S3 for {where}: {exc}") from exc
        return where


@register("s3")
def _factory(options: dict[str, object]) -> S3Destination:
    return S3Destination(validate(S3Options, "s3", options))
