"""NITF 3.x (News Industry Text Format): read agency NITF documents into the model.

The structured dateline comes from ``body.head/dateline`` (``location/city``, ``country``,
``story.date``); where the body's first paragraph repeats the dateline, it is taken out.
The status is ``docdata/@management-status`` (usable, embargoed, withheld, canceled; NITF 3.1
and later), the version ``du-key/@version``.

The copy keeps its structure (:func:`read_body`, which codecs that carry NITF reuse): ``block``s
are read through, ``hl2`` is a heading, ``bq`` quote blocks with their ``credit``, ``media`` a
figure (``media-reference``, ``media-caption``, ``media-producer``), ``table`` a table, ``pre``
agate kept exactly, ``ul``/``ol``/``dl`` list items, ``fn`` and publishable ``note``s paragraphs.

What the head says about the story is kept apart from its copy: editorial messages
(``docdata/ed-msg``, editors' and non-publishable ``note``s, also inside ``body.content``) are
notes, never body text; ``docdata/correction`` is the ``sig:correction`` signal; the byline's
``person``s are the authors, each with the ``byttl`` title that follows them; ``du-key/@key`` is
the take key; ``tobject.subject`` codes are IPTC subject codes (``subj:``) only when their
``ipr`` is IPTC, a provider's own codes keep that provider's scheme; ``tobject.property`` is the
genre.

Times, as the NITF 3.x DTD defines them: ``date.issue`` is when this document was issued, so it
is the version's time, and for a first version (no ``du-key`` version, or version 1) also the
first-created time; ``date.release`` after the issue is an embargo; ``story.date`` in the
dateline is the date of the story, and the content's creation when it gives a time of day
(``doc.copyright`` gives a year only). A time without a zone is in the source's zone. A year
the dateline omits is read against ``story.date``, else ``date.issue``, not the time of ingest.

The language is the declared one: the ``xml:lang`` in force at ``body.content``, else
``nitf/@baselang``, else a language ``meta``, else the one the source is configured with; an
item that declares none has it detected from its text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from lxml import etree

from syndicate import dateline as dl
from syndicate.dateline import places
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, nitf_writer, register
from syndicate.formats.lead import reference_time, split_lead_dateline
from syndicate.formats.xhtml import element_to_blocks
from syndicate.item import (
    Block,
    Dateline,
    NewsItem,
    Note,
    Person,
    Provenance,
    PubStatus,
    Subject,
    derive_guid,
    provider_scheme,
)
from syndicate.quarantine import safe_name
from syndicate.textutil import detect_item_language
from syndicate.timeparse import parse_time, parse_time_or_date
from syndicate.versions import parse_version
from syndicate.xmlsafe import parse_xml, sniff_root

_WS = re.compile(r"\s+")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: docdata/@management-status (NITF 3.1 and later): an embargoed document is usable once its
#: date.release has come, which the embargo says
_MANAGEMENT_STATUS = {"usable": PubStatus.USABLE, "embargoed": PubStatus.USABLE,
                      "withheld": PubStatus.WITHHELD, "canceled": PubStatus.CANCELED,
                      "cancelled": PubStatus.CANCELED}


def _local(el: etree._Element) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _find(root: etree._Element, path: str) -> etree._Element | None:
    """Namespace-agnostic find: NITF comes with and without the nitf namespace."""
    el: etree._Element | None = root
    for step in path.split("/"):
        if el is None:
            return None
        el = next((c for c in el if _local(c) == step), None)
    return el


def _iter(root: etree._Element, name: str) -> list[etree._Element]:
    return [el for el in root.iter() if _local(el) == name]


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = _WS.sub(" ", "".join(el.itertext())).strip()
    return text or None


def parse_norm_date(value: str | None, tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """NITF ``norm`` dates: ISO 8601 basic ("20261126T140000Z", "20261126T150000+0100",
    "20261126") or extended form; one without a zone is in ``tz``. None when unreadable."""
    if not value:
        return None
    try:
        return parse_time(value, tz=tz)
    except ValueError:
        return None


#: what ends the text before a byline title ("By JANE DOE, <byttl>...")
_BEFORE_TITLE = " \t\r\n,;:/-\u2013\u2014"
_IPTC_SUBJECT = re.compile(r"\d{8}\Z")


def _subject(el: etree._Element, provider: str | None) -> Subject | None:
    """An IPTC subject code (``subj:``) when the code is IPTC's, else a code of its owner."""
    refnum = "".join((el.get("tobject.subject.refnum") or "").split())
    name = next((v.strip() for a in ("tobject.subject.detail", "tobject.subject.matter",
                                     "tobject.subject.type") if (v := el.get(a)) and v.strip()),
                None)
    if not refnum:
        return Subject(name=name) if name else None
    # the DTD's default owner of a code is IPTC
    ipr = (el.get("tobject.subject.ipr") or "IPTC").strip()
    if ipr.upper() == "IPTC" and _IPTC_SUBJECT.match(refnum):
        return Subject(qcode=f"subj:{refnum}", name=name)
    owner = provider if ipr.upper() == "IPTC" else ipr
    return Subject(qcode=f"{provider_scheme(owner)}:{refnum}", name=name)


