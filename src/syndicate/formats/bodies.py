"""A body given as text with its declared content type, in whichever markup it really is: HTML
or XHTML, a NITF document (read as the NITF codec reads one), or plain text. Agencies label
bodies loosely: HTML declared ``text/plain`` is read as HTML, a NITF document as NITF."""

from __future__ import annotations

import re
from dataclasses import dataclass

from syndicate.errors import MalformedInput
from syndicate.formats import nitf
from syndicate.formats.xhtml import html_to_blocks, looks_like_html
from syndicate.item import Block, Note
from syndicate.xmlsafe import parse_xml

_XML_DECLARATION = re.compile(r"\s*<\?xml[^>]*\?>")
_NITF_ROOTS = frozenset({"nitf", "body", "body.content"})


@dataclass(frozen=True, slots=True)
class Body:
    """The blocks of a body, and the notes to editors it held (NITF's, never copy)."""

    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def nitf_text(text: str, *, strict: bool = False) -> Body:
    """A NITF body carried as text (a whole ``nitf`` document, its ``body``, its ``body.content``
    or the paragraphs alone), read as the NITF codec reads a document's body. ``strict``: text
    that is no well-formed NITF raises MalformedInput (a caller offered other bodies tries the
    next); else HTML's forgiving parser reads it, the shared reader knowing NITF's elements."""
    # the text is already characters: an encoding its declaration names no longer applies
    data = _XML_DECLARATION.sub("", text, count=1).strip()
    try:
        root = parse_xml(data.encode("utf-8"), what="NITF body")
    except MalformedInput:
        if not strict:
            return Body(html_to_blocks(text))
        # paragraphs without their container are several roots: give them body.content back
        root = parse_xml(f"<body.content>{data}</body.content>".encode(), what="NITF body")
    if _local(root.tag) not in _NITF_ROOTS:
        return Body(()) if strict else Body(html_to_blocks(text))
    read = nitf.read_body(root)
    return Body(read.blocks, read.notes)


def read_markup(text: str, content_type: str | None = None) -> Body | None:
    """The body ``text`` declared as ``content_type``: NITF when declared so (``application/
    nitf+xml``) or when it is a NITF document, HTML when declared so or when plain text holds
    HTML markup (:func:`~syndicate.formats.xhtml.looks_like_html`). None for plain text, which
    each format splits into paragraphs its own way."""
    declared = (content_type or "").lower()
    if "nitf" in declared or nitf.is_nitf_document(text):
        return nitf_text(text)
    if "html" in declared or looks_like_html(text):
        return Body(html_to_blocks(text))
    return None
