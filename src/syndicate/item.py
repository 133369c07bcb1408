"""The one canonical model of a news item: every codec, engine and destination reads and writes it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from syndicate.slots import slot_init


class PubStatus(StrEnum):
    """Publishing status, as in NewsML-G2's stat: scheme."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"

    @property
    def withdraws(self) -> bool:
        """A kill (canceled) or a hold (withheld): it takes the story back from the partners
        that have it, at once (embargo or not), and goes to no one else."""
        return self is not PubStatus.USABLE


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: canonical (English) name, ISO 3166-1 alpha-2 country, IANA time zone."""

    name: str
    country: str | None = None
    timezone: str | None = None
    region: str | None = None
    #: key of the entry in the place table (stable id used for exonym look-ups)
    key: str | None = None
    #: GeoNames id where known; written as a qcode in NewsML-G2 ``located``
    geonames_id: int | None = None


@slot_init
@dataclass(frozen=True, slots=True)
class Dateline:
    """An agency dateline, kept as written and taken apart into its pieces.

    ``raw`` is the text exactly as it stood in the source ("MOSCOW, October 22. /TASS/.").
    ``city``/``region``/``country`` are as written; ``place`` is the resolved place, if any.
    ``date`` is the calendar date in the dateline city's time zone.
    """

    raw: str
    city: str | None = None
    region: str | None = None
    country: str | None = None
    date: dt.date | None = None
    source: str | None = None
    place: Place | None = None
    #: house style the dateline was written in ("tass", "ap", "reuters", ...), if recognised
    style: str | None = None
    #: language the dateline is written in (BCP 47)
    language: str | None = None


@slot_init
@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with limited inline markup."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


class BlockKind(StrEnum):
    PARAGRAPH = "p"
    HEADING = "h2"
    SUBHEADING = "h3"
    QUOTE = "blockquote"
    #: an item of an unordered (bulleted) list
    LIST_ITEM = "li"
    #: an item of an ordered (numbered) list
    ORDERED_ITEM = "ol/li"
    PREFORMATTED = "pre"
    #: a table: its caption in ``spans``, its cells in ``rows``
    TABLE = "table"
    #: a figure (a photo, a graphic): its caption in ``spans``, its image in ``src``
    FIGURE = "figure"

    @property
    def is_list_item(self) -> bool:
        return self is BlockKind.LIST_ITEM or self is BlockKind.ORDERED_ITEM


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of a table row: inline text, a header cell (th) or a data cell (td)."""

    spans: tuple[Span, ...] = ()
    header: bool = False
    #: how many columns and rows the cell spans
    colspan: int = 1
    rowspan: int = 1

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@slot_init
@dataclass(frozen=True, slots=True)
class Block:
    """One block of the body: a paragraph (or heading, quote ...) made of spans.

    A table keeps its caption in ``spans`` and its cells in ``rows``; a figure keeps its caption
    in ``spans`` (the figure's own, never body copy) and its image reference in ``src``. Nested
    lists are flattened: an item of a nested list follows the item it was nested in.
    """

    spans: tuple[Span, ...]
    kind: BlockKind = BlockKind.PARAGRAPH
    #: a table's rows of cells, in reading order (header rows first)
    rows: tuple[tuple[Cell, ...], ...] = ()
    #: a figure's image: the address or name of the picture, as the source gave it
    src: str | None = None
    #: whom a quote or a figure is credited to (a quote's speaker or source, a photographer)
    credit: str | None = None

    @classmethod
    def para(cls, text: str, kind: BlockKind = BlockKind.PARAGRAPH) -> Block:
        return cls((Span(text),), kind)

    @classmethod
    def paras(cls, texts: Iterable[str]) -> tuple[Block, ...]:
        """A plain paragraph of each text (as :meth:`para` makes it), made in one loop."""
        return tuple([cls((Span(text),)) for text in texts])

    @property
    def text(self) -> str:
        """The text of the block's spans: a figure's or a table's caption for those."""
        return "".join(s.text for s in self.spans)

    @property
    def plain(self) -> str:
        """The block as plain text: its text, and below a table's caption its rows, one a line,
        the cells apart by tabs."""
        if not self.rows:
            return self.text
        lines = ["\t".join(c.text for c in row) for row in self.rows]
        return "\n".join([self.text, *lines] if self.spans else lines)


