"""NewsML 1.2 (IPTC, 2003; also 1.0 and 1.1): read the NewsItems of a NewsML document into the model.

AFP, ANA-MPA, Kyodo and others still send it: a ``NewsEnvelope`` and one or more ``NewsItem``s,
each an ``Identification``, its ``NewsManagement`` and a tree of ``NewsComponent``s whose
``ContentItem``s hold the copy (NITF, XHTML, HTML or plain text in ``DataContent``). Elements
are found by local name, so documents with the NewsML 1.2 namespace and without any both read.

Identity: the guid is the ``PublicIdentifier`` URN without its last part, which is the revision
("urn:newsml:afp.com:20261130:TX-PAR-KQZ41:3" is revision 3 of
"urn:newsml:afp.com:20261130:TX-PAR-KQZ41"): every revision of a story, its kill included, is one
guid in several versions. Without a PublicIdentifier the URN is built from ``ProviderId``,
``DateId`` and ``NewsItemId``. The version is ``RevisionId`` (:mod:`syndicate.versions`).

Status: ``Status/@FormalName`` Usable, Withheld or Canceled (IPTC's status vocabulary for
NewsML 1); Embargoed with a ``StatusWillChange`` to Usable at a time is usable from that time
(the embargo); Embargoed without one is withheld, as nothing says when it may go. A status that
names none of these is refused, never taken as usable, and so is an embedded NITF's
``management-status`` that is. A kill carries no copy: a Canceled or Withheld item is read
without one, even as a NewsManagement-only revision (``RevisionId/@Update="A"``), its headline
the HeadLine, SlugLine or NameLabel it has, else the status and the NewsItemId. A usable revision
that only patches the one before (``Update="U"``, ``Update`` elements) or only restates its
NewsManagement (``Update="A"``) cannot be read on its own and is refused.

Times: ``FirstCreated`` is the first version's time, ``ThisRevisionCreated`` this version's,
``DescriptiveMetadata/DateLineDate`` the content's creation when it gives a time of day (else
the dateline's date); a time without a zone is in the source's zone. A year the dateline omits
is read against DateLineDate, FirstCreated, ThisRevisionCreated, else the envelope's
``DateAndTime`` (when the document was sent). NewsML 1 has no time for a change of the content.

Metadata may sit on any NewsComponent: the one nearest the copy wins (the copy's own component,
then its parents). ``NewsLines``: HeadLine, SubHeadLine (the summary), ByLine and ByLineTitle,
DateLine (taken apart by the dateline parser; where the copy opens with the dateline, it is taken
out of the body), CopyrightLine, SlugLine (else ``NameLabel``), KeywordLine (split at commas and semicolons).
``AdministrativeMetadata``: the ``Provider`` party (else ProviderId, else the envelope's
``SentFrom``), ``Creator`` and ``Contributor`` parties as authors (not the provider itself;
with none, the people of a NITF byline, else the names after a "By"). ``DescriptiveMetadata``:
``Language`` (declared wins: it, else the language the copy declares, else the configured one,
else detected from the text), ``Genre``, ``SubjectCode`` (IPTC subject codes as ``subj:``, a
provider's own codes under its scheme), ``Property FormalName="Keyword"``, ``Location`` (city
and country, to place a dateline the parser cannot). ``Urgency``, else the envelope's
``Priority``. ``RightsMetadata`` copyright when there is no CopyrightLine. ``Instruction`` is not
read: NewsML 1.2 defines it as an instruction to the receiving system (a controlled vocabulary,
revision statuses), not as a note to editors; editorial notes come only from NITF copy (its
editors' notes).

Copy: NITF is read with the NITF codec's own functions (body.content, its byline, abstract,
editors' notes taken out of the copy); XHTML and markup straight in DataContent as (X)HTML; text
declared as HTML (often escaped in CDATA) as HTML; anything else as plain text. A NewsComponent
of pictures, graphics, video or audio is no text story: an item of nothing else is left out,
with that reason, and beside a story such components (and their captions) are not part of it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from syndicate import dateline as dl
from syndicate.dateline import places
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, nitf, register
from syndicate.formats.lead import reference_time, split_lead_dateline
from syndicate.formats.xhtml import element_to_blocks, html_to_blocks, text_to_blocks
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
from syndicate.textutil import detect_item_language
from syndicate.timeparse import parse_time, parse_time_or_date
from syndicate.versions import parse_version
from syndicate.xmlsafe import parse_xml, sniff_root

# the NITF codec's namespace-agnostic helpers: NewsML 1.2 comes with and without its namespace
_find, _local, _text = nitf._find, nitf._local, nitf._text

#: the namespace of the NewsML 1.x schemas (1.2: http://iptc.org/std/NewsML/2003-10-10/)
_NEWSML_NS = re.compile(r"http://iptc\.org/std/NewsML/\d{4}-\d{2}-\d{2}/?\Z")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_WHAT = "NewsML 1.2"

_STATUS = {"usable": PubStatus.USABLE, "withheld": PubStatus.WITHHELD,
           "canceled": PubStatus.CANCELED, "cancelled": PubStatus.CANCELED}
_IPTC_SUBJECT = re.compile(r"\d{8}\Z")
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
# "urn:newsml:<provider>:<date>:<item id>:<revision><update>": the last part is the revision
_REVISION_PART = re.compile(r"\d+[AUN]?\Z", re.IGNORECASE)
# a byline's names are taken only after one of these: without it (or in a language that
# inflects names, "Του Γιώργου Παπαδόπουλου") the byline stays text
_BY = re.compile(r"(?:by|par|von|por|door)\s+", re.IGNORECASE)
_NAME = re.compile(r"[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){1,3}\Z")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_MARKUP = re.compile(r"<(?:p|br|div|h[1-6]|ul|ol|li|blockquote|b|i|strong|em)\b", re.IGNORECASE)
_MEDIA_MIME = ("image/", "video/", "audio/")
_ESCAPED_NITF = re.compile(r"(?:<\?xml[^>]*\?>\s*)?<(?:\w+:)?nitf[\s>]")


class _LeftOut(MalformedInput):
    """An item left out by design (pictures, packages), not for a fault."""


def _children(el: etree._Element | None, name: str) -> list[etree._Element]:
    return [] if el is None else [c for c in el if _local(c) == name]


def _formal(el: etree._Element | None) -> str | None:
    value = " ".join((el.get("FormalName") or "").split()) if el is not None else ""
    return value or None


def _time(el: etree._Element | None, where: str, zone: dt.tzinfo) -> dt.datetime | None:
    text = _text(el)
    if text is None:
        return None
    try:
        return parse_time(text, tz=zone)
    except ValueError as exc:
        raise MalformedInput(f"the NewsML 1.2 {where} is unreadable: {exc}") from None


def _language_tag(value: str | None) -> str | None:
    """A declared language as a BCP 47 tag ("EN" -> "en", "el-gr" -> "el-GR"); None for what is
    no language ("x-default", a name)."""
    value = (value or "").strip().replace("_", "-")
    if not _LANG_TAG.match(value):
        return None
    first, *rest = value.split("-")
    parts = [first.lower()]
    for part in rest:
        parts.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part.lower())
    return "-".join(parts)


# --------------------------------------------------------------------------------------------
# identification and status


@dataclass(frozen=True, slots=True)
class _Identity:
    guid: str | None
    #: RevisionId as written (read as the version by :func:`_read_item`, which may refuse it)
    revision: str | None
    update: str
    item_id: str | None
    provider_id: str | None
    name_label: str | None


def _identity(item: etree._Element) -> _Identity:
    ident = _find(item, "Identification")
    nid = _find(ident, "NewsIdentifier") if ident is not None else None
    provider_id = _text(_find(nid, "ProviderId")) if nid is not None else None
    date_id = _text(_find(nid, "DateId")) if nid is not None else None
    item_id = _text(_find(nid, "NewsItemId")) if nid is not None else None
    rev = _find(nid, "RevisionId") if nid is not None else None
    public = "".join((_text(_find(nid, "PublicIdentifier")) or "").split()) if nid is not None else ""
    guid: str | None = None
    if public:
        parts = public.split(":")
        if (public.lower().startswith("urn:newsml:") and len(parts) >= 6
                and _REVISION_PART.match(parts[-1])):
            public = ":".join(parts[:-1])
        guid = public
    elif provider_id and item_id:
        guid = ":".join(p for p in ("urn:newsml", provider_id, date_id, item_id) if p)
    update = ((rev.get("Update") if rev is not None else None) or "N").strip().upper() or "N"
    name_label = _text(_find(ident, "NameLabel")) if ident is not None else None
    revision = (rev.text or "") if rev is not None else None
    return _Identity(guid, revision, update, item_id, provider_id, name_label)


def _status(mgmt: etree._Element, zone: dt.tzinfo) -> tuple[PubStatus, dt.datetime | None]:
    """The item's status and embargo: Embargoed is usable from the time its StatusWillChange
    names, and withheld while no such time is given."""
    raw = _formal(_find(mgmt, "Status"))
    if raw is None:
        raise MalformedInput("the NewsItem has no NewsManagement/Status (Usable, Withheld, "
                             "Canceled or Embargoed)")
    if raw.lower() != "embargoed":
        status = _STATUS.get(raw.lower())
        if status is None:
            # taken as usable, a kill in an unexpected spelling would publish what it kills
            raise MalformedInput(f"the NewsManagement Status is {raw!r}, none of Usable, "
                                 "Withheld, Canceled, Embargoed")
        return status, None
    releases = [when for change in _children(mgmt, "StatusWillChange")
                if (_formal(_find(change, "FutureStatus")) or "").lower() == "usable"
                and (when := _time(_find(change, "DateAndTime"), "StatusWillChange time", zone))]
    if not releases:
        return PubStatus.WITHHELD, None
    return PubStatus.USABLE, min(releases)


# --------------------------------------------------------------------------------------------
# components and their copy


@dataclass(frozen=True, slots=True)
class _Copy:
    """What a ContentItem's copy gives besides its blocks (NITF carries some metadata)."""

    blocks: tuple[Block, ...] = ()
    notes: tuple[Note, ...] = ()
    headline: str | None = None
    summary: str | None = None
    byline: str | None = None
    authors: tuple[Person, ...] = ()
    language: str | None = None
    status: PubStatus | None = None
    nitf: etree._Element | None = None


