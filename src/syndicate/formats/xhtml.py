"""Body blocks to and from (X)HTML: the limited markup news bodies carry (p, headings, quotes, lists,
bold, italics, links), and the XHTML every writer gives (tables and figures too)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from lxml import etree, html

from syndicate.item import Block, BlockKind, Cell, Span

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


def blocks_to_text(blocks: Iterable[Block]) -> str:
    """The body copy as plain text (figures left out: a caption is no body copy)."""
    return "\n\n".join(b.plain for b in blocks if b.kind is not BlockKind.FIGURE)


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


def header_rows(rows: tuple[tuple[Cell, ...], ...]) -> int:
    """How many rows lead a table as its header (``thead``): the leading rows of header cells
    only, when rows of data follow them."""
    n = 0
    while n < len(rows) and rows[n] and all(c.header for c in rows[n]):
        n += 1
    return n if n < len(rows) else 0


def _cell_attrs(cell: Cell) -> dict[str, str]:
    attrs = {}
    if cell.colspan > 1:
        attrs["colspan"] = str(cell.colspan)
    if cell.rowspan > 1:
        attrs["rowspan"] = str(cell.rowspan)
    return attrs


def blocks_to_elements(blocks: Iterable[Block], parent: etree._Element, ns: str = XHTML_NS) -> None:
    """Append the blocks to ``parent`` as XHTML elements.

    List items go in ``ul`` or ``ol``; an ordered list that an item of a nested list (flattened)
    interrupted goes on with the next number (``start``). A table is ``caption``, ``thead`` (its
    leading rows of header cells) and ``tbody``; a figure is ``img`` and ``figcaption``; a
    credit is a ``footer`` in the quote or the caption.
    """
    def q(t: str) -> str:
        return f"{{{ns}}}{t}" if ns else t

    def spans_into(el: etree._Element, spans: Iterable[Span]) -> None:
        for span in spans:
            _span_element(el, span, ns)

    group: etree._Element | None = None
    group_kind: BlockKind | None = None
    numbered = 0  # ordered items in this run of list items
    for block in blocks:
        kind = block.kind
        if not block.text and kind is not BlockKind.TABLE and kind is not BlockKind.FIGURE:
            continue  # nothing to show, as in NewsML-G2
        if kind.is_list_item:
            ordered = kind is BlockKind.ORDERED_ITEM
            if group is None or group_kind is not kind:
                group = etree.SubElement(parent, q("ol" if ordered else "ul"))
                group_kind = kind
                if ordered and numbered:
                    group.set("start", str(numbered + 1))
            numbered += ordered
            spans_into(etree.SubElement(group, q("li")), block.spans)
            continue
        group, group_kind, numbered = None, None, 0
        if kind is BlockKind.TABLE:
            rows = tuple(r for r in block.rows if r)
            if not rows:
                if block.spans:
                    spans_into(etree.SubElement(parent, q("p")), block.spans)
                continue
            table = etree.SubElement(parent, q("table"))
            if block.spans:
                spans_into(etree.SubElement(table, q("caption")), block.spans)
            n_head = header_rows(rows)
            sections = ((q("thead"), rows[:n_head]), (q("tbody"), rows[n_head:]))
            for tag, part in sections:
                if not part:
                    continue
                section = etree.SubElement(table, tag)
                for row in part:
                    tr = etree.SubElement(section, q("tr"))
                    for cell in row:
                        td = etree.SubElement(tr, q("th" if cell.header else "td"), _cell_attrs(cell))
                        td.text = ""  # an empty cell as <td></td>: HTML reads <td/> as an open tag
                        spans_into(td, cell.spans)
        elif kind is BlockKind.FIGURE:
            if block.src is None and not block.spans and not block.credit:
                continue
            figure = etree.SubElement(parent, q("figure"))
            if block.src is not None:
                etree.SubElement(figure, q("img"), {"src": xml_text(block.src), "alt": ""})
            if block.spans or block.credit:
                caption = etree.SubElement(figure, q("figcaption"))
                spans_into(caption, block.spans)
                if block.credit:
                    etree.SubElement(caption, q("footer")).text = xml_text(block.credit)
        else:
            el = etree.SubElement(parent, q(kind.value))
            spans_into(el, block.spans)
            if kind is BlockKind.PREFORMATTED and block.text.startswith("\n"):
                el.text = "\n" + (el.text or "")  # kept, as HTML keeps the second line break
            if block.credit and kind is BlockKind.QUOTE:
                etree.SubElement(el, q("footer")).text = xml_text(block.credit)


def blocks_to_html(blocks: Iterable[Block]) -> str:
    """An HTML fragment (no namespace) of the blocks, e.g. for ninjs and feed entries."""
    holder = etree.Element("div")
    blocks_to_elements(blocks, holder, ns="")
    return "".join(etree.tostring(child, encoding="unicode") for child in holder)
