"""ninjs (IPTC's JSON news format): read versions 1.x to 3.x, write 3.1.

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

from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, register
from syndicate.formats.bodies import read_markup
from syndicate.formats.lead import reference_time, split_lead_dateline
from syndicate.formats.xhtml import blocks_to_html, blocks_to_text, html_to_blocks, text_to_blocks
from syndicate.item import (
    Block,
    Dateline,
    Description,
    Link,
    MachineTranslation,
    NewsItem,
    Note,
    Person,
    Provenance,
    PubStatus,
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
    if not item.dateline or at is None:
        return item.body
    first = item.body[at]
    lead = Span(item.dateline.raw + " ")
    return (*item.body[:at], dataclasses.replace(first, spans=(lead, *first.spans)), *item.body[at + 1:])


def to_dict(item: NewsItem) -> dict[str, Any]:
    """The ninjs 3.1 object of an item (validates against the official schema)."""
    doc: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "uri": item.guid,
        "type": "text",
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
        if item.dateline:  # mark the dateline so readers can style or strip it
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


def _descriptions(doc: dict[str, Any]) -> tuple[str | None, tuple[Description, ...]]:
    """The summary (the description with the summary role, else the first without a role) and
    the other descriptions with their roles."""
    found: list[Description] = []
    for d in doc.get("descriptions") or []:
        if isinstance(d, dict) and (text := _str(d.get("value"))):
            found.append(Description(text, _description_role(d.get("role"))))
    # ninjs 1.x: the description of the content, and how it may be used
    if text := _str(doc.get("description_text")):
        found.append(Description(text))
    if text := _str(doc.get("description_usage")):
        found.append(Description(text, "usage"))
    pick = next((i for i, d in enumerate(found) if d.role == "drol:summary"), None)
    if pick is None:
        pick = next((i for i, d in enumerate(found) if d.role is None), None)
    if pick is None:
        return None, tuple(found)
    return found[pick].text, (*found[:pick], *found[pick + 1:])


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


def from_dict(doc: dict[str, Any], ctx: ParseContext, digest: str) -> NewsItem:
    """An item from a ninjs object of any version (1.x lower-case keys, 2.x, 3.x camelCase)."""
    uri = doc.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise MalformedInput("the ninjs object has no 'uri' (its required identifier)")
    headline_obj = _first(doc.get("headlines"), "main")
    headline = headline_obj["value"] if headline_obj else doc.get("headline")
    html_body = text_body = None
    html_type = text_type = ""
    if isinstance(doc.get("bodies"), list):
        for b in doc["bodies"]:
            if not isinstance(b, dict) or not isinstance(b.get("value"), str):
                continue
            ctype = str(b.get("contentType") or b.get("contenttype") or "")
            # a NITF body is markup too: read with the HTML one, a rich body wins over plain text
            if ("html" in ctype or "nitf" in ctype.lower()) and html_body is None:
                html_body, html_type = b["value"], ctype
            elif text_body is None and "html" not in ctype:
                text_body, text_type = b["value"], ctype
    else:
        html_body = doc.get("body_html") if isinstance(doc.get("body_html"), str) else None
        text_body = doc.get("body_text") if isinstance(doc.get("body_text"), str) else None
        html_type, text_type = "text/html", "text/plain"
    marked = None
    body_notes: tuple[Note, ...] = ()
    # an HTML body, NITF (declared so, or a NITF document whatever its type), HTML sent as plain
    # text: one reader for them all
    markup = (read_markup(html_body, html_type or "text/html") if html_body
              else read_markup(text_body, text_type) if text_body else None)
    if markup is not None:
        source = html_body or text_body or ""
        m = _DATELINE_SPAN.search(source)
        marked = html_to_blocks(m.group(1))[0].text if m and html_to_blocks(m.group(1)) else None
        body, body_notes = markup.blocks, markup.notes
    else:
        body = text_to_blocks(text_body or "")
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
    summary, descriptions = _descriptions(doc)
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
    subjects, keywords = [], list(doc.get("keywords") or [])
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
    genres = doc.get("genres") or ([doc["genre"]] if isinstance(doc.get("genre"), dict) else [])
    if genres and isinstance(genres[0], dict):
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
        slugline=doc.get("slugline") or None,
        byline=doc.get("by") or doc.get("byline") or None,
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
        copyright=doc.get("copyrightNotice") or doc.get("copyrightnotice") or None,
        links=tuple(links),
        provenance=Provenance("ninjs", digest, ctx.filename, ctx.now),
        translation=translation,
        notes=(*_notes(doc), *body_notes),
        authors=_authors(doc),
        descriptions=descriptions,
    )


class NinjsCodec:
    name = "ninjs"
    title = "ninjs"
    media_type = "application/json"
    extension = "json"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith((b"{", b"[")):
            return 0.0
        return 0.9 if b'"uri"' in head else 0.4

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem | Skipped]:
        if len(data) > MAX_JSON_BYTES:
            raise MalformedInput(f"the ninjs document is {len(data)} bytes, over the {MAX_JSON_BYTES} limit")
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise MalformedInput("the ninjs document is not UTF-8 text") from None
        except (ValueError, RecursionError) as exc:
            raise MalformedInput(f"the ninjs document is not valid JSON ({exc})") from None
        digest = hashlib.sha256(data).hexdigest()
        if not isinstance(doc, list):
            if not isinstance(doc, dict):
                raise MalformedInput("a ninjs document is a JSON object (or a list of them)")
            return [from_dict(doc, context, digest)]
        # a list: each object stands alone, one that cannot be used is left out with its reason
        out: list[NewsItem | Skipped] = []
        for position, entry in enumerate(doc, 1):
            uri = entry.get("uri") if isinstance(entry, dict) else None
            guid = (uri.strip() or None) if isinstance(uri, str) else None
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