#: an editor's note to readers that opens a body ("Editor's note: ...", AP's "EDITOR'S NOTE —",
#: "Nota del editor:", "Anmerkung der Redaktion:" ...): it stands before the copy, undated
_EDITORS_NOTE = re.compile(
    r"(?i)(?:editor[’']?s[’']?\s+note|nota\s+del\s+editor|nota\s+de\s+la\s+redacci[oó]n"
    r"|anmerkung\s+der\s+redaktion|note\s+de\s+la\s+r[ée]daction|nota\s+della\s+redazione"
    r"|от\s+редакции|nota\s+do\s+editor|nota\s+da\s+reda[cç][aã]o)\s*[:—–-]"
)


def is_editors_note(block: Block) -> bool:
    """Whether the block is an editor's note to readers, which is no copy (see lead_index)."""
    return block.kind is BlockKind.PARAGRAPH and _EDITORS_NOTE.match(block.text) is not None


def lead_index(blocks: Sequence[Block]) -> int | None:
    """Where the copy starts: the first block that is neither a figure nor a table (a photo
    often comes first; a dateline heads the copy, never a caption) nor an editor's note to
    readers (a correction notice comes before the dateline). None when there is none."""
    return next((i for i, b in enumerate(blocks)
                 if b.kind is not BlockKind.FIGURE and b.kind is not BlockKind.TABLE
                 and not is_editors_note(b)), None)


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject or genre code: a QCode ("medtop:11000000", "ansa:POL") and/or a name.

    A provider's own codes keep a scheme of that provider (see :func:`provider_scheme`), never
    an IPTC one; a concept named only by its address keeps it in ``uri``.
    """

    qcode: str | None = None
    name: str | None = None
    uri: str | None = None
    #: language of ``name`` as the source declared it (BCP 47); None: the item's own language
    name_language: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """An editorial note: a message from editor to editor about the item, never body copy
    and never published ("Corrects spelling of name in 3rd para", "Embargoed until 1200 GMT")."""

    text: str
    #: the kind of note as the source named it: a QCode, or a word such as NITF's msg-type
    role: str | None = None
    #: language of the note when it differs from the item's (a translation keeps its notes
    #: in the source language)
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """Someone credited with the content apart from the provider: an author, photographer,
    editor... (or an organisation credited as such)."""

    name: str | None = None
    #: the part played, as a QCode ("crol:author", "crol:photographer") or as the source wrote it
    role: str | None = None
    qcode: str | None = None
    uri: str | None = None
    #: the job title the byline gives apart from the name ("Staff Writer", "AP Correspondent")
    title: str | None = None
    #: True for a contributor (edited or added to the content), False for a creator
    contributor: bool = False


@dataclass(frozen=True, slots=True)
class Description:
    """A description of the content other than the summary, with its role ("drol:caption")."""

    text: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A link to another item, e.g. ``irel:translatedFrom`` with the source guid and version."""

    rel: str
    residref: str | None = None
    version: int | None = None
    href: str | None = None
    title: str | None = None


class ItemClass(StrEnum):
    """What an item is: a text story, or a picture, graphic, video or audio clip (NewsML-G2
    ``itemClass`` ninat:*, ninjs ``type``). A media item's content is held elsewhere and named by
    its renditions; it needs no body, and its caption is a description with the caption role."""

    TEXT = "text"
    PICTURE = "picture"
    GRAPHIC = "graphic"
    VIDEO = "video"
    AUDIO = "audio"

    @property
    def is_media(self) -> bool:
        return self is not ItemClass.TEXT

    @classmethod
    def of(cls, code: str | None) -> ItemClass | None:
        """The class a code names: "ninat:picture", "picture" or the NewsCodes address
        (``http://cv.iptc.org/newscodes/ninature/picture``); None for any other (composite,
        event, planning ...) or none."""
        if not code:
            return None
        word = code.strip().rstrip("/").rpartition("/")[2].rpartition(":")[2].lower()
        try:
            return cls(word)
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Rendition:
    """One rendition of a media item's content, held elsewhere: the binary is referenced by its
    address and never fetched (NewsML-G2 ``remoteContent``, a ninjs rendition, an enclosure)."""

    href: str
    #: the IANA media type ("image/jpeg", "video/mp4")
    content_type: str | None = None
    #: the rendition's name as the source gave it: a QCode ("rnd:highRes") or a word ("thumbnail")
    name: str | None = None
    #: size of the binary in bytes
    size: int | None = None
    #: width and height in pixels (pictures, graphics, video)
    width: int | None = None
    height: int | None = None
    #: running time in seconds (video, audio)
    duration: float | None = None
    title: str | None = None


