"""NITF 3.6 out: a document in the DTD's element order that our own NITF codec reads back to the
same headline, byline, dateline and copy, every kind of block and inline span included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate import formats
from syndicate.formats import ParseContext
from syndicate.item import (
    Block,
    BlockKind,
    Cell,
    Dateline,
    Link,
    MachineTranslation,
    NewsItem,
    Note,
    Person,
    PubStatus,
    Span,
)

NOW = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
WHEN = dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.UTC)


def render(item: NewsItem) -> bytes:
    return formats.renderer("nitf").render(item)


def read_back(data: bytes) -> NewsItem:
    (item,) = formats.parse(data, "nitf", ParseContext(now=NOW)).items
    return item


def children(el: etree._Element) -> list[str]:
    return [c.tag for c in el if isinstance(c.tag, str)]


def story() -> NewsItem:
    """A story with every kind of block: headings, quote, lists, agate, a table, a figure."""
    return NewsItem(
        guid="urn:newsml:example.com:20261125:climate", headline="Climate deal struck in Geneva",
        language="en", version=1, provider="AFP", summary="Methane cut by 30 percent.",
        byline="By Jane Doe", authors=(Person(name="Jane Doe", title="AFP Correspondent"),),
        dateline=Dateline(raw="GENEVA, Nov 25, 2026 (AFP) -", city="GENEVA",
                          date=dt.date(2026, 11, 25)),
        body=(
            Block((Span("A photo of the hall"),), BlockKind.FIGURE, src="https://img.example/a.jpg",
                  credit="AFP/Pool"),
            Block((Span("World leaders agreed on Friday to cut "), Span("methane", bold=True),
                   Span(" emissions, "), Span("a first", italic=True), Span(" ("),
                   Span("full text", href="https://un.example/?a=1&b=2"), Span(").")),),
            Block.para("What was agreed", BlockKind.HEADING),
            Block.para("The terms", BlockKind.SUBHEADING),
            Block.para("Cut methane by 30 percent", BlockKind.ORDERED_ITEM),
            Block.para("Report every year", BlockKind.ORDERED_ITEM),
            Block.para("Oil and gas", BlockKind.LIST_ITEM),
            Block.para("Farming", BlockKind.LIST_ITEM),
            Block((Span("This is the most important step since Paris."),), BlockKind.QUOTE,
                  credit="UN Secretary-General"),
            Block((Span("Pledges"),), BlockKind.TABLE, rows=(
                (Cell((Span("Country"),), header=True), Cell((Span("Cut"),), header=True, colspan=2)),
                (Cell((Span("Norway"),), rowspan=2), Cell((Span("30%"),)), Cell((Span("2035"),))),
                (Cell((Span("45%"),)), Cell()),
            )),
            Block.para("Norway     30%  2035\nChile      25%  2040", BlockKind.PREFORMATTED),
            Block.para("Negotiators meet again in Bonn in June."),
        ),
        urgency=3, copyright="Copyright 2026 AFP", keywords=("climate", "methane"),
        version_created=WHEN,
    )


def test_the_document_declares_nitf_3_6_and_its_document_type() -> None:
    data = render(story())
    assert b'<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.6//EN"' in data
    root = etree.fromstring(data)
    assert root.get("version") == "-//IPTC//DTD NITF 3.6//EN" and root.get("baselang") == "en"


def test_head_and_body_head_keep_the_dtd_order() -> None:
    root = etree.fromstring(render(story()))
    assert children(root) == ["head", "body"]
    assert children(root.find("head")) == ["title", "meta", "docdata", "pubdata"]
    assert children(root.find("body")) == ["body.head", "body.content", "body.end"]
    assert children(root.find("body/body.head")) == [
        "hedline", "byline", "distributor", "dateline", "abstract"]
    docdata = root.find("head/docdata")
    assert children(docdata) == ["doc-id", "urgency", "date.issue", "date.release", "du-key",
                                 "doc.copyright", "key-list", "identified-content"]
    assert docdata.find("doc-id").get("id-string") == "urn:newsml:example.com:20261125:climate"
    assert docdata.find("urgency").get("ed-urg") == "3"
    assert docdata.find("date.issue").get("norm") == "20261125T123000+0000"
    assert docdata.find("identified-content/location/city").text == "GENEVA"
    assert root.find("body/body.end/tagline").text == "Copyright 2026 AFP"


def test_the_dateline_marks_up_its_city_and_the_story_date() -> None:
    dateline = etree.fromstring(render(story())).find("body/body.head/dateline")
    assert "".join(dateline.itertext()) == "GENEVA, Nov 25, 2026 (AFP) -"
    assert dateline.find("location/city").text == "GENEVA"
    assert dateline.find("story.date").get("norm") == "20261125"


def test_the_city_is_marked_up_as_the_dateline_writes_it_and_never_added_to_it() -> None:
    item = story().replace(dateline=Dateline(raw="ZURICH, Nov 28 (Reuters) -", city="Zurich"))
    dateline = etree.fromstring(render(item)).find("body/body.head/dateline")
    assert dateline.find("location/city").text == "ZURICH"
    moved = story().replace(dateline=Dateline(raw="Berlin (dpa) -", city="Potsdam"))
    dateline = etree.fromstring(render(moved)).find("body/body.head/dateline")
    assert "".join(dateline.itertext()) == "Berlin (dpa) -" and dateline.find("location") is None


def test_blocks_are_written_as_nitf_elements() -> None:
    content = etree.fromstring(render(story())).find("body/body.content")
    assert children(content) == ["media", "p", "hl2", "hl2", "ol", "ul", "bq", "table", "pre", "p"]
    assert content[3].get("class") == "subheading"
    media = content.find("media")
    assert media.get("media-type") == "image"
    assert children(media) == ["media-reference", "media-caption", "media-producer"]
    assert media.find("media-reference").get("mime-type") == "image/jpeg"
    assert children(content.find("bq")) == ["block", "credit"]
    assert content.find("table/thead/tr/th[2]").get("colspan") == "2"
    assert content.find("table/tbody/tr/td").get("rowspan") == "2"
    em = content.findall("p/em")
    assert [(e.get("class"), e.text) for e in em] == [("bold", "methane"), ("italic", "a first")]
    assert content.find("p/a").get("href") == "https://un.example/?a=1&b=2"


def test_a_story_with_table_lists_and_figure_reads_back_the_same() -> None:
    item = story()
    back = read_back(render(item))
    assert (back.headline, back.byline, back.summary) == (item.headline, item.byline, item.summary)
    assert back.dateline is not None and back.dateline.raw == item.dateline.raw  # type: ignore[union-attr]
    assert back.body == item.body
    assert [(p.name, p.title) for p in back.authors] == [("Jane Doe", "AFP Correspondent")]
    assert (back.guid, back.version, back.urgency, back.copyright, back.keywords) == (
        item.guid, 1, 3, "Copyright 2026 AFP", ("climate", "methane"))
    assert back.version_created == WHEN and back.language == "en"


def test_markup_and_control_characters_in_the_copy_are_escaped_not_lost() -> None:
    item = story().replace(headline='Tom & Jerry <say> "hi"\x07',
                           body=(Block.para("a < b && c > d\x01."),))
    data = render(item)
    etree.fromstring(data)  # well-formed
    back = read_back(data)
    assert back.headline == 'Tom & Jerry <say> "hi"'
    assert back.body[0].text == "a < b && c > d."


def test_a_spanish_translation_says_its_language_and_source_and_keeps_its_accents() -> None:
    item = NewsItem(
        guid="urn:x:story:es", headline="La cumbre del clima cierra sin acuerdo sobre financiación",
        language="es", byline="Por Carlos Ruiz", version_created=WHEN,
        dateline=Dateline(raw="BELÉM (Brasil), 22 nov (EFE).-", city="BELÉM"),
        body=(Block.para("La cumbre terminó este sábado sin un acuerdo para los países pobres."),
              Block.para("Las delegaciones volverán a reunirse en junio en Bonn.")),
        links=(Link("irel:translatedFrom", residref="urn:x:story", version=1),),
        translation=MachineTranslation("argos", "1.9", "en"),
    )
    data = render(item)
    head = etree.fromstring(data).find("head")
    metas = {m.get("name"): m.get("content") for m in head.findall("meta")}
    assert metas == {"language": "es", "machine-translation": "argos 1.9 en->es",
                     "translated-from": "urn:x:story"}
    back = read_back(data)
    assert back.language == "es" and back.headline == item.headline
    assert back.dateline is not None and back.dateline.raw == "BELÉM (Brasil), 22 nov (EFE).-"
    assert [b.text for b in back.body] == [b.text for b in item.body]


def test_notes_a_correction_and_the_take_key_go_in_docdata() -> None:
    item = story().replace(version=2, take_key="climate-deal", signals=("sig:correction",),
                           notes=(Note("Corrects the share of the cut", role="correction"),
                                  Note("Embargoed until 1200 GMT", role="advisory")))
    docdata = etree.fromstring(render(item)).find("head/docdata")
    assert docdata.find("correction").get("info") == "Corrects the share of the cut"
    assert docdata.find("ed-msg").attrib == {"info": "Embargoed until 1200 GMT", "msg-type": "advisory"}
    assert docdata.find("du-key").attrib == {"version": "2", "key": "climate-deal"}
    back = read_back(render(item))
    assert back.signals == ("sig:correction",) and back.take_key == "climate-deal"
    assert {(n.text, n.role) for n in back.notes} == {
        ("Corrects the share of the cut", "correction"), ("Embargoed until 1200 GMT", "advisory")}


@pytest.mark.parametrize(("status", "written"), [
    (PubStatus.CANCELED, "canceled"), (PubStatus.WITHHELD, "withheld")])
def test_a_kill_or_a_hold_is_the_management_status(status: PubStatus, written: str) -> None:
    data = render(story().replace(pub_status=status))
    assert etree.fromstring(data).find("head/docdata").get("management-status") == written
    assert read_back(data).pub_status is status


def test_an_embargo_is_the_release_date_of_an_embargoed_document() -> None:
    embargo = WHEN + dt.timedelta(hours=2)
    data = render(story().replace(embargo=embargo))
    docdata = etree.fromstring(data).find("head/docdata")
    assert docdata.get("management-status") == "embargoed"
    assert docdata.find("date.release").get("norm") == "20261125T143000+0000"
    assert read_back(data).embargo == embargo


def test_every_nitf_fixture_reads_back_the_same_after_writing(fixtures_dir: Path) -> None:
    count = 0
    for path in sorted((fixtures_dir / "nitf").glob("*.xml")):
        try:
            items = formats.parse(path.read_bytes(), "nitf", ParseContext(now=NOW)).items
        except formats.MalformedInput:
            continue  # a fixture of what is refused
        for item in items:
            back = read_back(render(item))
            assert (back.headline, back.byline, back.body, back.pub_status) == (
                item.headline, item.byline, item.body, item.pub_status), path.name
            assert (back.dateline.raw if back.dateline else None) == (
                item.dateline.raw if item.dateline else None), path.name
            count += 1
    assert count >= 15


# -------------------------------------------------------------------- generated items

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñüøçß", min_size=1, max_size=9)
_text = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_span = st.builds(Span, _text, st.booleans(), st.booleans(),
                  st.one_of(st.none(), st.just("https://example.com/a?b=1&c=2")))


def _spans(draw: st.DrawFn) -> tuple[Span, ...]:
    spans = draw(st.lists(_span, min_size=1, max_size=4))
    out: list[Span] = []
    for span in spans:
        # the reader merges runs of one format and the spaces between them: draw them apart
        text = span.text if not out else " " + span.text
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (span.bold, span.italic, span.href):
            out[-1] = Span(out[-1].text + text, out[-1].bold, out[-1].italic, out[-1].href)
        else:
            out.append(Span(text, span.bold, span.italic, span.href))
    if out[0].text.startswith(" "):
        out[0] = Span(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].href)
    return tuple(out)


@st.composite
def _block(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(list(BlockKind)))
    if kind is BlockKind.PREFORMATTED:
        lines = draw(st.lists(_text, min_size=1, max_size=3))
        return Block.para("\n".join("  " + ln for ln in lines), kind)
    if kind is BlockKind.TABLE:
        width = draw(st.integers(1, 3))
        rows = tuple(
            tuple(Cell((Span(draw(_text)),), header=draw(st.booleans()),
                       colspan=draw(st.integers(1, 2))) for _ in range(width))
            for _ in range(draw(st.integers(1, 3))))
        return Block(draw(st.one_of(st.just(()), st.builds(lambda t: (Span(t),), _text))),
                     kind, rows=rows)
    if kind is BlockKind.FIGURE:
        return Block((Span(draw(_text)),), kind, src="https://img.example/p.png",
                     credit=draw(st.one_of(st.none(), _text)))
    credit = draw(st.one_of(st.none(), _text)) if kind is BlockKind.QUOTE else None
    return Block(_spans(draw), kind, credit=credit)


@st.composite
def _item(draw: st.DrawFn) -> NewsItem:
    return NewsItem(
        guid="urn:x:generated", headline=draw(_text).capitalize(), language="en",
        byline=f"By {draw(st.sampled_from(['Jane Doe', 'Ana Núñez', 'Ole Sørensen']))}",
        dateline=Dateline(raw=draw(st.sampled_from(
            ["GENEVA, Nov 25 (AFP) -", "MOSCOW, November 30. /TASS/.", "Berlin (dpa) -"]))),
        body=tuple(draw(st.lists(_block(), min_size=1, max_size=8))),
        version_created=WHEN,
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_item())
def test_generated_items_read_back_the_same(item: NewsItem) -> None:
    back = read_back(render(item))
    assert (back.headline, back.byline) == (item.headline, item.byline)
    assert back.dateline is not None and back.dateline.raw == item.dateline.raw  # type: ignore[union-attr]
    assert back.body == item.body


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.text(), st.text())
def test_any_text_is_written_as_well_formed_xml(headline: str, byline: str, copy: str) -> None:
    item = NewsItem(guid=headline, headline=headline, language="en", byline=byline or None,
                    body=(Block.para(copy),), dateline=Dateline(raw=byline, city=copy or None),
                    version_created=WHEN)
    root = etree.fromstring(render(item))
    assert root.tag == "nitf"
