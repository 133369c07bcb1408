"""AP Media API JSON: read the text items of AP's item, feed and search responses.

An item response is ``{"api_version": ..., "data": {"item": {...}}}``; a feed or search page is
``{"data": {"items": [{"item": {...}}, ...], "next_page": ...}}``, each item read alone (one that
cannot be used is left out with its reason, the others kept). An error response
(``{"error": {"status": ..., "message": ...}}``) is refused with AP's message.

How AP's documented item fields become the model:

=============================================  =================================================
AP item field                                  NewsItem
=============================================  =================================================
``altids.itemid`` (else the end of ``uri``)    ``guid`` ``tag:ap.org,2011:<itemid>``: the guid of
                                               AP's own NewsML-G2 for the same item, so a story
                                               taken as JSON and as G2 is one item. ``uri``
                                               carries session parameters and is not kept.
``version`` (AP counts from 0)                 ``version`` = AP's + 1 (syndicate counts from 1;
                                               the order, which decides what wins, is kept)
``altids.etag`` (one per revision)             ``extra`` ``ap-etag``
``pubstatus``                                  ``pub_status``: usable, withheld, canceled;
                                               embargoed is usable with its ``embargoed`` time
                                               (refused without one)
``type``                                       text only: picture, graphic, audio, video and
                                               composite items are left out by design (the model
                                               has no media items)
``signals`` without ``newscontent``            left out by design unless withheld or canceled:
                                               AP's advisories and daybooks are for editors,
                                               never for publication
``headline``                                   ``headline`` (required)
``description_summary``, ``headline_extended`` ``summary``, the first given; an extended headline
                                               beside a summary is a description with role
                                               ``aprol:extendedHeadline``
``firstcreated``, ``versioncreated``           ``first_created``, ``version_created`` (AP gives no
                                               content creation time)
``embargoed``                                  ``embargo``
``language``                                   ``language`` (else the configured one, else
                                               detected)
``urgency``, ``slugline``                      ``urgency`` (1-9), ``slugline``
``bylines`` ``[{by, title}]``                  ``byline`` (each ``by``, a line each) and
                                               ``authors``: the names ``by`` gives ("By A and
                                               B"), each with the ``title``
``photographer`` ``{name, title}``             an author with role ``photographer``
``ednote``                                     a note
``located`` (AP's dateline text)               the dateline, taken apart, where the body does
                                               not lead with one
``datelinelocation`` ``{city, countryareaname,  the dateline's place (AP's structured location
countryname, countrycode}``                    wins over a place resolved from text)
``subject`` ``[{code, name, scheme, rels}]``   ``subjects``: direct ones as AP concept addresses
                                               (scheme + code), category codes (rels
                                               ``category``) as ``apcategorycode:<code>``;
                                               ancestors, which follow from the direct ones, are
                                               left out
``keywords``, ``copyrightnotice``              ``keywords``, ``copyright``
``provider``                                   ``provider`` (AP when absent)
=============================================  =================================================

The body: AP links every rendition (``renditions.nitf.href``) and embeds none, and syndicate
fetches nothing while it ingests (a parser never opens a socket). A collector that downloads a
rendition embeds the document in the rendition as ``content``: the NITF rendition's is read as
the NITF codec reads a body (its editorial notes become notes), else a text ``main``
rendition's, as HTML or plain text by its ``mimetype``. A usable item whose body is only linked
is refused, naming the rendition's address (without its query, which may carry credentials); a
withheld or canceled item needs no body and is read without one, so that a kill is never lost.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from syndicate import dateline as dl
from syndicate.dateline import places
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, register
from syndicate.formats.lead import reference_time, split_lead_dateline
from syndicate.formats.ninjs import AP_RESPONSE, load_json, nitf_body
from syndicate.formats.xhtml import html_to_blocks, text_to_blocks
from syndicate.item import (
    Block,
    Dateline,
    Description,
    NewsItem,
    Note,
    Person,
    Place,
    Provenance,
    PubStatus,
    Subject,
    provider_scheme,
)
from syndicate.textutil import detect_item_language
from syndicate.timeparse import parse_time
from syndicate.versions import check_version, parse_version

#: the guid AP gives its items in NewsML-G2, before the item id
GUID_PREFIX = "tag:ap.org,2011:"
_STATUS = {"usable": PubStatus.USABLE, "embargoed": PubStatus.USABLE,
           "withheld": PubStatus.WITHHELD, "canceled": PubStatus.CANCELED,
           "cancelled": PubStatus.CANCELED}
_BY = re.compile(r"\A(?:by|por|von|par)\s+", re.IGNORECASE)
#: "A, B and C": the names of one byline
_NAMES = re.compile(r",\s*(?:and\s+)?|\s+and\s+")


class _LeftOut(Exception):
    """An item that is not a story for partners (a picture, an advisory): left out by design."""


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _item_id(item: dict[str, Any]) -> str | None:
    altids = item.get("altids")
    itemid = _str(altids.get("itemid")) if isinstance(altids, dict) else None
    if itemid is None and (uri := _str(item.get("uri"))):
        itemid = urlsplit(uri).path.rstrip("/").rpartition("/")[2] or None
    return itemid


def _version(raw: Any, guid: str) -> int:
    """AP's version plus one: AP's first version is 0, syndicate's 1."""
    if raw is None:
        return 1
    where = f"the AP version of {guid!r}"
    zero = (type(raw) is int and raw == 0) or (
        isinstance(raw, str) and raw.strip() != "" and not raw.strip().strip("0"))
    return 1 if zero else check_version(parse_version(raw, where) + 1, where)


