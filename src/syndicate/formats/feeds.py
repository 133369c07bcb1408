"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds as input: every entry becomes an item.

Agencies and newsrooms publish wire stories as feeds; entry HTML is read into body blocks and a
dateline at the head of the body is taken apart like any other.

Pictures, video and audio: an entry whose Media RSS ``media:content`` (by its ``medium``, else its
type) or ``enclosure`` (RSS) / ``link rel="enclosure"`` (Atom) is an image, a video or an audio file,
and which has no article body of its own (RSS ``content:encoded``, Atom ``content``), is a picture,
video or audio item: the one marked ``isDefault``, else the first, decides which. Its description
(``media:description``, else the entry's description or summary) is its caption, and its media
are its renditions (address, type, size, width, height, duration; ``media:thumbnail`` as
``rnd:thumbnail``), referenced and never fetched. Without a title it takes ``media:title``, else
the caption's first sentence. An entry with a body of its own stays a text story whatever it
encloses (its pictures are not renditions of its text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from lxml import etree

from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, register
from syndicate.formats.bodies import read_markup
from syndicate.formats.lead import split_lead_dateline
from syndicate.formats.media import caption_headline, class_of_media_type, seconds, whole
from syndicate.formats.xhtml import element_to_blocks, html_to_blocks, text_to_blocks
from syndicate.item import (
    Block,
    BlockKind,
    Description,
    ItemClass,
    NewsItem,
    Provenance,
    Rendition,
    Subject,
    derive_guid,
)
from syndicate.textutil import detect_item_language
from syndicate.timeparse import parse_time
from syndicate.xmlsafe import parse_xml, sniff_root

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RSS1 = "http://purl.org/rss/1.0/"
DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
#: Media RSS
MRSS = "http://search.yahoo.com/mrss/"
_MEDIUMS = {"image": ItemClass.PICTURE, "video": ItemClass.VIDEO, "audio": ItemClass.AUDIO}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TAGS = re.compile(r"<[^>]+>")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def _t(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = " ".join("".join(el.itertext()).split())
    return text or None


def _time(text: str | None, tz: dt.tzinfo) -> dt.datetime | None:
    """RFC 822 (RSS) or RFC 3339 (Atom, Dublin Core) date-times, one without a zone in ``tz``;
    None when unreadable."""
    if not text:
        return None
    try:
        return parse_time(text, tz=tz)
    except ValueError:
        return None


def _plain(html_text: str | None) -> str | None:
    if not html_text:
        return None
    blocks = html_to_blocks(html_text) if "<" in html_text else text_to_blocks(html_text)
    # a figure's caption is the figure's, not the entry's text
    text = " ".join(b.text for b in blocks if b.kind is not BlockKind.FIGURE)
    return text or None


def _atom_content(el: etree._Element | None) -> tuple[Block, ...]:
    if el is None:
        return ()
    kind = (el.get("type") or "text").lower()
    if kind == "xhtml":
        div = next(iter(el), None)
        return element_to_blocks(div) if div is not None else ()
    if kind in ("html", "text/html"):
        return html_to_blocks(el.text or "")
    # text that holds HTML or a NITF document (agencies label content loosely) is read as such
    text = "".join(el.itertext())
    markup = read_markup(text, kind)
    return markup.blocks if markup is not None else text_to_blocks(text)


class _Entry:
    """The fields of one entry, whatever the feed dialect."""

    def __init__(self) -> None:
        self.id: str | None = None
        self.link: str | None = None
        self.title: str | None = None
        self.summary: str | None = None
        self.body: tuple[Block, ...] = ()
        self.published: dt.datetime | None = None
        self.updated: dt.datetime | None = None
        self.author: str | None = None
        self.language: str | None = None
        self.categories: list[str] = []
        self.rights: str | None = None
        #: the entry has an article body of its own (content:encoded, Atom content)
        self.full_body = False
        #: a picture, video or audio entry's class, renditions, caption and media title
        self.media_class: ItemClass | None = None
        self.renditions: tuple[Rendition, ...] = ()
        self.caption: str | None = None
        self.media_title: str | None = None


def _merged(first: Rendition, second: Rendition) -> Rendition:
    """One rendition given twice (an enclosure and the media:content of the same file): what
    the first leaves out, the second gives."""
    return Rendition(
        href=first.href, content_type=first.content_type or second.content_type,
        name=first.name or second.name,
        size=first.size if first.size is not None else second.size,
        width=first.width if first.width is not None else second.width,
        height=first.height if first.height is not None else second.height,
        duration=first.duration if first.duration is not None else second.duration,
        title=first.title or second.title,
    )


def _media(el: etree._Element, e: _Entry, enclosures: list[etree._Element], href: str) -> None:
    """The Media RSS content and the enclosures (``enclosures``, their address in attribute
    ``href``) of an entry: its renditions, the class its principal medium gives, and its caption."""
    contents = list(el.iter(f"{{{MRSS}}}content"))
    principal = next((c for c in contents if c.get("isDefault") == "true"), None)
    ranked: list[tuple[etree._Element, str]] = [(c, "url") for c in contents]
    ranked += [(enc, href) for enc in enclosures]
    if principal is not None:
        ranked.sort(key=lambda pair: pair[0] is not principal)
    found: dict[str, Rendition] = {}
    for node, attr in ranked:
        url = (node.get(attr) or "").strip()
        if not url:
            continue
        kind = (node.get("type") or "").strip() or None
        medium = _MEDIUMS.get((node.get("medium") or "").strip().lower()) or class_of_media_type(kind)
        if e.media_class is None and medium is not None:
            e.media_class = medium
        rendition = Rendition(
            href=url, content_type=kind,
            size=whole(node.get("fileSize") if node.tag == f"{{{MRSS}}}content" else node.get("length")),
            width=whole(node.get("width")), height=whole(node.get("height")),
            duration=seconds(node.get("duration")) if node.get("duration") else None,
            title=(node.get("title") or "").strip() or None,
        )
        found[url] = _merged(found[url], rendition) if url in found else rendition
    for thumb in el.iter(f"{{{MRSS}}}thumbnail"):
        url = (thumb.get("url") or "").strip()
        if url and url not in found:
            found[url] = Rendition(href=url, name="rnd:thumbnail", width=whole(thumb.get("width")),
                                   height=whole(thumb.get("height")))
    e.renditions = tuple(found.values())
    e.caption = _plain(_t(next(el.iter(f"{{{MRSS}}}description"), None)))
    e.media_title = _plain(_t(next(el.iter(f"{{{MRSS}}}title"), None)))


def _atom_entries(root: etree._Element, tz: dt.tzinfo) -> tuple[str | None, list[_Entry]]:
    feed_lang = root.get(XML_LANG)
    entries = []
    for el in root.iter(f"{{{ATOM}}}entry"):
        e = _Entry()
        e.id = _t(el.find(f"{{{ATOM}}}id"))
        link = el.find(f"{{{ATOM}}}link[@rel='alternate']")
        link = link if link is not None else el.find(f"{{{ATOM}}}link")
        e.link = link.get("href") if link is not None else None
        e.title = _plain(_t(el.find(f"{{{ATOM}}}title")))
        summary = el.find(f"{{{ATOM}}}summary")
        e.summary = " ".join(b.text for b in _atom_content(summary)
                             if b.kind is not BlockKind.FIGURE) or None
        content = el.find(f"{{{ATOM}}}content")
        e.body = _atom_content(content)
        e.full_body = bool(e.body)
        _media(el, e, el.findall(f"{{{ATOM}}}link[@rel='enclosure']"), "href")
        e.published = _time(_t(el.find(f"{{{ATOM}}}published")), tz)
        e.updated = _time(_t(el.find(f"{{{ATOM}}}updated")), tz)
        names = [_t(a.find(f"{{{ATOM}}}name")) for a in el.findall(f"{{{ATOM}}}author")]
        e.author = ", ".join(n for n in names if n) or None
        e.language = el.get(XML_LANG) or feed_lang
        e.categories = [c.get("label") or c.get("term") or "" for c in el.findall(f"{{{ATOM}}}category")]
        e.rights = _t(el.find(f"{{{ATOM}}}rights"))
        entries.append(e)
    return _t(root.find(f"{{{ATOM}}}title")), entries


def _rss_entries(root: etree._Element, tz: dt.tzinfo) -> tuple[str | None, list[_Entry]]:
    rss1 = root.tag == f"{{{RDF}}}RDF"
    ns = RSS1 if rss1 else ""
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    channel = root.find(q("channel"))
    chan_lang = _t(channel.find(q("language"))) if channel is not None else None
    chan_lang = chan_lang or (_t(channel.find(f"{{{DC}}}language")) if channel is not None else None)
    title = _t(channel.find(q("title"))) if channel is not None else None
    entries = []
    for el in root.iter(q("item")):
        e = _Entry()
        guid = el.find(q("guid"))
        e.link = _t(el.find(q("link")))
        e.id = _t(guid) or el.get(f"{{{RDF}}}about") or e.link
        e.title = _plain(_t(el.find(q("title"))))
        description = el.findtext(q("description"))
        encoded = el.findtext(f"{{{CONTENT}}}encoded")
        if encoded:
            e.body = html_to_blocks(encoded)
            e.summary = _plain(description)
            e.full_body = bool(e.body)
        elif description:
            e.body = html_to_blocks(description) if "<" in description else text_to_blocks(description)
        e.published = _time(_t(el.find(q("pubDate"))), tz) or _time(_t(el.find(f"{{{DC}}}date")), tz)
        e.author = _t(el.find(f"{{{DC}}}creator")) or _t(el.find(q("author")))
        e.language = _t(el.find(f"{{{DC}}}language")) or chan_lang
        e.categories = [c for c in (_t(c) for c in el.findall(q("category"))) if c]
        e.rights = _t(el.find(f"{{{DC}}}rights"))
        _media(el, e, el.findall(q("enclosure")), "url")
        entries.append(e)
    return title, entries


class FeedCodec:
    name = "feed"
    title = "RSS/Atom feed"
    #: what every input this codec recognises holds (see formats.detect): a root tag's "<"
    sniff_marks = b"<"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        root = sniff_root(data)
        if root is None:
            return 0.0
        if root.name in ("rss", "RDF") or (root.name == "feed" and root.namespace == ATOM):
            return 0.9
        return 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        root = parse_xml(data, what="feed")
        if root.tag == f"{{{ATOM}}}feed":
            feed_title, entries = _atom_entries(root, context.zone)
        elif root.tag in ("rss", f"{{{RDF}}}RDF"):
            feed_title, entries = _rss_entries(root, context.zone)
        else:
            raise MalformedInput(f"the feed's root element {root.tag!r} is neither RSS nor Atom")
        digest = hashlib.sha256(data).hexdigest()
        items = []
        for n, e in enumerate(entries, 1):
            if e.media_class is not None and not e.full_body:
                items.append(self._media_item(n, e, feed_title, context, digest))
                continue
            if not e.title:
                raise MalformedInput(f"feed entry {n} ({e.id or 'no id'}) has no title")
            body = e.body or (text_to_blocks(e.summary) if e.summary else ())
            summary = e.summary if e.body and e.summary != " ".join(b.text for b in e.body) else None
            language = (e.language or context.language or detect_item_language(
                e.title, (b.text for b in body)) or "und").split(",")[0].strip()
            dateline, body = split_lead_dateline(body, now=e.published or context.now, language=language)
            provider = (dateline.source if dateline and dateline.source else None) or context.provider \
                or feed_title
            guid = e.id if e.id and _URI.match(e.id) else derive_guid(
                provider, (e.published or context.now).date(), e.id or "", e.title,
                "\n".join(b.text for b in body))
            items.append(NewsItem(
                guid=guid, headline=e.title, language=language, provider=provider, summary=summary,
                byline=e.author, dateline=dateline, body=body,
                subjects=tuple(Subject(name=c) for c in e.categories if c),
                created=e.published, modified=e.updated or e.published, copyright=e.rights,
                provenance=Provenance(self.name, digest, context.filename, context.now),
            ))
        return items

    def _media_item(self, n: int, e: _Entry, feed_title: str | None, context: ParseContext,
                    digest: str) -> NewsItem:
        """A picture, video or audio entry: its caption and renditions, no body."""
        assert e.media_class is not None
        caption = e.caption or e.summary or " ".join(b.text for b in e.body) or None
        descriptions = (Description(caption, "drol:caption"),) if caption else ()
        headline = e.title or e.media_title or caption_headline(descriptions)
        if not headline:
            raise MalformedInput(f"feed entry {n} ({e.id or 'no id'}) is a {e.media_class.value} "
                                 "with no title, media title or caption")
        language = (e.language or context.language or detect_item_language(
            headline, [caption or ""]) or "und").split(",")[0].strip()
        provider = context.provider or feed_title
        guid = e.id if e.id and _URI.match(e.id) else derive_guid(
            provider, (e.published or context.now).date(), e.id or "", headline, caption,
            *(r.href for r in e.renditions))
        return NewsItem(
            guid=guid, headline=headline, language=language, provider=provider,
            byline=e.author, descriptions=descriptions,
            subjects=tuple(Subject(name=c) for c in e.categories if c),
            created=e.published, modified=e.updated or e.published, copyright=e.rights,
            provenance=Provenance(self.name, digest, context.filename, context.now),
            item_class=e.media_class, renditions=e.renditions,
        )


register(FeedCodec())
