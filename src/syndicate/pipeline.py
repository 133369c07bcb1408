"""The stage functions the Celery tasks call: ingest, plan, translate, render and deliver.

Each handler takes a :class:`Runtime` (configuration, settings, state store, clock) and a job
(a small frozen dataclass that travels as the task's JSON payload), does its stage, and hands the
follow-up jobs to a :class:`Dispatcher`. Tasks hold no logic; a test can drive the whole
pipeline with any dispatcher. Every handler is safe to run twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

from syndicate import formats, logs, metrics, quarantine
from syndicate.corrections import with_visible_correction
from syndicate.dateline.localize import localize_item
from syndicate.destinations import Delivery
from syndicate.destinations import create as create_destination
from syndicate.errors import MalformedInput, SyndicateError, UnsupportedFormat
from syndicate.item import ItemClass, NewsItem
from syndicate.partners import PipelineConfig, same_language
from syndicate.settings import Settings, get_settings
from syndicate.store import BATCH_OUTCOMES, ItemRef, Store, encode_item

log = logging.getLogger("syndicate.pipeline")

# --------------------------------------------------------------------------------------
# jobs: the payloads of the three task kinds


@dataclass(frozen=True, slots=True)
class IngestJob:
    """Raw input waiting to be parsed: kept in the store as a blob, named by its sha256."""

    source: str
    ref: str
    blob: str
    filename: str | None = None
    batch: str | None = None
    #: tells one arrival from another of the same bytes under the same name (a file dropped
    #: again is ingested again: a finished task id is never run twice)
    arrival: str = ""
    #: for a replay: the quarantined copy of the input, released to the archive on success
    quarantined: str | None = None
    #: when the source collected it or the push endpoint took it (Unix time; 0 for a replay:
    #: no source arrival, and the end-to-end time counts from the ingest)
    arrived: float = 0.0

    @property
    def task_id(self) -> str:
        tail = f":{self.arrival}" if self.arrival else ""
        return f"ingest:{self.source}:{self.blob[:16]}:{self.ref}{tail}"


@dataclass(frozen=True, slots=True)
class TranslateJob:
    guid: str
    version: int
    source_language: str
    target: str
    batch: str | None = None
    #: what the item says (a digest prefix): a same-version correction or kill is new work
    rev: str = ""
    #: the partner whose glossary and kept terms this translation follows ("": everyone's)
    profile: str = ""
    #: URGENT for flashes, bulletins and kills: queues of their own that workers take first
    lane: str = ""
    #: when the story's input arrived (Unix time; 0 in payloads from before it was carried)
    arrived: float = 0.0

    @property
    def task_id(self) -> str:
        tail = f":{self.profile}" if self.profile else ""
        return f"translate:{self.guid}:{self.version}:{self.target}:{self.rev}{tail}"

    @property
    def pair(self) -> str:
        return f"{self.source_language.split('-')[0]}-{self.target.split('-')[0]}"


@dataclass(frozen=True, slots=True)
class ExportJob:
    """One story for one partner destination, in every format the partner takes there.

    One task per destination, not per format: fewer tasks per story, and a destination that
    fails retries alone, never holding back another partner or destination.
    """

    guid: str
    version: int
    language: str
    partner: str
    destination: str
    formats: tuple[str, ...]
    batch: str | None = None
    rev: str = ""
    #: how often an embargo held it back: each wait is a task of its own
    holds: int = 0
    #: the partner's own translation (its glossary) is delivered, not everyone's ("")
    profile: str = ""
    #: URGENT for flashes, bulletins and kills: queues of their own that workers take first
    lane: str = ""
    #: when the story's input arrived (Unix time; 0 in payloads from before it was carried)
    arrived: float = 0.0

    def __post_init__(self) -> None:
        # a JSON payload brings a list back; one format may be named alone
        formats = (self.formats,) if isinstance(self.formats, str) else tuple(self.formats)
        object.__setattr__(self, "formats", formats)

    @property
    def task_id(self) -> str:
        tail = f":{self.profile}" if self.profile else ""
        return (
            f"export:{self.partner}:{self.destination}:{self.language}:"
            f"{self.guid}:{self.version}:{self.rev}:{self.holds}{tail}"
        )

    @property
    def stored_language(self) -> str:
        return stored_language(self.language, self.profile)


#: the lane of urgent copy: urgency 1-2 (flash, bulletin), and kills and holds
URGENT = "urgent"


def lane_of(item: NewsItem | None) -> str:
    """URGENT for a flash or bulletin (urgency 1-2) and for a kill or hold, which must
    overtake the backlog; "" (the routine lane) for the rest."""
    if item is None:
        return ""
    if item.pub_status.withdraws or (item.urgency is not None and item.urgency <= 2):
        return URGENT
    return ""


def stored_language(language: str, profile: str = "") -> str:
    """The key a translation is stored under: its language, and for a partner's own
    translation (a glossary of its own), the partner too ("es~acme")."""
    return f"{language}~{profile}" if profile else language


J = TypeVar("J", IngestJob, TranslateJob, ExportJob)


def job_payload(job: IngestJob | TranslateJob | ExportJob) -> dict[str, Any]:
    """The keyword arguments of a job's task, as JSON gives them back (lists, not tuples)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(job).items()}