def _status(item: dict[str, Any], guid: str) -> tuple[PubStatus, bool]:
    """The status, and whether AP says the item is embargoed. A value that is not a status is
    refused: taken as usable, a kill would publish what it kills."""
    raw = item.get("pubstatus")
    if raw is None:
        return PubStatus.USABLE, False
    word = raw.strip().lower() if isinstance(raw, str) else None
    if word not in _STATUS:
        raise MalformedInput(
            f"the AP pubstatus of {guid!r} is {raw!r}, not usable, embargoed, withheld or canceled")
    return _STATUS[word], word == "embargoed"


def _time(item: dict[str, Any], field: str, tz: dt.tzinfo, guid: str) -> dt.datetime | None:
    value = item.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise MalformedInput(f"the AP field {field!r} of {guid!r} is not a date-time string")
    try:
        return parse_time(value, tz=tz)
    except ValueError:
        raise MalformedInput(f"the AP field {field!r} of {guid!r} is not a date-time: {value!r}") from None


def _left_out(item: dict[str, Any], kind: str, status: PubStatus) -> str | None:
    """Why an item is not a story for partners, or None."""
    if kind != "text":
        return (f"an AP {kind} item: media items are read from NewsML-G2, ninjs and feeds, not "
                "yet from AP's JSON")
    signals = item.get("signals")
    if (not status.withdraws and isinstance(signals, list)
            and "newscontent" not in (s.lower() for s in signals if isinstance(s, str))):
        return ("an AP item for editors only (an advisory or daybook: its signals lack "
                "'newscontent'), which AP allows no one to publish")
    return None


def _people(item: dict[str, Any]) -> tuple[str | None, tuple[Person, ...]]:
    """The byline as written (a line per ``bylines`` entry) and the people it names."""
    lines: list[str] = []
    people: list[Person] = []
    bylines = item.get("bylines")
    for entry in bylines if isinstance(bylines, list) else []:
        if not isinstance(entry, dict) or not (by := _str(entry.get("by"))):
            continue
        lines.append(by)
        title = _str(entry.get("title"))
        people += [Person(name=n.strip(), title=title) for n in _NAMES.split(_BY.sub("", by)) if n.strip()]
    photographer = item.get("photographer")
    if isinstance(photographer, dict) and (name := _str(photographer.get("name"))):
        people.append(Person(name=name, role="photographer", title=_str(photographer.get("title"))))
    return "\n".join(lines) or None, tuple(people)


def _subjects(item: dict[str, Any], provider: str) -> tuple[Subject, ...]:
    found: list[Subject] = []
    subjects = item.get("subject")
    for s in subjects if isinstance(subjects, list) else []:
        if not isinstance(s, dict) or not (code := _str(s.get("code"))):
            continue
        rels: list[Any] = s["rels"] if isinstance(s.get("rels"), list) else []
        name = _str(s.get("name"))
        scheme = _str(s.get("scheme"))
        if "category" in rels:
            found.append(Subject(qcode=f"apcategorycode:{code}", name=name if name != code else None))
        elif rels and "direct" not in rels:
            continue  # an ancestor of a direct subject
        elif scheme and "/" in scheme:
            found.append(Subject(uri=scheme + code if scheme.endswith("/") else f"{scheme}/{code}",
                                 name=name))
        else:
            found.append(Subject(qcode=f"{provider_scheme(provider)}:{code}", name=name))
    return tuple(found)


