"""Translate whole NewsItems: segment, look up the cache, one engine batch, reassemble.

Sentences of every item in a call (headline, summary, other descriptions such as captions,
body) go to the engine in one batch per route hop; sentences seen before come from the cache,
repeated ones are translated once. The body keeps its structure: paragraphs, headings, quotes,
list items, a table's caption and each of its cells, a figure's caption (its own, apart from the
copy) are translated; agate (preformatted results and prices) and credits are kept as written.
The result is a new item with its own guid, linked to its
source by ``irel:translatedFrom`` and marked as machine translated. Editorial notes are
editor-to-editor messages: they stay notes, untranslated, marked with the source language (as
are subject and genre names, which come from the source's vocabularies). A picture, graphic,
video or audio item has no body and often no dateline: its headline and caption are translated,
its class and renditions kept.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from syndicate.dateline.localize import localize_dateline
from syndicate.errors import TranslationError
from syndicate.item import (
    Block,
    BlockKind,
    Dateline,
    Description,
    Link,
    MachineTranslation,
    NewsItem,
    Note,
    Span,
    Subject,
    lead_index,
)
from syndicate.translate.cache import SentenceCache, SharedCache, cache_key, open_cache
from syndicate.translate.config import TranslationSettings
from syndicate.translate.engine import Hop, Route, get_engine, plan_route, primary_language
from syndicate.translate.segment import (
    Placeholders,
    Protector,
    Segment,
    SegmentedText,
    protector_for,
    segment_spans,
)

log = logging.getLogger(__name__)

TRANSLATED_FROM = "irel:translatedFrom"

#: languages written without spaces between sentences
_NO_SPACE = {"zh", "ja", "th", "lo", "km", "my"}


def translated_guid(source_guid: str, target: str) -> str:
    """The guid of the ``target`` translation of an item: deterministic, one per language."""
    return f"{source_guid}:{target.lower()}"


@dataclass
class TranslationStats:
    """Where a translation's sentences came from (distinct sentences per hop), for whoever
    counts them: pass one to :func:`translate_items`, it adds to it."""

    cache_sentences: int = 0
    engine_sentences: int = 0


class Batch:
    """Runs masked sentences through a route's hops with the sentence cache in front."""

    def __init__(self, settings: TranslationSettings, cache: SentenceCache | None) -> None:
        self.settings = settings
        self.cache = cache
        #: sentences the engines actually translated (not served by the cache)
        self.engine_sentences = 0
        #: sentences the cache served
        self.cache_sentences = 0

    def hop(self, hop: Hop, texts: Sequence[str]) -> list[str]:
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        done: dict[str, str] = {}
        keys = [cache_key(hop.engine, hop.model_version, hop.source, hop.target, t) for t in unique]
        by_key = dict(zip(unique, keys, strict=True))
        if self.cache is not None and unique:
            for text, hit in zip(unique, self.cache.get_many(keys), strict=True):
                if hit is not None:
                    done[text] = hit
        todo = [t for t in unique if t not in done]
        theirs: list[str] = []
        if todo and isinstance(self.cache, SharedCache):
            # sentences another worker is translating right now are left to it: ours go to the
            # engine first, theirs are picked up after (most have arrived by then)
            mine = self.cache.claim_many([by_key[t] for t in todo])
            theirs = [t for t, ok in zip(todo, mine, strict=True) if not ok]
            todo = [t for t, ok in zip(todo, mine, strict=True) if ok]
        translated = self._engine(hop, todo, by_key, done)
        if theirs and isinstance(self.cache, SharedCache):
            arrived = self.cache.wait_many([by_key[t] for t in theirs])
            for text, value in zip(theirs, arrived, strict=True):
                if value is not None:
                    done[text] = value
            # not in time, or their worker failed: translated here after all
            late = [t for t in theirs if t not in done]
            translated += self._engine(hop, late, by_key, done)
        self.cache_sentences += len(unique) - translated
        return [done.get(t, t) for t in texts]

    def _engine(self, hop: Hop, todo: list[str], by_key: dict[str, str], done: dict[str, str]) -> int:
        """Translate ``todo`` with the hop's engine into ``done`` and the cache; how many."""
        if not todo:
            return 0
        try:
            engine = get_engine(hop.engine, self.settings)
            out = engine.translate_batch(todo, hop.source, hop.target)
            if len(out) != len(todo):
                raise TranslationError(f"engine {hop.engine} returned {len(out)} sentences for {len(todo)}")
        except BaseException:
            if isinstance(self.cache, SharedCache):
                # whoever waits for these need not wait out the claims: they translate them
                self.cache.release_many([by_key[t] for t in todo])
            raise
        self.engine_sentences += len(todo)
        fresh = dict(zip(todo, out, strict=True))
        done.update(fresh)
        if self.cache is not None:
            self.cache.set_many({by_key[t]: v for t, v in fresh.items()})
        return len(todo)

    def route(self, route: Route, texts: Sequence[str]) -> list[str]:
        out = list(texts)
        for hop in route.hops:
            out = self.hop(hop, out)
        return out