def _media_kind(ci: etree._Element) -> str | None:
    """"Text" for copy, the media type (Photo, Graphic, Video, Audio ...) for anything else, None
    when the item does not say."""
    kind = _formal(_find(ci, "MediaType"))
    if kind:
        return "Text" if kind.lower() == "text" else kind
    mime = (_formal(_find(ci, "MimeType")) or "").lower()
    if mime.startswith(_MEDIA_MIME):
        return mime.partition("/")[0].capitalize()
    if mime or _data_content(ci) is not None:
        return "Text"
    return None


def _data_content(ci: etree._Element) -> etree._Element | None:
    data = _find(ci, "DataContent")
    if data is None:
        data = _find(ci, "Encoding/DataContent")
    return data


def _own_items(item: etree._Element) -> list[etree._Element]:
    """The ContentItems of this NewsItem: not those of NewsItems nested in its components, nor
    those of the Update elements that patch a revision before it."""
    found = []
    for el in item.iter():
        if _local(el) != "ContentItem":
            continue
        above = next(a for a in el.iterancestors() if _local(a) in ("NewsItem", "Update"))
        if above is item:
            found.append(el)
    return found


def _components(ci: etree._Element) -> list[etree._Element]:
    """The NewsComponents around a ContentItem, nearest first."""
    out = []
    for a in ci.iterancestors():
        if _local(a) == "NewsItem":
            break
        if _local(a) == "NewsComponent":
            out.append(a)
    return out


