"""ninjs (IPTC's JSON news format): read versions 1.x to 3.x, write 3.1.

Read as found in the field: an object is named by ``uri``, else ``guid`` (newsroom systems such
as Superdesk write only that). Of the bodies offered (``bodies`` in 2.x and 3.x, with
``contentType`` or the lower-case ``contenttype``; ``body_xhtml``, ``body_html``, ``body_text``
in 1.x) the richest is read: NITF or XHTML, else HTML, else plain text, the first offered among
equals. A NITF body (``application/nitf+xml``) is read as the NITF codec reads a document's body,
its editorial notes taken out; one that is not well-formed gives way to the next best body.
``located`` (a string in every version) names the dateline's place: it resolves the place of a
dateline in the body that has none, and stands for the dateline (a place without text) where
the body has none. A document is one object, a list of them, or a search or feed response
listing them under ``items`` or ``item`` (``{"total": 2, "items": [...]}``); in a list, an object
that cannot be used is left out with its reason. AP Media API responses are the ``apjson``
codec's.

ninjs has no dateline field: agencies put the dateline at the start of the body, and so do we
(as ``<span class="dateline">`` in the XHTML body, at the head of the copy: after a leading
figure or table); the reader takes it apart again. Bodies are read by the shared body reader: an
HTML body, a NITF one (declared ``application/nitf+xml``, or a body that is a NITF document
whatever its type, its notes to editors kept as notes), HTML in ``body_text`` or a ``text/plain``
body; the written plain-text body leaves figure captions out and gives tables a row a line.
Machine translations carry ``infoSources`` with role ``machineTranslation`` and an association
``translatedFrom`` naming the source guid and version.

Editorial notes are ``edNote`` (``ednote`` before 3.0), one text: several notes are written one
per line. Authors are ``people`` whose ``rel`` is their role ("author", "photographer";
"creator" or "contributor" when the role is not known); people the story is about or mentions
are not authors. Descriptions other than the summary keep their roles ("caption"). Signals and
the take key have no place in ninjs and are left out.

Pictures, graphics, video and audio: ``type`` is the item's class (``text`` for anything else a
source sends, such as ``composite``), and ``renditions`` its renditions, each referenced by
``href``, never fetched: written as ninjs 3.1 has them (an array of objects with ``name``,
``href``, ``contentType``, ``title``, ``width``, ``height``, ``sizeInBytes`` and ``duration`` in
seconds; a rendition without a name is named ``rendition<n>``), read as 2.x has them too (lower
case ``contenttype``, ``sizeinbytes``) and as 1.x (an object keyed by the rendition's name, with
``mimetype`` in 1.0). A name of the IPTC rendition NewsCodes ("thumbnail") is read as its QCode
(``rnd:thumbnail``), as NewsML-G2 names it. A media item needs no body; its caption is the
description with role ``caption`` (1.x: ``description_text``), and without a headline it takes the
caption's first sentence (else the summary's); one with neither is refused.

Times: ``firstCreated``, ``versionCreated`` and ``contentCreated`` (``firstcreated`` ... in 1.x and
2.x) are the item's first and version times and the content's creation; ninjs has no field for the
content's last change, which stands in for a missing ``versionCreated`` when written. A time
without a zone is in the source's zone. An object without ``language`` has it detected from its
text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from typing import Any

from syndicate import dateline as dl
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, register
from syndicate.formats.bodies import nitf_text, read_markup
from syndicate.formats.lead import reference_time, split_lead_dateline
from syndicate.formats.media import (
    NO_HEADLINE,
    caption_headline,
    rendition_name,
    rendition_word,
    seconds,
    whole,
)
from syndicate.formats.xhtml import (
    blocks_to_html,
    blocks_to_text,
    html_to_blocks,
    text_to_blocks,
)
from syndicate.item import (
    Block,
    Dateline,
    Description,
    ItemClass,
    Link,
    MachineTranslation,
    NewsItem,
    Note,
    Person,
    Provenance,
    PubStatus,
    Rendition,
    Span,
    Subject,
    lead_index,
    provider_scheme,
)
from syndicate.textutil import detect_item_language
from syndicate.timeparse import parse_time
from syndicate.versions import check_version, parse_version

MAX_JSON_BYTES = 10 * 1024 * 1024
SCHEMA_URI = "https://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
_MT_ROLE = "machineTranslation"
_IPTC_CV = "http://cv.iptc.org/newscodes/"
_QCODE_ALIASES = {"medtop": "mediatopic", "subj": "subjectcode", "genre": "genre", "stat": "pubstatusg2"}
#: description roles of IPTC's description role scheme (drol:), written in ninjs as the bare word
_DESCRIPTION_ROLES = frozenset({"summary", "caption", "teaser"})
#: ``rel`` of the people who made the content, as opposed to people it is about or mentions
_AUTHOR_RELS = frozenset({
    "creator", "contributor", "author", "writer", "reporter", "correspondent", "photographer",
    "editor", "videographer", "cameraperson", "illustrator", "graphicartist", "producer",
    "columnist", "byline",
})
_QCODE = re.compile(r"[^\s:]+:\S+\Z")


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    v = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return v.isoformat().replace("+00:00", "Z")


def _qcode_to_uri(qcode: str) -> str | None:
    scheme, _, code = qcode.partition(":")
    if scheme in _QCODE_ALIASES and code:
        return f"{_IPTC_CV}{_QCODE_ALIASES[scheme]}/{code}"
    return None


def _uri_to_qcode(uri: str) -> str | None:
    if uri.startswith(_IPTC_CV):
        cv, _, code = uri[len(_IPTC_CV):].partition("/")
        for alias, name in _QCODE_ALIASES.items():
            if name == cv and code:
                return f"{alias}:{code}"
    return None


def _body_with_dateline(item: NewsItem) -> tuple[Block, ...]:
    """The body with the dateline heading its copy (the first block that is no figure or table)."""
    at = lead_index(item.body)
    # a dateline that is only a place (a located without dateline text) has nothing to lead with
    if not item.dateline or not item.dateline.raw or at is None:
        return item.body
    first = item.body[at]
    lead = Span(item.dateline.raw + " ")
    return (*item.body[:at], dataclasses.replace(first, spans=(lead, *first.spans)), *item.body[at + 1:])


def to_dict(item: NewsItem) -> dict[str, Any]:
    """The ninjs 3.1 object of an item (validates against the official schema)."""
    doc: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "uri": item.guid,
        "type": item.item_class.value,
        "representationType": "full",
        "version": str(check_version(item.version, f"the version of {item.guid}")),
    }
    stamps = {
        "firstCreated": item.first_created,
        "versionCreated": item.version_time or (item.provenance.ingested_at if item.provenance else None),
        "contentCreated": item.created,
        "embargoedUntil": item.embargo,
    }
    doc.update({k: _iso(v) for k, v in stamps.items() if v is not None})
    doc["pubStatus"] = item.pub_status.value
    if item.urgency is not None:
        doc["urgency"] = item.urgency
    if item.copyright:
        doc["copyrightNotice"] = item.copyright
    doc["language"] = item.language
    doc["headlines"] = [{"role": "main", "value": item.headline}]
    descriptions = []
    if item.summary:
        descriptions.append({"role": "summary", "contentType": "text/plain", "value": item.summary})
    for d in item.descriptions:
        role = {"role": _ninjs_role(d.role)} if d.role else {}
        descriptions.append({**role, "contentType": "text/plain", "value": d.text})
    if descriptions:
        doc["descriptions"] = descriptions
    if item.notes:
        doc["edNote"] = "\n".join(n.text for n in item.notes)
    if item.body:
        body = _body_with_dateline(item)
        at = lead_index(body) or 0
        # the figures and tables before the copy apart, so that the dateline is marked in the copy
        rich = blocks_to_html(body[at:])
        if item.dateline and item.dateline.raw:  # mark the dateline so readers can style or strip it
            rich = rich.replace(
                _escape(item.dateline.raw + " "),
                f'<span class="dateline">{_escape(item.dateline.raw)}</span> ', 1,
            )
        rich = blocks_to_html(body[:at]) + rich
        text = blocks_to_text(body)
        doc["bodies"] = [
            {"role": "main", "contentType": "application/xhtml+xml", "value": rich,
             "charCount": len(text), "wordCount": len(text.split())},
            {"role": "main", "contentType": "text/plain", "value": text},
        ]
    if item.renditions:
        doc["renditions"] = [_rendition_dict(r, n) for n, r in enumerate(item.renditions, 1)]
    if item.byline:
        doc["by"] = item.byline
    people = [p for p in map(_person_dict, item.authors) if p]
    if people:
        doc["people"] = people
    if item.slugline:
        doc["slugline"] = item.slugline
    place = item.located
    if place or (item.dateline and item.dateline.city):
        name = place.name if place else (item.dateline.city if item.dateline else None)
        country = place.country if place else None
        doc["located"] = ", ".join(p for p in (name, country) if p)
    subjects = []
    for s in item.subjects:
        entry: dict[str, Any] = {}
        if s.name:
            entry["name"] = s.name
        uri = _qcode_to_uri(s.qcode) if s.qcode else None
        if uri is None and s.uri and _is_uri(s.uri):
            uri = s.uri
        if uri:
            entry["uri"] = uri
        if s.qcode and not _qcode_to_uri(s.qcode):
            entry["literal"] = s.qcode
        if entry:
            subjects.append(entry)
    if subjects:
        doc["subjects"] = subjects
    if item.genre:
        g: dict[str, Any] = {}
        if item.genre.name:
            g["name"] = item.genre.name
        if item.genre.qcode:
            uri = _qcode_to_uri(item.genre.qcode)
            g["uri" if uri else "literal"] = uri or item.genre.qcode
        doc["genres"] = [g]
    sources = []
    if item.provider:
        sources.append({"name": item.provider, "role": "originfo"})
    if item.translation:
        t = item.translation
        sources.append({"name": f"{t.engine} {t.model_version}", "role": _MT_ROLE,
                        "literal": f"{t.source_language}->{item.language}"})
    if sources:
        doc["infoSources"] = sources
    assoc = []
    for link in item.links:
        if link.residref:
            rel = link.rel.split(":")[-1]
            a: dict[str, Any] = {"name": link.title or rel, "uri": link.residref, "rel": rel}
            if link.version is not None:
                a["version"] = str(link.version)
            assoc.append(a)
    if assoc:
        doc["associations"] = assoc
    if item.keywords:
        doc["subjects"] = doc.get("subjects", []) + [{"name": k, "rel": "keyword"} for k in item.keywords]
    return doc


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() else value


def _rendition_dict(rendition: Rendition, n: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": rendition_word(rendition.name) or f"rendition{n}",
                             "href": rendition.href}
    if rendition.content_type:
        entry["contentType"] = rendition.content_type
    if rendition.title:
        entry["title"] = rendition.title
    for key, number in (("width", rendition.width), ("height", rendition.height),
                        ("sizeInBytes", rendition.size)):
        if number is not None:
            entry[key] = number
    if rendition.duration is not None:
        entry["duration"] = _number(float(rendition.duration))
    return entry


def _is_uri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:"))


def _ninjs_role(role: str) -> str:
    """A role in the words ninjs uses: "drol:caption" -> "caption", "crol:author" -> "author"."""
    return " ".join(code.partition(":")[2] if code.startswith(("drol:", "crol:")) else code
                    for code in role.split(" "))


def _person_dict(person: Person) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if person.name:
        entry["name"] = person.name
    if not entry and not person.qcode and not (person.uri and _is_uri(person.uri)):
        return entry
    entry["rel"] = _ninjs_role(person.role) if person.role else (
        "contributor" if person.contributor else "creator")
    if person.uri and _is_uri(person.uri):
        entry["uri"] = person.uri
    if person.qcode:
        entry["literal"] = person.qcode
    return entry


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(item: NewsItem) -> bytes:
    return json.dumps(to_dict(item), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


# -- reading ---------------------------------------------------------------------------------


def _time(doc: dict[str, Any], field: str, tz: dt.tzinfo) -> dt.datetime | None:
    """The time in ``field`` (3.x camelCase, or its 1.x/2.x lower-case spelling); one without a
    zone is in ``tz``."""
    value = doc.get(field) or doc.get(field.lower())
    if not value:
        return None
    if not isinstance(value, str):
        raise MalformedInput(f"ninjs field {field!r} is not a date-time string")
    try:
        return parse_time(value, tz=tz)
    except ValueError:
        raise MalformedInput(f"ninjs field {field!r} is not an ISO 8601 date-time: {value!r}") from None


def _first(values: Any, role: str | None = None) -> dict[str, Any] | None:
    if not isinstance(values, list):
        return None
    objs = [v for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)]
    if role:
        for v in objs:
            if v.get("role") == role:
                return v
    return objs[0] if objs else None


def _split_dateline(body: tuple[Block, ...], ref: dt.datetime, language: str,
                    marked: str | None) -> tuple[Dateline | None, tuple[Block, ...]]:
    dateline, rest = split_lead_dateline(body, now=ref, language=language)
    if dateline is None or (marked and dateline.raw.strip() != marked.strip()):
        return None, body
    return dateline, rest


def _pub_status(doc: dict[str, Any], uri: str) -> PubStatus:
    """``pubStatus`` (ninjs 3.x) or ``pubstatus`` (1.x and 2.x); usable when absent. A value
    that is not a status is refused: taken as usable, a kill would publish what it kills."""
    raw = doc.get("pubStatus", doc.get("pubstatus"))
    if raw is None:
        return PubStatus.USABLE
    status = raw.strip().lower() if isinstance(raw, str) else raw
    try:
        return PubStatus("canceled" if status == "cancelled" else status)
    except ValueError:
        raise MalformedInput(
            f"the ninjs pubStatus of {uri!r} is {raw!r}, not usable, withheld or canceled"
        ) from None


_DATELINE_SPAN = re.compile(r'<span class="dateline">(.*?)</span>', re.S)


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _concept(obj: dict[str, Any], provider: str | None) -> Subject | None:
    """A subject or genre: IPTC addresses become QCodes, other addresses stay addresses, a
    code without a scheme is the provider's own (ninjs 1.x gives ``scheme`` and ``code``)."""
    uri, literal, code = _str(obj.get("uri")), _str(obj.get("literal")), _str(obj.get("code"))
    scheme = _str(obj.get("scheme"))
    if code and scheme and not uri:
        if "/" in scheme:
            uri = scheme + code if scheme.endswith("/") else f"{scheme}/{code}"
        else:
            literal = literal or f"{scheme}:{code}"
    qcode = (_uri_to_qcode(uri) if uri else None) or literal or (code if not uri else None)
    name = _str(obj.get("name"))
    if qcode and not _QCODE.match(qcode):
        if len(qcode.split()) > 1:  # words, not a code
            name, qcode = name or qcode, None
        else:
            qcode = f"{provider_scheme(provider)}:{qcode}"
    if uri and _uri_to_qcode(uri):
        uri = None
    if not (qcode or uri or name):
        return None
    return Subject(qcode=qcode, name=name, uri=uri)


