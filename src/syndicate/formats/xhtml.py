"""Body blocks to and from (X)HTML: the one reader of body markup for every codec (XHTML in
NewsML-G2, HTML in ninjs and feeds, NITF's body.content), and the XHTML every writer gives.

Reading: paragraphs, headings (h1/h2 and NITF's hl2 are headings, h3-h6 subheadings),
preformatted text (kept exactly), block quotes (NITF ``bq``, its ``credit`` or an HTML ``footer``
the quote's credit), lists (``ul``/``ol``, ``dl`` terms in bold; nested lists flattened: a nested
item follows the item it was in), tables (rows of cells, ``th`` and ``thead`` cells as headers,
``tfoot`` rows last, the ``caption``), figures (HTML ``figure`` with ``img`` and ``figcaption``,
NITF ``media`` with ``media-reference``, ``media-caption`` and ``media-producer``: the caption is
the figure's, never body copy) and inline bold, italics and links. Containers (``div``,
``section``, NITF ``block``, publishable ``note`` and ``fn``) are read through; what is no copy
(heads, scripts, loose images and media, NITF metadata, editorial notes) is left out. Loose text
becomes paragraphs, two line breaks in a row ending one. White space collapses as HTML
collapses it, except in ``pre``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from lxml import etree, html

from syndicate.item import Block, BlockKind, Cell, Span

XHTML_NS = "http://www.w3.org/1999/xhtml"

_WS = re.compile(r"[ \t\r\n\f\v]+")
# XML 1.0 forbids most C0 controls; wire copy carries them (IPTC 7901 framing, stray bytes)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot carry removed."""
    return _XML_ILLEGAL.sub("", text)


# --------------------------------------------------------------------------------------------
# reading

#: blocks of inline text
_TEXT_BLOCKS = {
    "p": BlockKind.PARAGRAPH,
    "h1": BlockKind.HEADING,
    "h2": BlockKind.HEADING,
    "hl2": BlockKind.HEADING,  # NITF: hl1 is the headline, so hl2 is the level below it
    "h3": BlockKind.SUBHEADING,
    "h4": BlockKind.SUBHEADING,
    "h5": BlockKind.SUBHEADING,
    "h6": BlockKind.SUBHEADING,
    "pre": BlockKind.PREFORMATTED,
}
_LISTS = {"ul": BlockKind.LIST_ITEM, "ol": BlockKind.ORDERED_ITEM, "dl": BlockKind.LIST_ITEM,
          "menu": BlockKind.LIST_ITEM}
_ITEMS = frozenset({"li", "dt", "dd"})
_QUOTES = frozenset({"blockquote", "bq"})
#: elements read through: their blocks are the body's
_CONTAINERS = frozenset({
    "html", "body", "body.content", "div", "section", "article", "main", "header", "footer",
    "aside", "center", "address", "details", "block", "note", "fn", "nitf-table", "hgroup",
    "form", "fieldset", "nav",
})
#: elements that hold blocks, for telling an unknown element holding blocks from inline markup
_STRUCTURE = frozenset(_TEXT_BLOCKS) | frozenset(_LISTS) | _ITEMS | _QUOTES | _CONTAINERS | {
    "table", "figure", "media", "tr", "td", "th"}
#: not body copy: document heads, scripts, media outside figures, NITF metadata
_SKIP = frozenset({
    "head", "title", "script", "style", "noscript", "template", "iframe", "object", "embed",
    "svg", "img", "picture", "video", "audio", "source", "track", "map", "canvas", "hr",
    "body.head", "hedline", "body.end", "tobject", "key-list", "classifier", "nitf-table-metadata",
    "media-metadata", "media-object", "custom-table", "table-reference", "col", "colgroup",
    "nitf-col", "nitf-colgroup", "button", "input", "select", "textarea",
})
_BOLD = frozenset({"b", "strong"})
_ITALIC = frozenset({"i", "em", "cite", "dfn"})


def _bold(el: etree._Element, name: str) -> bool:
    """b, strong, and NITF's ``em class="bold"`` (NITF has no b)."""
    return name in _BOLD or (name == "em" and "bold" in (el.get("class") or "").split())


def _italic(el: etree._Element, name: str) -> bool:
    """i, em, cite, dfn; an ``em class="bold"`` is bold only."""
    return name in _ITALIC and not (name == "em" and (el.get("class") or "").split() == ["bold"])
