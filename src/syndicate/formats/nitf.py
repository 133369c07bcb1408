"""NITF 3.x (News Industry Text Format): read agency NITF documents into the model.

The structured dateline comes from ``body.head/dateline`` (``location/city``, ``country``,
``story.date``); where the body's first paragraph repeats the dateline, it is taken out.
The status is ``docdata/@management-status`` (usable, embargoed, withheld, canceled; NITF 3.1
and later), the version ``du-key/@version``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from lxml import etree

from syndicate import dateline as dl
from syndicate.dateline import places
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, register
from syndicate.formats.lead import split_lead_dateline
from syndicate.formats.xhtml import element_to_blocks
from syndicate.item import (
    Block,
    Dateline,
    NewsItem,
    Provenance,
    PubStatus,
    Subject,
    derive_guid,
)
from syndicate.quarantine import safe_name
from syndicate.textutil import detect_language
from syndicate.versions import parse_version
from syndicate.xmlsafe import parse_xml

_WS = re.compile(r"\s+")
_NORM_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
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


def parse_norm_date(value: str | None) -> dt.datetime | None:
    """NITF ``norm`` dates: ISO 8601 basic ("20261126T140000Z") or extended form."""
    if not value:
        return None
    value = value.strip()
    m = _NORM_DATE.match(value)
    try:
        if m:
            y, mo, d, h, mi, s, tz = m.groups()
            zone = dt.UTC
            if tz and tz != "Z":
                sign = 1 if tz[0] == "+" else -1
                hh, mm = int(tz[1:3]), int(tz[-2:])
                zone = dt.timezone(sign * dt.timedelta(hours=hh, minutes=mm))
            return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=zone)
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _dateline(root: etree._Element, ctx: ParseContext, language: str) -> Dateline | None:
    el = _find(root, "body/body.head/dateline")
    raw = _text(el)
    if el is None or not raw:
        return None
    parsed = dl.parse_dateline(raw, now=ctx.now, language=language)
    if parsed is not None:
        return parsed[0]
    city = _text(next(iter(_iter(el, "city")), None))
    country = _text(next(iter(_iter(el, "country")), None))
    region = _text(next(iter(_iter(el, "state")), None)) or _text(next(iter(_iter(el, "region")), None))
    date_el = next(iter(_iter(el, "story.date")), None)
    when = parse_norm_date(date_el.get("norm")) if date_el is not None else None
    place = None
    if city:
        place = places.resolve(city, region=region, country=country, language=language)
    return Dateline(raw=raw, city=city, region=region, country=country,
                    date=when.date() if when else None, place=place, language=language)


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


def _item(root: etree._Element, ctx: ParseContext, digest: str) -> NewsItem:
    head = _find(root, "head")
    body_head = _find(root, "body/body.head")
    content = _find(root, "body/body.content")
    headline = _text(_find(body_head, "hedline/hl1")) if body_head is not None else None
    if not headline and head is not None:
        headline = _text(_find(head, "title"))
    if not headline:
        raise MalformedInput("the NITF document has no headline (body.head/hedline/hl1 or head/title)")
    blocks: tuple[Block, ...] = element_to_blocks(content) if content is not None else ()
    language = root.get("{http://www.w3.org/XML/1998/namespace}lang") or ctx.language
    if not language and head is not None:
        meta = next((m for m in _iter(head, "meta") if m.get("name", "").lower() in
                     ("language", "dc.language", "lang")), None)
        language = meta.get("content") if meta is not None else None
    if not language:
        language = detect_language(headline + " " + " ".join(b.text for b in blocks[:3])) or "und"
    dateline = _dateline(root, ctx, language)
    # the body carries the dateline as the wire wrote it, credited source included
    lead, blocks = split_lead_dateline(blocks, now=ctx.now, language=language)
    dateline = lead or dateline
    docdata = _find(head, "docdata") if head is not None else None
    doc_id = None
    version = 1
    urgency = None
    issued = released = None
    pub_status = PubStatus.USABLE
    copyright_text = None
    keywords: list[str] = []
    if docdata is not None:
        id_el = _find(docdata, "doc-id")
        doc_id = id_el.get("id-string") if id_el is not None else None
        du = _find(docdata, "du-key")
        if du is not None and (du.get("version") or "").strip():
            version = parse_version(du.get("version"), "the NITF du-key version")
        urg = _find(docdata, "urgency")
        if urg is not None and (urg.get("ed-urg") or "").isdigit():
            u = int(urg.get("ed-urg", "0"))
            urgency = u if 1 <= u <= 9 else None
        issue = _find(docdata, "date.issue")
        issued = parse_norm_date(issue.get("norm")) if issue is not None else None
        release = _find(docdata, "date.release")
        released = parse_norm_date(release.get("norm")) if release is not None else None
        pub_status = _management_status(docdata, doc_id)
        cr = _find(docdata, "doc.copyright")
        if cr is not None:
            year, holder = cr.get("year"), cr.get("holder")
            copyright_text = " ".join(p for p in ("Copyright", year, holder) if p) if holder else None
        keywords = [k.get("key", "").strip() for k in _iter(docdata, "keyword") if k.get("key")]
    subjects = tuple(
        Subject(qcode=f"subj:{s.get('tobject.subject.refnum')}" if s.get("tobject.subject.refnum") else None,
                name=s.get("tobject.subject.matter") or s.get("tobject.subject.type"))
        for s in _iter(root, "tobject.subject")
    )
    byline = _text(_find(body_head, "byline")) if body_head is not None else None
    distributor = _text(_find(body_head, "distributor")) if body_head is not None else None
    abstract_el = _find(body_head, "abstract") if body_head is not None else None
    summary = " ".join(b.text for b in element_to_blocks(abstract_el)) if abstract_el is not None else None
    provider = distributor or (dateline.source if dateline else None) or ctx.provider
    if not blocks and content is None:
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
        keywords=tuple(keywords), urgency=urgency, pub_status=pub_status, embargo=embargo,
        created=issued, modified=issued, copyright=copyright_text,
        provenance=Provenance("nitf", digest, ctx.filename, ctx.now),
    )


class NitfCodec:
    name = "nitf"
    title = "NITF"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:2048]
        return 0.9 if re.search(rb"<(?:\w+:)?nitf[\s>]", head) else 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        root = parse_xml(data, what="NITF")
        if _local(root) != "nitf":
            raise MalformedInput(f"the document's root is <{_local(root)}>, not <nitf>")
        return [_item(root, context, hashlib.sha256(data).hexdigest())]


register(NitfCodec())
