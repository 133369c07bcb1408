"""Helpers for the pipeline tests: sample items, an in-process dispatcher, a store per test."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from pathlib import Path

from syndicate import formats
from syndicate.item import Block, NewsItem, PubStatus
from syndicate.partners import PipelineConfig, parse_config
from syndicate.pipeline import (
    ExportJob,
    IngestJob,
    Runtime,
    TranslateJob,
    handle_export,
    handle_ingest,
    handle_translate,
)
from syndicate.store import SqliteBackend, Store

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


def ensure_codecs() -> None:
    """Load the codec registry (every codec module registers itself on first use)."""
    formats.names()


def sample_item(n: int = 1, version: int = 1, **changes: object) -> NewsItem:
    item = NewsItem(
        guid=f"urn:newsml:example.com:20261128:story-{n}",
        version=version,
        headline=f"The city council approves the new budget {n}",
        language="en",
        provider="example.com",
        body=(Block.para("The city council approved the budget on Friday."),
              Block.para("The vote was unanimous.")),
        created=NOW,
        modified=NOW,
    )
    return item.replace(**changes) if changes else item


def g2_bytes(item: NewsItem) -> bytes:
    ensure_codecs()
    return formats.renderer("newsmlg2").render(item)


class InlineDispatcher:
    """Runs follow-up jobs in this process, in order; held exports are kept aside."""

    def __init__(self) -> None:
        self.queue: deque[TranslateJob | ExportJob] = deque()
        self.held: list[tuple[ExportJob, dt.datetime | None]] = []
        self.outcomes: list[tuple[str, str]] = []
        #: every export job run, in order
        self.exports: list[ExportJob] = []

    def translate(self, job: TranslateJob) -> None:
        self.queue.append(job)

    def export(self, job: ExportJob, eta: dt.datetime | None = None) -> None:
        if eta is not None:
            self.held.append((job, eta))
        else:
            self.queue.append(job)

    def flush(self) -> None:
        pass  # queued at once

    def drain(self, rt: Runtime) -> list[tuple[str, str]]:
        while self.queue:
            job = self.queue.popleft()
            if isinstance(job, TranslateJob):
                self.outcomes.append((job.task_id, handle_translate(rt, job, self)))
            else:
                self.exports.append(job)
                self.outcomes.append((job.task_id, handle_export(rt, job, self)))
        return self.outcomes


MINIMAL = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/acme
  - id: homewire
    languages: [en]
    destinations:
      - type: directory
        path: {out}/homewire
"""


def make_runtime(tmp: Path, config_text: str | None = None, now: dt.datetime = NOW) -> Runtime:
    config: PipelineConfig = parse_config((config_text or MINIMAL).format(out=tmp / "out"))
    store = Store(SqliteBackend(tmp / "state.sqlite3"))
    return Runtime(config=config, store=store, now=lambda: now)


def ingest(rt: Runtime, data: bytes, dispatcher: InlineDispatcher, name: str = "x.xml") -> str:
    blob = rt.store.put_blob(data)
    return handle_ingest(rt, IngestJob("test", "", blob, name), dispatcher)


def outputs(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def replace(job: ExportJob, **kw: object) -> ExportJob:
    return dataclasses.replace(job, **kw)  # type: ignore[arg-type]


__all__ = ["NOW", "PubStatus"]