def _text_items(item: etree._Element) -> tuple[list[etree._Element], str | None]:
    """The ContentItems that hold the story's copy, in document order, and the media type of the
    first component that holds no copy but media (None when there is none)."""
    texts: list[etree._Element] = []
    media: str | None = None
    taken: set[etree._Element] = set()
    for ci in _own_items(item):
        component = next(iter(_components(ci)), None)
        kind = _media_kind(ci)
        siblings = _children(component, "ContentItem") if component is not None else [ci]
        kinds = sorted(k for s in siblings if (k := _media_kind(s)) is not None and k != "Text")
        role = (_formal(_find(component, "Role")) or "").lower() if component is not None else ""
        if kind not in (None, "Text") or kinds or role == "caption":
            # a picture and its caption: no part of a text story
            media = media or (kind if kind not in (None, "Text") else next(iter(kinds), None))
            continue
        if kind is None:
            continue
        # renditions of one copy (the children of an EquivalentsList="yes" component): the first
        group = next((nc for nc in _components(ci)
                      if (nc.get("EquivalentsList") or "").lower() == "yes"), None)
        if group is not None:
            if group in taken:
                continue
            taken.add(group)
        texts.append(ci)
    return texts, media


def _nitf_copy(root: etree._Element, ctx: ParseContext) -> _Copy:
    """A NITF document in DataContent, read with the NITF codec's functions."""
    head = _find(root, "head")
    body_head = _find(root, "body/body.head")
    content = _find(root, "body/body.content")
    read = nitf.read_body(root) if content is not None else None
    notes: list[Note] = list(read.notes) if read is not None else []
    blocks = read.blocks if read is not None else ()
    byline, authors = nitf._bylines([el for el in body_head if _local(el) == "byline"]
                                    if body_head is not None else [])
    abstract = _find(body_head, "abstract") if body_head is not None else None
    summary = " ".join(b.text for b in element_to_blocks(abstract)) if abstract is not None else None
    hl1 = _text(_find(body_head, "hedline/hl1")) if body_head is not None else None
    hl2 = _text(_find(body_head, "hedline/hl2")) if body_head is not None else None
    docdata = _find(head, "docdata") if head is not None else None
    status = nitf._status_value(docdata, "management-status") if docdata is not None else None
    language = _language_tag(nitf._language(root, head, dataclasses.replace(ctx, language=None)))
    return _Copy(blocks=blocks, notes=tuple(notes), headline=hl1, summary=summary or hl2,
                 byline=byline, authors=tuple(authors), language=language, status=status, nitf=root)


