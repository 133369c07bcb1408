"""Safe XML parsing for untrusted wire input: no entity expansion, no network, no DTDs, size limits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from syndicate.errors import MalformedInput

#: the largest XML document we accept (wire items are kilobytes; a newsMessage a few MB)
MAX_XML_BYTES = 20 * 1024 * 1024

_DOCTYPE_DECL = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=True,
    )


def parse_xml(data: bytes, *, what: str = "XML", max_bytes: int = MAX_XML_BYTES) -> etree._Element:
    """Parse untrusted XML bytes and return the root element, or raise MalformedInput.

    Documents that declare entities (internal DTD subsets) are refused outright: news formats
    never need them and they are how "billion laughs" and external-entity attacks work.
    """
    if len(data) > max_bytes:
        raise MalformedInput(f"the {what} document is {len(data)} bytes, over the {max_bytes} byte limit")
    if _ENTITY_DECL.search(data) or _DOCTYPE_DECL.search(data):
        raise MalformedInput(f"the {what} document declares entities in a DTD, which is refused for safety")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedInput(f"the {what} document is not well-formed XML: {exc}") from None
    if root is None:
        raise MalformedInput(f"the {what} document is empty")
    return root


_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\]\s*)?>)*",
                     re.DOTALL | re.IGNORECASE)
_ROOT_TAG = re.compile(rb"<(?:([\w.-]+):)?([\w.-]+)(?=[\s/>])([^>]*)>?")
_XMLNS = re.compile(rb"""\bxmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""")


@dataclass(frozen=True, slots=True)
class RootTag:
    """The start tag of a document's root element, as sniffing sees it (not a parse)."""

    #: the element's name without its prefix
    name: str
    prefix: str | None
    #: the namespace its prefix (or the default) is bound to on the tag itself; None when the
    #: tag binds none ("" for an explicit empty default)
    namespace: str | None


def sniff_root(data: bytes, limit: int = 4096) -> RootTag | None:
    """The root element's start tag in the first ``limit`` bytes (after a BOM, the XML
    declaration, comments, processing instructions and a DOCTYPE), or None for what is not
    XML. Codecs sniff by the root, never by a tag found anywhere in the head: an RSS item
    quoting ``<nitf>`` in its CDATA is still RSS."""
    head = data[:limit]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.lstrip(b" \t\n\r\f\v")[:1] != b"<":
        return None  # text or JSON: the prolog and the root tag both open with "<"
    prolog = _PROLOG.match(head)
    m = _ROOT_TAG.match(head, prolog.end() if prolog else 0)
    if m is None:
        return None
    prefix = m.group(1).decode("ascii", "replace") if m.group(1) else None
    ns = next((uri for p, uri in _XMLNS.findall(m.group(3))
               if (p.decode("ascii", "replace") if p else None) == prefix), None)
    return RootTag(m.group(2).decode("ascii", "replace"), prefix,
                   ns.decode("utf-8", "replace") if ns is not None else None)
