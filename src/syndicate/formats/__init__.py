"""Format codecs by name: sniff bytes, parse them into NewsItems, render NewsItems as bytes.

A codec does no I/O and reads no configuration. Codecs register themselves here under the
name used in configuration (``newsmlg2``, ``wiretext``, ...).

An input may hold several items (a NewsML-G2 newsMessage, a ninjs list): one item that cannot
be used is left out with its reason (:class:`Skipped`) and the others are kept; :func:`parse`
returns both (:class:`Parsed`), so that the caller can keep the input for what was left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from syndicate.errors import MalformedInput, UnsupportedFormat
from syndicate.item import NewsItem
from syndicate.registry import Registry
from syndicate.slots import slot_init

#: modules that hold codecs; imported lazily the first time the registry is used
_CODEC_MODULES = (
    "syndicate.formats.newsmlg2",
    "syndicate.formats.wiretext",
    "syndicate.formats.ninjs",
    "syndicate.formats.apjson",
    "syndicate.formats.nitf",
    "syndicate.formats.newsml12",
    "syndicate.formats.anpa1312",
    "syndicate.formats.iptc7901",
    "syndicate.formats.feeds",
    "syndicate.formats.mail",
)


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What a parser may know besides the bytes: used for year inference and defaults."""

    #: the time of ingest; a dateline that omits the year gets the latest such date not after it
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    filename: str | None = None
    #: declared language of the input, if the source or configuration says so
    language: str | None = None
    #: provider to assume when the input does not name one
    provider: str | None = None
    #: the source's time zone, in which a time that names no zone is read; None when the
    #: configuration does not say (a codec may then go by the dateline city, else UTC)
    timezone: dt.tzinfo | None = None
    #: the input's own time from outside its text (a wire envelope's transmission stamp): a
    #: dateline without a year is read against it rather than ``now``, so that a story filed
    #: in December and ingested in January keeps its year (and its guid)
    reference: dt.datetime | None = None
    #: the source sends e-mail forms (labelled fields such as ``Headline:`` and ``Body:``)
    email_form: bool = False

    @property
    def zone(self) -> dt.tzinfo:
        """The zone of times that name none: the source's, else UTC."""
        return self.timezone or dt.UTC


@dataclass(frozen=True, slots=True)
class Skipped:
    """An item of a multi-item input left out, and why (the input's other items are kept)."""

    #: the item's place among the input's items, from 1
    position: int
    #: what the item is ("newsItem", "packageItem", "ninjs object")
    kind: str
    #: its guid (or uri), when it has one
    guid: str | None
    reason: str
    #: False for an item left out by design, not for a fault: a G2 package or concept item
    #: beside the news items of a message is normal agency practice, nothing to quarantine
    fault: bool = True

    def __str__(self) -> str:
        name = f"{self.kind} {self.guid}" if self.guid else self.kind
        return f"item {self.position} ({name}): {self.reason}"


@slot_init
@dataclass(frozen=True, slots=True)
class Parsed:
    """What one input gave: the codec that read it, its usable items, the items left out."""

    format: str
    items: tuple[NewsItem, ...]
    skipped: tuple[Skipped, ...] = ()

    @property
    def faults(self) -> tuple[Skipped, ...]:
        """The items left out because they could not be used (not by design)."""
        return tuple(s for s in self.skipped if s.fault)

    def skipped_reason(self) -> str:
        """One sentence naming every item left out and why (for a dead letter, a quarantine)."""
        kept = len(self.items)
        total = kept + len(self.skipped)
        return (f"{len(self.skipped)} of the {total} items of this input left out (the other "
                f"{kept} kept): " + "; ".join(str(s) for s in self.skipped))


@runtime_checkable
class Codec(Protocol):
    """A format's reader. A codec may also declare ``sniff_marks``, bytes at least one of
    which every input its ``sniff`` recognises holds in its first :data:`SNIFF_WINDOW` bytes
    (a root tag's "<", JSON's "{" or "["): :func:`detect` then asks it about no other input.
    Most inputs are plain wire text, which most codecs rule out only after slicing and
    stripping it; a search for a byte or two rules them out for less."""

    name: str
    #: human name, for messages
    title: str

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        """Confidence in [0, 1] that ``data`` is in this format."""
        ...

    def parse(self, data: bytes, context: ParseContext) -> Sequence[NewsItem | Skipped]:
        """Parse ``data`` into one or more items, in the input's order; raise MalformedInput
        with a reason. An input of several items gives a :class:`Skipped` in place of each
        item that cannot be used, rather than failing as a whole."""
        ...