def _description_role(role: Any) -> str | None:
    role = _str(role)
    if role is None:
        return None
    return f"drol:{role}" if role.lower() in _DESCRIPTION_ROLES else role


def _descriptions(doc: dict[str, Any], media: bool = False
                  ) -> tuple[str | None, tuple[Description, ...]]:
    """The summary (the description with the summary role, else the first without a role) and
    the other descriptions with their roles; a media item's 1.x ``description_text`` is its
    caption."""
    found: list[Description] = []
    for d in doc.get("descriptions") or []:
        if isinstance(d, dict) and (text := _str(d.get("value"))):
            found.append(Description(text, _description_role(d.get("role"))))
    # ninjs 1.x: the description of the content, and how it may be used
    if text := _str(doc.get("description_text")):
        found.append(Description(text, "drol:caption" if media else None))
    if text := _str(doc.get("description_usage")):
        found.append(Description(text, "usage"))
    pick = next((i for i, d in enumerate(found) if d.role == "drol:summary"), None)
    if pick is None:
        pick = next((i for i, d in enumerate(found) if d.role is None), None)
    if pick is None:
        return None, tuple(found)
    return found[pick].text, (*found[:pick], *found[pick + 1:])


def _renditions(doc: dict[str, Any]) -> tuple[Rendition, ...]:
    """``renditions``: an array of named objects (2.x, 3.x), or an object keyed by the name
    (1.x); one without an ``href`` has nothing to point at and is left out."""
    raw = doc.get("renditions")
    if isinstance(raw, dict):
        entries = [(name, r) for name, r in raw.items() if isinstance(r, dict)]
    elif isinstance(raw, list):
        entries = [(r.get("name"), r) for r in raw if isinstance(r, dict)]
    else:
        return ()
    found = []
    for name, r in entries:
        href = _str(r.get("href"))
        if href is None:
            continue
        found.append(Rendition(
            href=href,
            content_type=(_str(r.get("contentType")) or _str(r.get("contenttype"))
                          or _str(r.get("mimetype"))),
            name=rendition_name(name if isinstance(name, str) else None),
            size=whole(r.get("sizeInBytes", r.get("sizeinbytes"))),
            width=whole(r.get("width")),
            height=whole(r.get("height")),
            duration=seconds(r.get("duration")),
            title=_str(r.get("title")),
        ))
    return tuple(found)


