"""Atom feed entries name the people who made a story and publish nothing meant for editors."""

from __future__ import annotations

from lxml import etree

from pipeline_support import sample_item
from syndicate.formats import atom
from syndicate.formats.xhtml import XHTML_NS, element_to_blocks
from syndicate.item import Block, BlockKind, Cell, Dateline, NewsItem, Note, Person, Span

NS = {"a": atom.ATOM_NS}


def entry(item: NewsItem) -> etree._Element:
    page = atom.Page(
        partner="acme", language="en", entries=[atom.Entry(item, "2026-11-28T09:00:00Z", False, "/x")],
        updated="2026-11-28T09:00:00Z", self_url="/f", first_url="/f", next_url=None,
        item_type="application/json",
    )
    found = etree.fromstring(atom.render_feed(page)).find("a:entry", NS)
    assert found is not None
    return found


def test_each_named_creator_is_an_author_of_the_entry() -> None:
    item = sample_item(byline="By JANE DOE and JOHN ROE", authors=(
        Person("JANE DOE", "crol:author", uri="https://apnews.com/author/jane-doe"),
        Person("JOHN ROE", "crol:author")))
    authors = entry(item).findall("a:author", NS)
    assert [a.findtext("a:name", namespaces=NS) for a in authors] == ["JANE DOE", "JOHN ROE"]
    assert authors[0].findtext("a:uri", namespaces=NS) == "https://apnews.com/author/jane-doe"


def test_a_contributor_is_a_contributor_of_the_entry() -> None:
    item = sample_item(authors=(Person("JANE DOE"), Person("Paul Leroy", "crol:editor", contributor=True)))
    el = entry(item)
    assert [a.findtext("a:name", namespaces=NS) for a in el.findall("a:contributor", NS)] == ["Paul Leroy"]


def test_without_authors_the_byline_names_the_author() -> None:
    el = entry(sample_item(byline="By Ann Saphir"))
    assert [a.findtext("a:name", namespaces=NS) for a in el.findall("a:author", NS)] == ["By Ann Saphir"]


def test_editorial_notes_are_not_published() -> None:
    data = etree.tostring(entry(sample_item(notes=(Note("Eds: embargoed until 1200 GMT"),))))
    assert b"embargoed until" not in data


def test_tables_figures_and_numbered_lists_are_written_in_the_content() -> None:
    item = sample_item(body=(
        Block((Span("Fans."),), BlockKind.FIGURE, src="https://e.com/p.jpg", credit="AP"),
        Block.para("Copy."),
        Block((), BlockKind.TABLE, rows=((Cell((Span("A"),), True),), (Cell((Span("1"),)),))),
        Block.para("one", BlockKind.ORDERED_ITEM),
    ), dateline=None)
    div = entry(item).find("a:content/h:div", {**NS, "h": XHTML_NS})
    assert [etree.QName(c).localname for c in div] == ["figure", "p", "table", "ol"]
    assert element_to_blocks(div) == item.body


def test_the_dateline_opens_the_copy_not_a_leading_figure() -> None:
    item = sample_item(body=(Block((Span("Fans."),), BlockKind.FIGURE, src="p.jpg"),
                             Block.para("Copy.")),
                       dateline=Dateline("MADRID, Nov 30 (AP) —"))
    div = entry(item).find("a:content/h:div", {**NS, "h": XHTML_NS})
    figure, para = div
    assert figure.find("h:span", {"h": XHTML_NS}) is None
    assert para.findtext("h:span", namespaces={"h": XHTML_NS}) == "MADRID, Nov 30 (AP) —"