#: inside flattened text (a cell, a caption, a list item) these still part words
_BREAKS = frozenset(_TEXT_BLOCKS) | frozenset(_LISTS) | _ITEMS | _QUOTES | _CONTAINERS | {
    "table", "tr", "td", "th", "caption", "figure", "figcaption", "media", "media-caption",
    "credit", "br"}
_MAX_SPAN = 1000


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2].lower()


def _editorial_note(el: etree._Element) -> bool:
    """A NITF note to editors (``type="npa"``, ``noteclass="editorsnote"``): never body copy."""
    return ((el.get("type") or "").lower() == "npa"
            or (el.get("noteclass") or "").lower() == "editorsnote")


class _Spans:
    """Collects the inline runs of one block, merging equal formatting and collapsing white
    space as HTML does (except in preformatted text)."""

    __slots__ = ("pre", "runs")

    def __init__(self, pre: bool = False) -> None:
        self.pre = pre
        self.runs: list[list[object]] = []  # [text, bold, italic, href]

    def add(self, text: str | None, bold: bool, italic: bool, href: str | None) -> None:
        if not text:
            return
        if not self.pre:
            text = _WS.sub(" ", text)
            if text.startswith(" ") and (not self.runs or str(self.runs[-1][0]).endswith(" ")):
                text = text[1:]
                if not text:
                    return
        if self.runs:
            last = self.runs[-1]
            if last[1] == bold and last[2] == italic and last[3] == href:
                last[0] = str(last[0]) + text
                return
        self.runs.append([text, bold, italic, href])

    def spans(self) -> tuple[Span, ...]:
        runs = self.runs
        if not self.pre:
            while runs:
                text = str(runs[-1][0]).rstrip(" ")
                if text:
                    runs[-1][0] = text
                    break
                runs.pop()
        return tuple(
            Span(str(t), bold=bool(b), italic=bool(i), href=h if isinstance(h, str) else None)
            for t, b, i, h in runs
        )


def _inline(el: etree._Element, sb: _Spans, bold: bool, italic: bool, href: str | None,
            nested: list[Block] | None) -> None:
    """The inline content of ``el`` into ``sb``. Lists, tables, figures and quotes inside it
    are blocks of their own (into ``nested``) where the caller keeps them; otherwise, as in a
    cell or a caption, their text runs on, parted from the text around it."""
    sb.add(el.text, bold, italic, href)
    for child in el:
        if isinstance(child.tag, str):
            name = _local(child.tag)
            if name == "br":
                sb.add("\n" if sb.pre else " ", bold, italic, href)
            elif name in _SKIP or (name == "note" and _editorial_note(child)):
                pass
            elif nested is not None and (name in _LISTS or name in _QUOTES or name in _APART):
                _structure(child, name, nested)
            else:
                breaks = not sb.pre and name in _BREAKS
                if breaks:
                    sb.add(" ", bold, italic, href)
                _inline(
                    child, sb,
                    bold or _bold(child, name),
                    italic or _italic(child, name),
                    ((child.get("href") or "").strip() or href) if name == "a" else href,
                    nested,
                )
                if breaks:
                    sb.add(" ", bold, italic, href)
        sb.add(child.tail, bold, italic, href)


def _inline_spans(el: etree._Element, bold: bool = False) -> tuple[Span, ...]:
    """The text of ``el`` flattened into one run of spans (a cell, a caption, a term)."""
    if len(el) == 0:
        text = _WS.sub(" ", el.text or "").strip(" ")
        return (Span(text, bold=bold),) if text else ()
    sb = _Spans()
    _inline(el, sb, bold, False, None, None)
    return sb.spans()


def _text_block(el: etree._Element, kind: BlockKind, out: list[Block]) -> None:
    pre = kind is BlockKind.PREFORMATTED
    if len(el) == 0:
        # most wire paragraphs are plain text: no span machinery
        text = el.text
        if text and not pre:
            text = _WS.sub(" ", text).strip(" ")
        elif text and text[0] == "\n":
            text = text[1:]  # HTML's rule: the line break right after <pre> is markup
        if text:
            out.append(Block((Span(text),), kind))
        return
    sb = _Spans(pre)
    nested: list[Block] = []
    _inline(el, sb, False, False, None, nested)
    if pre and sb.runs and str(sb.runs[0][0]).startswith("\n"):
        sb.runs[0][0] = str(sb.runs[0][0])[1:]
        if not sb.runs[0][0]:
            del sb.runs[0]
    spans = sb.spans()
    if spans:
        out.append(Block(spans, kind))
    out.extend(nested)