def _notes(doc: dict[str, Any]) -> tuple[Note, ...]:
    text = _str(doc.get("edNote")) or _str(doc.get("ednote"))
    return (Note(text),) if text else ()


def _author(obj: Any, role_key: str) -> Person | None:
    if isinstance(obj, str):
        return Person(name=obj.strip()) if obj.strip() else None
    if not isinstance(obj, dict):
        return None
    rel = _str(obj.get(role_key))
    literal, uri = _str(obj.get("literal")), _str(obj.get("uri"))
    name = _str(obj.get("name"))
    qcode = literal if literal and _QCODE.match(literal) else None
    if literal and not qcode and name is None:
        name = literal
    if not (name or qcode or uri):
        return None
    return Person(
        name=name,
        role=None if rel in (None, "creator", "contributor") else rel,
        qcode=qcode,
        uri=uri,
        title=_str(obj.get("jobTitle")) or _str(obj.get("title")),
        contributor=rel == "contributor",
    )


def _authors(doc: dict[str, Any]) -> tuple[Person, ...]:
    """``people`` (``person`` in 1.x) whose rel makes them authors, and ``authors`` objects."""
    found = []
    for p in doc.get("people") or doc.get("person") or []:
        rel = _str(p.get("rel")) if isinstance(p, dict) else None
        if rel and (rel.lower() in _AUTHOR_RELS or rel.startswith("crol:")):
            found.append(_author(p, "rel"))
    authors = doc.get("authors")
    for a in authors if isinstance(authors, list) else []:
        found.append(_author(a, "role"))
    return tuple(p for p in found if p is not None)