@dataclass(frozen=True, slots=True)
class _BlockPlan:
    """What of one body block is translated: its text (a paragraph's, a heading's, a figure's or
    a table's caption), a table's cells; nothing of agate (preformatted text), kept as written."""

    text: SegmentedText | None
    #: per row, per cell: the cell's text
    cells: tuple[tuple[SegmentedText, ...], ...] = ()

    def texts(self) -> list[SegmentedText]:
        head = [self.text] if self.text is not None else []
        return head + [c for row in self.cells for c in row]


@dataclass(frozen=True, slots=True)
class _Plan:
    """What of one item is translated: each field cut into masked sentences."""

    item: NewsItem
    route: Route
    headline: SegmentedText
    summary: SegmentedText | None
    #: per description besides the summary
    descriptions: tuple[SegmentedText, ...]
    #: per body block
    body: tuple[_BlockPlan, ...]
    #: the source dateline text cut from the head of the copy (its lead block), if it was there
    dateline_prefix: str | None
    #: the lead block: the first that is no figure or table
    lead: int | None = None

    def segments(self) -> list[Segment]:
        texts = [self.headline, self.summary, *self.descriptions,
                 *(t for b in self.body for t in b.texts())]
        return [s for t in texts if t is not None for s in t.segments if s.needs_translation]


def _cut_prefix(spans: Sequence[Span], n: int) -> tuple[Span, ...]:
    out: list[Span] = []
    for s in spans:
        if n >= len(s.text):
            n -= len(s.text)
            continue
        out.append(Span(s.text[n:], s.bold, s.italic, s.href))
        n = 0
    return tuple(out)


def _plan(item: NewsItem, route: Route, protector: Protector, placeholders: Placeholders) -> _Plan:
    body: list[_BlockPlan] = []
    prefix: str | None = None
    at = lead_index(item.body)
    for i, block in enumerate(item.body):
        spans: tuple[Span, ...] = block.spans
        if i == at and item.dateline and item.dateline.raw.strip():
            # the dateline is localized, not translated: keep it away from the engine
            raw = item.dateline.raw.strip()
            lead = len(block.text) - len(block.text.lstrip())
            if block.text[lead:].startswith(raw):
                prefix = raw
                spans = _cut_prefix(spans, lead + len(raw))
        if block.kind == BlockKind.PREFORMATTED:
            body.append(_BlockPlan(None))  # agate: results and prices, laid out by hand
            continue
        cells = tuple(tuple(segment_spans(c.spans, protector, placeholders) for c in row)
                      for row in block.rows)
        body.append(_BlockPlan(segment_spans(spans, protector, placeholders), cells))
    return _Plan(
        item=item,
        route=route,
        headline=segment_spans((Span(item.headline),), protector, placeholders),
        summary=segment_spans((Span(item.summary),), protector, placeholders) if item.summary else None,
        descriptions=tuple(segment_spans((Span(d.text),), protector, placeholders)
                           for d in item.descriptions),
        body=tuple(body),
        dateline_prefix=prefix,
        lead=at,
    )


