"""ninjs (IPTC's JSON news format): read versions 1.x to 3.x, write 3.1.

ninjs has no dateline field: agencies put the dateline at the start of the body, and so do we
(as ``<span class="dateline">`` in the XHTML body); the reader takes it apart again.
Machine translations carry ``infoSources`` with role ``machineTranslation`` and an association
``translatedFrom`` naming the source guid and version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, register
from syndicate.formats.lead import split_lead_dateline
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
from syndicate.versions import check_version, parse_version

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
        "version": str(check_version(item.version, f"the version of {item.guid}")),
    }
    stamps = {
        "firstCreated": item.created,
        "versionCreated": item.modified or item.created
        or (item.provenance.ingested_at if item.provenance else None),
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


def _time(value: Any, field: str) -> dt.datetime | None:
    if not value:
        return None
    if not isinstance(value, str):
        raise MalformedInput(f"ninjs field {field!r} is not a date-time string")
    try:
        t = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise MalformedInput(f"ninjs field {field!r} is not an ISO 8601 date-time: {value!r}") from None
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _first(values: Any, role: str | None = None) -> dict[str, Any] | None:
    if not isinstance(values, list):
        return None
    objs = [v for v in values if isinstance(v, dict) and isinstance(v.get("value"), str)]
    if role:
        for v in objs:
            if v.get("role") == role:
                return v
    return objs[0] if objs else None


def _split_dateline(body: tuple[Block, ...], ctx: ParseContext, language: str,
                    marked: str | None) -> tuple[Dateline | None, tuple[Block, ...]]:
    dateline, rest = split_lead_dateline(body, now=ctx.now, language=language)
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


def from_dict(doc: dict[str, Any], ctx: ParseContext, digest: str) -> NewsItem:
    """An item from a ninjs object of any version (1.x lower-case keys, 2.x, 3.x camelCase)."""
    uri = doc.get("uri")
    if not isinstance(uri, str) or not uri.strip():
        raise MalformedInput("the ninjs object has no 'uri' (its required identifier)")
    headline_obj = _first(doc.get("headlines"), "main")
    headline = headline_obj["value"] if headline_obj else doc.get("headline")
    language = doc.get("language") or ctx.language
    if not isinstance(language, str) or not language:
        language = "und"
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
    dateline, body = _split_dateline(body, ctx, language, marked)
    if not isinstance(headline, str) or not headline.strip():
        raise MalformedInput(f"the ninjs object {uri!r} has no headline")
    summary_obj = _first(doc.get("descriptions"), "summary")
    summary = summary_obj["value"] if summary_obj else doc.get("description_text")
    version_raw = doc.get("version")
    version = 1 if version_raw is None else parse_version(version_raw, f"the ninjs version of {uri!r}")
    pub_status = _pub_status(doc, uri)
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
        embargo=_time(doc.get("embargoedUntil") or doc.get("embargoed"), "embargoedUntil"),
        created=_time(doc.get("firstCreated") or doc.get("firstcreated"), "firstCreated"),
        modified=_time(doc.get("versionCreated") or doc.get("versioncreated"), "versionCreated"),
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