def _item(el: etree._Element, kind: BlockKind, out: list[Block], bold: bool = False) -> None:
    """A list item; the lists nested in it follow it, flattened."""
    sb = _Spans()
    nested: list[Block] = []
    _inline(el, sb, bold, False, None, nested)
    spans = sb.spans()
    if spans:
        out.append(Block(spans, kind))
    out.extend(nested)


def _list(el: etree._Element, kind: BlockKind, out: list[Block]) -> None:
    loose = _Spans()

    def flush() -> None:
        nonlocal loose
        spans = loose.spans()
        if spans:
            out.append(Block(spans, kind))
        loose = _Spans()

    loose.add(el.text, False, False, None)
    for child in el:
        if isinstance(child.tag, str):
            name = _local(child.tag)
            if name == "li" or name == "dd":
                flush()
                _item(child, kind, out)
            elif name == "dt":
                flush()
                _item(child, kind, out, bold=True)  # a term, set apart from its definitions
            elif name in _LISTS:
                flush()
                _list(child, _LISTS[name], out)  # a list right inside a list: nested all the same
            elif name in _SKIP or (name == "note" and _editorial_note(child)):
                pass
            elif name in _STRUCTURE:
                flush()
                _item(child, kind, out)  # a paragraph or block where an item belongs
            else:
                _inline(child, loose, _bold(child, name), _italic(child, name),
                        ((child.get("href") or "").strip() or None) if name == "a" else None, None)
        loose.add(child.tail, False, False, None)
    flush()


def _plain_text(el: etree._Element) -> str | None:
    return "".join(s.text for s in _inline_spans(el)) or None


def _quote(el: etree._Element, out: list[Block]) -> None:
    """A block quote: its blocks as quote blocks, the last one holding the credit (NITF
    ``credit``, an HTML ``footer``, or a ``cite`` that closes the quote after its paragraphs)."""
    credit_el = next((c for c in el if _local(c.tag) in ("credit", "footer")), None)
    if credit_el is None:
        children = [c for c in el if isinstance(c.tag, str)]
        if (len(children) > 1 and _local(children[-1].tag) == "cite"
                and not (children[-1].tail or "").strip()
                and any(_local(c.tag) in _STRUCTURE for c in children[:-1])):
            credit_el = children[-1]
    inner: list[Block] = []
    _walk(el, inner, () if credit_el is None else (credit_el,))
    credit = _plain_text(credit_el) if credit_el is not None else None
    last = -1
    for i, block in enumerate(inner):
        if block.kind in _QUOTE_TEXT:
            inner[i] = dataclasses.replace(block, kind=BlockKind.QUOTE)
            last = i
    if credit:
        if last < 0:
            inner.append(Block((Span(credit),), BlockKind.QUOTE))
        elif not inner[last].credit:
            inner[last] = dataclasses.replace(inner[last], credit=credit)
    out.extend(inner)


#: the kinds a block quote turns into quote blocks (tables, figures and agate stay as they are)
_QUOTE_TEXT = frozenset({BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.SUBHEADING,
                         BlockKind.QUOTE, BlockKind.LIST_ITEM, BlockKind.ORDERED_ITEM})


def _span_count(value: str | None) -> int:
    try:
        n = int((value or "1").strip())
    except ValueError:
        return 1
    return n if 1 <= n <= _MAX_SPAN else 1


def _row(tr: etree._Element, head: bool) -> tuple[Cell, ...]:
    return tuple(
        Cell(_inline_spans(c), head or name == "th", _span_count(c.get("colspan")),
             _span_count(c.get("rowspan")))
        for c in tr if (name := _local(c.tag)) in ("td", "th")
    )


def _table(el: etree._Element, out: list[Block]) -> None:
    """A table (HTML's, and NITF's, which is HTML's): caption, header, body and footer rows."""
    caption: tuple[Span, ...] = ()
    head: list[tuple[Cell, ...]] = []
    body: list[tuple[Cell, ...]] = []
    foot: list[tuple[Cell, ...]] = []
    for child in el:
        name = _local(child.tag)
        if name == "caption":
            caption = _inline_spans(child)
        elif name == "tr":
            body.append(_row(child, False))
        elif name in ("thead", "tbody", "tfoot"):
            part = head if name == "thead" else foot if name == "tfoot" else body
            part.extend(_row(tr, name == "thead") for tr in child if _local(tr.tag) == "tr")
    rows = tuple(r for r in (*head, *body, *foot) if r)
    if rows:
        out.append(Block(caption, BlockKind.TABLE, rows=rows))
    elif caption:
        out.append(Block(caption))


