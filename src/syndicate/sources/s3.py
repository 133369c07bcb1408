"""An S3 (or S3-compatible: MinIO) inbox prefix: each object put under it is ingested once.

Claiming copies the object under ``<prefix>.processing/`` and deletes the original; after the
ingest it moves to ``<prefix>.archive/``, or to ``<prefix>.quarantine/`` beside a
``<name>.reason.txt`` object. Credentials come from the usual AWS environment variables.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from syndicate.errors import TransientError
from syndicate.sources import Arrival, SourceEnv, register, source_options


class S3Options(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    bucket: str
    prefix: str = "inbox/"
    endpoint_url: str | None = None
    region: str | None = None
    #: objects taken per poll (the rest wait for the next round)
    batch: int = 500


class S3Source:
    def __init__(self, name: str, opts: S3Options, env: SourceEnv) -> None:
        import boto3

        self.name = name
        self.opts = opts
        self.bucket = opts.bucket
        self.prefix = opts.prefix
        self.processing = f"{opts.prefix}.processing/"
        self.archive = f"{opts.prefix}.archive/"
        self.quarantine = f"{opts.prefix}.quarantine/"
        # a session of its own: boto3's default session is not thread-safe, and sources are
        # created in worker threads
        self.client: Any = boto3.session.Session().client(
            "s3", endpoint_url=opts.endpoint_url, region_name=opts.region
        )

    def _list(self, prefix: str, limit: int) -> list[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        keys: list[str] = []
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=prefix)
            for page in pages:
                for obj in page.get("Contents", []):
                    keys.append(obj["Key"])
                    if len(keys) >= limit:
                        return keys
        except (BotoCoreError, ClientError) as exc:
            raise TransientError(f"cannot list s3://{self.bucket}/{prefix}: {exc}") from exc
        return keys

    def _move(self, src: str, dst: str) -> None:
        self.client.copy_object(Bucket=self.bucket, Key=dst,
                                CopySource={"Bucket": self.bucket, "Key": src})
        self.client.delete_object(Bucket=self.bucket, Key=src)

    def poll(self) -> list[Arrival]:
        out = []
        for key in self._list(self.prefix, self.opts.batch * 4):
            rel = key[len(self.prefix):]
            if not rel or rel.startswith(".") or rel.endswith("/"):
                continue  # our own .processing/.archive/.quarantine, folders
            claimed = self.processing + rel
            self._move(key, claimed)
            body = self.client.get_object(Bucket=self.bucket, Key=claimed)["Body"].read()
            out.append(Arrival(rel, rel.rsplit("/", 1)[-1], body))
            if len(out) >= self.opts.batch:
                break
        return out

    def in_flight(self) -> list[str]:
        return [k[len(self.processing):] for k in self._list(self.processing, 100_000)]

    def read_claimed(self, ref: str) -> tuple[bytes, str]:
        body = self.client.get_object(Bucket=self.bucket, Key=self.processing + ref)["Body"]
        return body.read(), ref.rsplit("/", 1)[-1]

    def settle(self, ref: str, ok: bool, reason: str | None) -> Path | None:
        # the quarantined copy is an object in the bucket, not a file a replay could release
        claimed = self.processing + ref
        if ok:
            self._move(claimed, self.archive + ref)
            return None
        text = (reason or "rejected").strip().rstrip(".") + ".\n"
        self.client.put_object(Bucket=self.bucket, Key=f"{self.quarantine}{ref}.reason.txt",
                               Body=text.encode("utf-8"), ContentType="text/plain")
        self._move(claimed, self.quarantine + ref)
        return None


@register("s3")
def _factory(name: str, options: dict[str, object], env: SourceEnv) -> S3Source:
    opts = source_options(S3Options, "s3", name, options)
    return S3Source(name, opts, env)
