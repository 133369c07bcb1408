"""Body blocks to and from (X)HTML: the limited markup news bodies carry (p, headings, quotes, lists,
bold, italics, links)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree, html

from syndicate.item import Block, BlockKind, Span

XHTML_NS = "http://www.w3.org/1999/xhtml"

_BLOCK_TAGS = {
    "p": BlockKind.PARAGRAPH,
    "h1": BlockKind.HEADING,
    "h2": BlockKind.HEADING,
    "h3": BlockKind.SUBHEADING,
    "h4": BlockKind.SUBHEADING,
    "h5": BlockKind.SUBHEADING,
    "h6": BlockKind.SUBHEADING,
    "blockquote": BlockKind.QUOTE,
    "li": BlockKind.LIST_ITEM,
    "pre": BlockKind.PREFORMATTED,
}
_CONTAINERS = {"body", "div", "section", "article", "ul", "ol", "main", "header", "footer", "figure",
               "html", "aside", "td", "tr", "table", "tbody", "thead", "dl", "dd", "dt"}
_BOLD = {"b", "strong"}
_ITALIC = {"i", "em", "cite"}
_SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "img"}
_WS = re.compile(r"[ \t\r\n\f\v]+")
# XML 1.0 forbids most C0 controls; wire copy carries them (IPTC 7901 framing, stray bytes)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed."""
    return _XML_ILLEGAL.sub("", text)


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def _merge(spans: list[Span]) -> tuple[Span, ...]:
    """Join neighbouring spans of the same marks; collapse white space; trim the block's ends."""
    merged: list[Span] = []
    for s in spans:
        text = _WS.sub(" ", s.text)
        if not text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (s.bold, s.italic, s.href):
            merged[-1] = Span(merged[-1].text + text, s.bold, s.italic, s.href)
        else:
            merged.append(Span(text, s.bold, s.italic, s.href))
    if merged:
        merged[0] = Span(merged[0].text.lstrip(), merged[0].bold, merged[0].italic, merged[0].href)
        merged[-1] = Span(merged[-1].text.rstrip(), merged[-1].bold, merged[-1].italic, merged[-1].href)
    return tuple(s for s in merged if s.text)


def _inline(el: etree._Element, bold: bool, italic: bool, href: str | None, out: list[Span],
            pre: bool) -> None:
    tag = _local(el.tag)
    if tag in _SKIP:
        return
    bold = bold or tag in _BOLD
    italic = italic or tag in _ITALIC
    if tag == "a" and el.get("href"):
        href = el.get("href")
    if tag == "br":
        out.append(Span("\n" if pre else " ", bold, italic, href))
    elif el.text:
        out.append(Span(el.text, bold, italic, href))
    for child in el:
        if isinstance(child.tag, str):
            _inline(child, bold, italic, href, out, pre)
        if child.tail:
            out.append(Span(child.tail, bold, italic, href))


def _blocks(el: etree._Element) -> Iterator[Block]:
    """Walk a container: block elements become blocks, loose inline content becomes paragraphs."""
    loose: list[Span] = []

    def flush() -> Iterator[Block]:
        spans = _merge(loose)
        loose.clear()
        if spans:
            yield Block(spans, BlockKind.PARAGRAPH)

    if el.text and el.text.strip():
        loose.append(Span(el.text))
    for child in el:
        tag = _local(child.tag)
        if tag in _BLOCK_TAGS and not (tag in ("blockquote", "li") and _has_blocks(child)):
            yield from flush()
            kind = _BLOCK_TAGS[tag]
            spans_out: list[Span] = []
            _inline(child, False, False, None, spans_out, pre=tag == "pre")
            spans = (tuple(s for s in spans_out if s.text) if tag == "pre" else _merge(spans_out))
            if spans:
                yield Block(spans, kind)
        elif tag in _CONTAINERS or tag in ("blockquote", "li"):
            yield from flush()
            yield from _blocks(child)
        elif tag and tag not in _SKIP:
            _inline(child, False, False, None, loose, pre=False)
        if child.tail and child.tail.strip():
            loose.append(Span(child.tail))
        elif child.tail and loose:
            loose.append(Span(" "))
    yield from flush()


def _has_blocks(el: etree._Element) -> bool:
    return any(_local(c.tag) in _BLOCK_TAGS or _local(c.tag) in _CONTAINERS for c in el)


def element_to_blocks(el: etree._Element) -> tuple[Block, ...]:
    """Blocks of an (X)HTML element tree (a body, a div, or a whole html document)."""
    if _local(el.tag) == "html":
        body = next((c for c in el if _local(c.tag) == "body"), None)
        if body is None:
            return ()
        el = body
    return tuple(_blocks(el))


def html_to_blocks(markup: str) -> tuple[Block, ...]:
    """Blocks of an HTML or XHTML fragment as found in ninjs, feeds and web copy.

    Parsed with lxml's HTML parser, which is forgiving and never fetches anything.
    """
    if not markup.strip():
        return ()
    wrapper = html.fragment_fromstring(markup, create_parent="div")
    return element_to_blocks(wrapper)


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Plain text: paragraphs are separated by blank lines (or by single newlines when none)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ()
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return tuple(Block.para(_WS.sub(" ", p).strip()) for p in parts if p.strip())


def _span_element(parent: etree._Element, span: Span, ns: str) -> None:
    """Append one span to parent: text, or text wrapped in a/b/i (outermost a, then b, then i)."""
    text = xml_text(span.text)
    wrappers = [(tag, attrs) for tag, attrs, on in (
        ("a", {"href": xml_text(span.href or "")}, span.href is not None),
        ("b", {}, span.bold),
        ("i", {}, span.italic),
    ) if on]
    if not wrappers:
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        return
    el = parent
    for tag, attrs in wrappers:
        el = etree.SubElement(el, f"{{{ns}}}{tag}" if ns else tag, attrs)
    el.text = text


def blocks_to_elements(blocks: Iterable[Block], parent: etree._Element, ns: str = XHTML_NS) -> None:
    """Append the blocks to ``parent`` as XHTML elements (list items grouped in ``ul``)."""
    q = (lambda t: f"{{{ns}}}{t}") if ns else (lambda t: t)
    ul: etree._Element | None = None
    for block in blocks:
        if block.kind == BlockKind.LIST_ITEM:
            if ul is None:
                ul = etree.SubElement(parent, q("ul"))
            el = etree.SubElement(ul, q("li"))
        else:
            ul = None
            el = etree.SubElement(parent, q(block.kind.value))
        for span in block.spans:
            _span_element(el, span, ns)


def blocks_to_html(blocks: Iterable[Block]) -> str:
    """An HTML fragment (no namespace) of the blocks, e.g. for ninjs and feed entries."""
    holder = etree.Element("div")
    blocks_to_elements(blocks, holder, ns="")
    return "".join(etree.tostring(child, encoding="unicode") for child in holder)