def job_from_payload(cls: type[J], payload: dict[str, Any]) -> J:
    if cls is ExportJob and "format" in payload and "formats" not in payload:
        # a task recorded before exports carried all of a destination's formats
        payload = {**payload, "formats": [payload["format"]]}
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in payload.items() if k in names})


class Dispatcher(Protocol):
    """Sends follow-up jobs on (Celery in production; anything that runs them, in tests)."""

    def translate(self, job: TranslateJob) -> None: ...

    def export(self, job: ExportJob, eta: dt.datetime | None = None) -> None: ...

    def flush(self) -> None:
        """Every job given so far is recorded (a dispatcher may hold jobs to record them
        together)."""
        ...


@dataclass(frozen=True)
class Runtime:
    config: PipelineConfig
    store: Store
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    #: seconds a delivery lock outlives a worker that died holding it
    lock_ttl: int = 30
    #: the process settings (SYNDICATE_* environment) the configuration was loaded with
    settings: Settings = dataclasses.field(default_factory=get_settings)


# outcomes, as counted by `syndicate run --once`
INGESTED, REJECTED, DUPLICATE = "ingested", "rejected", "duplicate"
TRANSLATED, DELIVERED = "translated", "delivered"
SUPERSEDED, HELD, SKIPPED, FAILED = "superseded", "held", "skipped", "failed"
OUTCOMES = BATCH_OUTCOMES
assert set(OUTCOMES) == {INGESTED, REJECTED, DUPLICATE, TRANSLATED, DELIVERED, SUPERSEDED, HELD,
                         SKIPPED, FAILED}