@runtime_checkable
class Renderer(Protocol):
    """A codec that also writes its format: destinations label and name what it renders by
    ``media_type`` and ``extension``, so no format table lives outside the codecs."""

    name: str
    #: the Content-Type a destination sends or stores the rendered bytes with
    media_type: str
    #: the file extension (without the dot) of a rendered document
    extension: str

    def render(self, item: NewsItem) -> bytes: ...


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """What a partner chooses about how a format is written, beyond its name (the partner's
    ``format_options``); the default writes the format as every partner gets it."""

    #: the character set of a text format (IANA name, e.g. "iso-8859-1"): what it cannot hold
    #: is transliterated, never refused
    charset: str | None = None


@runtime_checkable
class Configurable(Protocol):
    """A renderer that writes its format in more than one way: ``configured`` gives the
    renderer for a partner's options, with its own media type (a charset parameter)."""

    #: the names of the :class:`RenderOptions` fields it takes
    options: frozenset[str]

    def configured(self, options: RenderOptions) -> Renderer: ...


_codecs: Registry[Codec] = Registry(
    "format", _CODEC_MODULES, error=UnsupportedFormat,
    unknown="unknown format {name!r}; known formats: {known}",
)


_DEFAULT_OPTIONS = RenderOptions()


def register(codec: Codec) -> Codec:
    return _codecs.register(codec.name, codec)


def names() -> list[str]:
    return _codecs.names()


def get(name: str) -> Codec:
    return _codecs.get(name)


def renderer(name: str, options: RenderOptions | None = None) -> Renderer:
    """The renderer of format ``name``, configured with a partner's ``options`` when they are
    not the defaults (UnsupportedFormat when the format cannot be written, or not so)."""
    codec = get(name)
    if not isinstance(codec, Renderer):
        raise UnsupportedFormat(f"format {name!r} can be read but not written")
    if options is None or options == _DEFAULT_OPTIONS:
        return codec
    chosen = sorted(f.name for f in dataclasses.fields(RenderOptions)
                    if getattr(options, f.name) != getattr(_DEFAULT_OPTIONS, f.name))
    taken = codec.options if isinstance(codec, Configurable) else frozenset()
    refused = [f for f in chosen if f not in taken]
    if refused or not isinstance(codec, Configurable):
        raise UnsupportedFormat(
            f"format {name!r} takes no {' or '.join(refused or chosen)} option "
            f"(it takes {', '.join(sorted(taken)) or 'none'}); leave it out of the partner's "
            f"format_options for {name}"
        )
    return codec.configured(options)


#: how far into an input a codec's sniff marks are looked for: no codec sniffs further
SNIFF_WINDOW = 8192


#: the registry's mapping of codecs, and each codec in it with its sniff marks
_sniffers_of: tuple[Mapping[str, Codec] | None, tuple[tuple[Codec, bytes], ...]] = (None, ())


def _sniffers(codecs: Mapping[str, Codec]) -> tuple[tuple[Codec, bytes], ...]:
    """Each codec with its sniff marks (none: it is asked about every input)."""
    global _sniffers_of
    listed_from, listed = _sniffers_of
    if listed_from is not codecs:  # the registry publishes a new mapping on each registration
        listed = tuple((c, bytes(getattr(c, "sniff_marks", b""))) for c in codecs.values())
        _sniffers_of = (codecs, listed)
    return listed


def detect(data: bytes, filename: str | None = None) -> Codec:
    """The codec most confident that it can read ``data``."""
    codecs = _codecs.entries()
    if not data or data.isspace():  # (what strip() would empty, without copying the input)
        raise MalformedInput("the input is empty")
    head = data[:SNIFF_WINDOW]
    best: tuple[float, Codec] | None = None
    for codec, marks in _sniffers(codecs):
        if marks:
            for mark in marks:  # (a byte as an int: "in" is then a memchr, with no buffer to take)
                if mark in head:
                    break
            else:
                continue  # none of its marks: the codec would not recognise the input
        score = codec.sniff(data, filename)
        if score > 0 and (best is None or score > best[0]):
            best = (score, codec)
    if best is None:
        raise UnsupportedFormat(
            "no known format recognises this input "
            f"(known: {', '.join(sorted(codecs))}); name one with --format"
        )
    return best[1]


def parse(data: bytes, format: str = "auto", context: ParseContext | None = None) -> Parsed:
    """Parse ``data`` with the named codec (or the detected one): its usable items, and the
    items left out with their reasons. MalformedInput when no item is usable."""
    ctx = context or ParseContext()
    codec = detect(data, ctx.filename) if format == "auto" else get(format)
    items: list[NewsItem] = []
    skipped: list[Skipped] = []
    for entry in codec.parse(data, ctx):
        if isinstance(entry, Skipped):
            skipped.append(entry)
        else:
            items.append(entry)
    if not items:
        if skipped:
            raise MalformedInput(f"no usable news item in the {codec.title} input: "
                                 + "; ".join(str(s) for s in skipped))
        raise MalformedInput(f"no news item found in the {codec.title} input")
    return Parsed(codec.name, tuple(items), tuple(skipped))