def _declared_html(ci: etree._Element) -> bool:
    declared = {(_formal(_find(ci, name)) or "").lower() for name in ("MimeType", "Format")}
    return bool(declared & _HTML_TYPES)


def _copy(ci: etree._Element, ctx: ParseContext) -> _Copy:
    encoding = _find(ci, "Encoding")
    notation = (encoding.get("Notation") or "").strip() if encoding is not None else ""
    if notation and notation.lower() not in ("none", "identity", "text"):
        raise MalformedInput(f"the copy is encoded ({notation}), which is not read from NewsML 1.2")
    data = _data_content(ci)
    if data is None:
        return _Copy()  # content by reference (ContentItem/@Href): no copy to read
    language = _language_tag(data.get(XML_LANG))
    markup = [c for c in data if isinstance(c.tag, str)]
    if markup:
        first = markup[0]
        if _local(first).lower() == "nitf":
            return _nitf_copy(first, ctx)
        if _local(first).lower() == "html":
            language = language or _language_tag(first.get(XML_LANG) or first.get("lang"))
            return _Copy(blocks=element_to_blocks(first), language=language)
        # paragraphs straight in DataContent (AFP writes NITF body.content's children so)
        return _Copy(blocks=element_to_blocks(data), language=language)
    text = data.text or ""
    stripped = text.strip()
    if _ESCAPED_NITF.match(stripped):
        # the document as text: its own XML declaration no longer says how it is encoded
        doc = re.sub(r"^<\?xml[^>]*\?>", "", stripped)
        return _nitf_copy(parse_xml(doc.encode("utf-8"), what="NITF in NewsML 1.2 DataContent"), ctx)
    if _declared_html(ci) or (stripped.startswith("<") and _MARKUP.search(stripped)):
        return _Copy(blocks=html_to_blocks(text), language=language)
    return _Copy(blocks=text_to_blocks(text), language=language)


