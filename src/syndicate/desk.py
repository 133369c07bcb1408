"""The desk's actions on one story: withdraw it everywhere (kill), send it again to a partner
that lost it (redeliver), and say where it went and when (trace).

Pure pipeline work on a :class:`~syndicate.pipeline.Runtime` and a dispatcher: the commands
(``syndicate kill``, ``redeliver``, ``trace``) and the operator page call these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from syndicate.errors import SyndicateError, UsageError
from syndicate.item import Note, PubStatus
from syndicate.partners import PartnerConfig, same_language
from syndicate.pipeline import (
    Dispatcher,
    ExportJob,
    Runtime,
    fan_out,
    item_digest,
    stored_language,
)
from syndicate.store import DeliveryRecord, ItemRef
from syndicate.versions import MAX_VERSION

#: the role of the editorial note a kill carries (NewsML-G2 ``edNote`` role)
KILL_NOTE_ROLE = "kill"


def source_of(rt: Runtime, guid: str) -> tuple[str, str, int]:
    """(source guid, its language, its newest version) of a story named by its guid or by the
    guid of one of its translations ("…:es"); raises when the store does not know it."""
    for candidate in (guid, guid.rpartition(":")[0]):
        if not candidate:
            continue
        latest = rt.store.latest_version(candidate)
        if latest is None:
            continue
        language = rt.store.source_language(candidate) or _guess_language(rt, candidate, latest)
        if language is not None:
            return candidate, language, latest
    raise UsageError(f"no story {guid!r} in the state store (give the guid as it arrived, or "
                     "as a partner received it)")


def _guess_language(rt: Runtime, guid: str, version: int) -> str | None:
    # stories stored before their language was recorded: the languages in play
    languages = [rt.config.ingest.language or "en"]
    languages += [lang for p in rt.config.partners for lang in p.languages]
    for language in dict.fromkeys(languages):
        if rt.store.get_item(ItemRef(guid, version, language)) is not None:
            return language
    return None


@dataclass(frozen=True)
class KillResult:
    guid: str
    version: int
    #: partners the kill goes to (those that received some version of the story)
    partners: tuple[str, ...]


def kill(rt: Runtime, guid: str, reason: str, dispatch: Dispatcher) -> KillResult:
    """Withdraw a story (and its translations) from every partner that received it: a new
    version of it, canceled, with ``reason`` as its editorial note, sent through the pipeline
    like an agency's kill (translated as the story was, in the urgent lane)."""
    reason = " ".join(reason.split())
    if not reason:
        raise UsageError("--reason is required: it reaches the partners as the editorial note")
    source, language, latest = source_of(rt, guid)
    item = rt.store.get_item(ItemRef(source, latest, language))
    if item is None:
        raise SyndicateError(f"story {source} v{latest} ({language}) is no longer in the store")
    if item.pub_status is PubStatus.CANCELED:
        raise UsageError(f"story {source} was already killed in version {latest}")
    if latest >= MAX_VERSION:
        raise SyndicateError(f"story {source} has no version number left for a kill")
    now = rt.now()
    killed = item.replace(
        version=latest + 1, pub_status=PubStatus.CANCELED, embargo=None, modified=now,
        version_created=now,
        notes=(Note(f"KILL: {reason}", role=KILL_NOTE_ROLE), *item.notes),
    )
    ref = ItemRef(source, killed.version, language)
    rt.store.put_item(ref, killed)
    rt.store.note_version(source, killed.version)
    digest = item_digest(killed)
    fan_out(rt, ref, killed, digest[:12], None, dispatch)
    rt.store.mark_content_seen(source, killed.version, digest)
    return KillResult(source, killed.version, tuple(sorted(rt.store.partners_received(source))))


@dataclass(frozen=True)
class Redelivery:
    jobs: tuple[ExportJob, ...]
    #: guids the partner never received (nothing to send again)
    unknown: tuple[str, ...] = ()


def _partner_records(rt: Runtime, partner: PartnerConfig, guid: str) -> list[DeliveryRecord]:
    """What the ledger says ``partner`` last received of ``guid``, per destination, language
    and format (looked up by key: the cost does not grow with the ledger)."""
    out = []
    for dest in partner.destination_ids():
        for language in partner.languages:
            for fmt in partner.formats:
                rec = rt.store.last_delivery(partner.id, dest, language, guid, fmt)
                if rec is not None:
                    out.append(rec)
    return out