def _figure(el: etree._Element, out: list[Block]) -> None:
    """An HTML figure: its image and caption; a figure that frames a quote or a table gives the
    quote its credit or the table its caption."""
    caption_el = next((c for c in el if _local(c.tag) == "figcaption"), None)
    # the credit: a footer in the caption (as written here) or beside it
    credit_el = next((c for c in el if _local(c.tag) == "footer"), None)
    caption: tuple[Span, ...] = ()
    if caption_el is not None:
        credit_el = next((c for c in caption_el if _local(c.tag) == "footer"), credit_el)
        sb = _Spans()
        sb.add(caption_el.text, False, False, None)
        for child in caption_el:
            if child is not credit_el and isinstance(child.tag, str):
                name = _local(child.tag)
                if name == "br":
                    sb.add(" ", False, False, None)
                elif name not in _SKIP:
                    _inline(child, sb, _bold(child, name), _italic(child, name),
                            ((child.get("href") or "").strip() or None) if name == "a" else None,
                            None)
            sb.add(child.tail, False, False, None)
        caption = sb.spans()
    credit = _plain_text(credit_el) if credit_el is not None else None
    img = next((i for i in el.iter() if _local(i.tag) == "img" and (i.get("src") or "").strip()
                and not any(a is caption_el for a in i.iterancestors())), None)
    src = (img.get("src") or "").strip() if img is not None else None
    inner: list[Block] = []
    _walk(el, inner, tuple(c for c in (caption_el, credit_el) if c is not None))
    if src is None and inner and caption:
        if all(b.kind is BlockKind.QUOTE for b in inner) and not inner[-1].credit:
            text = "".join(s.text for s in caption)
            inner[-1] = dataclasses.replace(inner[-1], credit=text)
            out.extend(inner)
            return
        if len(inner) == 1 and inner[0].kind is BlockKind.TABLE and not inner[0].spans:
            out.append(dataclasses.replace(inner[0], spans=caption))
            return
    if src is not None:
        out.append(Block(caption, BlockKind.FIGURE, src=src, credit=credit))
        out.extend(inner)
    else:
        out.extend(inner)
        if caption or credit:
            out.append(Block(caption, BlockKind.FIGURE, credit=credit))


def _media(el: etree._Element, out: list[Block]) -> None:
    """NITF ``media``: a figure of its (first image) reference, its captions and producer."""
    refs = [c for c in el if _local(c.tag) == "media-reference" and (c.get("source") or "").strip()]
    ref = next((r for r in refs if (r.get("mime-type") or "").lower().startswith("image/")),
               refs[0] if refs else None)
    src = (ref.get("source") or "").strip() if ref is not None else None
    sb = _Spans()
    for child in el:
        if _local(child.tag) == "media-caption":
            sb.add(" ", False, False, None)
            _inline(child, sb, False, False, None, None)
    caption = sb.spans()
    producer = next((c for c in el if _local(c.tag) == "media-producer"), None)
    credit = _plain_text(producer) if producer is not None else None
    if caption or src:
        out.append(Block(caption, BlockKind.FIGURE, src=src, credit=credit))


#: blocks inside a paragraph or a list item that follow it rather than run into its text
_APART = frozenset({"table", "figure", "media", "fn", "note"})


def _structure(el: etree._Element, name: str, out: list[Block]) -> None:
    if name in ("fn", "note"):
        _walk(el, out)  # a footnote, a publishable note: paragraphs of their own
    elif name in _LISTS:
        _list(el, _LISTS[name], out)
    elif name in _QUOTES:
        _quote(el, out)
    elif name == "table":
        _table(el, out)
    elif name == "figure":
        _figure(el, out)
    else:
        _media(el, out)


def _holds_blocks(el: etree._Element) -> bool:
    return any(_local(c.tag) in _STRUCTURE for c in el)