def _genre(root: etree._Element) -> Subject | None:
    """``tobject.property``: the IPTC genre ("Current", "Analysis", "Feature" ...)."""
    for el in _iter(root, "tobject.property"):
        kind = " ".join((el.get("tobject.property.type") or "").split())
        if kind:
            return Subject(qcode=f"genre:{kind}" if " " not in kind else None, name=kind)
    return None


def _person_name(el: etree._Element) -> str | None:
    # a person's function and codes are not part of the name
    parts = [el.text or ""]
    for child in el:
        if _local(child) not in ("function", "alt-code"):
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return _WS.sub(" ", "".join(parts)).strip() or None


def _bylines(els: list[etree._Element]) -> tuple[str | None, list[Person]]:
    """The bylines as written, without the titles that belong to a ``person``, and the authors
    they name: "By <person>JANE DOE</person>, <byttl>AP Writer</byttl>" is the byline
    "By JANE DOE" and the author JANE DOE, titled "AP Writer". A title goes to the people before
    it that have none, in its byline or the ones before; a title that follows no person stays in
    the byline, set apart from the text before it."""
    people: list[Person] = []
    untitled: list[int] = []
    lines = []
    for el in els:
        text = el.text or ""
        for child in el:
            name = _local(child)
            gap = False
            if name == "byttl":
                title = _text(child)
                if untitled:
                    text = text.rstrip(_BEFORE_TITLE)
                    for i in untitled:
                        people[i] = Person(name=people[i].name, title=title)
                    untitled = []
                    gap = True
                elif title:
                    stripped = text.rstrip(" \t\r\n")
                    sep = " " if stripped[-1:] and stripped[-1:] in _BEFORE_TITLE else ", "
                    text = stripped + (sep if stripped else "") + title
            elif name == "person":
                # a person's function is a title like byttl, apart from the name
                function = _text(next((c for c in child if _local(c) == "function"), None))
                if function is None:
                    untitled.append(len(people))
                people.append(Person(name=_person_name(child), title=function))
                text += _person_name(child) or ""
            else:
                text += "".join(child.itertext())
            if child.tail:
                text += (" " if gap and text else "") + child.tail
        line = _WS.sub(" ", text).strip().rstrip(_BEFORE_TITLE)
        if line:
            lines.append(line)
    return "\n".join(lines) or None, [p for p in people if p.name or p.title]


def _editorial_note(el: etree._Element) -> bool:
    return (el.get("type") or "").lower() == "npa" or (el.get("noteclass") or "").lower() == "editorsnote"