def _place(location: Any, language: str) -> tuple[Place | None, dict[str, str | None]]:
    """The place ``datelinelocation`` names, and its parts as AP wrote them."""
    if not isinstance(location, dict):
        return None, {}
    parts = {"city": _str(location.get("city")), "region": _str(location.get("countryareaname")),
             "country": _str(location.get("countryname"))}
    city = parts["city"]
    if city is None:
        return None, parts
    code = _str(location.get("countrycode"))
    country = (places.resolve_country(parts["country"]) if parts["country"] else None) or (
        code.upper() if code and len(code) == 2 else None)
    place = (places.resolve(city, region=parts["region"], country=country, language=language)
             or places.resolve(city, country=country, language=language))
    return place, parts


def _dateline(item: dict[str, Any], lead: Dateline | None, ref: dt.datetime,
              language: str) -> Dateline | None:
    """The body's dateline, else ``located`` taken apart, else the place alone; its place is
    the one ``datelinelocation`` names where that resolves."""
    place, parts = _place(item.get("datelinelocation"), language)
    if lead is not None:
        return dataclasses.replace(lead, place=place or lead.place)
    text = _str(item.get("located"))
    if text is not None:
        found = dl.parse_dateline(text, now=ref, language=language, standalone=True)
        if found is not None:
            return dataclasses.replace(found[0], raw=text, place=place or found[0].place,
                                       language=language)
        return Dateline(raw=text, city=parts.get("city"), region=parts.get("region"),
                        country=parts.get("country"), place=place, language=language)
    if parts.get("city"):
        return Dateline(raw="", city=parts["city"], region=parts.get("region"),
                        country=parts.get("country"), place=place, language=language)
    return None


def _is_nitf(key: str, rendition: dict[str, Any]) -> bool:
    return "nitf" in " ".join((key, str(rendition.get("format", "")),
                               str(rendition.get("mimetype", "")))).lower()


def _address(href: str) -> str:
    """A rendition's address without its query (AP's carry session tokens, a collector's may
    carry a key)."""
    parts = urlsplit(href)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def _body(item: dict[str, Any], guid: str, withdraws: bool) -> tuple[tuple[Block, ...], tuple[Note, ...]]:
    renditions = item.get("renditions")
    renditions = {k: r for k, r in renditions.items() if isinstance(r, dict)} if isinstance(
        renditions, dict) else {}
    nitf = [(k, r) for k, r in renditions.items() if _is_nitf(k, r)]
    for key, r in nitf:
        if isinstance(content := r.get("content"), str) and content.strip():
            try:
                return nitf_body(content)
            except MalformedInput as exc:
                raise MalformedInput(f"the NITF rendition of AP item {guid!r} "
                                     f"(renditions.{key}.content) cannot be read: {exc}") from None
    main = renditions.get("main")
    if (main is not None and str(main.get("type", "text")).lower() == "text"
            and isinstance(content := main.get("content"), str) and content.strip()):
        if "html" in str(main.get("mimetype", "")).lower():
            return html_to_blocks(content), ()
        return text_to_blocks(content), ()
    if withdraws:
        return (), ()  # a kill or hold needs no body, and must not be lost for want of one
    linked = [(k, r["href"]) for k, r in (*nitf, *renditions.items())
              if isinstance(r.get("href"), str) and r["href"].strip()]
    if linked:
        key, href = linked[0]
        raise MalformedInput(
            f"the body of AP item {guid!r} is only linked (renditions.{key}.href = "
            f"{_address(href)}); syndicate fetches nothing while it ingests: have the collector "
            f"embed the document as renditions.{key}.content, or ingest the NITF document itself")
    raise MalformedInput(f"the AP item {guid!r} has no body: no text rendition, embedded or linked")


def _description(item: dict[str, Any]) -> tuple[str | None, tuple[Description, ...]]:
    summary = _str(item.get("description_summary"))
    extended = _str(item.get("headline_extended"))
    if summary is None:
        return extended, ()
    return summary, ((Description(extended, "aprol:extendedHeadline"),) if extended else ())


