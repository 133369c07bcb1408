"""Sources by ``type``: each turns arrivals (files, objects, pushes, polled URLs) into ingest jobs.

A polled source claims what is new (:meth:`Source.poll`) and later settles it (archive on
success, quarantine with a reason on failure). :func:`collect` does one round for a source:
settle what finished, claim what arrived, queue one ingest per arrival. Adding a kind is one
module plus one entry in ``_MODULES``.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, ValidationError

from syndicate.errors import ConfigError
from syndicate.partners import SourceConfig
from syndicate.pipeline import IngestJob
from syndicate.registry import Registry
from syndicate.store import Store

log = logging.getLogger("syndicate.sources")

_MODULES: dict[str, str] = {
    "imap": "syndicate.sources.imap",
    "inbox": "syndicate.sources.inbox",
    "s3": "syndicate.sources.s3",
    "url": "syndicate.sources.poll",
}


@dataclass(frozen=True, slots=True)
class Arrival:
    """One claimed input: ``ref`` names it within its source until it is settled."""

    ref: str
    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class SourceEnv:
    """What a source may use besides its own options."""

    store: Store
    data_dir: Path


@runtime_checkable
class Source(Protocol):
    name: str

    def poll(self) -> list[Arrival]:
        """Claim what has arrived since the last poll; each arrival is returned once."""
        ...

    def in_flight(self) -> list[str]:
        """Refs claimed and not yet settled (after a crash, these are queued again)."""
        ...

    def settle(self, ref: str, ok: bool, reason: str | None) -> Path | None:
        """Archive (ok) or quarantine with ``reason``; called once per claimed ref. Returns
        where a rejected input's quarantined copy is, if the source keeps one."""
        ...


# Optional, looked up by name: ``read_claimed(ref) -> (bytes, name)`` reads an arrival again
# for a re-queue; ``recorded(refs)`` is told which arrivals have their ingest job recorded (an
# IMAP source marks the messages); ``close()`` ends the round (connections are let go).


Factory = Callable[[str, dict[str, object], SourceEnv], Source]
_factories: Registry[Factory] = Registry("source type", _MODULES)


def register(type_name: str) -> Callable[[Factory], Factory]:
    def deco(factory: Factory) -> Factory:
        return _factories.register(type_name, factory)

    return deco


M = TypeVar("M", bound=BaseModel)


def source_options(model: type[M], kind: str, name: str, options: dict[str, object]) -> M:
    """A source's options as ``model``; a ConfigError naming the source and each bad option."""
    try:
        return model.model_validate(options)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{kind} source {name!r}: {problems}") from None


def create(cfg: SourceConfig, index: int, env: SourceEnv) -> Source:
    return _factories.get(cfg.type)(cfg.key(index), cfg.options(), env)


@dataclass
class RoundResult:
    queued: int = 0
    settled_ok: int = 0
    settled_failed: int = 0


def collect(
    source: Source, store: Store, enqueue: Callable[[IngestJob], None], batch: str | None = None
) -> RoundResult:
    """One round: settle finished arrivals, claim new ones, queue an ingest for each."""
    try:
        return _round(source, store, enqueue, batch)
    finally:
        closer = getattr(source, "close", None)
        if closer is not None:
            closer()


def _round(
    source: Source, store: Store, enqueue: Callable[[IngestJob], None], batch: str | None
) -> RoundResult:
    result = RoundResult()
    recorded: list[str] = []
    for ref in source.in_flight():
        outcome = store.pop_outcome(source.name, ref)
        if outcome is None:
            # claimed by a process that died before queueing it: queue it now
            if store.seen_marker(f"queued:{source.name}", ref) is None and \
                    _requeue(source, ref, store, enqueue, batch, result):
                recorded.append(ref)
            continue
        ok, reason = outcome
        kept = source.settle(ref, ok, reason)
        if kept is not None:
            store.note_quarantined(source.name, ref, str(kept))
        store.forget_seen(f"queued:{source.name}", ref)
        if ok:
            result.settled_ok += 1
        else:
            result.settled_failed += 1
    for arrival in source.poll():
        blob = store.put_blob(arrival.data)
        job = IngestJob(source.name, arrival.ref, blob, arrival.name, batch,
                        arrival=uuid.uuid4().hex[:12], arrived=time.time())
        enqueue(job)
        if arrival.ref:  # an empty ref: nothing to settle later (a polled URL)
            store.mark_seen(f"queued:{source.name}", arrival.ref, blob)
            recorded.append(arrival.ref)
        result.queued += 1
    if result.queued:
        store.note_arrival(source.name)
    tell = getattr(source, "recorded", None)
    if recorded and tell is not None:
        tell(recorded)
    return result


def _requeue(
    source: Source, ref: str, store: Store, enqueue: Callable[[IngestJob], None],
    batch: str | None, result: RoundResult,
) -> bool:
    reader = getattr(source, "read_claimed", None)
    if reader is None:
        return False
    data, name = reader(ref)
    blob = store.put_blob(data)
    enqueue(IngestJob(source.name, ref, blob, name, batch, arrival=uuid.uuid4().hex[:12]))
    store.mark_seen(f"queued:{source.name}", ref, blob)
    result.queued += 1
    return True