def _note_text(el: etree._Element) -> str:
    # the DTD wraps a note's paragraphs in body.content; some writers leave it out
    inner = [c for c in el if _local(c) == "body.content"] or [el]
    blocks = [b for part in inner for b in element_to_blocks(part)]
    return "\n".join(b.text for b in blocks) if blocks else (_text(el) or "")


@dataclass(frozen=True, slots=True)
class NitfBody:
    """The copy of a NITF body and the editorial notes that were in it (never copy)."""

    blocks: tuple[Block, ...]
    notes: tuple[Note, ...]
    #: whether the document has a body.content at all
    has_content: bool = True


def read_body(el: etree._Element) -> NitfBody:
    """The body of a NITF document (``el`` the ``nitf`` root, its ``body`` or its
    ``body.content``), as every codec that carries NITF reads it: the copy with the shared
    reader (:mod:`syndicate.formats.xhtml`: ``block``, ``hl2``, ``bq``, ``media``, ``table``,
    lists, ``pre``, publishable ``note`` and ``fn``), and the notes to editors in ``body.head``
    and ``body.content``, which the copy leaves out."""
    name = _local(el)
    body = _find(el, "body") if name == "nitf" else el if name == "body" else None
    content = el if name == "body.content" else None
    body_head = None
    if body is not None:
        content = _find(body, "body.content")
        body_head = _find(body, "body.head")
    notes: list[Note] = []
    if body_head is not None:
        notes += [Note(t) for n in body_head if _local(n) == "note" and _editorial_note(n)
                  if (t := _note_text(n))]
    if content is None:
        return NitfBody((), tuple(notes), has_content=False)
    notes += [Note(t) for n in _iter(content, "note") if _editorial_note(n) if (t := _note_text(n))]
    return NitfBody(element_to_blocks(content), tuple(notes))


def _story_date(root: etree._Element, tz: dt.tzinfo) -> dt.datetime | dt.date | None:
    """``story.date``: a date, or a date and time where it gives a time of day (NITF 3.1 writes
    a missing time as 000000, so midnight stands for no time)."""
    el = next(iter(_iter(root, "story.date")), None)
    if el is None or not el.get("norm"):
        return None
    try:
        when = parse_time_or_date(el.get("norm", ""), tz=tz)
    except ValueError:
        return None
    if isinstance(when, dt.datetime) and when.time() == dt.time():
        return when.date()
    return when


def _language(root: etree._Element, head: etree._Element | None, ctx: ParseContext) -> str | None:
    """The declared language: xml:lang in force at the content, baselang, a language meta, the
    configured one."""
    scope = _find(root, "body/body.content")
    if scope is None:
        scope = _find(root, "body/body.head/hedline/hl1")
    if scope is None:
        scope = root
    declared = next((el.get(XML_LANG) for el in (scope, *scope.iterancestors()) if el.get(XML_LANG)), None)
    declared = declared or root.get("baselang")
    if not declared and head is not None:
        meta = next((m for m in _iter(head, "meta") if m.get("name", "").lower() in
                     ("language", "dc.language", "lang")), None)
        declared = meta.get("content") if meta is not None else None
    declared = declared.strip() if declared else None
    return declared or ctx.language


def _dateline(root: etree._Element, ctx: ParseContext, language: str, ref: dt.datetime) -> Dateline | None:
    el = _find(root, "body/body.head/dateline")
    raw = _text(el)
    if el is None or not raw:
        return None
    parsed = dl.parse_dateline(raw, now=ref, language=language)
    if parsed is not None:
        return parsed[0]
    city = _text(next(iter(_iter(el, "city")), None))
    country = _text(next(iter(_iter(el, "country")), None))
    region = _text(next(iter(_iter(el, "state")), None)) or _text(next(iter(_iter(el, "region")), None))
    when = _story_date(el, ctx.zone)
    place = None
    if city:
        place = places.resolve(city, region=region, country=country, language=language)
    day = when.date() if isinstance(when, dt.datetime) else when
    return Dateline(raw=raw, city=city, region=region, country=country,
                    date=day, place=place, language=language)