@contextmanager
def timed(store: Store, stage: str) -> Iterator[None]:
    """Add the time spent in a stage to the store (the bench subtracts it from the total)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        spent = time.perf_counter() - start
        store.add_timing(stage, spent)
        metrics.stage_time(stage, spent)


# --------------------------------------------------------------------------------------
# ingest


@dataclass(frozen=True, slots=True)
class IngestResult:
    format: str
    #: items to fan out (new, and the newest version known), each with its content digest and
    #: the item as stored
    fresh: tuple[tuple[ItemRef, str, NewsItem], ...]
    #: (ref, digest) of every item that was not a duplicate, to mark seen once fanned out
    claims: tuple[tuple[ItemRef, str], ...]
    duplicates: int
    superseded: int
    #: items of the input left out, each with its reason (the others went on)
    skipped: tuple[formats.Skipped, ...] = ()
    #: one sentence naming them all ("" when none was left out)
    skipped_reason: str = ""

    @property
    def faulty(self) -> bool:
        """Some item was left out because it could not be used (not a package, by design)."""
        return any(s.fault for s in self.skipped)


def item_digest(item: NewsItem) -> str:
    """Hash of what the item says, not of how or when it arrived (provenance left out)."""
    return hashlib.sha256(encode_item(item.replace(provenance=None)).encode()).hexdigest()


def ingest_bytes(rt: Runtime, data: bytes, filename: str | None = None,
                 source: str | None = None) -> IngestResult:
    """Parse raw input into items, drop ones seen before, store the rest by guid+version.

    ``source`` (the key of the source it came from, or "push") picks the time zone in which
    times written without one are read, and whether its e-mails are forms. Raises
    MalformedInput / UnsupportedFormat for input that cannot be used; items of a multi-item
    input that cannot be used are left out and returned as ``skipped``.
    """
    with timed(rt.store, "ingest"):
        ctx = formats.ParseContext(
            now=rt.now(), filename=filename,
            language=rt.config.ingest.language, provider=rt.config.ingest.provider,
            timezone=rt.config.source_timezone(source),
            email_form=rt.config.source_email_form(source),
        )
        parsed = formats.parse(data, rt.config.ingest.format, ctx)
        fresh: list[tuple[ItemRef, str, NewsItem]] = []
        claims: list[tuple[ItemRef, str]] = []
        duplicates = superseded = 0
        for item in parsed.items:
            digest = item_digest(item)
            ref = ItemRef(item.guid, item.version, item.language)
            if rt.store.content_seen(item.guid, item.version, digest):
                duplicates += 1
                continue
            rt.store.put_arrived_item(ref, item)
            latest = rt.store.note_version(item.guid, item.version)
            claims.append((ref, digest))
            if latest > item.version:
                # an older version arriving late is kept but never sent over the newer one
                superseded += 1
                log.info("superseded on arrival", extra={"guid": item.guid,
                                                        "version": item.version})
                continue
            fresh.append((ref, digest, item))
        return IngestResult(parsed.format, tuple(fresh), tuple(claims), duplicates, superseded,
                            parsed.skipped,
                            parsed.skipped_reason() if parsed.skipped else "")


def routed_class(item: NewsItem | None) -> ItemClass | None:
    """The class partners are chosen by for ``item``: its own, so that a picture never reaches a
    partner that takes text only. None (every partner) for a kill or a hold, which goes wherever
    the story went whatever class it names (delivery sends it only to partners that received
    the story), and for an item the store no longer has."""
    if item is None or item.pub_status.withdraws:
        return None
    return item.item_class


def plan_translations(rt: Runtime, ref: ItemRef, batch: str | None = None, rev: str = "",
                      item: NewsItem | None = None, arrived: float = 0.0) -> list[TranslateJob]:
    """One translation per language some partner whose contract takes the item wants, other
    than the item's own (``item`` is the stored item at ``ref``, read from the store when not
    given); a partner with a glossary of its own for the pair gets a translation of its own.
    A story no partner may take is not translated at all."""
    if item is None:
        item = rt.store.get_item(ref)
    takers = [p for p in rt.config.partners if item is None or p.accepts(item)]
    if item is not None and item.pub_status.withdraws:
        # a kill (or hold) only goes where the story went
        received = rt.store.partners_received(ref.guid)
        takers = [p for p in takers if p.id in received]
    jobs: list[TranslateJob] = []
    lane = lane_of(item)
    for target in rt.config.target_languages(ref.language, routed_class(item)):
        wanting = [p for p in rt.config.partners_for(target, ref.language, routed_class(item))
                   if p in takers]
        if any(not p.translates_own_way(ref.language, target) for p in wanting):
            jobs.append(TranslateJob(ref.guid, ref.version, ref.language, target, batch, rev,
                                     lane=lane, arrived=arrived))
        jobs += [TranslateJob(ref.guid, ref.version, ref.language, target, batch, rev, p.id,
                              lane, arrived)
                 for p in wanting if p.translates_own_way(ref.language, target)]
    return jobs


def plan_exports(
    rt: Runtime, guid: str, version: int, language: str, source_language: str,
    batch: str | None = None, rev: str = "", item: NewsItem | None = None, profile: str = "",
    arrived: float = 0.0,
) -> list[ExportJob]:
    """One delivery per partner destination whose contract takes the item in ``language`` (all
    its formats); ``item`` is the stored item in ``language``, read from the store when not
    given. A translation made for one partner's glossary (``profile``) goes to that partner
    only; everyone's translation to the partners without a glossary of their own."""
    if item is None:
        item = rt.store.get_item(ItemRef(guid, version, stored_language(language, profile)))
    partners = [p for p in rt.config.partners_for(language, source_language, routed_class(item))
                if item is None or p.accepts(item)]
    if not same_language(language, source_language):
        partners = [p for p in partners if (p.id == profile if profile else
                                            not p.translates_own_way(source_language, language))]
    return [
        ExportJob(guid, version, language, partner.id, dest_id, partner.formats, batch, rev,
                  profile=profile, lane=lane_of(item), arrived=arrived)
        for partner in partners
        for dest_id in partner.destination_ids()
    ]