# --------------------------------------------------------------------------------------------
# metadata of the components


class _Meta:
    """Metadata looked up on a chain of NewsComponents, nearest the copy first."""

    def __init__(self, chain: Sequence[etree._Element]) -> None:
        self.chain = chain

    def first(self, path: str) -> etree._Element | None:
        for nc in self.chain:
            el = _find(nc, path)
            if el is not None:
                return el
        return None

    def all(self, parent: str, name: str) -> list[etree._Element]:
        """Every ``name`` under each component's ``parent`` (a path), the nearest component's first."""
        found: list[etree._Element] = []
        for nc in self.chain:
            holder = _find(nc, parent)
            if holder is not None:
                found += [el for el in holder.iter() if _local(el) == name]
        return found

    def line(self, name: str, language: str | None = None) -> str | None:
        """A NewsLine, the one in ``language`` (or in none) where there are several."""
        for nc in self.chain:
            lines = [(el.get(XML_LANG), t) for el in _children(_find(nc, "NewsLines"), name)
                     if (t := _text(el))]
            if lines:
                base = (language or "").split("-")[0].lower()
                return next((t for lang, t in lines if lang and base
                             and lang.split("-")[0].lower() == base), lines[0][1])
        return None


def _parties(meta: _Meta, role: str) -> list[str]:
    names = []
    for el in meta.all(f"AdministrativeMetadata/{role}", "Party"):
        name = _formal(el) or _text(el)
        if name and name not in names:
            names.append(name)
    return names


def _authors(meta: _Meta, byline: str | None, not_people: set[str], in_copy: Sequence[Person]
             ) -> list[Person]:
    """Creator and Contributor parties that are not the provider; with none, the people the
    copy's NITF byline names, else the names of a "By ..." byline (a ByLineTitle goes to a sole
    author)."""
    titles = [t for el in meta.all("NewsLines", "ByLineTitle") if (t := _text(el))]
    people = [Person(name=n) for n in _parties(meta, "Creator") if n.casefold() not in not_people]
    people += [Person(name=n, contributor=True) for n in _parties(meta, "Contributor")
               if n.casefold() not in not_people]
    people = people or list(in_copy)
    if not people and byline:
        marker = _BY.match(byline)
        names = [n.strip() for n in re.split(r",|;|\s+(?:and|&|et|und|y|en)\s+", byline[marker.end():])
                 ] if marker else []
        if names and all(_NAME.match(n) for n in names):
            people = [Person(name=n) for n in names if n.casefold() not in not_people]
    if len(titles) == 1 and len([p for p in people if not p.contributor]) == 1:
        people = [dataclasses.replace(p, title=titles[0]) if not p.contributor else p for p in people]
    return people


def _subjects(meta: _Meta, provider: str | None) -> tuple[Subject, ...]:
    """IPTC subject codes (``subj:``) where the scheme is IPTC's, a provider's own codes under
    the provider's scheme."""
    out: list[Subject] = []
    codes = [el for code in meta.all("DescriptiveMetadata", "SubjectCode") for el in code
             if _local(el) in ("Subject", "SubjectMatter", "SubjectDetail")]
    for el in codes:
        code = "".join((el.get("FormalName") or "").split())
        if not code:
            continue
        scheme = (el.get("Scheme") or "").strip().lower()
        iptc = not scheme or scheme.startswith("iptc")
        subject = (Subject(qcode=f"subj:{code}") if iptc and _IPTC_SUBJECT.match(code)
                   else Subject(qcode=f"{provider_scheme(provider)}:{code}"))
        if subject not in out:
            out.append(subject)
    return tuple(out)