def _status_value(docdata: etree._Element, attribute: str) -> PubStatus | None:
    raw = (docdata.get(attribute) or "").strip()
    if not raw:
        return None
    status = _MANAGEMENT_STATUS.get(raw.lower())
    if status is None:
        # taken as usable, a kill in an unexpected spelling would publish what it kills
        raise MalformedInput(
            f"the NITF docdata {attribute} is {raw!r}, none of usable, embargoed, withheld, "
            "canceled"
        )
    return status


def _management_status(docdata: etree._Element, doc_id: str | None) -> PubStatus:
    """The document's status: the ``management-status`` attribute of ``docdata``.

    ``management-idref-status`` gives the status of the document ``management-doc-idref``
    names: this document's own (applied like management-status), or another's, which cannot
    be applied without that document's version and is refused rather than published.
    """
    status = _status_value(docdata, "management-status") or PubStatus.USABLE
    ref_status = _status_value(docdata, "management-idref-status")
    ref = (docdata.get("management-doc-idref") or "").strip()
    if ref_status is not None and ref_status != PubStatus.USABLE:
        if ref and ref != doc_id:
            raise MalformedInput(
                f"the NITF document says that another document, {ref!r}, is {ref_status}; "
                "a kill or hold is applied to the document it names only when it comes as that "
                "document (its doc-id, a higher du-key version, docdata management-status)"
            )
        if status == PubStatus.USABLE:
            status = ref_status
    return status


# a NITF document's root element, after its prolog (declaration, comments, document type);
# possessive, so that text that is no NITF fails at once instead of backtracking
_NITF_DOCUMENT = re.compile(
    r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)*+<(?:[\w.-]+:)?nitf[\s>/]", re.S
)


def is_nitf_document(text: str) -> bool:
    """Whether ``text`` starts as a NITF document does: its root element is ``nitf``."""
    return _NITF_DOCUMENT.match(text) is not None