def _walk(container: etree._Element, out: list[Block], leave: tuple[etree._Element, ...] = ()) -> None:
    """The blocks of a container into ``out`` (``leave``: children read apart, e.g. a credit)."""
    loose = _Spans()
    breaks = 0  # line breaks in a row in loose text: two end a paragraph

    def flush() -> None:
        nonlocal loose
        if loose.runs:
            spans = loose.spans()
            if spans:
                out.append(Block(spans))
            loose = _Spans()

    loose.add(container.text, False, False, None)
    for child in container:
        if leave and child in leave:
            pass
        elif isinstance(child.tag, str):
            name = _local(child.tag)
            kind = _TEXT_BLOCKS.get(name)
            if kind is BlockKind.HEADING and "subheading" in (child.get("class") or "").split():
                kind = BlockKind.SUBHEADING  # NITF has one heading element, hl2
            if name != "br":
                breaks = 0
            if kind is not None:
                flush()
                _text_block(child, kind, out)
            elif name == "br":
                breaks += 1
                if breaks == 2:
                    flush()
                else:
                    loose.add(" ", False, False, None)
            elif name in _LISTS or name in _QUOTES or name in ("table", "figure", "media"):
                flush()
                _structure(child, name, out)
            elif name in _ITEMS:
                flush()
                _item(child, BlockKind.LIST_ITEM, out, bold=name == "dt")
            elif name in _SKIP or (name == "note" and _editorial_note(child)):
                pass
            elif name in _CONTAINERS or name in ("tr", "td", "th") or (
                    name not in _BOLD and name not in _ITALIC and name != "a" and _holds_blocks(child)):
                flush()
                _walk(child, out)
            else:
                _inline(child, loose, _bold(child, name), _italic(child, name),
                        ((child.get("href") or "").strip() or None) if name == "a" else None, None)
        tail = child.tail
        if tail:
            if breaks and tail.strip():
                breaks = 0
            loose.add(tail, False, False, None)
    flush()


def element_to_blocks(el: etree._Element) -> tuple[Block, ...]:
    """Blocks of an (X)HTML or NITF element tree: a body, a div, a NITF body.content, or a whole
    html or nitf document (its body, or body.content)."""
    name = _local(el.tag)
    if name == "html":
        body = next((c for c in el if _local(c.tag) == "body"), None)
        if body is None:
            return ()
        el = body
    elif name == "nitf":
        body = next((c for c in el if _local(c.tag) == "body"), None)
        if body is None:
            return ()
        content = next((c for c in body if _local(c.tag) == "body.content"), None)
        if content is None:
            return ()
        el = content
    out: list[Block] = []
    _walk(el, out)
    return tuple(out)


def html_to_blocks(markup: str) -> tuple[Block, ...]:
    """Blocks of an HTML or XHTML fragment as found in ninjs, feeds and web copy.

    Parsed with lxml's HTML parser, which is forgiving and never fetches anything.
    """
    # a stray control character (lxml, like XML, refuses it) is dropped, not the whole body
    markup = _NOT_XML_CHARS.sub("", markup)
    if not markup.strip():
        return ()
    wrapper = html.fragment_fromstring(markup, create_parent="div")
    return element_to_blocks(wrapper)


_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text_to_blocks(text: str) -> tuple[Block, ...]:
    """Plain text: paragraphs are separated by blank lines (or by single newlines when none)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ()
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return tuple(Block.para(_WS.sub(" ", p).strip()) for p in parts if p.strip())


# markup a text declared plain may hold: a block element's tag, a closing tag, a link
_HTML_MARKUP = re.compile(
    r"<(?:(?:p|div|br|hr|h[1-6]|ul|ol|li|dl|table|tr|td|th|blockquote|pre|figure|figcaption|"
    r"img|section|article)(?:\s[^<>]*)?/?>"
    r"|/(?:p|div|h[1-6]|ul|ol|li|dl|dt|dd|table|tr|td|th|blockquote|pre|figure|figcaption|a|b|i|"
    r"em|strong|span|section|article)\s*>"
    r"|a\s+href\s*=)",
    re.IGNORECASE,
)


def looks_like_html(text: str) -> bool:
    """Whether text declared plain holds HTML markup (a block element, a closing tag, a link),
    as agencies send it: "<p>...</p>" in a ninjs body_text or a text/plain inlineData. A "<"
    in prose ("a < b", "<<EOM>>") is no markup."""
    return "<" in text and _HTML_MARKUP.search(text) is not None


def blocks_to_text(blocks: Iterable[Block]) -> str:
    """The body copy as plain text (figures left out: a caption is no body copy)."""
    return "\n\n".join(b.plain for b in blocks if b.kind is not BlockKind.FIGURE)


# --------------------------------------------------------------------------------------------
# writing


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
