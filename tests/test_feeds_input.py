"""RSS and Atom feeds as input: each entry becomes an item with its dateline taken apart."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import newsmlg2
from syndicate.item import Block, BlockKind, Span

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def parse(fixtures_dir, name):
    parsed = formats.parse((fixtures_dir / "feeds" / name).read_bytes(), "auto", CTX)
    fmt, items = parsed.format, parsed.items
    assert fmt == "feed"
    return items


def test_rss_items_become_items(fixtures_dir, assert_valid_g2):
    first, second = parse(fixtures_dir, "rss2-agency.xml")
    assert first.guid == "https://wire.example.org/world/2026/11/27/ceasefire-talks"
    assert first.language == "en-us" and first.byline == "Sara Haddad"
    assert first.created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert first.dateline is not None and first.dateline.source == "Reuters"
    assert first.body[0].text.startswith("Negotiators returned")
    assert Span("Cairo", href="https://example.org/cairo") in first.body[0].spans
    assert first.summary == "Negotiators returned to the table on Thursday."
    assert second.guid.startswith("urn:newsml:syndicate:")
    assert second.body[0].text == "Stocks rose in early trading in Frankfurt & Paris."
    for item in (first, second):
        assert_valid_g2(newsmlg2.render(item))


def test_atom_xhtml_content_keeps_markup_and_language(fixtures_dir):
    (item,) = parse(fixtures_dir, "atom-agency.xml")
    assert item.guid == "urn:example:efe:20261120:prado" and item.language == "es"
    assert item.dateline is not None and item.dateline.source == "EFE"
    assert Span("hasta las diez", bold=True) in item.body[0].spans
    assert item.modified == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    assert item.summary == "Abrirá hasta las diez de la noche."


def test_the_same_feed_twice_gives_the_same_guids(fixtures_dir):
    a = [i.guid for i in parse(fixtures_dir, "rss2-agency.xml")]
    assert a == [i.guid for i in parse(fixtures_dir, "rss2-agency.xml")]


def test_an_entry_without_title_is_refused():
    data = (b'<rss version="2.0"><channel><title>x</title>'
            b"<item><description>d</description></item></channel></rss>")
    with pytest.raises(MalformedInput, match="no title"):
        formats.get("feed").parse(data, CTX)


def test_feed_with_external_entity_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>')
    with pytest.raises(MalformedInput, match="entities"):
        formats.get("feed").parse(data, CTX)


# -- bodies keep their structure -----------------------------------------------------------------


def test_html_content_keeps_headings_a_figure_lists_and_a_credited_quote(fixtures_dir):
    item, _ = parse(fixtures_dir, "rss2-html-headings-figure.xml")
    assert [(b.kind, b.text) for b in item.body] == [
        (BlockKind.FIGURE, "The surface of Europa, seen from 1,200 km. NASA/JPL"),
        (BlockKind.PARAGRAPH, "The Europa Clipper probe has sent back its first close-up images of "
                              "Jupiter's moon Europa."),
        (BlockKind.HEADING, "Cracks in the ice"),
        (BlockKind.PARAGRAPH, "The images show long ridges in the moon's icy shell."),
        (BlockKind.SUBHEADING, "What comes next"),
        (BlockKind.LIST_ITEM, "49 more flybys until 2034"),
        (BlockKind.LIST_ITEM, "radar soundings of the ice"),
        (BlockKind.QUOTE, "This is the best look at Europa we have ever had."),
    ]
    assert item.body[0].src == "https://wire.example.org/img/europa.jpg"
    assert item.body[-1].credit == "Project scientist Robert Pappalardo"
    # the dateline comes from the copy, not from the caption before it
    assert item.dateline is not None and item.dateline.raw == "PASADENA, Nov 30 (Reuters) -"


def test_line_break_pairs_in_a_description_part_its_paragraphs(fixtures_dir):
    _, item = parse(fixtures_dir, "rss2-html-headings-figure.xml")
    assert [b.text for b in item.body] == [
        "Comet C/2026 A1 can be seen after sunset this week.",
        "Look low in the west about an hour after dark.", "Binoculars help."]


def test_atom_content_declared_text_that_holds_html_is_read_as_html(fixtures_dir):
    item, _ = parse(fixtures_dir, "atom-content-text-and-html.xml")
    assert [(b.kind, b.text) for b in item.body] == [
        (BlockKind.PARAGRAPH, "Kenya's John Korir set a course record in the Valencia Marathon on Sunday."),
        (BlockKind.HEADING, "Top finishers"),
        (BlockKind.ORDERED_ITEM, "John Korir, 2:01:48"),
        (BlockKind.ORDERED_ITEM, "Tadese Takele, 2:02:10"),
    ]


def test_atom_html_content_keeps_a_results_table_and_agate(fixtures_dir):
    _, item = parse(fixtures_dir, "atom-content-text-and-html.xml")
    table, pre = item.body[1], item.body[2]
    assert (table.kind, table.text) == (BlockKind.TABLE, "Downhill")
    assert [[c.text for c in row] for row in table.rows][1] == ["1", "Marco Odermatt, Switzerland",
                                                                "1:41.23"]
    assert pre == Block.para("World Cup standings\n1. Odermatt       310\n2. Sarrazin       245",
                             BlockKind.PREFORMATTED)


@pytest.mark.parametrize("name", ["rss2-html-headings-figure.xml", "atom-content-text-and-html.xml"])
def test_structured_feed_entries_are_written_to_valid_g2_and_read_back_the_same(
        fixtures_dir, assert_valid_g2, name):
    for item in parse(fixtures_dir, name):
        data = newsmlg2.render(item)
        assert_valid_g2(data)
        assert newsmlg2.parse(data, CTX)[0] == item