def _item(root: etree._Element, ctx: ParseContext, digest: str) -> NewsItem:
    head = _find(root, "head")
    body_head = _find(root, "body/body.head")
    headline = _text(_find(body_head, "hedline/hl1")) if body_head is not None else None
    if not headline and head is not None:
        headline = _text(_find(head, "title"))
    if not headline:
        raise MalformedInput("the NITF document has no headline (body.head/hedline/hl1 or head/title)")
    # the body's notes; the head's (docdata) come before them
    body = read_body(root)
    body_notes, blocks = body.notes, body.blocks
    language = _language(root, head, ctx) or detect_item_language(headline, (b.text for b in blocks)) or "und"
    docdata = _find(head, "docdata") if head is not None else None
    zone = ctx.zone
    issue = _find(docdata, "date.issue") if docdata is not None else None
    issued = parse_norm_date(issue.get("norm"), zone) if issue is not None else None
    story_date = _story_date(root, zone)
    ref = reference_time(story_date, issued, now=ctx.now)
    dateline = _dateline(root, ctx, language, ref)
    # the body carries the dateline as the wire wrote it, credited source included
    lead, blocks = split_lead_dateline(blocks, now=ref, language=language)
    if lead is not None and lead.date is None and dateline is not None and dateline.date is not None:
        lead = dataclasses.replace(lead, date=dateline.date)  # "Berlin (dpa) -" dated by story.date
    dateline = lead or dateline
    doc_id = None
    version = 1
    first_version = True
    urgency = None
    released = None
    pub_status = PubStatus.USABLE
    copyright_text = None
    keywords: list[str] = []
    notes: list[Note] = []
    signals: list[str] = []
    take_key: str | None = None
    if docdata is not None:
        id_el = _find(docdata, "doc-id")
        doc_id = id_el.get("id-string") if id_el is not None else None
        du = _find(docdata, "du-key")
        if du is not None and (du.get("version") or "").strip():
            version = parse_version(du.get("version"), "the NITF du-key version")
            first_version = version <= 1
        if du is not None:
            take_key = _WS.sub(" ", du.get("key") or "").strip() or None
        for child in docdata:
            name = _local(child)
            if name == "ed-msg":
                text = _WS.sub(" ", child.get("info") or "").strip() or _text(child)
                if text:
                    notes.append(Note(text, role=(child.get("msg-type") or "").strip() or None))
            elif name == "correction":
                signals.append("sig:correction")
                info = _WS.sub(" ", child.get("info") or "").strip()
                if info:
                    notes.append(Note(info, role="correction"))
        urg = _find(docdata, "urgency")
        if urg is not None and (urg.get("ed-urg") or "").isdigit():
            u = int(urg.get("ed-urg", "0"))
            urgency = u if 1 <= u <= 9 else None
        release = _find(docdata, "date.release")
        released = parse_norm_date(release.get("norm"), zone) if release is not None else None
        pub_status = _management_status(docdata, doc_id)
        cr = _find(docdata, "doc.copyright")
        if cr is not None:
            year, holder = cr.get("year"), cr.get("holder")
            copyright_text = " ".join(p for p in ("Copyright", year, holder) if p) if holder else None
        keywords = [k.get("key", "").strip() for k in _iter(docdata, "keyword") if k.get("key")]
    byline, authors = _bylines([el for el in body_head if _local(el) == "byline"]
                               if body_head is not None else [])
    distributor = _text(_find(body_head, "distributor")) if body_head is not None else None
    abstract_el = _find(body_head, "abstract") if body_head is not None else None
    summary = " ".join(b.text for b in element_to_blocks(abstract_el)) if abstract_el is not None else None
    provider = distributor or (dateline.source if dateline else None) or ctx.provider
    subjects = tuple(s for el in _iter(root, "tobject.subject") if (s := _subject(el, provider)))
    if not blocks and not body.has_content:
        raise MalformedInput("the NITF document has no body.content")
    hl2 = _text(_find(body_head, "hedline/hl2")) if body_head is not None else None
    if hl2 and not summary:
        summary = hl2
    if doc_id and ":" in doc_id:
        guid = doc_id
    elif doc_id:  # an agency's own id, unique within that agency
        guid = f"urn:newsml:syndicate:{safe_name(provider or 'nitf').lower()}:{safe_name(doc_id)}"
    else:
        day = dateline.date if dateline and dateline.date else (issued.date() if issued else None)
        guid = derive_guid(provider, day, headline, "\n".join(b.text for b in blocks))
    embargo = released if released and issued and released > issued else None
    return NewsItem(
        guid=guid, headline=headline, language=language, version=version, provider=provider,
        summary=summary or None, byline=byline, dateline=dateline, body=blocks, subjects=subjects,
        genre=_genre(root), keywords=tuple(keywords), urgency=urgency, pub_status=pub_status,
        embargo=embargo, created=story_date if isinstance(story_date, dt.datetime) else None,
        first_created=issued if first_version else None, version_created=issued,
        copyright=copyright_text,
        provenance=Provenance("nitf", digest, ctx.filename, ctx.now),
        notes=(*notes, *body_notes), authors=tuple(authors), signals=tuple(signals), take_key=take_key,
    )


class NitfCodec:
    name = "nitf"
    title = "NITF"
    #: what every input this codec recognises holds (see formats.detect): a root tag's "<"
    sniff_marks = b"<"
    media_type = "application/nitf+xml"
    extension = "xml"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        # by the root only: JSON (ninjs, AP's) or a feed that carries a NITF body is theirs
        root = sniff_root(data)
        return 0.9 if root is not None and root.name == "nitf" else 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        root = parse_xml(data, what="NITF")
        if _local(root) != "nitf":
            raise MalformedInput(f"the document's root is <{_local(root)}>, not <nitf>")
        return [_item(root, context, hashlib.sha256(data).hexdigest())]

    def render(self, item: NewsItem) -> bytes:
        return nitf_writer.render(item)


register(NitfCodec())
