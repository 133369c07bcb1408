"""Atom 1.0 feed pages of news items: RFC 5005 paging links and RFC 6721 tombstones for kills.

A writer only (the ``feed`` codec reads Atom): the feed server chooses the entries of a page
and the URLs; this module turns them into the document. An entry's ``author``s are the item's
named creators (else its byline or provider), its ``contributor``s the named contributors;
editorial notes are not published, and Atom has no place for them. A picture, graphic, video or
audio entry links each rendition as ``link rel="enclosure"`` (type, length in bytes, title),
carries its caption as the summary when it has no summary, and has no content without a body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from syndicate.formats.xhtml import XHTML_NS, blocks_to_elements, xml_text
from syndicate.item import NewsItem, Person, PubStatus, guid_slug

ATOM_NS = "http://www.w3.org/2005/Atom"
TOMBSTONE_NS = "http://purl.org/atompub/tombstones/1.0"
MEDIA_TYPE = "application/atom+xml"
#: the ``updated`` of a feed with no entries yet: fixed, so its ETag stays the same too
EMPTY_FEED_UPDATED = "1970-01-01T00:00:00+00:00"
#: what RFC 4287 takes as a link's media type (atomMediaType)
_MEDIA_TYPE = re.compile(r"[^\s/]+/[^\s/]+\Z")


@dataclass(frozen=True, slots=True)
class Entry:
    """One item of a feed page."""

    item: NewsItem
    #: when the entry last changed (ISO 8601)
    updated: str
    #: a kill (or a hold): written as a tombstone, which tells readers to remove the entry
    #: they hold (a hold lifted by a later usable version brings the entry back)
    canceled: bool
    #: where the item's full document is read (the entry's alternate link)
    href: str


@dataclass(frozen=True, slots=True)
class Page:
    """One page of one partner's feed in one language, newest entry first."""

    partner: str
    language: str
    entries: Sequence[Entry]
    #: the newest entry's time over the whole feed (None for an empty feed)
    updated: str | None
    self_url: str
    first_url: str
    #: the next (older) page, None on the last page
    next_url: str | None
    #: the media type of the documents the entries link to
    item_type: str


def _q(tag: str) -> str:
    return f"{{{ATOM_NS}}}{tag}"


def _time(value: dt.datetime | str) -> str:
    t = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def entry_id(guid: str) -> str:
    """The Atom id of an item: its guid when that is an IRI already (``urn:``, ``tag:``...)."""
    scheme, sep, _ = guid.partition(":")
    if sep and scheme and scheme[0].isalpha() and all(c.isalnum() or c in "+-." for c in scheme):
        return guid
    return "urn:syndicate:item:" + guid_slug(guid)


def _text(parent: etree._Element, tag: str, text: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _q(tag), attrs)
    el.text = text
    return el


def _entry(feed: etree._Element, entry: Entry, item_type: str) -> None:
    item = entry.item
    el = etree.SubElement(feed, _q("entry"))
    _text(el, "id", entry_id(item.guid))
    _text(el, "title", item.headline)
    _text(el, "updated", _time(entry.updated))
    # Atom's published is the entry's first availability: the item's first version, else its content
    published = item.first_created or item.created
    if published is not None:
        _text(el, "published", _time(published))
    named = [p for p in item.authors if p.name]
    creators = [p for p in named if not p.contributor]
    for person in creators:
        _person(el, "author", person)
    if not creators:
        author = etree.SubElement(el, _q("author"))
        _text(author, "name", item.byline or item.provider or "syndicate")
    for person in named:
        if person.contributor:
            _person(el, "contributor", person)
    etree.SubElement(el, _q("link"), rel="alternate", type=item_type, href=entry.href)
    for rendition in item.renditions:
        attrs = {"rel": "enclosure", "href": xml_text(rendition.href)}
        if rendition.content_type and _MEDIA_TYPE.match(rendition.content_type.strip()):
            attrs["type"] = rendition.content_type.strip()
        if rendition.size is not None and rendition.size >= 0:
            attrs["length"] = str(rendition.size)
        if rendition.title:
            attrs["title"] = xml_text(rendition.title)
        etree.SubElement(el, _q("link"), attrs)
    for subject in item.subjects:
        term = subject.qcode or subject.name
        if term:
            attrs = {"term": term}
            if subject.name:
                attrs["label"] = subject.name
            etree.SubElement(el, _q("category"), attrs)
    summary = item.summary or (item.caption if item.item_class.is_media else None)
    if summary:
        _text(el, "summary", summary)
    if item.item_class.is_media and not item.body:
        # a picture or a clip is its enclosures: no empty content beside them
        if item.copyright:
            _text(el, "rights", item.copyright)
        return
    content = etree.SubElement(el, _q("content"), type="xhtml")
    div = etree.SubElement(content, f"{{{XHTML_NS}}}div", nsmap={None: XHTML_NS})
    blocks_to_elements(item.body, div, XHTML_NS)
    if item.dateline is not None and item.dateline.raw.strip():
        _open_with_dateline(div, item.dateline.raw.strip())
    if item.copyright:
        _text(el, "rights", item.copyright)