def nitf_body(markup: str) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
    """The blocks and editorial notes of a NITF body carried as text (see
    :func:`~syndicate.formats.bodies.nitf_text`); MalformedInput when it is not well-formed."""
    body = nitf_text(markup, strict=True)
    return body.blocks, body.notes


#: bodies by what they keep: NITF and XHTML the most structure, then HTML, then plain text
_BODY_RANK = {"nitf": 3, "xhtml": 3, "html": 2, "text": 1}


def _body_kind(content_type: str) -> str:
    ctype = content_type.lower()
    for kind in ("nitf", "xhtml", "html"):
        if kind in ctype:
            return kind
    return "text"


def _offered_bodies(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The bodies an object offers as (kind, value), the best kind first and in the order given
    among bodies of one kind: ``bodies`` (2.x, 3.x) and ``body_xhtml``, ``body_html``,
    ``body_text`` (1.x)."""
    offered: list[tuple[str, str]] = []
    bodies = doc.get("bodies")
    for b in bodies if isinstance(bodies, list) else []:
        if isinstance(b, dict) and isinstance(b.get("value"), str) and b["value"].strip():
            offered.append((_body_kind(str(b.get("contentType") or b.get("contenttype") or "")),
                            b["value"]))
    for field, kind in (("body_xhtml", "xhtml"), ("body_html", "html"), ("body_text", "text")):
        value = doc.get(field)
        if isinstance(value, str) and value.strip():
            offered.append((kind, value))
    return sorted(offered, key=lambda o: -_BODY_RANK[o[0]])


def _body(doc: dict[str, Any], uri: str) -> tuple[tuple[Block, ...], str | None, tuple[Note, ...]]:
    """The best body offered as blocks, the dateline the body marks (if any) and the editorial
    notes a NITF body carries. A NITF body that cannot be read gives way to the next best one."""
    failed: MalformedInput | None = None
    for kind, value in _offered_bodies(doc):
        if kind == "nitf":
            try:
                blocks, notes = nitf_body(value)
            except MalformedInput as exc:
                failed = failed or exc
                continue
            return blocks, None, notes
        if kind in ("xhtml", "html"):
            m = _DATELINE_SPAN.search(value)
            lead = html_to_blocks(m.group(1)) if m else ()
            return html_to_blocks(value), lead[0].text if lead else None, ()
        # plain text that holds HTML or is a NITF document is read as what it is
        markup = read_markup(value, "text/plain")
        if markup is not None:
            m = _DATELINE_SPAN.search(value)
            lead = html_to_blocks(m.group(1)) if m else ()
            return markup.blocks, lead[0].text if lead else None, markup.notes
        return text_to_blocks(value), None, ()
    if failed is not None:
        raise MalformedInput(f"the NITF body of the ninjs object {uri!r} cannot be read: {failed}")
    return (), None, ()


def _identifier(doc: dict[str, Any]) -> str | None:
    """``uri``, else ``guid`` (newsroom systems such as Superdesk write only that)."""
    for key in ("uri", "guid"):
        value = doc.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _with_located(doc: dict[str, Any], dateline: Dateline | None, ref: dt.datetime,
                  language: str) -> Dateline | None:
    """The dateline with the place ``located`` names ("Fort Washington, Pennsylvania"), where
    the body's dateline has none resolved or there is no dateline in the body (then a dateline
    of the place alone, without text, as a NewsML-G2 located without a dateline reads)."""
    text = _str(doc.get("located"))
    if text is None or (dateline is not None and dateline.place is not None):
        return dateline
    found = dl.parse_dateline(text, now=ref, language=language, standalone=True)
    if found is None:
        return dateline
    where = found[0]
    if dateline is not None:
        return dataclasses.replace(dateline, place=where.place) if where.place else dateline
    return Dateline(raw="", city=where.city, region=where.region, country=where.country,
                    place=where.place, language=language)


def from_dict(doc: dict[str, Any], ctx: ParseContext, digest: str) -> NewsItem:
    """An item from a ninjs object of any version (1.x lower-case keys, 2.x, 3.x camelCase)."""
    uri = _identifier(doc)
    if uri is None:
        raise MalformedInput("the ninjs object has no 'uri' (its required identifier), nor a 'guid'")
    headline_obj = _first(doc.get("headlines"), "main")
    headline = headline_obj["value"] if headline_obj else doc.get("headline")
    body, marked, body_notes = _body(doc, uri)
    item_class = ItemClass.of(_str(doc.get("type"))) or ItemClass.TEXT
    summary, descriptions = _descriptions(doc, item_class.is_media)
    if item_class.is_media and (not isinstance(headline, str) or not headline.strip()):
        headline = caption_headline(descriptions, summary)
        if not headline:
            raise MalformedInput(f"the ninjs {item_class.value} {uri!r} {NO_HEADLINE}")
    if not isinstance(headline, str) or not headline.strip():
        raise MalformedInput(f"the ninjs object {uri!r} has no headline")
    declared = doc.get("language") or ctx.language
    if isinstance(declared, str) and declared.strip():
        language = declared.strip()
    else:
        language = detect_item_language(headline, (b.text for b in body)) or "und"
    zone = ctx.zone
    first_created = _time(doc, "firstCreated", zone)
    version_created = _time(doc, "versionCreated", zone)
    created = _time(doc, "contentCreated", zone)
    ref = reference_time(created, first_created, version_created, now=ctx.now)
    dateline, body = _split_dateline(body, ref, language, marked)
    dateline = _with_located(doc, dateline, ref, language)
    version_raw = doc.get("version")
    version = 1 if version_raw is None else parse_version(version_raw, f"the ninjs version of {uri!r}")
    pub_status = _pub_status(doc, uri)
    provider = translation = None
    for src in doc.get("infoSources") or doc.get("infosources") or []:
        if not isinstance(src, dict):
            continue
        if src.get("role") == _MT_ROLE and src.get("name"):
            engine, _, model = src["name"].partition(" ")
            source_lang = str(src.get("literal", "")).partition("->")[0] or "und"
            translation = MachineTranslation(engine, model, source_lang)
        elif provider is None and src.get("name"):
            provider = src["name"]
    provider = provider or ctx.provider
    raw_keywords = doc.get("keywords")
    subjects, keywords = [], list(raw_keywords) if isinstance(raw_keywords, list) else []
    for s in doc.get("subjects") or doc.get("subject") or []:
        if not isinstance(s, dict):
            continue
        if s.get("rel") == "keyword" and s.get("name"):
            keywords.append(s["name"])
            continue
        subject = _concept(s, provider)
        if subject is not None:
            subjects.append(subject)
    genre = None
    # a genre object (ninjs 1.x), or a list of them (3.x genres; Superdesk's genre)
    genres = doc.get("genres") or doc.get("genre") or []
    genres = [genres] if isinstance(genres, dict) else genres
    if isinstance(genres, list) and genres and isinstance(genres[0], dict):
        genre = _concept(genres[0], provider)
    links = []
    assoc = doc.get("associations") or []
    for a in assoc if isinstance(assoc, list) else []:
        if isinstance(a, dict) and a.get("uri") and a.get("rel") == "translatedFrom":
            v = a.get("version")
            title = a.get("name") if a.get("name") != "translatedFrom" else None
            link_version = (parse_version(v, f"the version of {uri!r}'s translatedFrom association")
                            if v not in (None, "") else None)
            links.append(Link("irel:translatedFrom", a["uri"], link_version, title=title))
    urgency = doc.get("urgency")
    return NewsItem(
        guid=uri,
        headline=headline.strip(),
        language=language,
        version=version,
        provider=provider,
        summary=summary,
        slugline=_str(doc.get("slugline")),
        byline=_str(doc.get("by")) or _str(doc.get("byline")),
        dateline=dateline,
        body=body,
        subjects=tuple(subjects),
        genre=genre,
        keywords=tuple(k for k in keywords if isinstance(k, str)),
        urgency=urgency if isinstance(urgency, int) and 1 <= urgency <= 9 else None,
        pub_status=pub_status,
        embargo=_time(doc, "embargoedUntil", zone) or _time(doc, "embargoed", zone),
        created=created,
        first_created=first_created,
        version_created=version_created,
        copyright=_str(doc.get("copyrightNotice")) or _str(doc.get("copyrightnotice")),
        links=tuple(links),
        provenance=Provenance("ninjs", digest, ctx.filename, ctx.now),
        translation=translation,
        notes=(*_notes(doc), *body_notes),
        authors=_authors(doc),
        descriptions=descriptions,
        item_class=item_class,
        renditions=_renditions(doc),
    )


def load_json(data: bytes, what: str) -> Any:
    """The JSON value of a document, or MalformedInput saying why it is not one."""
    if len(data) > MAX_JSON_BYTES:
        raise MalformedInput(f"the {what} document is {len(data)} bytes, over the {MAX_JSON_BYTES} limit")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise MalformedInput(f"the {what} document is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise MalformedInput(f"the {what} document is not valid JSON ({exc})") from None


#: the marks of an AP Media API response (the ``apjson`` codec's): its items carry "uri"s too
AP_RESPONSE = re.compile(rb'"api_version"\s*:|"data"\s*:\s*\{')
#: keys under which search and feed responses list their ninjs objects ({"total": 2, "items": [...]})
_ENVELOPE_KEYS = ("items", "item")
_ENVELOPE = re.compile(rb'"items?"\s*:\s*\[')


def _envelope(doc: dict[str, Any]) -> list[Any] | None:
    """The objects of a search or feed response (``items`` or ``item``, a list), or None for a
    ninjs object itself."""
    if _identifier(doc) is not None:
        return None
    return next((doc[k] for k in _ENVELOPE_KEYS if isinstance(doc.get(k), list)), None)


class NinjsCodec:
    name = "ninjs"
    title = "ninjs"
    #: what every input this codec recognises holds (see formats.detect): a JSON object or list
    sniff_marks = b"{["
    media_type = "application/json"
    extension = "json"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith((b"{", b"[")):
            return 0.0
        if AP_RESPONSE.search(head):
            return 0.2
        if b'"uri"' in head or b'"guid"' in head or _ENVELOPE.search(head):
            return 0.9
        return 0.4

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem | Skipped]:
        doc = load_json(data, "ninjs")
        digest = hashlib.sha256(data).hexdigest()
        entries = _envelope(doc) if isinstance(doc, dict) else None
        if not isinstance(doc, list) and entries is None:
            if not isinstance(doc, dict):
                raise MalformedInput("a ninjs document is a JSON object (or a list of them)")
            if "api_version" in doc or isinstance(doc.get("data"), dict):
                raise MalformedInput("the document is an AP Media API response, not ninjs: "
                                     "read it with the apjson format")
            return [from_dict(doc, context, digest)]
        # a list, or the list of a search or feed response: each object stands alone, one that
        # cannot be used is left out with its reason
        out: list[NewsItem | Skipped] = []
        for position, entry in enumerate(doc if entries is None else entries, 1):
            guid = _identifier(entry) if isinstance(entry, dict) else None
            if not isinstance(entry, dict):
                out.append(Skipped(position, "ninjs object", None,
                                   f"a JSON {type(entry).__name__}, not a ninjs object"))
                continue
            try:
                out.append(from_dict(entry, context, digest))
            except MalformedInput as exc:
                out.append(Skipped(position, "ninjs object", guid, str(exc)))
        return out

    def render(self, item: NewsItem) -> bytes:
        return render(item)


register(NinjsCodec())