def fan_out(rt: Runtime, ref: ItemRef, item: NewsItem | None, rev: str, batch: str | None,
            dispatch: Dispatcher, arrived: float = 0.0) -> None:
    """Send a stored story on: its translations, and its deliveries in its own language."""
    for tjob in plan_translations(rt, ref, batch, rev, item, arrived):
        dispatch.translate(tjob)
    for ejob in plan_exports(rt, ref.guid, ref.version, ref.language, ref.language, batch, rev,
                             item, arrived=arrived):
        dispatch.export(ejob)


def reject_input(rt: Runtime, job: IngestJob, exc: BaseException, data: bytes | None) -> str:
    """Input that failed for good, whole or in part (items left out of it): a dead letter with
    its bytes, the reason for its source to quarantine it with (or, for a replay, written
    beside its quarantined copy). Returns the dead letter's id."""
    reason = f"{type(exc).__name__}: {exc}"
    dl = rt.store.add_dead_letter("syndicate.ingest", job_payload(job), exc, data=data)
    metrics.rejected(job.source)
    if job.ref:
        rt.store.set_outcome(job.source, job.ref, reason)
    if job.quarantined:
        quarantine.update_reason(Path(job.quarantined), reason)
    return dl.id


def handle_ingest(rt: Runtime, job: IngestJob, dispatch: Dispatcher) -> str:
    """Ingest one arrival and fan it out. Bad input is rejected (and quarantined), never raised."""
    with logs.bind(source=job.source):
        arrived = job.arrived or rt.now().timestamp()
        data = rt.store.get_blob(job.blob)
        if data is None:
            raise SyndicateError(
                f"the input {job.filename or job.ref} ({job.blob[:12]}) is no longer in the store"
            )
        try:
            result = ingest_bytes(rt, data, job.filename, job.source)
        except (MalformedInput, UnsupportedFormat) as exc:
            reject_input(rt, job, exc, data)
            log.warning("rejected input %s: %s", job.filename or job.ref, exc)
            return REJECTED
        for ref, digest, item in result.fresh:
            # the item as it was just stored: planning needs no second read of it
            fan_out(rt, ref, item, digest[:12], job.batch, dispatch, arrived)
        # marked seen only once every follow-up is recorded: a crash before this line means a
        # re-run that records them again (harmless), never a story that silently stops here
        if result.claims:
            dispatch.flush()
        for ref, digest in result.claims:
            rt.store.mark_content_seen(ref.guid, ref.version, digest)
        if result.faulty:
            # the usable items went on; the input is kept whole for what was left out, so a
            # replay after a fix brings it back (the items that went on come back duplicates)
            reject_input(rt, job, MalformedInput(result.skipped_reason), data)
            log.warning("left items of %s out: %s", job.filename or job.ref,
                        result.skipped_reason)
        else:
            if result.skipped:
                # packages and the like beside the news items: nothing went wrong
                log.info("left items of %s out by design: %s", job.filename or job.ref,
                         result.skipped_reason)
            if job.ref:
                rt.store.set_outcome(job.source, job.ref, None)
            if job.quarantined:
                # a replay that worked: the quarantined copy is no longer a problem to look at
                quarantine.release(Path(job.quarantined))
        metrics.ingested(job.source, result.format, len(result.fresh) + result.superseded,
                         result.duplicates)
        log.info("ingested %s: %d new, %d duplicate, %d superseded, %d left out",
                 job.filename or job.ref, len(result.fresh), result.duplicates,
                 result.superseded, len(result.skipped), extra={"format": result.format})
        return INGESTED if result.fresh or result.superseded else DUPLICATE