def _person(entry: etree._Element, tag: str, person: Person) -> None:
    el = etree.SubElement(entry, _q(tag))
    _text(el, "name", xml_text(person.name or ""))
    if person.uri and person.uri.startswith(("http://", "https://")):
        _text(el, "uri", xml_text(person.uri))


_NOT_COPY = frozenset({f"{{{XHTML_NS}}}figure", f"{{{XHTML_NS}}}table"})
_LISTS = frozenset({f"{{{XHTML_NS}}}ul", f"{{{XHTML_NS}}}ol"})


def _open_with_dateline(div: etree._Element, dateline: str) -> None:
    """Put the dateline at the start of the first paragraph, as partners print it and as the
    ninjs feed has it: ``<span class="dateline">`` so readers can style or strip it. The copy
    starts at the first element that is no figure or table (a photo often comes first)."""
    lead = next((c for c in div if c.tag not in _NOT_COPY), None)
    if lead is None:
        return
    if lead.tag in _LISTS and len(lead):
        lead = lead[0]
    span = etree.Element(f"{{{XHTML_NS}}}span", {"class": "dateline"})
    span.text = xml_text(dateline)
    span.tail = " " + (lead.text or "")
    lead.text = None
    lead.insert(0, span)


def _tombstone(feed: etree._Element, entry: Entry) -> None:
    # RFC 6721: readers that hold the entry remove it; the ref is the id the entry had
    item = entry.item
    el = etree.SubElement(feed, f"{{{TOMBSTONE_NS}}}deleted-entry",
                          ref=entry_id(item.guid), when=_time(entry.updated))
    comment = etree.SubElement(el, f"{{{TOMBSTONE_NS}}}comment")
    what = "withheld (hold)" if item.pub_status == PubStatus.WITHHELD else "canceled (kill)"
    comment.text = f"{what} in version {item.version}: {item.headline}"


def render_feed(page: Page) -> bytes:
    """The Atom document of one feed page."""
    feed = etree.Element(_q("feed"), nsmap={None: ATOM_NS, "at": TOMBSTONE_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", page.language)
    _text(feed, "id", f"urn:syndicate:feed:{page.partner}:{page.language}")
    _text(feed, "title", f"syndicate: {page.partner} ({page.language})")
    _text(feed, "updated", _time(page.updated or EMPTY_FEED_UPDATED))
    author = etree.SubElement(feed, _q("author"))
    _text(author, "name", "syndicate")
    _text(feed, "generator", "syndicate")
    for rel, url in (("self", page.self_url), ("first", page.first_url), ("next", page.next_url)):
        if url is not None:
            etree.SubElement(feed, _q("link"), rel=rel, type=MEDIA_TYPE, href=url)
    for entry in page.entries:
        if entry.canceled:
            _tombstone(feed, entry)
        else:
            _entry(feed, entry, page.item_type)
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8")