def localize(dateline: Dateline | None, target: str, style: str | None) -> Dateline | None:
    """The dateline as the target language writes it."""
    if dateline is None:
        return None
    return localize_dateline(dateline, target, style)


def _translate_segments(batch: Batch, route: Route, segments: Sequence[Segment]) -> dict[int, list[Span]]:
    """id(segment) -> translated spans, for every segment, in two engine rounds at most."""
    first = batch.route(route, [s.masked for s in segments])
    result: dict[int, list[Span]] = {}
    retry: list[Segment] = []
    for seg, text in zip(segments, first, strict=True):
        spans = seg.restore(text)
        if spans is None:
            retry.append(seg)
        else:
            result[id(seg)] = spans
    if retry:
        log.info("%d sentences lost placeholders; translating their text runs apart", len(retry))
        frags = [f for seg in retry for f in seg.fragments()]
        done = iter(batch.route(route, frags))
        for seg in retry:
            result[id(seg)] = seg.restore_fragments([next(done) for _ in seg.fragments()])
    return result


def _rebuild(text: SegmentedText, done: dict[int, list[Span]], target: str) -> list[Span]:
    joiner = "" if primary_language(target) in _NO_SPACE else " "
    translated = [done.get(id(s)) or s.source_spans() for s in text.segments]
    if joiner == "":
        text = SegmentedText(text.segments, tuple("" if g == " " else g for g in text.gaps))
    return text.rebuild(translated, joiner)


def _plain(spans: Sequence[Span]) -> str:
    return "".join(s.text for s in spans)


def _in_source_language(subject: Subject | None, source: str) -> Subject | None:
    if subject is None or subject.name is None or subject.name_language is not None:
        return subject
    return Subject(subject.qcode, subject.name, subject.uri, source)


def _assemble(plan: _Plan, done: dict[int, list[Span]], target: str, style: str | None) -> NewsItem:
    item = plan.item
    dateline = localize(item.dateline, target, style)
    blocks: list[Block] = []
    for i, (block, bp) in enumerate(zip(item.body, plan.body, strict=True)):
        if bp.text is None:
            blocks.append(block)
            continue
        spans = _rebuild(bp.text, done, target)
        if i == plan.lead and plan.dateline_prefix is not None:
            head = dateline.raw.strip() if dateline and dateline.raw.strip() else plan.dateline_prefix
            spans = [Span(head), *spans]
        rows = tuple(
            tuple(dataclasses.replace(cell, spans=tuple(s for s in _rebuild(seg, done, target) if s.text))
                  for cell, seg in zip(row, segs, strict=True))
            for row, segs in zip(block.rows, bp.cells, strict=True)
        )
        blocks.append(dataclasses.replace(block, spans=tuple(s for s in spans if s.text), rows=rows))
    links = tuple(lk for lk in item.links if lk.rel != TRANSLATED_FROM)
    links += (Link(rel=TRANSLATED_FROM, residref=item.guid, version=item.version),)
    return item.replace(
        guid=translated_guid(item.guid, target),
        language=target,
        headline=_plain(_rebuild(plan.headline, done, target)).strip(),
        summary=_plain(_rebuild(plan.summary, done, target)).strip() if plan.summary else None,
        descriptions=tuple(
            Description(_plain(_rebuild(seg, done, target)).strip() or d.text, d.role)
            for d, seg in zip(item.descriptions, plan.descriptions, strict=True)
        ),
        # notes are not translated: they say in which language they are written
        notes=tuple(n if n.language else Note(n.text, n.role, item.language) for n in item.notes),
        subjects=tuple(_in_source_language(s, item.language) or s for s in item.subjects),
        genre=_in_source_language(item.genre, item.language),
        dateline=dateline,
        body=tuple(blocks),
        links=links,
        translation=MachineTranslation(
            engine=plan.route.engine,
            model_version=plan.route.model_version,
            source_language=item.language,
        ),
    )