# --------------------------------------------------------------------------------------
# translate


def translate(rt: Runtime, job: TranslateJob) -> tuple[ItemRef, NewsItem] | None:
    """Translate the stored item into ``job.target`` and store the translation (returned with
    where it is stored); None when a newer version exists."""
    with timed(rt.store, "translate"):
        src = ItemRef(job.guid, job.version, job.source_language)
        item, latest = rt.store.item_and_latest(src)
        if latest is not None and latest > job.version:
            return None
        if item is None:
            raise SyndicateError(f"item {src.key} is not in the store (was the state reset?)")
        from syndicate.translate import TranslationStats, open_cache, translate_item

        settings = rt.config.translation
        if job.profile:
            settings = rt.config.partner(job.profile).translation_settings(
                settings, job.source_language, job.target)
        from syndicate.translate.engine import background

        stats = TranslationStats()
        # routine copy yields the processor to a flash translated beside it
        with background(job.lane != URGENT):
            translated = translate_item(
                item, job.target, engine=rt.config.translation.engine,
                style=rt.config.translation.style, settings=settings,
                # in the state store's Redis, when there is one: every worker shares sentences
                cache=open_cache(rt.config.translation.cache, rt.settings.state_url),
                stats=stats,
            )
        engine = translated.translation.engine if translated.translation else "none"
        metrics.translated(engine, job.pair, stats.cache_sentences, stats.engine_sentences)
        out = ItemRef(job.guid, job.version, stored_language(job.target, job.profile))
        rt.store.put_item(out, translated)
        return out, translated


def handle_translate(rt: Runtime, job: TranslateJob, dispatch: Dispatcher) -> str:
    with logs.bind(guid=job.guid, version=job.version, language=job.target):
        done = translate(rt, job)
        if done is None:
            return SUPERSEDED
        for ejob in plan_exports(rt, job.guid, job.version, job.target, job.source_language,
                                 job.batch, job.rev, item=done[1], profile=job.profile,
                                 arrived=job.arrived):
            dispatch.export(ejob)
        log.info("translated %s -> %s", job.source_language, job.target)
        return TRANSLATED


# --------------------------------------------------------------------------------------
# render + deliver


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    status: str
    #: where each format went (DELIVERED)
    locations: tuple[str, ...] = ()
    #: for HELD: when the embargo lifts
    eta: dt.datetime | None = None


