"""An S3 bucket (AWS or any S3-compatible store): each delivery is one object under its key.

Credentials come only from the environment (boto3's usual chain, or a named profile of the
AWS config files); the options name the bucket, the key prefix and, for S3-compatible stores,
the endpoint.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from syndicate.destinations import Delivery, register
from syndicate.destinations._options import OptionProblem, validate
from syndicate.errors import DeliveryFailed, DeliveryRejected

# error codes that no retry can fix: the bucket or the permissions have to change first
_PERMANENT_CODES = {
    "AccessDenied", "NoSuchBucket", "InvalidAccessKeyId", "SignatureDoesNotMatch",
    "AllAccessDisabled", "InvalidBucketName", "AccountProblem", "InvalidArgument",
}


_client_lock = threading.Lock()


def _client(endpoint_url: str | None, region: str | None, profile: str | None, pid: int) -> Any:
    # Export threads start their first deliveries together, and a boto3 session is not
    # thread-safe (boto3.client() shares the default one): clients are built one at a time,
    # from a session of their own, and each is built once.
    with _client_lock:
        return _cached_client(endpoint_url, region, profile, pid)


@functools.lru_cache(maxsize=16)
def _cached_client(endpoint_url: str | None, region: str | None, profile: str | None,
                   pid: int) -> Any:
    # a client per endpoint and process: building one costs far more than a put_object,
    # and the pipeline creates its destination per delivery
    import boto3
    from botocore.config import Config

    # retries inside boto3 stay short: the task layer retries with backoff on its own
    config = Config(retries={"max_attempts": 2, "mode": "standard"},
                    connect_timeout=5, read_timeout=30)
    session = boto3.Session(profile_name=profile) if profile else boto3.session.Session()
    return session.client("s3", endpoint_url=endpoint_url, region_name=region, config=config)


def _ascii(text: str) -> str:
    # S3 metadata is ASCII only: guids with other characters are escaped
    return text.encode("ascii", "backslashreplace").decode("ascii")


def object_metadata(delivery: Delivery) -> dict[str, str]:
    """The user metadata of the delivery's object (``x-amz-meta-*``)."""
    meta = {
        "guid": _ascii(delivery.guid),
        "version": str(delivery.version),
        "language": delivery.language,
        "pub-status": delivery.pub_status,
        "partner": delivery.partner,
    }
    if delivery.source_guid is not None:
        meta["source-guid"] = _ascii(delivery.source_guid)
    return meta


class S3Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bucket: str = Field(min_length=3, max_length=63, pattern=r"^[a-z0-9][a-z0-9.-]+[a-z0-9]$")
    #: prepended to every key as is ("syndicate/" gives syndicate/acme/es/...)
    prefix: str = ""
    endpoint_url: str | None = None
    region: str | None = None
    #: include the partner id in the key (off: the bucket or prefix is per partner already)
    partner_subdir: bool = True
    #: a profile of the AWS config files to take credentials from (default: boto3's chain)
    profile: str | None = None

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

    @property
    def client(self) -> Any:
        # built on first use, so that a missing profile is reported by check(), not raised here
        o = self.options
        return _client(o.endpoint_url, o.region, o.profile, os.getpid())

    def check(self) -> list[OptionProblem]:
        """The credentials the environment and the options point at exist (no request is made;
        with none named, boto3 looks further, e.g. for an instance role)."""
        import botocore.session
        from botocore.exceptions import BotoCoreError

        where = f"s3://{self.options.bucket}"
        out: list[OptionProblem] = []
        key_id, secret = (bool(os.environ.get(v)) for v in ("AWS_ACCESS_KEY_ID",
                                                            "AWS_SECRET_ACCESS_KEY"))
        if key_id != secret:
            have, lack = (("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") if key_id
                          else ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"))
            out.append(OptionProblem("", f"{where}: {have} is set but {lack} is not; export "
                                         "both, or neither to use a profile or an instance role"))
        profile = self.options.profile or os.environ.get("AWS_PROFILE")
        if profile:
            # listing the profiles reads the config files only; it does not need the profile
            try:
                known = botocore.session.Session().available_profiles
            except BotoCoreError as exc:  # an AWS config file that does not parse
                return [*out, OptionProblem("", f"{where}: cannot read the AWS config files: {exc}")]
            if profile not in known:
                named = "profile" if self.options.profile else "the environment variable AWS_PROFILE"
                files = (os.environ.get("AWS_CONFIG_FILE", "~/.aws/config") + ", "
                         + os.environ.get("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"))
                out.append(OptionProblem(
                    "profile" if self.options.profile else "",
                    f"{where}: {named} names the AWS profile {profile!r}, which is not in "
                    f"{files} (profiles there: {', '.join(known) or 'none'}); add it or name "
                    "another"))
        return out

    def object_key(self, delivery: Delivery) -> str:
        rel = delivery.key if self.options.partner_subdir else delivery.relative_key
        return self.options.prefix + rel

    def deliver(self, delivery: Delivery) -> str:
        from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound

        key = self.object_key(delivery)
        data = delivery.content
        where = f"s3://{self.options.bucket}/{key}"
        try:
            # the same key for every retry and for the kill of the same version: put_object
            # replaces, so a delivery is never doubled and a kill overwrites the story
            self.client.put_object(
                Bucket=self.options.bucket, Key=key, Body=data,
                # S3 serves the object with it
                ContentType=delivery.media_type,
                Metadata=object_metadata(delivery),
            )
        except ClientError as exc:
            err = exc.response.get("Error", {})
            code = str(err.get("Code", "?"))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)
            msg = f"S3 refused {where}: {code} ({status}) {err.get('Message', '')}".strip()
            if code in _PERMANENT_CODES or (400 <= status < 500 and status not in (408, 429)):
                raise DeliveryRejected(msg) from exc
            raise DeliveryFailed(msg) from exc
        except ProfileNotFound as exc:
            raise DeliveryRejected(f"cannot deliver to {where}: {exc}; add the profile to the "
                                   "AWS config files or change the destination's profile") from exc
        except BotoCoreError as exc:
            # connection refused, timeouts, endpoint down: worth another try
            raise DeliveryFailed(f"cannot reach S3 for {where}: {exc}") from exc
        return where


@register("s3")
def _factory(options: dict[str, object]) -> S3Destination:
    return S3Destination(validate(S3Options, "s3", options))
