"""Safe XML parsing for untrusted wire input: no entity expansion, no network, no DTDs, size limits."""

from __future__ import annotations

import re

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