@slot_init
@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an item came from: the source format and a hash of the original bytes."""

    source_format: str
    sha256: str
    source_name: str | None = None
    ingested_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class MachineTranslation:
    """Marks an item as machine translated, by which engine and model version, from which language."""

    engine: str
    model_version: str
    source_language: str


@slot_init
@dataclass(frozen=True, slots=True)
class NewsItem:
    """The canonical news item. Immutable; derive changed copies with :meth:`replace`."""

    guid: str
    headline: str
    language: str
    version: int = 1
    provider: str | None = None
    #: the summary (NewsML-G2 ``description role="drol:summary"``); other descriptions, such as
    #: captions, are in ``descriptions``
    summary: str | None = None
    slugline: str | None = None
    #: the byline as written ("By JANE DOE"); the people it names are in ``authors``
    byline: str | None = None
    dateline: Dateline | None = None
    body: tuple[Block, ...] = ()
    subjects: tuple[Subject, ...] = ()
    genre: Subject | None = None
    keywords: tuple[str, ...] = ()
    urgency: int | None = None
    pub_status: PubStatus = PubStatus.USABLE
    embargo: dt.datetime | None = None
    #: when the content was created and last changed (NewsML-G2 contentCreated, contentModified)
    created: dt.datetime | None = None
    modified: dt.datetime | None = None
    #: when the item's first version and this version were made (itemMeta firstCreated and
    #: versionCreated): item times, kept apart from the content's own
    first_created: dt.datetime | None = None
    version_created: dt.datetime | None = None
    copyright: str | None = None
    links: tuple[Link, ...] = ()
    provenance: Provenance | None = None
    translation: MachineTranslation | None = None
    #: free-form extra fields a codec keeps for a faithful round trip (never required downstream)
    extra: tuple[tuple[str, str], ...] = field(default=())
    #: editorial notes to the receiving editors (never body copy)
    notes: tuple[Note, ...] = ()
    #: the people (creators and contributors) credited apart from the provider
    authors: tuple[Person, ...] = ()
    #: descriptions besides the summary, each with its role; one without a role stands for the
    #: summary where there is none, and codecs read it so
    descriptions: tuple[Description, ...] = ()
    #: processing signals as QCodes ("sig:update", "sig:correction")
    signals: tuple[str, ...] = ()
    #: the key that ties the takes (parts and versions) of one story together (NITF ``du-key``)
    take_key: str | None = None
    #: a text story, or a picture, graphic, video or audio item (which needs no body)
    item_class: ItemClass = ItemClass.TEXT
    #: where the content of a media item is, in each of its renditions
    renditions: tuple[Rendition, ...] = ()

    def replace(self, **changes: Any) -> NewsItem:
        return dataclasses.replace(self, **changes)

    @property
    def body_text(self) -> str:
        """The body copy as plain text, blocks apart by blank lines (see :attr:`Block.plain`);
        figures are left out, their captions being no body copy."""
        return "\n\n".join(b.plain for b in self.body if b.kind is not BlockKind.FIGURE)

    @property
    def version_time(self) -> dt.datetime | None:
        """When this version was made, as far as the item tells: versionCreated, else the last
        change of the content, else the first version's or the content's creation."""
        return self.version_created or self.modified or self.first_created or self.created

    @property
    def caption(self) -> str | None:
        """The caption of a picture, graphic, video or audio item: the description with the
        caption role (``drol:caption``), if any."""
        return next((d.text for d in self.descriptions if d.role and _is_caption(d.role)), None)

    @property
    def located(self) -> Place | None:
        return self.dateline.place if self.dateline else None

    def link(self, rel: str) -> Link | None:
        return next((lk for lk in self.links if lk.rel == rel), None)


def _is_caption(role: str) -> bool:
    return any(code.rpartition(":")[2].lower() == "caption" for code in role.split())


#: two spaces: the regex engine's literal search finds them in prose faster than ``in``, whose
#: search stops at every single space
_DOUBLE_SPACE = re.compile("  ")


def normalize_text(text: str) -> str:
    """Normalize text for hashing: NFC, collapsed white space, quotes kept as written."""
    if text.isascii():
        # ASCII is NFC already, and most text is collapsed already: substring scans (C loops)
        # over ASCII's white space prove it faster than splitting into words and joining again
        if not (
            "\n" in text or "\t" in text or "\r" in text or "\x0b" in text
            or "\x0c" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text
            or "\x1f" in text or text[:1] == " " or text[-1:] == " " or _DOUBLE_SPACE.search(text)
        ):  # fmt: skip
            return text
    else:
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        # every white space character but the space is unprintable
        if (text[:1] != " " and text[-1:] != " " and not _DOUBLE_SPACE.search(text)
                and text.isprintable()):
            return text
    return " ".join(text.split())


def content_hash(*parts: str | None) -> str:
    """A stable hex digest of the normalized content parts (used for guids and dedupe)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(normalize_text(p or "").encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


@functools.lru_cache(maxsize=1024)
def _slug(text: str) -> str:
    # cached: a provider's slug is asked for with every item it sends
    s = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "unknown"


#: scheme aliases of IPTC vocabularies: a provider's own codes never go under one of them
_IPTC_SCHEMES = frozenset({
    "subj", "medtop", "genre", "stat", "nprov", "ninat", "drol", "crol", "sig", "geo",
    "iso3166-1a2", "loctype", "cpnat", "irel", "hlrole", "is", "cptype", "iptc",
})


def provider_scheme(provider: str | None) -> str:
    """The scheme alias under which a provider's own (non-IPTC) codes are kept.

    "nprov:AFP" -> "afp", "https://www.ansa.it/" -> "ansa-it", "Example Wire" -> "example-wire";
    a name that would be an IPTC alias gets an "x-" in front.
    """
    name = (provider or "").strip()
    if "://" in name:
        name = urlsplit(name).hostname or name
        name = name.removeprefix("www.")
    elif ":" in name:
        name = name.rpartition(":")[2]
    alias = _slug(name)
    return "x-" + alias if alias in _IPTC_SCHEMES else alias


@functools.lru_cache(maxsize=64)  # a day's items share their date
def _yyyymmdd(date: dt.date) -> str:
    if date.year < 1000:
        return date.strftime("%Y%m%d")  # the C library's own (unpadded) way with such years
    return f"{date.year}{date.month:02d}{date.day:02d}"  # as strftime writes it, without its cost


def derive_guid(provider: str | None, date: dt.date | None, *content: str | None) -> str:
    """A deterministic guid for items whose source carries no id.

    ``urn:newsml:syndicate:<provider>:<yyyymmdd>:<16 hex of the content hash>``: the same
    provider, date and normalized content always give the same guid.
    """
    day = _yyyymmdd(date) if date else "00000000"
    return f"urn:newsml:syndicate:{_slug(provider or 'unknown')}:{day}:{content_hash(*content)[:16]}"


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def guid_slug(guid: str) -> str:
    """A file-name-safe, readable, collision-free form of a guid (delivery keys, feed ids)."""
    slug = _UNSAFE.sub("_", guid).strip("._") or "item"
    if len(slug) > 120 or slug != guid:
        # two guids can differ only in characters the slug drops; a short hash keeps them apart
        slug = f"{slug[:100]}-{hashlib.sha256(guid.encode()).hexdigest()[:8]}"
    return slug
