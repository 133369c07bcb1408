"""A drop folder: files that appear in it are ingested once each.

``claim: move`` (the default for a configured inbox) renames each file atomically into
``.processing/`` so no two pollers take it, then moves it to ``.archive/<date>/`` after a
successful ingest or to ``.quarantine/`` beside ``<name>.reason.txt`` after a failure.
``claim: keep`` leaves the folder untouched (a folder of samples, a read-only share) and
remembers each file by name, size and modification time in the store instead.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import time
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from syndicate.quarantine import quarantine, safe_name
from syndicate.sources import Arrival, SourceEnv, register, source_options

PROCESSING, ARCHIVE, QUARANTINE = ".processing", ".archive", ".quarantine"


class InboxOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: Path
    claim: Literal["move", "keep"] = "move"
    #: file names never ingested (notes left in the folder, editors' temporary files)
    ignore: tuple[str, ...] = ("README*", "*.md", "*.reason.txt", "*.tmp", "*.part", "*~")
    #: seconds a file must be left alone before it is taken (for writers that do not rename)
    min_age: float = 0.0
    #: where ``claim: keep`` copies rejected files (default: <data dir>/quarantine/<source>)
    quarantine_dir: Path | None = None


class InboxSource:
    def __init__(self, name: str, opts: InboxOptions, env: SourceEnv) -> None:
        self.name = name
        self.opts = opts
        self.root = opts.path
        self.env = env
        if opts.claim == "move":
            self.quarantine_dir = self.root / QUARANTINE
        else:
            self.quarantine_dir = opts.quarantine_dir or env.data_dir / "quarantine" / name

    def _candidates(self) -> list[Path]:
        try:
            entries = sorted(os.scandir(self.root), key=lambda e: e.name)
        except FileNotFoundError:
            return []
        now = time.time()
        out = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                continue
            if any(fnmatch.fnmatch(entry.name, pat) for pat in self.opts.ignore):
                continue
            if self.opts.min_age and now - entry.stat().st_mtime < self.opts.min_age:
                continue
            out.append(Path(entry.path))
        return out

    def poll(self) -> list[Arrival]:
        return self._poll_move() if self.opts.claim == "move" else self._poll_keep()

    def _poll_move(self) -> list[Arrival]:
        processing = self.root / PROCESSING
        processing.mkdir(parents=True, exist_ok=True)
        out = []
        for path in self._candidates():
            claimed = processing / path.name
            if claimed.exists():
                stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
                claimed = processing / f"{stamp}-{path.name}"
            try:
                # the rename is the claim: whoever renames first owns the file
                os.rename(path, claimed)
            except FileNotFoundError:
                continue
            out.append(Arrival(claimed.name, path.name, claimed.read_bytes()))
        return out

    def _poll_keep(self) -> list[Arrival]:
        out = []
        for path in self._candidates():
            st = path.stat()
            marker = f"{st.st_size}:{st.st_mtime_ns}"
            if self.env.store.seen_marker(self.name, path.name) == marker:
                continue
            data = path.read_bytes()
            out.append(Arrival(path.name, path.name, data))
            self.env.store.mark_seen(self.name, path.name, marker)
        return out

    def in_flight(self) -> list[str]:
        if self.opts.claim == "keep":
            return self.env.store.seen_keys(f"queued:{self.name}")
        try:
            return sorted(p.name for p in (self.root / PROCESSING).iterdir() if p.is_file())
        except FileNotFoundError:
            return []

    def read_claimed(self, ref: str) -> tuple[bytes, str]:
        base = self.root / PROCESSING if self.opts.claim == "move" else self.root
        return (base / ref).read_bytes(), ref

    def settle(self, ref: str, ok: bool, reason: str | None) -> Path | None:
        if self.opts.claim == "keep":
            if not ok:
                return quarantine((self.root / ref).read_bytes(), ref, reason or "rejected",
                                  self.quarantine_dir)
            return None
        claimed = self.root / PROCESSING / ref
        if not claimed.exists():
            return None
        if ok:
            day = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
            target = self.root / ARCHIVE / day / safe_name(ref)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(claimed, target)
            return None
        kept = quarantine(claimed.read_bytes(), ref, reason or "rejected", self.quarantine_dir)
        claimed.unlink()
        return kept


@register("inbox")
def _factory(name: str, options: dict[str, object], env: SourceEnv) -> InboxSource:
    opts = source_options(InboxOptions, "inbox", name, options)
    return InboxSource(name, opts, env)