def translate_items(
    items: Sequence[NewsItem],
    target: str,
    *,
    engine: str | None = None,
    style: str | None = None,
    settings: TranslationSettings | None = None,
    cache: SentenceCache | None = None,
    stats: TranslationStats | None = None,
) -> list[NewsItem]:
    """Translate several items into ``target``, batching their sentences together.

    ``engine`` forces one engine for every hop; ``style`` is the house style the dateline is
    localized in; ``settings`` are the translation settings (the configuration's
    ``translation:`` section; None: the built-in defaults). Raises MissingLanguagePair (naming
    what to install) when no route exists. ``stats``, when given, is added the counts of
    sentences served by the cache and by the engines.
    """
    if not items:
        return []
    settings = settings or TranslationSettings()
    cache = cache if cache is not None else open_cache(settings.cache)
    protector = protector_for(settings.protect)
    routes: dict[str, tuple[Route, Placeholders]] = {}
    plans: list[_Plan] = []
    for item in items:
        src = primary_language(item.language)
        if src not in routes:
            route = plan_route(src, target, settings, engine)
            routes[src] = (route, route.placeholders(settings))
        route, placeholders = routes[src]
        plans.append(_plan(item, route, protector, placeholders))
    batch = Batch(settings, cache)
    done: dict[int, list[Span]] = {}
    for route, _ in routes.values():
        segs = [s for p in plans if p.route is route for s in p.segments()]
        done.update(_translate_segments(batch, route, segs))
    log.info(
        "translated %d items into %s: %d sentences from the engines",
        len(items),
        target,
        batch.engine_sentences,
    )
    if stats is not None:
        stats.cache_sentences += batch.cache_sentences
        stats.engine_sentences += batch.engine_sentences
    return [_assemble(p, done, target, style) for p in plans]


def engine_sentences(
    items: Sequence[NewsItem],
    target: str,
    *,
    engine: str | None = None,
    settings: TranslationSettings | None = None,
) -> list[str]:
    """The distinct masked sentences :func:`translate_items` would send to the engines first."""
    out: dict[str, None] = {}
    for item in items:
        out.update((s.masked, None) for s in item_segments(item, target, engine=engine,
                                                           settings=settings))
    return list(out)


def item_segments(
    item: NewsItem,
    target: str,
    *,
    engine: str | None = None,
    settings: TranslationSettings | None = None,
) -> list[Segment]:
    """Every sentence of ``item`` that is translated into ``target``, in order, repeats kept
    (``masked`` is what the engine is sent first; ``restore`` and ``fragments`` say whether its
    translation kept the placeholders and, if not, which text runs are sent instead)."""
    settings = settings or TranslationSettings()
    route = plan_route(primary_language(item.language), target, settings, engine)
    return _plan(item, route, protector_for(settings.protect), route.placeholders(settings)).segments()


def translate_item(
    item: NewsItem,
    target: str,
    *,
    engine: str | None = None,
    style: str | None = None,
    settings: TranslationSettings | None = None,
    cache: SentenceCache | None = None,
    stats: TranslationStats | None = None,
) -> NewsItem:
    """Translate one item into ``target`` (see :func:`translate_items`)."""
    return translate_items([item], target, engine=engine, style=style, settings=settings,
                           cache=cache, stats=stats)[0]


def preload(source: str, target: str, settings: TranslationSettings | None = None) -> Route:
    """Load the models of the ``source -> target`` route now (translate workers do this at start)."""
    settings = settings or TranslationSettings()
    route = plan_route(source, target, settings)
    for hop in route.hops:
        eng = get_engine(hop.engine, settings)
        load = getattr(eng, "preload", None)
        if load is not None:
            load(hop.source, hop.target)
    return route