def _genre(meta: _Meta, provider: str | None) -> Subject | None:
    el = meta.first("DescriptiveMetadata/Genre")
    name = _formal(el)
    if el is None or name is None:
        return None
    scheme = (el.get("Scheme") or "").strip().lower()
    if scheme and not scheme.startswith("iptc"):
        return Subject(qcode=f"{provider_scheme(provider)}:{name}" if " " not in name else None,
                       name=name)
    return Subject(qcode=f"genre:{name}" if " " not in name else None, name=name)


def _keywords(meta: _Meta) -> tuple[str, ...]:
    words: list[str] = []
    for nc in meta.chain:
        for el in _children(_find(nc, "NewsLines"), "KeywordLine"):
            words += [w.strip() for w in re.split(r"[,;]", _text(el) or "")]
        for el in _children(_find(nc, "DescriptiveMetadata"), "Property"):
            if (el.get("FormalName") or "").strip().lower() == "keyword":
                words.append(" ".join((el.get("Value") or "").split()))
    return tuple(dict.fromkeys(w for w in words if w))


def _location(meta: _Meta) -> tuple[str | None, str | None]:
    """City and country of the item's Location (the dateline's where one says so)."""
    locations = meta.all("DescriptiveMetadata", "Location")
    locations.sort(key=lambda el: (el.get("HowPresent") or "").lower() != "dateline")
    for loc in locations:
        values = {(p.get("FormalName") or "").strip().lower(): " ".join((p.get("Value") or "").split())
                  for p in _children(loc, "Property")}
        if values.get("city") or values.get("country"):
            return values.get("city") or None, values.get("country") or None
    return None, None


def _copyright(meta: _Meta) -> str | None:
    line = meta.line("CopyrightLine")
    if line:
        return line
    holder = _text(meta.first("RightsMetadata/Copyright/CopyrightHolder"))
    year = _text(meta.first("RightsMetadata/Copyright/CopyrightDate"))
    return " ".join(p for p in ("Copyright", year, holder) if p) if holder else None


