"""The dateline at the head of a body: formats that carry it inside the first paragraph (NITF,
ninjs, feeds) take it out here, keeping the markup of the rest of the paragraph. And the moment
a dateline without a year is read against, for every codec; and the first sentence of a text,
which titles copy that came without a headline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from syndicate import dateline as dl
from syndicate.item import Block, Dateline, Span, lead_index

_SENTENCE_END = re.compile(r"[.!?][\"'”’»)]*(?=\s|$)|[。！？][」』”）]*")
_WORD_BEFORE = re.compile(r"(\w+)\W*\Z")
#: words after which a full stop does not end a sentence in wire copy
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "sen", "rep", "gov", "lt", "col", "sgt",
    "capt", "maj", "adm", "jr", "sr", "inc", "corp", "co", "ltd", "vs", "no", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept",
    "univ", "est", "fig",
})


def drop_prefix(block: Block, count: int) -> Block | None:
    """The block without its first ``count`` characters (and the white space after them);
    None when nothing is left."""
    spans: list[Span] = []
    for s in block.spans:
        if count >= len(s.text):
            count -= len(s.text)
            continue
        spans.append(Span(s.text[count:], s.bold, s.italic, s.href))
        count = 0
    while spans and not spans[0].text.strip():
        spans.pop(0)
    if not spans:
        return None
    spans[0] = Span(spans[0].text.lstrip(), spans[0].bold, spans[0].italic, spans[0].href)
    return dataclasses.replace(block, spans=tuple(spans))


def reference_time(*document_times: dt.datetime | dt.date | None, now: dt.datetime) -> dt.datetime:
    """The moment a dateline that omits its year is read against: the first of the document's
    own times that it has, else the time of ingest (``now``).

    A story filed on 31 December and read on 2 January is datelined December of the year it
    was filed, which only the document's own date tells. A date without a time of day counts by
    its calendar date: noon UTC falls on that date from UTC-11 to UTC+11.
    """
    for when in document_times:
        if isinstance(when, dt.datetime):
            return when if when.tzinfo else when.replace(tzinfo=dt.UTC)
        if isinstance(when, dt.date):
            return dt.datetime.combine(when, dt.time(12), dt.UTC)
    return now


def split_lead_dateline(
    blocks: tuple[Block, ...], *, now: dt.datetime, language: str | None
) -> tuple[Dateline | None, tuple[Block, ...]]:
    """(dateline, remaining blocks) when the copy starts with a dateline: its first block that
    is no figure or table (a photo caption often starts with one of its own)."""
    at = lead_index(blocks)
    if at is None:
        return None, blocks
    lead = blocks[at]
    found = dl.parse_dateline(lead.text, now=now, language=language)
    if found is None:
        return None, blocks
    dateline, rest = found
    first = drop_prefix(lead, len(lead.text) - len(rest))
    return dateline, blocks[:at] + ((first,) if first else ()) + blocks[at + 1:]


def first_sentence(text: str) -> str:
    """The first sentence of ``text``, for a headline; full stops after initials and common
    abbreviations ("U.S.", "Gen.", "Oct.") or before a lower-case word do not end it."""
    sentence = text
    for m in _SENTENCE_END.finditer(text):
        if text[m.start()] == ".":
            before = _WORD_BEFORE.search(text, 0, m.start())
            word = before.group(1) if before else ""
            rest = text[m.end():].lstrip()
            if (len(word) == 1 and word.isalpha()) or word.lower() in _ABBREVIATIONS or (
                rest[:1].islower()
            ):
                continue
        sentence = text[: m.end()]
        break
    if len(sentence) > 160:
        cut = sentence.rfind(" ", 0, 160)
        sentence = sentence[: cut if cut > 40 else 160].rstrip(" ,;:") + "…"
    return sentence