def from_item(item: dict[str, Any], ctx: ParseContext, digest: str) -> NewsItem:
    """A text item from an AP Media API item object; MalformedInput when it cannot be used,
    :class:`_LeftOut` when it is not a story for partners."""
    itemid = _item_id(item)
    if itemid is None:
        raise MalformedInput("the AP item has no altids.itemid, nor a uri to take it from")
    guid = GUID_PREFIX + itemid
    status, embargoed = _status(item, guid)
    kind = (_str(item.get("type")) or "text").lower()
    if (reason := _left_out(item, kind, status)) is not None:
        raise _LeftOut(reason)
    headline = _str(item.get("headline"))
    if headline is None:
        raise MalformedInput(f"the AP item {guid!r} has no headline")
    zone = ctx.zone
    first_created = _time(item, "firstcreated", zone, guid)
    version_created = _time(item, "versioncreated", zone, guid)
    embargo = _time(item, "embargoed", zone, guid)
    if embargoed and embargo is None:
        raise MalformedInput(f"the AP item {guid!r} is embargoed without an 'embargoed' time: "
                             "there is no telling when it may be published")
    body, body_notes = _body(item, guid, status.withdraws)
    declared = _str(item.get("language")) or ctx.language
    language = declared or detect_item_language(headline, (b.text for b in body)) or "und"
    ref = reference_time(first_created, version_created, now=ctx.now)
    lead, body = split_lead_dateline(body, now=ref, language=language)
    provider = _str(item.get("provider")) or ctx.provider or "AP"
    byline, authors = _people(item)
    summary, descriptions = _description(item)
    keywords = item.get("keywords")
    urgency = item.get("urgency")
    altids = item.get("altids")
    etag = _str(altids.get("etag")) if isinstance(altids, dict) else None
    ednote = _str(item.get("ednote"))
    return NewsItem(
        guid=guid,
        headline=headline,
        language=language,
        version=_version(item.get("version"), guid),
        provider=provider,
        summary=summary,
        slugline=_str(item.get("slugline")),
        byline=byline,
        dateline=_dateline(item, lead, ref, language),
        body=body,
        subjects=_subjects(item, provider),
        keywords=tuple(k.strip() for k in keywords if isinstance(k, str) and k.strip())
        if isinstance(keywords, list) else (),
        urgency=urgency if type(urgency) is int and 1 <= urgency <= 9 else None,
        pub_status=status,
        embargo=embargo,
        first_created=first_created,
        version_created=version_created,
        copyright=_str(item.get("copyrightnotice")),
        provenance=Provenance("apjson", digest, ctx.filename, ctx.now),
        extra=(("ap-etag", etag),) if etag else (),
        notes=((Note(ednote),) if ednote else ()) + body_notes,
        authors=authors,
        descriptions=descriptions,
    )


def _kind(item: dict[str, Any]) -> str:
    return f"AP {(_str(item.get('type')) or 'text').lower()} item"


def _guid_of(item: dict[str, Any]) -> str | None:
    itemid = _item_id(item)
    return GUID_PREFIX + itemid if itemid else None


class ApJsonCodec:
    name = "apjson"
    title = "AP Media API JSON"
    #: what every input this codec recognises holds (see formats.detect): a JSON object
    sniff_marks = b"{"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
        if not head.startswith(b"{"):
            return 0.0
        # above ninjs, whose objects have "uri"s as AP's items do
        return 0.95 if AP_RESPONSE.search(head) else 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem | Skipped]:
        doc = load_json(data, "AP Media API")
        if not isinstance(doc, dict):
            raise MalformedInput("an AP Media API response is a JSON object")
        error = doc.get("error")
        if isinstance(error, dict):
            raise MalformedInput(
                f"the AP Media API response is an error (status {error.get('status')}, code "
                f"{error.get('code')}): {error.get('message')}")
        payload = doc.get("data")
        if not isinstance(payload, dict):
            raise MalformedInput("the AP Media API response has no 'data' object")
        digest = hashlib.sha256(data).hexdigest()
        if isinstance(payload.get("item"), dict):
            item = payload["item"]
            try:
                return [from_item(item, context, digest)]
            except _LeftOut as why:
                return [Skipped(1, _kind(item), _guid_of(item), str(why), fault=False)]
        entries = payload.get("items")
        if not isinstance(entries, list):
            raise MalformedInput("the AP Media API response has neither data.item (an item "
                                 "response) nor data.items (a feed or search page)")
        out: list[NewsItem | Skipped] = []
        for position, entry in enumerate(entries, 1):
            item = entry.get("item") if isinstance(entry, dict) else None
            if not isinstance(item, dict):
                out.append(Skipped(position, "AP item", None, "the entry has no 'item' object"))
                continue
            try:
                out.append(from_item(item, context, digest))
            except _LeftOut as why:
                out.append(Skipped(position, _kind(item), _guid_of(item), str(why), fault=False))
            except MalformedInput as exc:
                out.append(Skipped(position, _kind(item), _guid_of(item), str(exc)))
        return out


register(ApJsonCodec())