def redeliver(rt: Runtime, partner_id: str, dispatch: Dispatcher,
              guids: Sequence[str] = (), since: dt.datetime | None = None) -> Redelivery:
    """Send ``partner`` again what it last received of each story (``guids``, or every story
    delivered to it since ``since``): the same version, under the same keys, so a destination
    that still has it is overwritten, never doubled."""
    partner = rt.config.partner(partner_id)
    records: list[DeliveryRecord] = []
    unknown: list[str] = []
    for guid in guids:
        try:
            source = source_of(rt, guid)[0]
        except UsageError:
            unknown.append(guid)
            continue
        found = _partner_records(rt, partner, source)
        if not found:
            unknown.append(guid)
        records += found
    if since is not None:
        cutoff = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
        records += rt.store.deliveries_since(partner.id, cutoff.timestamp())
    # one task per destination and story, carrying every format it took
    grouped: dict[tuple[str, str, str, int], list[str]] = {}
    for rec in records:
        formats = grouped.setdefault((rec.destination, rec.language, rec.guid, rec.version), [])
        if rec.format not in formats and rec.format in partner.formats:
            formats.append(rec.format)
    stamp = "redeliver-" + uuid.uuid4().hex[:8]
    jobs = []
    for (dest, language, guid, version), fmts in sorted(grouped.items()):
        if not fmts or dest not in partner.destination_ids():
            continue
        source_language = rt.store.source_language(guid) or language
        profile = (partner.id if not same_language(language, source_language)
                   and partner.translates_own_way(source_language, language) else "")
        # a rev of its own: this is new work, which the ledger must not take for a retry of
        # what was sent before
        job = ExportJob(guid, version, language, partner.id, dest, tuple(fmts), None, stamp,
                        profile=profile)
        dispatch.export(job)
        jobs.append(job)
    return Redelivery(tuple(jobs), tuple(unknown))


@dataclass(frozen=True)
class VersionTrace:
    version: int
    pub_status: str
    headline: str
    created: str | None
    #: languages it was translated into ("es", and "es~acme" for a partner's own glossary)
    translations: tuple[str, ...]


@dataclass(frozen=True)
class DeliveryTrace:
    partner: str
    destination: str
    destination_type: str
    language: str
    format: str
    version: int
    outcome: str
    at: str
    location: str = ""
    error: str = ""


@dataclass(frozen=True)
class Trace:
    guid: str
    language: str
    versions: tuple[VersionTrace, ...]
    deliveries: tuple[DeliveryTrace, ...]
    #: tasks of the story still waiting or running (task ids)
    pending: tuple[str, ...] = ()
    partners_received: tuple[str, ...] = field(default=())

    def as_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)


def trace(rt: Runtime, guid: str) -> Trace:
    """Every version of a story, its translations, and what each partner destination got of
    it (delivered, failed with its reason, or still pending), with times."""
    source, language, latest = source_of(rt, guid)
    languages = sorted({lang for p in rt.config.partners for lang in p.languages})
    versions = []
    for version in range(1, latest + 1):
        item = rt.store.get_item(ItemRef(source, version, language))
        if item is None:
            continue
        translations = [
            key for lang in languages if not same_language(lang, language)
            for key in (stored_language(lang), *(stored_language(lang, p.id)
                                                 for p in rt.config.partners))
            if rt.store.get_item(ItemRef(source, version, key)) is not None
        ]
        versions.append(VersionTrace(version, str(item.pub_status), item.headline,
                                     _iso(item.version_time), tuple(dict.fromkeys(translations))))
    deliveries: list[DeliveryTrace] = []
    for partner in rt.config.partners:
        types = dict(zip(partner.destination_ids(), (d.type for d in partner.destinations),
                         strict=True))
        for rec in _partner_records(rt, partner, source):
            deliveries.append(DeliveryTrace(rec.partner, rec.destination, types[rec.destination],
                                            rec.language, rec.format, rec.version, "delivered",
                                            rec.at, rec.location))
    for dl in rt.store.dead_letters():
        payload = dl.kwargs()
        if dl.task != "syndicate.export" or payload.get("guid") != source:
            continue
        partner_id = str(payload.get("partner"))
        for fmt in payload.get("formats") or [payload.get("format")]:
            deliveries.append(DeliveryTrace(
                partner_id, str(payload.get("destination")), "", str(payload.get("language")),
                str(fmt), int(payload.get("version") or 0), "failed", dl.at,
                error=f"{dl.error_type}: {dl.error} (dead letter {dl.id})"))
    pending = tuple(sorted(rec.id for rec in rt.store.pending_tasks()
                           if rec.payload.get("guid") == source))
    deliveries.sort(key=lambda d: (d.partner, d.destination, d.language, d.format, d.at))
    return Trace(source, language, tuple(versions), tuple(deliveries), pending,
                 tuple(sorted(rt.store.partners_received(source))))


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
