"""The records the state store keeps: item references, deliveries, feed entries, dead
letters, ledger tasks and batch counts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ItemRef:
    """An item version in one language: the source guid, its version, the language."""

    guid: str
    version: int
    language: str

    @property
    def key(self) -> str:
        return f"{self.guid}|{self.version}|{self.language}"


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    partner: str
    destination: str
    language: str
    guid: str
    version: int
    format: str
    location: str
    pub_status: str
    at: str
    #: what the delivered item said (a digest prefix; "" in records written before it was kept)
    rev: str = ""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """The newest version of one item in one partner's pull feed (the item is kept beside it).

    Entries are keyed by the guid the partner sees: a translation's own guid.
    """

    guid: str
    version: int
    language: str
    pub_status: str
    #: when the entry last changed (ISO 8601, UTC): the item's modified time, else arrival
    updated: str
    #: the embargo (ISO 8601) for the feed server to check again before it lists the entry
    embargo: str | None
    #: for a translation (whose ``guid`` is its own): the source's guid, which the items of
    #: the store are kept under; None for source copy
    source_guid: str | None = None

    @property
    def item_key(self) -> str:
        return f"{self.language}|{self.guid}|{self.version}"

    @property
    def store_guid(self) -> str:
        """The guid the pipeline keeps this entry's item versions under (:class:`ItemRef`)."""
        return self.source_guid or self.guid


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A task that failed for good: what ran, with what payload, and why."""

    id: str
    task: str
    payload: str
    error: str
    error_type: str
    guid: str | None
    at: str
    #: the raw input bytes (base64) when the task was an ingest: nothing is lost
    data_b64: str | None = None

    def kwargs(self) -> dict[str, Any]:
        loaded = json.loads(self.payload)
        assert isinstance(loaded, dict)
        return loaded


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """A task as the ledger keeps it until a worker finishes it: enough to send it again."""

    id: str
    task: str
    payload: dict[str, Any]
    batch: str | None = None
    #: transient failures so far (a retry is due at the record's due time)
    attempts: int = 0
    #: times it was sent again because no worker had it
    resends: int = 0

    def to_json(self) -> str:
        return json.dumps({"task": self.task, "payload": self.payload, "batch": self.batch,
                           "attempts": self.attempts, "resends": self.resends},
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, task_id: str, text: str) -> TaskRecord:
        data = json.loads(text)
        return cls(task_id, str(data["task"]), dict(data["payload"]), data.get("batch"),
                   int(data.get("attempts", 0)), int(data.get("resends", 0)))


@dataclass(frozen=True, slots=True)
class TaskStart:
    """What :meth:`Store.task_begin` found: ``run``, ``busy`` or ``done``."""

    status: str
    record: TaskRecord | None = None
    starts: int = 0


#: every outcome a task can end with (kept in step with syndicate.pipeline.OUTCOMES)
BATCH_OUTCOMES = ("ingested", "rejected", "duplicate", "translated", "delivered", "superseded",
                  "held", "skipped", "failed")


@dataclass(frozen=True, slots=True)
class BatchStatus:
    pending: int
    outcomes: dict[str, int]

    def count(self, outcome: str) -> int:
        return self.outcomes.get(outcome, 0)
