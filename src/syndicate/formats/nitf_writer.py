"""Writes a NewsItem as a NITF 3.6 document, in the element order the NITF 3.6 DTD requires.

The body goes through the same block model every codec reads: what is written here reads back
through :mod:`syndicate.formats.nitf` to the same headline, byline, dateline and copy.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from collections.abc import Iterable, Sequence

from lxml import etree

from syndicate.formats.xhtml import header_rows, xml_text
from syndicate.item import Block, BlockKind, Cell, Dateline, NewsItem, PubStatus, Span

VERSION = "-//IPTC//DTD NITF 3.6//EN"
DOCTYPE = (f'<!DOCTYPE nitf PUBLIC "{VERSION}" '
           '"http://www.iptc.org/std/NITF/3.6/specification/dtd/nitf-3-6.dtd">')

_WS = re.compile(r"\s+")
#: "Copyright 2026 AFP", "© 2026 Reuters", "(c) AP 2026": the year and the holder apart
_COPYRIGHT = re.compile(r"^\s*(?:copyright\b|©|\(c\))?\s*(?:(?P<year>\d{4})\b)?[\s.,]*(?P<holder>.*?)"
                        r"[\s.,]*(?:(?P<year2>\d{4})\b)?[\s.]*$", re.I)


def _line(text: str) -> str:
    return _WS.sub(" ", xml_text(text)).strip()


def _norm(when: dt.datetime | dt.date) -> str:
    """ISO 8601 basic form, as NITF's ``norm`` attributes take it (UTC for a time)."""
    if isinstance(when, dt.datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        return when.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S+0000")
    return f"{when.year:04d}{when.month:02d}{when.day:02d}"


def _sub(parent: etree._Element, tag: str, text: str | None = None,
         attrs: dict[str, str] | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag, attrs or {})
    if text is not None:
        el.text = xml_text(text)
    return el


def _append_text(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def spans_into(parent: etree._Element, spans: Iterable[Span]) -> None:
    """Inline runs as NITF writes emphasis: ``em class="bold"``, ``em class="italic"`` (NITF
    has no b or i), inside ``a href`` for a link."""
    for span in spans:
        text = xml_text(span.text)
        if not text:
            continue
        if not (span.bold or span.italic or span.href):
            _append_text(parent, text)
            continue
        el = parent
        if span.href:
            el = etree.SubElement(el, "a", href=xml_text(span.href))
        if span.bold:
            el = etree.SubElement(el, "em", {"class": "bold"})
        if span.italic:
            el = etree.SubElement(el, "em", {"class": "italic"})
        el.text = text


def _cell(tr: etree._Element, cell: Cell) -> None:
    attrs = {}
    if cell.colspan > 1:
        attrs["colspan"] = str(cell.colspan)
    if cell.rowspan > 1:
        attrs["rowspan"] = str(cell.rowspan)
    el = etree.SubElement(tr, "th" if cell.header else "td", attrs)
    el.text = ""
    spans_into(el, cell.spans)


def _table(parent: etree._Element, block: Block) -> None:
    rows = tuple(r for r in block.rows if r)
    if not rows:
        if block.spans:
            spans_into(etree.SubElement(parent, "p"), block.spans)
        return
    table = etree.SubElement(parent, "table")
    if block.spans:
        spans_into(etree.SubElement(table, "caption"), block.spans)
    n_head = header_rows(rows)
    for tag, part in (("thead", rows[:n_head]), ("tbody", rows[n_head:])):
        if part:
            section = etree.SubElement(table, tag)
            for row in part:
                tr = etree.SubElement(section, "tr")
                for cell in row:
                    _cell(tr, cell)


def _media(parent: etree._Element, block: Block) -> None:
    if block.src is None and not block.spans and not block.credit:
        return
    media = etree.SubElement(parent, "media", {"media-type": "image"})
    ref: dict[str, str] = {}
    if block.src:
        ref["source"] = xml_text(block.src)
    ref["mime-type"] = (mimetypes.guess_type(block.src or "")[0] or "image/jpeg")
    etree.SubElement(media, "media-reference", ref)
    if block.spans:
        spans_into(etree.SubElement(media, "media-caption"), block.spans)
    if block.credit:
        _sub(media, "media-producer", _line(block.credit))


def blocks_into(parent: etree._Element, blocks: Sequence[Block]) -> None:
    """The blocks as NITF ``body.content`` children: ``p``, ``hl2`` (a subheading with
    ``class="subheading"``), ``bq`` (a ``block`` and its ``credit``), ``ul``/``ol``, ``pre``,
    ``table`` and ``media``."""
    group: etree._Element | None = None
    group_kind: BlockKind | None = None
    for block in blocks:
        kind = block.kind
        if not block.text and kind is not BlockKind.TABLE and kind is not BlockKind.FIGURE:
            continue
        if kind.is_list_item:
            if group is None or group_kind is not kind:
                group = etree.SubElement(parent, "ol" if kind is BlockKind.ORDERED_ITEM else "ul")
                group_kind = kind
            spans_into(etree.SubElement(group, "li"), block.spans)
            continue
        group, group_kind = None, None
        if kind is BlockKind.TABLE:
            _table(parent, block)
        elif kind is BlockKind.FIGURE:
            _media(parent, block)
        elif kind is BlockKind.PREFORMATTED:
            # pre holds text only: agate is kept line for line, its markup is not
            pre = _sub(parent, "pre", block.text)
            if block.text.startswith("\n"):
                pre.text = "\n" + (pre.text or "")
        elif kind is BlockKind.QUOTE:
            bq = etree.SubElement(parent, "bq")
            spans_into(etree.SubElement(etree.SubElement(bq, "block"), "p"), block.spans)
            if block.credit:
                _sub(bq, "credit", _line(block.credit))
        elif kind is BlockKind.HEADING or kind is BlockKind.SUBHEADING:
            hl2 = etree.SubElement(parent, "hl2")
            if kind is BlockKind.SUBHEADING:
                hl2.set("class", "subheading")
            spans_into(hl2, block.spans)
        else:
            spans_into(etree.SubElement(parent, "p"), block.spans)


def _dateline(parent: etree._Element, dateline: Dateline) -> None:
    """The dateline as written, its city (and region) marked up where the text names them,
    the country's code and the story's date as attributes."""
    el = etree.SubElement(parent, "dateline")
    raw = _line(dateline.raw)
    city = _line(dateline.city) if dateline.city else ""
    # the city as the dateline writes it ("ZURICH" for the city Zurich)
    at = raw.casefold().find(city.casefold()) if city and len(raw) == len(raw.casefold()) else -1
    place = dateline.place
    country_code = (place.country if place else None) or None
    if at >= 0:
        el.text = raw[:at]
        location = etree.SubElement(el, "location")
        _sub(location, "city", raw[at:at + len(city)])
        if country_code:
            _sub(location, "country", attrs={"iso-cc": country_code})
        location.tail = raw[at + len(city):]
    else:
        el.text = raw
        if country_code:
            location = etree.SubElement(el, "location")
            if country_code:
                _sub(location, "country", attrs={"iso-cc": country_code})
    if dateline.date is not None:
        _sub(el, "story.date", attrs={"norm": _norm(dateline.date)})


def _byline(parent: etree._Element, item: NewsItem) -> None:
    """Each byline line, its people marked up where the line names them and their titles
    after them (``byttl``), as the reader takes them apart again."""
    lines = [ln for ln in (item.byline or "").split("\n") if ln.strip()]
    people = [p for p in item.authors if p.name and not p.contributor]
    if not lines and people:
        lines = [", ".join(p.name or "" for p in people)]
    for line in lines:
        el = etree.SubElement(parent, "byline")
        rest = _line(line)
        for person in people:
            name = _line(person.name or "")
            at = rest.find(name)
            if not name or at < 0:
                continue
            _append_text(el, rest[:at])
            _sub(el, "person", name)
            if person.title:
                _append_text(el, ", ")
                _sub(el, "byttl", _line(person.title))
            rest = rest[at + len(name):]
        _append_text(el, rest)


def _copyright(docdata: etree._Element, item: NewsItem) -> None:
    m = _COPYRIGHT.match(_line(item.copyright or ""))
    if m is None:
        return
    year = m["year"] or m["year2"] or (str(item.version_time.year) if item.version_time else None)
    attrs = {}
    if year:
        attrs["year"] = year
    if m["holder"]:
        attrs["holder"] = m["holder"]
    if attrs.get("holder"):
        etree.SubElement(docdata, "doc.copyright", attrs)


def _docdata(head: etree._Element, item: NewsItem) -> None:
    attrs = {}
    if item.pub_status is PubStatus.USABLE:
        attrs["management-status"] = "embargoed" if item.embargo else "usable"
    else:
        attrs["management-status"] = str(item.pub_status)
    docdata = etree.SubElement(head, "docdata", attrs)
    if "sig:correction" in item.signals:
        info = next((n.text for n in item.notes if n.role == "correction"), None)
        correction = etree.SubElement(docdata, "correction", id_string_attr(item.guid))
        if info:
            correction.set("info", _line(info))
    etree.SubElement(docdata, "doc-id", id_string_attr(item.guid))
    if item.urgency is not None:
        _sub(docdata, "urgency", attrs={"ed-urg": str(item.urgency)})
    issued = item.version_time
    if issued is not None:
        _sub(docdata, "date.issue", attrs={"norm": _norm(issued)})
    release = item.embargo or issued
    if release is not None:
        _sub(docdata, "date.release", attrs={"norm": _norm(release)})
    for note in item.notes:
        if note.role == "correction" and "sig:correction" in item.signals:
            continue  # the correction element says it
        msg = {"info": _line(note.text)}
        if note.role:
            msg["msg-type"] = _line(note.role)
        etree.SubElement(docdata, "ed-msg", msg)
    du = {"version": str(item.version)}
    if item.take_key:
        du["key"] = _line(item.take_key)
    etree.SubElement(docdata, "du-key", du)
    _copyright(docdata, item)
    if item.keywords:
        key_list = etree.SubElement(docdata, "key-list")
        for word in item.keywords:
            _sub(key_list, "keyword", attrs={"key": _line(word)})
    place = item.located
    city = place.name if place is not None else item.dateline.city if item.dateline else None
    if city:
        content = etree.SubElement(docdata, "identified-content")
        location = etree.SubElement(content, "location")
        if place is not None and place.geonames_id is not None:
            location.set("location-code", f"geonames:{place.geonames_id}")
        _sub(location, "city", _line(city))
        if place is not None and place.region:
            _sub(location, "region", _line(place.region))
        if place is not None and place.country:
            _sub(location, "country", attrs={"iso-cc": place.country})


def id_string_attr(guid: str) -> dict[str, str]:
    return {"id-string": xml_text(guid)}


def _tobject(head: etree._Element, item: NewsItem) -> None:
    iptc = [s for s in item.subjects if s.qcode and s.qcode.startswith("subj:")]
    genre = item.genre.qcode.partition(":")[2] if item.genre and item.genre.qcode else None
    if not iptc and not genre:
        return
    tobject = etree.SubElement(head, "tobject", {"tobject.type": "news"})
    if genre:
        _sub(tobject, "tobject.property", attrs={"tobject.property.type": genre})
    for subject in iptc:
        attrs = {"tobject.subject.ipr": "IPTC",
                 "tobject.subject.refnum": (subject.qcode or "").partition(":")[2]}
        if subject.name:
            attrs["tobject.subject.detail"] = _line(subject.name)
        etree.SubElement(tobject, "tobject.subject", attrs)


def render(item: NewsItem) -> bytes:
    """The item as one NITF 3.6 document, UTF-8, with the NITF 3.6 document type."""
    lang = item.language
    root = etree.Element("nitf", version=VERSION, baselang=lang)
    head = etree.SubElement(root, "head")
    _sub(head, "title", _line(item.headline))
    _sub(head, "meta", attrs={"name": "language", "content": lang})
    if item.translation is not None:
        mt = item.translation
        _sub(head, "meta", attrs={
            "name": "machine-translation",
            "content": _line(f"{mt.engine} {mt.model_version} {mt.source_language}->{lang}")})
    source = item.link("irel:translatedFrom")
    if source is not None and source.residref:
        _sub(head, "meta", attrs={"name": "translated-from", "content": xml_text(source.residref)})
    _tobject(head, item)
    _docdata(head, item)
    pubdata = {"type": "web"}
    if item.version_time is not None:
        pubdata["date.publication"] = _norm(item.version_time)
    if item.provider:
        pubdata["name"] = _line(item.provider)
    etree.SubElement(head, "pubdata", pubdata)
    body = etree.SubElement(root, "body")
    body_head = etree.SubElement(body, "body.head")
    hedline = etree.SubElement(body_head, "hedline")
    _sub(hedline, "hl1", _line(item.headline))
    _byline(body_head, item)
    if item.provider:
        _sub(body_head, "distributor", _line(item.provider))
    if item.dateline is not None and item.dateline.raw.strip():
        _dateline(body_head, item.dateline)
    if item.summary:
        _sub(etree.SubElement(body_head, "abstract"), "p", _line(item.summary))
    content = etree.SubElement(body, "body.content")
    blocks_into(content, item.body)
    if item.copyright:
        body_end = etree.SubElement(body, "body.end")
        _sub(body_end, "tagline", _line(item.copyright))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", doctype=DOCTYPE,
                          pretty_print=False)