def deliver(rt: Runtime, job: ExportJob) -> DeliveryOutcome:
    """Render the item in each of the partner's formats and hand it to the destination, once.

    The dateline is written in the partner's house style (or its language's default) right
    before rendering, so the stored item stays one per language.

    Skips (SUPERSEDED) when a newer version exists or was delivered, holds (HELD) while an
    embargo runs, sends a kill only to partners that received the story, and skips (SKIPPED)
    an item of a class the partner does not take. A format this
    task delivered before it failed on another is not sent again when it is retried.
    """
    with timed(rt.store, "deliver"):
        item, latest = rt.store.item_and_latest(
            ItemRef(job.guid, job.version, job.stored_language))
        if item is None:
            raise SyndicateError(
                f"item {job.guid} v{job.version} ({job.language}) is not in the store"
            )
        # a kill or a hold: it goes at once, and only to partners that have the story
        canceled = item.pub_status.withdraws
        if item.embargo is not None and not canceled:
            embargo = item.embargo if item.embargo.tzinfo else item.embargo.replace(tzinfo=dt.UTC)
            if embargo > rt.now():
                return DeliveryOutcome(HELD, eta=embargo)
        if latest is not None and latest > job.version:
            return DeliveryOutcome(SUPERSEDED)
        partner = rt.config.partner(job.partner)
        if not canceled and not partner.accepts(item):
            # planned before the partner's contract changed (or replayed since)
            return DeliveryOutcome(SKIPPED)
        dest_cfg = partner.destination(job.destination)
        key = f"{job.partner}|{job.destination}|{job.language}|{job.guid}"
        # waits a little longer than the lock lives, so a dead holder delays, never fails, it
        with rt.store.lock(f"deliver:{key}", ttl=rt.lock_ttl, wait=rt.lock_ttl + 5.0):
            # received is kept by source guid, whatever copy went out: the kill of a source
            # story finds the partners of each of its translations, and goes out under the
            # translation's guid (the kill is translated like the story was)
            if canceled and job.partner not in rt.store.partners_received(job.guid):
                return DeliveryOutcome(SKIPPED)
            pending = []
            done = 0
            for fmt in job.formats:
                last = rt.store.last_delivery(job.partner, job.destination, job.language,
                                              job.guid, fmt)
                if last is not None and last.version > job.version:
                    continue
                if (last is not None and job.rev and last.version == job.version
                        and last.rev == job.rev):
                    done += 1  # an earlier attempt of this task sent it
                    continue
                pending.append(fmt)
            if not pending and not done:
                return DeliveryOutcome(SUPERSEDED)
            # one translation per language; each partner gets the dateline in its own style
            styled = localize_item(item, job.language, partner.style)
            if partner.visible_corrections:
                styled = with_visible_correction(styled)
            destination = create_destination(dest_cfg.type, dest_cfg.options(), rt.store)
            locations = []
            for fmt in pending:
                # partners know the story by the guid of the copy they get (a translation has
                # its own); the job and the store keep the source's guid, which names the
                # work. The item is rendered only if the destination reads the bytes (the feed
                # store does not)
                location = destination.deliver(Delivery(
                    partner=job.partner, language=job.language, guid=item.guid,
                    version=job.version, format=fmt, item=styled,
                    options=partner.render_options(fmt),
                    pub_status=str(item.pub_status),
                    source_guid=job.guid if item.guid != job.guid else None,
                ))
                rt.store.record_delivery_of(job.partner, job.destination, job.language,
                                            job.guid, job.version, fmt, location,
                                            str(item.pub_status), rev=job.rev)
                locations.append(location)
        return DeliveryOutcome(DELIVERED, tuple(locations))


def handle_export(rt: Runtime, job: ExportJob, dispatch: Dispatcher) -> str:
    with logs.bind(guid=job.guid, version=job.version, language=job.language,
                   partner=job.partner):
        try:
            outcome = deliver(rt, job)
        except Exception:
            # each failed attempt counts: a partner that keeps failing shows before the retries
            # run out
            metrics.delivery(job.partner, job.destination, FAILED)
            raise
        metrics.delivery(job.partner, job.destination, outcome.status)
        if outcome.status == HELD:
            # the embargo is checked again when it comes back: nothing leaks early
            dispatch.export(dataclasses.replace(job, batch=None, holds=job.holds + 1),
                            eta=outcome.eta)
            log.info("held under embargo until %s", outcome.eta)
        elif outcome.status == DELIVERED:
            now = rt.now().timestamp()
            if job.arrived and not job.holds:
                # an embargo's wait is the embargo's, not the pipeline's
                metrics.end_to_end(job.partner, now - job.arrived)
            log.info("delivered to %s", ", ".join(outcome.locations) or "(sent before)")
        else:
            log.info("not delivered: %s", outcome.status)
        return outcome.status