def _urgency(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and 1 <= int(value) <= 9 else None


def _dateline(raw: str | None, meta: _Meta, language: str, ref: dt.datetime,
              day: dt.date | None) -> Dateline | None:
    """The DateLine taken apart; one the parser cannot read keeps its text, placed by the
    item's Location."""
    if not raw:
        return None
    found = dl.parse_dateline(raw, now=ref, language=language, standalone=True)
    city, country = _location(meta)
    if found is not None:
        parsed = found[0]
        place = parsed.place or (places.resolve(city, country=country, language=language)
                                 if city else None)
        return dataclasses.replace(parsed, date=parsed.date or day, place=place)
    place = places.resolve(city, country=country, language=language) if city else None
    return Dateline(raw=raw, city=city, country=country, date=day, place=place, language=language)


# --------------------------------------------------------------------------------------------
# one NewsItem


@dataclass(frozen=True, slots=True)
class _Envelope:
    sent: dt.datetime | None
    sender: str | None
    priority: int | None


def _envelope(root: etree._Element, zone: dt.tzinfo) -> _Envelope:
    env = _find(root, "NewsEnvelope")
    if env is None:
        return _Envelope(None, None, None)
    try:
        sent = _time(_find(env, "DateAndTime"), "NewsEnvelope DateAndTime", zone)
    except MalformedInput:
        sent = None  # only a fallback for a dateline's year: no reason to refuse the items
    return _Envelope(sent, _formal(_find(env, "SentFrom/Party")),
                     _urgency(_formal(_find(env, "Priority"))))


def _read_item(item: etree._Element, env: _Envelope, ctx: ParseContext, digest: str) -> NewsItem:
    ident = _identity(item)
    # a RevisionId is required; one that is no whole number is refused, never read as 1
    version = 1 if ident.revision is None else parse_version(ident.revision, "the NewsML 1.2 RevisionId")
    zone = ctx.zone
    mgmt = _find(item, "NewsManagement")
    if mgmt is None:
        raise MalformedInput("the NewsItem has no NewsManagement (its status and times)")
    pub_status, embargo = _status(mgmt, zone)
    first_created = _time(_find(mgmt, "FirstCreated"), "FirstCreated", zone)
    version_created = _time(_find(mgmt, "ThisRevisionCreated"), "ThisRevisionCreated", zone)
    if embargo is not None and version_created is not None and embargo <= version_created:
        embargo = None  # released before this revision was made: nothing to wait for
    withdrawn = pub_status.withdraws
    if not withdrawn and ident.update in ("U", "A"):
        what = ("patches the revision before it (Update elements)" if ident.update == "U"
                else "only restates the NewsManagement of a revision")
        raise MalformedInput(f'revision {version} (RevisionId Update="{ident.update}") {what}; '
                             "only complete revisions are read")

    texts, media = _text_items(item)
    top = _find(item, "NewsComponent")
    if not texts and media and not withdrawn:
        raise _LeftOut(f"a {media} component: media items are not read from NewsML 1.2")
    if not texts and top is not None and not withdrawn and any(
            _local(el) in ("NewsItemRef", "NewsItem") for el in top.iter() if el is not top):
        raise _LeftOut("a package (references to other NewsItems) is not a news item; "
                       "its NewsItems come on their own")

    blocks: list[Block] = []
    copy = _Copy()
    for ci in texts:
        read = _copy(ci, ctx)
        if not blocks:
            copy = read
        blocks += read.blocks
    chain = _components(texts[0]) if texts else [nc for nc in item.iter() if _local(nc) == "NewsComponent"]
    meta = _Meta(chain)

    provider = (_formal(meta.first("AdministrativeMetadata/Provider/Party")) or ident.provider_id
                or env.sender or ctx.provider)
    declared = (_language_tag(_formal(meta.first("DescriptiveMetadata/Language")))
                or copy.language
                or next((t for nc in chain if (t := _language_tag(nc.get(XML_LANG)))), None)
                or ctx.language)
    headline = meta.line("HeadLine", declared) or copy.headline
    if not headline and withdrawn:
        # a kill or hold needs no copy, and one that restates only its status has no HeadLine
        headline = (meta.line("SlugLine") or ident.name_label
                    or f"{pub_status.value.capitalize()}: {ident.item_id or ident.guid or 'NewsItem'}")
    if not headline:
        raise MalformedInput("the NewsItem has no headline (NewsLines/HeadLine)")

    story = meta.first("DescriptiveMetadata/DateLineDate")
    story_date: dt.datetime | dt.date | None = None
    if _text(story):
        try:
            story_date = parse_time_or_date(_text(story) or "", tz=zone)
        except ValueError as exc:
            raise MalformedInput(f"the NewsML 1.2 DateLineDate is unreadable: {exc}") from None
        if isinstance(story_date, dt.datetime) and story_date.time() == dt.time():
            story_date = story_date.date()  # midnight stands for a date without a time
    day = story_date.date() if isinstance(story_date, dt.datetime) else story_date
    ref = reference_time(story_date, first_created, version_created, env.sent, now=ctx.now)
    lead, body = split_lead_dateline(tuple(blocks), now=ref, language=declared)
    # told from the copy without its dateline: "TOKYO, Nov. 30 (Kyodo) --" is no English prose
    language = declared or detect_item_language(headline, (b.text for b in body)) or "und"
    dateline = _dateline(meta.line("DateLine"), meta, language, ref, day)
    if dateline is None and lead is not None:
        dateline = dataclasses.replace(lead, date=lead.date or day, language=lead.language or language)
    if dateline is None and copy.nitf is not None:
        dateline = nitf._dateline(copy.nitf, ctx, language, ref)

    if copy.status is not None and copy.status.withdraws and not withdrawn:
        pub_status, embargo = copy.status, None  # the copy itself says it is killed or held
    byline = meta.line("ByLine", language) or copy.byline
    not_people = {n.casefold() for n in (provider, ident.provider_id) if n}
    authors = _authors(meta, byline, not_people, copy.authors)
    urgency = _urgency(_formal(_find(mgmt, "Urgency"))) or env.priority
    guid = ident.guid or derive_guid(provider, day or (version_created.date() if version_created else None),
                                     headline, "\n".join(b.text for b in body))
    return NewsItem(
        guid=guid, headline=headline, language=language, version=version, provider=provider,
        summary=meta.line("SubHeadLine", language) or copy.summary,
        slugline=meta.line("SlugLine") or ident.name_label, byline=byline, dateline=dateline,
        body=body, subjects=_subjects(meta, provider), genre=_genre(meta, provider),
        keywords=_keywords(meta), urgency=urgency, pub_status=pub_status, embargo=embargo,
        created=story_date if isinstance(story_date, dt.datetime) else None,
        first_created=first_created, version_created=version_created, copyright=_copyright(meta),
        provenance=Provenance("newsml12", digest, ctx.filename, ctx.now),
        notes=copy.notes, authors=tuple(authors),
    )


def read(data: bytes, context: ParseContext | None = None) -> list[NewsItem | Skipped]:
    """The NewsItems of a NewsML 1.x document, in document order: each one that cannot be used
    gives a :class:`~syndicate.formats.Skipped` with its reason, and the others are kept."""
    ctx = context or ParseContext()
    root = parse_xml(data, what=_WHAT)
    name = _local(root)
    ns = root.tag.partition("}")[0][1:] if isinstance(root.tag, str) and "}" in root.tag else ""
    if name != "NewsML" or (ns and not _NEWSML_NS.match(ns)):
        raise MalformedInput(f"the document's root is <{name}>{f' in {ns}' if ns else ''}, not the "
                             "NewsML 1.x <NewsML>")
    items = _children(root, "NewsItem")
    if not items:
        raise MalformedInput("the NewsML document holds no NewsItem")
    env = _envelope(root, ctx.zone)
    digest = hashlib.sha256(data).hexdigest()
    out: list[NewsItem | Skipped] = []
    for position, item in enumerate(items, 1):
        guid = _identity(item).guid
        try:
            out.append(_read_item(item, env, ctx, digest))
        except _LeftOut as exc:
            out.append(Skipped(position, "NewsItem", guid, str(exc), fault=False))
        except MalformedInput as exc:
            out.append(Skipped(position, "NewsItem", guid, str(exc)))
    return out


# --------------------------------------------------------------------------------------------
# sniffing and registration



def sniff(data: bytes, filename: str | None = None) -> float:
    """Confidence that ``data`` is NewsML 1.x: a ``NewsML`` root, in no namespace or NewsML 1.x's.
    Above NITF's, whose tag a NewsML 1.2 document with NITF copy carries near its start."""
    root = sniff_root(data)
    if root is None or root.name != "NewsML":
        return 0.0
    if root.namespace and not _NEWSML_NS.match(root.namespace):
        return 0.0  # a NewsML element of another vocabulary
    if root.prefix is not None and root.namespace is None:
        return 0.0
    return 0.95


class NewsML12Codec:
    """The NewsML 1.2 reader, registered as ``newsml12``."""

    name = "newsml12"
    title = "NewsML 1.2"
    #: what every input this codec recognises holds (see formats.detect): a root tag's "<"
    sniff_marks = b"<"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        return sniff(data, filename)

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem | Skipped]:
        return read(data, context)


CODEC = register(NewsML12Codec())
