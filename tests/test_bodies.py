"""Bodies keep their structure: one reader of body markup for every codec (XHTML, HTML, NITF),
one form of it written, and the model's tables, figures, ordered lists and credits."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate import formats
from syndicate.formats import newsmlg2
from syndicate.formats.bodies import read_markup
from syndicate.formats.xhtml import (
    XHTML_NS,
    blocks_to_elements,
    blocks_to_html,
    blocks_to_text,
    element_to_blocks,
    html_to_blocks,
    looks_like_html,
)
from syndicate.item import Block, BlockKind, Cell, NewsItem, Span, lead_index
from syndicate.item_json import decode_item, encode_item
from test_newsmlg2 import blocks as block_strategy

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC))
P, H2, H3, QUOTE, LI, OL, PRE, TABLE, FIGURE = (
    BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.SUBHEADING, BlockKind.QUOTE,
    BlockKind.LIST_ITEM, BlockKind.ORDERED_ITEM, BlockKind.PREFORMATTED, BlockKind.TABLE,
    BlockKind.FIGURE)


def kinds(blocks: tuple[Block, ...]) -> list[tuple[BlockKind, str]]:
    return [(b.kind, b.text) for b in blocks]


def cells(block: Block) -> list[list[str]]:
    return [[c.text for c in row] for row in block.rows]


# -- one reader for every codec -----------------------------------------------------------------

#: one story body in markup every format can carry: a figure, a subheading, a table, lists, a
#: quote with its credit, agate
STORY = (
    '<figure><img src="https://example.com/p.jpg" alt=""/>'
    "<figcaption>Fans celebrate in Madrid.<footer>Photo: Ana Ruiz</footer></figcaption></figure>"
    "<p>The league resumed on Sunday.</p>"
    "<h2>Results</h2>"
    "<table><caption>Round 14</caption><thead><tr><th>Home</th><th>Away</th></tr></thead>"
    "<tbody><tr><td>Betis</td><td>Sevilla</td></tr></tbody></table>"
    "<ol><li>First</li><li>Second</li></ol>"
    "<ul><li>Note</li></ul>"
    "<blockquote><p>We played well.</p><footer>The coach</footer></blockquote>"
    "<pre>TEAM  PTS\nBetis  30</pre>"
)
STORY_BLOCKS = [
    (FIGURE, "Fans celebrate in Madrid."), (P, "The league resumed on Sunday."), (H2, "Results"),
    (TABLE, "Round 14"), (OL, "First"), (OL, "Second"), (LI, "Note"), (QUOTE, "We played well."),
    (PRE, "TEAM  PTS\nBetis  30"),
]


def _g2_xhtml(body: str) -> bytes:
    return (
        f'<newsItem xmlns="{newsmlg2.G2_NS}" guid="urn:x:1" version="1" standard="NewsML-G2" '
        'standardversion="2.35"><itemMeta><itemClass qcode="ninat:text"/><provider literal="X"/>'
        "<versionCreated>2026-11-30T10:00:00Z</versionCreated></itemMeta><contentMeta>"
        '<headline>H</headline></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml">'
        f'<html xmlns="{XHTML_NS}"><body>{body}</body></html></inlineXML></contentSet></newsItem>'
    ).encode()


def _ninjs(body: str) -> bytes:
    return json.dumps({"uri": "urn:x:1", "headline": "H", "language": "en",
                       "bodies": [{"role": "main", "contentType": "text/html", "value": body}]}).encode()


def _nitf(body: str) -> bytes:
    # NITF's own markup for the same story
    nitf_body = (
        '<media media-type="image"><media-reference source="https://example.com/p.jpg"/>'
        "<media-caption>Fans celebrate in Madrid.</media-caption>"
        "<media-producer>Photo: Ana Ruiz</media-producer></media>"
        "<block><p>The league resumed on Sunday.</p></block><hl2>Results</hl2>"
        "<table><caption>Round 14</caption><tr><th>Home</th><th>Away</th></tr>"
        "<tr><td>Betis</td><td>Sevilla</td></tr></table>"
        "<ol><li>First</li><li>Second</li></ol><ul><li>Note</li></ul>"
        "<bq><block><p>We played well.</p></block><credit>The coach</credit></bq>"
        "<pre>TEAM  PTS\nBetis  30</pre>"
    )
    return (f"<nitf><body><body.head><hedline><hl1>H</hl1></hedline></body.head>"
            f"<body.content>{nitf_body}</body.content></body></nitf>").encode()


def _rss(body: str) -> bytes:
    return (
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        "<title>T</title><language>en</language><item><title>H</title><guid>x1</guid>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("document", [_g2_xhtml, _ninjs, _nitf, _rss],
                         ids=["newsmlg2-xhtml", "ninjs-html", "nitf", "rss-html"])
def test_every_codec_reads_the_same_structure_from_its_markup(document):
    (item,) = formats.parse(document(STORY), "auto", CTX).items
    assert kinds(item.body) == STORY_BLOCKS
    figure, table, quote = item.body[0], item.body[3], item.body[7]
    assert (figure.src, figure.credit) == ("https://example.com/p.jpg", "Photo: Ana Ruiz")
    assert cells(table) == [["Home", "Away"], ["Betis", "Sevilla"]]
    assert [c.header for c in table.rows[0]] == [True, True]
    assert quote.credit == "The coach"


@pytest.mark.parametrize("document", [_g2_xhtml, _ninjs, _nitf, _rss],
                         ids=["newsmlg2-xhtml", "ninjs-html", "nitf", "rss-html"])
def test_a_figure_caption_is_the_figures_in_every_codec_never_body_copy(document):
    (item,) = formats.parse(document(STORY), "auto", CTX).items
    assert [b.kind for b in item.body if "Fans celebrate" in b.text] == [FIGURE]
    assert "Fans celebrate" not in item.body_text


# -- reading: the rules ---------------------------------------------------------------------------


def test_headings_h1_h2_are_headings_h3_to_h6_subheadings():
    assert kinds(html_to_blocks("<h1>a</h1><h2>b</h2><h3>c</h3><h6>d</h6>")) == [
        (H2, "a"), (H2, "b"), (H3, "c"), (H3, "d")]


def test_ordered_and_unordered_list_items_are_told_apart():
    assert kinds(html_to_blocks("<ol><li>one</li></ol><ul><li>dot</li></ul>")) == [
        (OL, "one"), (LI, "dot")]


def test_a_nested_list_is_flattened_after_the_item_it_was_in():
    markup = "<ol><li>one<ul><li>one a</li><li>one b</li></ul></li><li>two</li></ol>"
    assert kinds(html_to_blocks(markup)) == [
        (OL, "one"), (LI, "one a"), (LI, "one b"), (OL, "two")]


def test_paragraphs_inside_a_list_item_are_one_item():
    assert kinds(html_to_blocks("<ul><li><p>first part</p><p>second part</p></li></ul>")) == [
        (LI, "first part second part")]


def test_a_definition_list_gives_its_terms_in_bold_and_its_definitions_as_items():
    blocks = html_to_blocks("<dl><dt>GDP</dt><dd>Gross domestic product</dd></dl>")
    assert kinds(blocks) == [(LI, "GDP"), (LI, "Gross domestic product")]
    assert blocks[0].spans == (Span("GDP", bold=True),)


def test_table_header_cells_body_rows_footer_last_and_spans_are_read():
    (table,) = html_to_blocks(
        "<table><caption>Results</caption><tfoot><tr><td colspan='2'>Provisional</td></tr></tfoot>"
        "<thead><tr><td>Team</td><th>Pts</th></tr></thead>"
        "<tbody><tr><th>Betis</th><td rowspan='2'>30</td></tr></tbody></table>")
    assert (table.kind, table.text) == (TABLE, "Results")
    assert cells(table) == [["Team", "Pts"], ["Betis", "30"], ["Provisional"]]
    # a cell of the header rows is a header, a th anywhere is one
    assert [[c.header for c in row] for row in table.rows] == [[True, True], [True, False], [False]]
    assert (table.rows[1][1].rowspan, table.rows[2][0].colspan) == (2, 2)


def test_a_cell_is_one_run_of_text_whatever_it_holds():
    (table,) = html_to_blocks("<table><tr><td><p>Real</p><p><b>Madrid</b></p></td></tr></table>")
    assert table.rows[0][0].spans == (Span("Real "), Span("Madrid", bold=True))


def test_a_table_without_rows_leaves_its_caption_as_a_paragraph():
    assert kinds(html_to_blocks("<table><caption>Coming up</caption></table>")) == [(P, "Coming up")]


def test_preformatted_text_is_kept_exactly_but_the_line_break_after_pre():
    (pre,) = html_to_blocks("<pre>\n  A   1\n  B   2\n</pre>")
    assert pre == Block.para("  A   1\n  B   2\n", PRE)


def test_a_quote_takes_its_credit_from_a_footer_a_closing_cite_or_nitf_credit():
    for markup in ("<blockquote><p>Yes.</p><footer>Ann</footer></blockquote>",
                   "<blockquote><p>Yes.</p><cite>Ann</cite></blockquote>",
                   "<bq><block><p>Yes.</p></block><credit>Ann</credit></bq>"):
        assert html_to_blocks(markup) == (Block((Span("Yes."),), QUOTE, credit="Ann"),), markup


def test_a_cite_inside_the_quoted_text_stays_text():
    assert html_to_blocks("<blockquote>As <cite>Hamlet</cite> says.</blockquote>") == (
        Block((Span("As "), Span("Hamlet", italic=True), Span(" says.")), QUOTE),)


def test_a_figure_keeps_image_caption_and_credit():
    (figure,) = html_to_blocks(
        '<figure><picture><img src=" https://e.com/a.jpg "/></picture>'
        "<figcaption>The <i>Ever Given</i> in the canal.<footer>AP</footer></figcaption></figure>")
    assert figure == Block((Span("The "), Span("Ever Given", italic=True), Span(" in the canal.")),
                           FIGURE, src="https://e.com/a.jpg", credit="AP")


def test_a_figure_framing_a_quote_gives_the_quote_its_credit():
    assert html_to_blocks("<figure><blockquote>To be or not.</blockquote>"
                          "<figcaption>Hamlet</figcaption></figure>") == (
        Block((Span("To be or not."),), QUOTE, credit="Hamlet"),)


def test_a_figure_framing_a_table_gives_the_table_its_caption():
    (table,) = html_to_blocks("<figure><table><tr><td>1</td></tr></table>"
                              "<figcaption>Scores</figcaption></figure>")
    assert (table.kind, table.text, cells(table)) == (TABLE, "Scores", [["1"]])


def test_nitf_media_is_a_figure_of_its_image_reference():
    root = etree.fromstring(
        "<body.content><media media-type='image'>"
        "<media-reference source='https://e.com/v.mp4' mime-type='video/mp4'/>"
        "<media-reference source='https://e.com/a.jpg' mime-type='image/jpeg'/>"
        "<media-caption>Flooded streets.</media-caption><media-producer>dpa</media-producer>"
        "</media></body.content>")
    assert element_to_blocks(root) == (
        Block((Span("Flooded streets."),), FIGURE, src="https://e.com/a.jpg", credit="dpa"),)


def test_nitf_blocks_are_containers_not_one_paragraph():
    root = etree.fromstring("<body.content><block><p>one</p><p>two</p><hl2>Sub</hl2><p>three</p>"
                            "</block><block><p>four</p></block></body.content>")
    assert kinds(element_to_blocks(root)) == [(P, "one"), (P, "two"), (H2, "Sub"), (P, "three"),
                                              (P, "four")]


def test_nitf_footnotes_follow_their_paragraph_and_notes_to_editors_are_no_copy():
    root = etree.fromstring(
        "<body.content><p>Text.<fn><body.content><p>A footnote.</p></body.content></fn> More.</p>"
        "<note noteclass='end'><body.content><p>An end note.</p></body.content></note>"
        "<note type='npa'><body.content><p>Editors only.</p></body.content></note></body.content>")
    assert kinds(element_to_blocks(root)) == [(P, "Text. More."), (P, "A footnote."),
                                              (P, "An end note.")]


def test_two_line_breaks_in_loose_text_end_a_paragraph_one_does_not():
    assert kinds(html_to_blocks("One<br>line.<br/><br/>Two.")) == [(P, "One line."), (P, "Two.")]


def test_an_unknown_element_holding_paragraphs_is_read_through():
    assert kinds(html_to_blocks("<font><p>a</p><p>b</p></font>")) == [(P, "a"), (P, "b")]


def test_loose_images_scripts_and_metadata_are_no_copy():
    assert kinds(html_to_blocks('<p><img src="pixel.gif" width="1"/>Text<script>x()</script></p>'
                                "<tobject/><hr/>")) == [(P, "Text")]


# -- markup in text declared plain ---------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "<p>One.</p><p>Two.</p>", "Line one<br/>line two", "<h2>Sub</h2>text", "<ul><li>a</li></ul>",
    'See <a href="https://e.com">this</a>', "Text with <b>bold</b>",
])
def test_html_in_text_declared_plain_is_recognised(text):
    assert looks_like_html(text)


@pytest.mark.parametrize("text", [
    "If a < b and c > d", "<<EOM>>", "Price <USD 5>", "Use the <tag> form", "plain text",
])
def test_plain_text_with_angle_brackets_is_not_taken_for_html(text):
    assert not looks_like_html(text)


def test_a_body_declared_plain_that_is_a_nitf_document_is_read_as_nitf():
    text = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE nitf SYSTEM "nitf-3-5.dtd">\n'
            "<nitf><body><body.content><block><p>Uno.</p><p>Dos.</p></block>"
            "<note type='npa'><body.content><p>Eds: more to come.</p></body.content></note>"
            "</body.content></body></nitf>")
    read = read_markup(text, "text/plain")
    assert read is not None
    assert kinds(read.blocks) == [(P, "Uno."), (P, "Dos.")]
    assert [n.text for n in read.notes] == ["Eds: more to come."]


def test_a_nitf_body_that_is_not_well_formed_is_still_read():
    read = read_markup("<nitf><body><body.content><p>Uno.<p>Dos.</body.content></nitf>",
                       "application/nitf+xml")
    assert read is not None and kinds(read.blocks) == [(P, "Uno."), (P, "Dos.")]


def test_plain_text_is_left_to_the_format():
    assert read_markup("Uno.\n\nDos.", "text/plain") is None


# -- writing -----------------------------------------------------------------------------------------

TABLE_BLOCK = Block((Span("Round 14"),), TABLE, rows=(
    (Cell((Span("Home"),), True), Cell((Span("Away"),), True)),
    (Cell((Span("Betis"),)), Cell(())),
    (Cell((Span("Postponed"),), colspan=2),),
))


def _xhtml(blocks: tuple[Block, ...]) -> etree._Element:
    div = etree.Element(f"{{{XHTML_NS}}}div", nsmap={None: XHTML_NS})
    blocks_to_elements(blocks, div)
    return div


def test_a_table_is_written_with_caption_header_rows_and_body_rows():
    html = blocks_to_html((TABLE_BLOCK,))
    assert html == ("<table><caption>Round 14</caption><thead><tr><th>Home</th><th>Away</th></tr>"
                    "</thead><tbody><tr><td>Betis</td><td></td></tr>"
                    '<tr><td colspan="2">Postponed</td></tr></tbody></table>')


def test_a_figure_is_written_as_image_and_caption_with_its_credit():
    block = Block((Span("Fans."),), FIGURE, src="https://e.com/p.jpg", credit="AP")
    assert blocks_to_html((block,)) == ('<figure><img src="https://e.com/p.jpg" alt=""/>'
                                        "<figcaption>Fans.<footer>AP</footer></figcaption></figure>")


def test_a_quote_is_written_with_its_credit_in_a_footer():
    block = Block((Span("Yes."),), QUOTE, credit="Ann")
    assert blocks_to_html((block,)) == "<blockquote>Yes.<footer>Ann</footer></blockquote>"


def test_an_ordered_list_interrupted_by_a_flattened_nested_list_goes_on_numbering():
    blocks = (Block.para("one", OL), Block.para("one a", LI), Block.para("two", OL))
    assert blocks_to_html(blocks) == ('<ol><li>one</li></ol><ul><li>one a</li></ul>'
                                      '<ol start="2"><li>two</li></ol>')


def test_preformatted_text_opening_with_a_line_break_keeps_it():
    block = Block.para("\nA  1", PRE)
    assert html_to_blocks(blocks_to_html((block,))) == (block,)


def test_newsml_g2_writes_the_body_as_the_shared_writer_does(assert_valid_g2):
    body = (Block.para("Intro"), TABLE_BLOCK, Block.para("one", OL), Block.para("a", LI),
            Block.para("two", OL), Block((Span("Fans."),), FIGURE, src="https://e.com/p.jpg"),
            Block((Span("Yes."),), QUOTE, credit="Ann"), Block.para("\nA  1", PRE))
    item = NewsItem(guid="urn:x:1", headline="H", language="en", body=body,
                    version_created=dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    root = assert_valid_g2(newsmlg2.render(item))
    g2_body = root.find(f"{{{newsmlg2.G2_NS}}}contentSet/{{{newsmlg2.G2_NS}}}inlineXML"
                        f"/{{{XHTML_NS}}}html/{{{XHTML_NS}}}body")
    assert _canonical(g2_body) == _canonical(_xhtml(body))


def _canonical(el: etree._Element) -> list[str]:
    # the elements as written, the indentation between blocks aside
    for e in el.iter():
        for attr in ("text", "tail"):
            if getattr(e, attr) is not None and not getattr(e, attr).strip():
                setattr(e, attr, None)
    return [etree.tostring(c, encoding="unicode") for c in el]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(block_strategy(), max_size=6).map(tuple))
def test_blocks_written_as_html_read_back_the_same(blocks):
    # the form ninjs carries (and Atom, namespaced)
    assert html_to_blocks(blocks_to_html(blocks)) == blocks
    assert element_to_blocks(_xhtml(blocks)) == blocks


# -- the model ---------------------------------------------------------------------------------------


def test_a_tables_plain_text_is_its_caption_and_its_rows_one_a_line():
    assert TABLE_BLOCK.plain == "Round 14\nHome\tAway\nBetis\t\nPostponed"
    assert TABLE_BLOCK.text == "Round 14"


def test_body_text_has_the_tables_and_leaves_the_figures_out():
    figure = Block((Span("Caption."),), FIGURE, src="a.jpg")
    item = NewsItem(guid="g", headline="h", language="en",
                    body=(figure, Block.para("Copy."), TABLE_BLOCK))
    assert item.body_text == "Copy.\n\n" + TABLE_BLOCK.plain
    assert blocks_to_text(item.body) == item.body_text


def test_the_copy_leads_at_the_first_block_that_is_no_figure_or_table():
    figure = Block((Span("Caption."),), FIGURE, src="a.jpg")
    assert lead_index((figure, TABLE_BLOCK, Block.para("Copy."))) == 2
    assert lead_index((figure,)) is None


def test_a_stored_item_without_the_new_block_fields_still_loads():
    old = ('{"guid":"g","headline":"h","language":"en","body":[{"spans":[{"text":"Copy.",'
           '"bold":false,"italic":false,"href":null}],"kind":"li"}]}')
    assert decode_item(old).body == (Block.para("Copy.", LI),)


def test_a_block_that_uses_none_of_the_new_fields_is_stored_as_before():
    item = NewsItem(guid="g", headline="h", language="en", body=(Block.para("Copy."),))
    assert json.loads(encode_item(item))["body"] == [
        {"spans": [{"text": "Copy.", "bold": False, "italic": False, "href": None}], "kind": "p"}]


def test_tables_figures_and_credits_are_stored_and_loaded_whole():
    body = (TABLE_BLOCK, Block((Span("Fans."),), FIGURE, src="p.jpg", credit="AP"),
            Block((Span("Yes."),), QUOTE, credit="Ann"), Block.para("one", OL))
    item = NewsItem(guid="g", headline="h", language="en", body=body)
    assert decode_item(encode_item(item)) == item


def test_a_control_character_in_html_is_dropped_not_the_body():
    from syndicate.formats.xhtml import html_to_blocks

    assert html_to_blocks("\x08") == ()
    assert [b.text for b in html_to_blocks("<p>a\x08b</p>")] == ["ab"]
