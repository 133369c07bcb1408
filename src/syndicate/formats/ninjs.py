"""ninjs (IPTC's JSON news format): read versions 1.x to 3.x, write 3.1.

ninjs has no dateline field: agencies put the dateline at the start of the body, and so do we
(as ``<span class="dateline">`` in the XHTML body); the reader takes it apart again.
Machine translations carry ``infoSources`` with role ``machineTranslation`` and an association
``translatedFrom`` naming the source guid and version.

Times: ``firstCreated``, ``versionCreated`` and ``contentCreated`` (``firstcreated`` ... in 1.x and
2.x) are the item's first and version times and the content's creation; ninjs has no field for the
content's last change, which stands in for a missing ``versionCreated`` when written. A time
without a zone is in the source's zone. An object without ``language`` has it detected from its
text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, register
from syndicate.formats.lead import reference_time, split_lead_dateline
from syndicate.formats.xhtml import blocks_to_html, html_to_blocks, text_to_blocks
from syndicate.item import (
    Block,
    Dateline,
    Link,
    MachineTranslation,
    NewsItem,
    Provenance,
    PubStatus,
    Span,
    Subject,
)
from syndicate.textutil import detect_item_language
from syndicate.timeparse import parse_time

MAX_JSON_BYTES = 10 * 1024 * 1024
SCHEMA_URI = "https://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
_MT_ROLE = "machineTranslation"
_IPTC_CV = "http://cv.iptc.org/newscodes/"
_QCODE_ALIASES = {"medtop": "mediatopic", "subj": "subjectcode", "genre": "genre", "stat": "pubstatusg2"}


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
    if not item.dateline or not item.body:
        return item.body
    first = item.body[0]
    lead = Span(item.dateline.raw + " ")
    return (Block((lead, *first.spans), first.kind), *item.body[1:])


def to_dict(item: NewsItem) -> dict[str, Any]:
    """The ninjs 3.1 object of an item (validates against the official schema)."""
    doc: dict[str, Any] = {
        "standard": {"name": "ninjs", "version": "3.1", "schema": SCHEMA_URI},
        "uri": item.guid,
        "type": "text",
        "representationType": "full",
        "version": str(item.version),
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
    if item.summary:
        doc["descriptions"] = [{"role": "summary", "contentType": "text/plain", "value": item.summary}]
    if item.body:
        body = _body_with_dateline(item)
        rich = blocks_to_html(body)
        if item.dateline:  # mark the dateline so readers can style or strip it
            rich = rich.replace(
                _escape(item.dateline.raw + " "),
                f'<span class="dateline">{_escape(item.dateline.raw)}</span> ', 1,
            )
        text = "\n\n".join(b.text for b in body)
        doc["bodies"] = [
            {"role": "main", "contentType": "application/xhtml+xml", "value": rich,
             "charCount": len(text), "wordCount": len(text.split())},
            {"role": "main", "contentType": "text/plain", "value": text},
        ]
    if item.byline:
        doc["by"] = item.byline
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
        if s.qcode:
            uri = _qcode_to_uri(s.qcode)
            entry["uri" if uri else "literal"] = uri or s.qcode
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


_DATELINE_SPAN = re.compile(r'<span class="dateline">(.*?)</span>', re.S)


def from_dict(doc: dict[str, Any], ctx: ParseContext, digest: str) -> NewsItem:
    """An item from a ninjs object of any version (1.x lower-case keys, 2.x, 3.x camelCase)."""
    uri = doc.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise MalformedInput("the ninjs object has no 'uri' (its required identifier)")
    headline_obj = _first(doc.get("headlines"), "main")
    headline = headline_obj["value"] if headline_obj else doc.get("headline")
    html_body = text_body = None
    if isinstance(doc.get("bodies"), list):
        for b in doc["bodies"]:
            if not isinstance(b, dict) or not isinstance(b.get("value"), str):
                continue
            ctype = b.get("contentType", "")
            if "html" in ctype and html_body is None:
                html_body = b["value"]
            elif text_body is None and "html" not in ctype:
                text_body = b["value"]
    else:
        html_body = doc.get("body_html") if isinstance(doc.get("body_html"), str) else None
        text_body = doc.get("body_text") if isinstance(doc.get("body_text"), str) else None
    marked = None
    if html_body:
        m = _DATELINE_SPAN.search(html_body)
        marked = html_to_blocks(m.group(1))[0].text if m and html_to_blocks(m.group(1)) else None
        body = html_to_blocks(html_body)
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
    summary_obj = _first(doc.get("descriptions"), "summary")
    summary = summary_obj["value"] if summary_obj else doc.get("description_text")
    version_raw = doc.get("version", "1")
    version = int(version_raw) if str(version_raw).isdigit() else 1
    status = str(doc.get("pubStatus") or doc.get("pubstatus") or "usable").lower()
    try:
        pub_status = PubStatus(status)
    except ValueError:
        raise MalformedInput(f"ninjs pubStatus {status!r} is not usable, withheld or canceled") from None
    subjects, keywords = [], list(doc.get("keywords") or [])
    for s in doc.get("subjects") or doc.get("subject") or []:
        if not isinstance(s, dict):
            continue
        if s.get("rel") == "keyword" and s.get("name"):
            keywords.append(s["name"])
            continue
        qcode = (_uri_to_qcode(s["uri"]) if isinstance(s.get("uri"), str) else None) or s.get(
            "literal") or s.get("uri") or s.get("code")
        subjects.append(Subject(qcode=qcode, name=s.get("name")))
    genre = None
    genres = doc.get("genres") or ([doc["genre"]] if isinstance(doc.get("genre"), dict) else [])
    if genres and isinstance(genres[0], dict):
        g = genres[0]
        qcode = (_uri_to_qcode(g["uri"]) if isinstance(g.get("uri"), str) else None) or g.get(
            "literal") or g.get("uri") or g.get("code")
        genre = Subject(qcode=qcode, name=g.get("name"))
    provider = translation = None
    for src in doc.get("infoSources") or []:
        if not isinstance(src, dict):
            continue
        if src.get("role") == _MT_ROLE and src.get("name"):
            engine, _, model = src["name"].partition(" ")
            source_lang = str(src.get("literal", "")).partition("->")[0] or "und"
            translation = MachineTranslation(engine, model, source_lang)
        elif provider is None and src.get("name"):
            provider = src["name"]
    links = []
    assoc = doc.get("associations") or []
    for a in assoc if isinstance(assoc, list) else []:
        if isinstance(a, dict) and a.get("uri") and a.get("rel") == "translatedFrom":
            v = str(a.get("version", ""))
            title = a.get("name") if a.get("name") != "translatedFrom" else None
            links.append(Link("irel:translatedFrom", a["uri"], int(v) if v.isdigit() else None,
                              title=title))
    urgency = doc.get("urgency")
    return NewsItem(
        guid=uri,
        headline=headline.strip(),
        language=language,
        version=version,
        provider=provider or ctx.provider,
        summary=summary if isinstance(summary, str) and summary else None,
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

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        if len(data) > MAX_JSON_BYTES:
            raise MalformedInput(f"the ninjs document is {len(data)} bytes, over the {MAX_JSON_BYTES} limit")
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise MalformedInput("the ninjs document is not UTF-8 text") from None
        except (ValueError, RecursionError) as exc:
            raise MalformedInput(f"the ninjs document is not valid JSON ({exc})") from None
        docs = doc if isinstance(doc, list) else [doc]
        if not all(isinstance(d, dict) for d in docs):
            raise MalformedInput("a ninjs document is a JSON object (or a list of them)")
        digest = hashlib.sha256(data).hexdigest()
        return [from_dict(d, context, digest) for d in docs]

    def render(self, item: NewsItem) -> bytes:
        return render(item)


register(NinjsCodec())
