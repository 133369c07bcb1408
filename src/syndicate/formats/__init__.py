"""Format codecs by name: sniff bytes, parse them into NewsItems, render NewsItems as bytes.

A codec does no I/O and reads no configuration. Codecs register themselves here under the
name used in configuration (``newsmlg2``, ``wiretext``, ...).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from syndicate.errors import MalformedInput, UnsupportedFormat
from syndicate.item import NewsItem
from syndicate.registry import Registry

#: modules that hold codecs; imported lazily the first time the registry is used
_CODEC_MODULES = (
    "syndicate.formats.newsmlg2",
    "syndicate.formats.wiretext",
    "syndicate.formats.ninjs",
    "syndicate.formats.nitf",
    "syndicate.formats.iptc7901",
    "syndicate.formats.feeds",
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

    @property
    def zone(self) -> dt.tzinfo:
        """The zone of times that name none: the source's, else UTC."""
        return self.timezone or dt.UTC


@runtime_checkable
class Codec(Protocol):
    name: str
    #: human name, for messages
    title: str

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        """Confidence in [0, 1] that ``data`` is in this format."""
        ...

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        """Parse ``data`` into one or more items; raise MalformedInput with a reason."""
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


_codecs: Registry[Codec] = Registry(
    "format", _CODEC_MODULES, error=UnsupportedFormat,
    unknown="unknown format {name!r}; known formats: {known}",
)


def register(codec: Codec) -> Codec:
    return _codecs.register(codec.name, codec)


def names() -> list[str]:
    return _codecs.names()


def get(name: str) -> Codec:
    return _codecs.get(name)


def renderer(name: str) -> Renderer:
    codec = get(name)
    if not isinstance(codec, Renderer):
        raise UnsupportedFormat(f"format {name!r} can be read but not written")
    return codec


def detect(data: bytes, filename: str | None = None) -> Codec:
    """The codec most confident that it can read ``data``."""
    codecs = _codecs.entries()
    if not data.strip():
        raise MalformedInput("the input is empty")
    best: tuple[float, Codec] | None = None
    for codec in codecs.values():
        score = codec.sniff(data, filename)
        if score > 0 and (best is None or score > best[0]):
            best = (score, codec)
    if best is None:
        raise UnsupportedFormat(
            "no known format recognises this input "
            f"(known: {', '.join(sorted(codecs))}); name one with --format"
        )
    return best[1]


def parse(
    data: bytes, format: str = "auto", context: ParseContext | None = None
) -> tuple[str, list[NewsItem]]:
    """Parse ``data`` with the named codec (or the detected one); returns (format name, items)."""
    ctx = context or ParseContext()
    codec = detect(data, ctx.filename) if format == "auto" else get(format)
    items = codec.parse(data, ctx)
    if not items:
        raise MalformedInput(f"no news item found in the {codec.title} input")
    return codec.name, items
