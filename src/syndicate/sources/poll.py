"""A remote URL polled periodically (by beat): its content is ingested whenever it changes.

Conditional GET with the ETag / Last-Modified seen last time, and a content hash on top
(servers that ignore both still cost one download, never a second ingest).
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from syndicate.errors import TransientError
from syndicate.sources import Arrival, SourceEnv, register, source_options


class UrlOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str
    timeout: float = 30.0


class UrlSource:
    def __init__(self, name: str, opts: UrlOptions, env: SourceEnv) -> None:
        self.name = name
        self.url = opts.url
        self.timeout = opts.timeout
        self.store = env.store

    def poll(self) -> list[Arrival]:
        marker = json.loads(self.store.seen_marker(self.name, self.url) or "{}")
        req = urllib.request.Request(self.url, headers={"User-Agent": "syndicate"})
        if marker.get("etag"):
            req.add_header("If-None-Match", marker["etag"])
        if marker.get("last_modified"):
            req.add_header("If-Modified-Since", marker["last_modified"])
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = resp.read()
                etag, modified = resp.headers.get("ETag"), resp.headers.get("Last-Modified")
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return []
            raise TransientError(f"polling {self.url}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransientError(f"polling {self.url}: {exc}") from exc
        sha = hashlib.sha256(data).hexdigest()
        self.store.mark_seen(self.name, self.url, json.dumps(
            {"etag": etag, "last_modified": modified, "sha256": sha}))
        if sha == marker.get("sha256"):
            return []
        name = self.url.rstrip("/").rsplit("/", 1)[-1] or "index"
        return [Arrival("", name, data)]

    def in_flight(self) -> list[str]:
        return []

    def settle(self, ref: str, ok: bool, reason: str | None) -> Path | None:
        return None


@register("url")
def _factory(name: str, options: dict[str, object], env: SourceEnv) -> UrlSource:
    opts = source_options(UrlOptions, "url", name, options)
    return UrlSource(name, opts, env)
