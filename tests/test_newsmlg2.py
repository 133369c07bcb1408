"""NewsML-G2 2.35 codec: what we write validates and reads back whole; real-world G2 reads sensibly."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, newsmlg2
from syndicate.item import (
    Block,
    BlockKind,
    Cell,
    Dateline,
    Description,
    Link,
    MachineTranslation,
    NewsItem,
    Note,
    Person,
    Place,
    Provenance,
    PubStatus,
    Span,
    Subject,
)

NS = {"g": newsmlg2.G2_NS, "h": newsmlg2.XHTML_NS}
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "newsmlg2"
CTX = ParseContext(now=dt.datetime(2026, 10, 22, 12, 0, tzinfo=dt.UTC))
MSK = dt.timezone(dt.timedelta(hours=3))


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def full_item() -> NewsItem:
    """A translated item that uses every field of the model."""
    return NewsItem(
        guid="urn:newsml:syndicate:tass:20261022:0123456789abcdef:de",
        headline="Kreml: Russland zu Gesprächen über INF-Vertrag bereit",
        language="de",
        version=3,
        provider="TASS",
        summary="Moskau sei zu einem Dialog bereit, sagte Rjabkow.",
        slugline="RUSSLAND-USA-INF",
        byline="Von Iwan Petrow",
        dateline=Dateline(
            raw="MOSKAU, 22. Oktober. /TASS/.",
            city="MOSKAU",
            region=None,
            country=None,
            date=dt.date(2026, 10, 22),
            source="TASS",
            place=Place("Moscow", "RU", "Europe/Moscow", "Moscow", "moscow", 524901),
            style="tass",
            language="de",
        ),
        body=(
            Block((
                Span("Russland ist "),
                Span("bereit", bold=True),
                Span(", sagte "),
                Span("Sergej Rjabkow", italic=True, href="https://tass.com/politics/1?a=1&b=2"),
                Span("."),
            )),
            Block.para("Hintergrund", BlockKind.HEADING),
            Block.para("Einzelheiten", BlockKind.SUBHEADING),
            Block.para("erster Punkt", BlockKind.LIST_ITEM),
            Block.para("zweiter Punkt", BlockKind.LIST_ITEM),
            Block.para("„Wir sind offen“, sagte er.", BlockKind.QUOTE),
            Block.para("Zeile 1\n  Zeile 2", BlockKind.PREFORMATTED),
            Block((Span("fett und kursiv", bold=True, italic=True),)),
        ),
        subjects=(Subject("medtop:11000000", "Politik"), Subject(None, "Rüstungskontrolle"),
                  Subject("medtop:20000638", "arms control", name_language="en"),
                  Subject(None, "INF-Vertrag", "http://www.wikidata.org/entity/Q309093")),
        genre=Subject("genre:Current", "aktuell"),
        keywords=("INF", "Abrüstung"),
        urgency=3,
        pub_status=PubStatus.USABLE,
        embargo=dt.datetime(2026, 10, 22, 14, 0, tzinfo=dt.UTC),
        created=dt.datetime(2026, 10, 22, 10, 31, tzinfo=MSK),
        modified=dt.datetime(2026, 10, 22, 10, 45, 12, 250000, tzinfo=MSK),
        first_created=dt.datetime(2026, 10, 22, 10, 31, tzinfo=MSK),
        version_created=dt.datetime(2026, 10, 22, 10, 45, 12, 250000, tzinfo=MSK),
        copyright="© TASS 2026",
        links=(Link("irel:translatedFrom", "urn:newsml:syndicate:tass:20261022:0123456789abcdef", 2),
               Link("irel:seeAlso", href="https://tass.com/politics/1", title="Original")),
        provenance=Provenance("wiretext", "ab" * 32, "tass_inf_treaty.txt",
                              dt.datetime(2026, 10, 22, 7, 40, tzinfo=dt.UTC)),
        translation=MachineTranslation("argos", "1.9.6", "en"),
        extra=(("wire.priority", "2"), ("note", "line one\nline two")),
        notes=(Note("Korrigiert den Namen im 2. Absatz.\nFoto folgt.", "tassednote:correction"),
               Note("Not to be translated", "advisory", "en")),
        authors=(Person("Iwan Petrow", "crol:author", "tassstaff:ipetrov", title="Korrespondent"),
                 Person("Olga Smirnowa", "crol:photographer",
                        uri="https://tass.com/staff/smirnova")),
        descriptions=(Description("Sergej Rjabkow in Moskau", "drol:caption"),),
        signals=("sig:correction",),
        take_key="RUSSLAND-USA-INF",
    )


def minimal_item(**changes: object) -> NewsItem:
    item = NewsItem(guid="urn:test:1", headline="Minimal", language="en",
                    created=dt.datetime(2026, 10, 22, 9, 0, tzinfo=dt.UTC),
                    provenance=Provenance("wiretext", "00" * 32))
    return item.replace(**changes)


def round_trip(item: NewsItem, assert_valid_g2: Callable[[bytes], etree._Element]) -> NewsItem:
    data = newsmlg2.render(item)
    assert_valid_g2(data)
    (back,) = newsmlg2.parse(data, CTX)
    return back


# ---------------------------------------------------------------------------------------------
# writing


def test_a_full_item_validates_against_the_newsml_g2_schema(assert_valid_g2):
    assert_valid_g2(newsmlg2.render(full_item()))


def test_a_minimal_item_validates(assert_valid_g2):
    assert_valid_g2(newsmlg2.render(minimal_item()))


def test_rendering_the_same_item_twice_gives_the_same_bytes(assert_valid_g2):
    data = newsmlg2.render(full_item())
    assert_valid_g2(data)
    assert newsmlg2.render(full_item()) == data


def test_output_is_utf8_with_an_xml_declaration_and_indented(assert_valid_g2):
    data = newsmlg2.render(full_item())
    assert_valid_g2(data)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<newsItem ')
    assert b"\n  <itemMeta>\n    <itemClass" in data
    assert "Gesprächen".encode() in data


def test_the_root_carries_guid_version_standard_and_language(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    assert root.get("guid") == full_item().guid
    assert root.get("version") == "3"
    assert (root.get("standard"), root.get("standardversion"), root.get("conformance")) == (
        "NewsML-G2", "2.35", "power")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert root.find("g:catalogRef", NS).get("href") == newsmlg2.IPTC_CATALOG
    assert root.findtext("g:rightsInfo/g:copyrightNotice", namespaces=NS) == "© TASS 2026"


def test_item_meta_holds_class_provider_times_status_in_schema_order(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    meta = root.find("g:itemMeta", NS)
    names = [etree.QName(c).localname for c in meta]
    assert names[:7] == ["itemClass", "provider", "versionCreated", "firstCreated", "embargoed",
                         "pubStatus", "generator"]
    assert meta.find("g:itemClass", NS).get("qcode") == "ninat:text"
    assert meta.find("g:provider", NS).get("literal") == "TASS"
    assert meta.findtext("g:versionCreated", namespaces=NS) == "2026-10-22T10:45:12.250000+03:00"
    assert meta.findtext("g:firstCreated", namespaces=NS) == "2026-10-22T10:31:00+03:00"
    assert meta.findtext("g:embargoed", namespaces=NS) == "2026-10-22T14:00:00+00:00"
    assert meta.find("g:pubStatus", NS).get("qcode") == "stat:usable"


def test_a_qcode_provider_is_written_as_a_qcode(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(minimal_item(provider="nprov:AFP")))
    assert root.find("g:itemMeta/g:provider", NS).get("qcode") == "nprov:AFP"


def test_an_unknown_provider_is_an_empty_provider_and_reads_back_as_none(assert_valid_g2):
    item = minimal_item(provider=None)
    root = assert_valid_g2(newsmlg2.render(item))
    assert dict(root.find("g:itemMeta/g:provider", NS).attrib) == {}
    assert round_trip(item, assert_valid_g2).provider is None


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"version_created": dt.datetime(2026, 10, 22, 12, 0, tzinfo=dt.UTC),
          "modified": dt.datetime(2026, 10, 22, 11, 0, tzinfo=dt.UTC)}, "2026-10-22T12:00:00+00:00"),
        ({"modified": dt.datetime(2026, 10, 22, 11, 0, tzinfo=dt.UTC)}, "2026-10-22T11:00:00+00:00"),
        ({"created": None, "first_created": dt.datetime(2026, 10, 22, 8, 30, tzinfo=dt.UTC)},
         "2026-10-22T08:30:00+00:00"),
        ({}, "2026-10-22T09:00:00+00:00"),
        ({"created": None, "provenance": Provenance(
            "wiretext", "00" * 32, ingested_at=dt.datetime(2026, 10, 22, 8, 0, tzinfo=dt.UTC))},
         "2026-10-22T08:00:00+00:00"),
    ],
    ids=["version-created", "modified", "first-created", "created", "ingest-time"],
)
def test_version_created_is_as_read_else_the_latest_known_time_else_ingest_time(changes, expected,
                                                                                assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(minimal_item(**changes)))
    assert root.findtext("g:itemMeta/g:versionCreated", namespaces=NS) == expected


def test_an_item_with_no_time_at_all_is_refused_rather_than_stamped_with_the_clock():
    with pytest.raises(MalformedInput, match="versionCreated"):
        newsmlg2.render(minimal_item(created=None))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"language": "en_US"}, "BCP 47"), ({"guid": " "}, "without a guid"),
     ({"version": 0}, "version 0"), ({"headline": " \n"}, "headline is empty")],
)
def test_an_item_g2_could_not_identify_is_refused(changes, reason):
    with pytest.raises(MalformedInput, match=reason):
        newsmlg2.render(minimal_item(**changes))


def test_a_translation_links_to_its_source_guid_and_version(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    link = root.find("g:itemMeta/g:link[@rel='irel:translatedFrom']", NS)
    assert link.get("residref") == "urn:newsml:syndicate:tass:20261022:0123456789abcdef"
    assert link.get("version") == "2"
    assert root.find("g:contentMeta/g:language", NS).get("tag") == "de"


def test_a_machine_translation_is_marked_by_a_contributor_a_human_can_read(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    contributor = root.find("g:contentMeta/g:contributor", NS)
    assert contributor.get("roleuri") == newsmlg2.MT_ROLE
    assert contributor.findtext("g:name", namespaces=NS) == "argos 1.9.6"
    assert "from en" in contributor.findtext("g:definition", namespaces=NS)


def test_a_human_item_has_no_machine_translation_contributor(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(minimal_item()))
    assert root.find("g:contentMeta/g:contributor", NS) is None


def test_located_carries_the_geonames_qcode_region_and_iso_country(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    located = root.find("g:contentMeta/g:located", NS)
    assert located.get("type") == "loctype:City"
    assert located.get("qcode") == "geo:524901"
    assert located.findtext("g:name", namespaces=NS) == "Moscow"
    broader = {b.get("type"): b for b in located.findall("g:broader", NS)}
    assert broader["loctype:Country"].get("qcode") == "iso3166-1a2:RU"
    assert broader["loctype:CountryArea"].findtext("g:name", namespaces=NS) == "Moscow"


def test_located_without_a_geonames_id_names_the_place_literally(assert_valid_g2):
    item = minimal_item(dateline=Dateline("GAZA CITY, Oct 22 (AP) —", place=Place("Gaza City")))
    located = assert_valid_g2(newsmlg2.render(item)).find("g:contentMeta/g:located", NS)
    assert located.get("literal") == "Gaza City"
    assert located.get("qcode") is None


def test_the_dateline_is_the_raw_text_in_its_own_language(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    dateline = root.find("g:contentMeta/g:dateline", NS)
    assert dateline.text == "MOSKAU, 22. Oktober. /TASS/."
    assert dateline.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"


def test_a_dateline_language_that_is_no_language_tag_round_trips_without_breaking_validity(
    assert_valid_g2,
):
    item = minimal_item(dateline=Dateline("MOSCOW, Oct. 22 /TASS/", language="Russian (translit)"))
    assert round_trip(item, assert_valid_g2) == item


def test_descriptive_metadata_is_written_where_g2_readers_look(assert_valid_g2):
    cm = assert_valid_g2(newsmlg2.render(full_item())).find("g:contentMeta", NS)
    assert cm.findtext("g:headline", namespaces=NS) == full_item().headline
    assert cm.findtext("g:slugline", namespaces=NS) == "RUSSLAND-USA-INF"
    assert cm.findtext("g:by", namespaces=NS) == "Von Iwan Petrow"
    assert cm.find("g:description", NS).get("role") == "drol:summary"
    assert [k.text for k in cm.findall("g:keyword", NS)] == ["INF", "Abrüstung"]
    assert cm.find("g:subject", NS).get("qcode") == "medtop:11000000"
    assert cm.find("g:genre", NS).get("qcode") == "genre:Current"
    assert cm.findtext("g:urgency", namespaces=NS) == "3"
    assert cm.findtext("g:infoSource/g:name", namespaces=NS) == "TASS"


def test_body_blocks_become_xhtml_elements(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(full_item()))
    inline = root.find("g:contentSet/g:inlineXML", NS)
    assert inline.get("contenttype") == "application/xhtml+xml"
    body = inline.find("h:html/h:body", NS)
    assert [etree.QName(c).localname for c in body] == ["p", "h2", "h3", "ul", "blockquote",
                                                        "pre", "p"]
    assert [li.text for li in body.findall("h:ul/h:li", NS)] == ["erster Punkt", "zweiter Punkt"]
    assert inline.findtext("h:html/h:head/h:title", namespaces=NS) == full_item().headline
    link = body.find("h:p/h:a", NS)
    assert link.get("href") == "https://tass.com/politics/1?a=1&b=2"
    assert link.find("h:i", NS).text == "Sergej Rjabkow"


def test_indentation_never_adds_white_space_inside_a_paragraph(assert_valid_g2):
    item = minimal_item(body=(Block((Span("a", bold=True), Span("b", italic=True))),))
    data = newsmlg2.render(item)
    assert_valid_g2(data)
    assert b"<p><b>a</b><i>b</i></p>" in data


def test_markup_characters_are_escaped(assert_valid_g2):
    item = minimal_item(headline='Tom & Jerry <live> "now"',
                        body=(Block((Span("1 < 2 & 3 > 2", href='https://e.com/?q="x"&y=<1>'),)),))
    root = assert_valid_g2(newsmlg2.render(item))
    assert root.findtext("g:contentMeta/g:headline", namespaces=NS) == 'Tom & Jerry <live> "now"'
    a = root.find("g:contentSet/g:inlineXML/h:html/h:body/h:p/h:a", NS)
    assert (a.text, a.get("href")) == ("1 < 2 & 3 > 2", 'https://e.com/?q="x"&y=<1>')


def test_characters_xml_cannot_carry_are_stripped(assert_valid_g2):
    item = minimal_item(headline="Bell\x07 and form\x0cfeed", body=(Block.para("nul\x00 here\ufffe"),))
    back = round_trip(item, assert_valid_g2)
    assert back.headline == "Bell and formfeed"
    assert back.body[0].text == "nul here"


@pytest.mark.parametrize(
    ("href", "written"),
    [
        ("https://example.com/a b/ä", "https://example.com/a b/ä"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/p?q=%41", "https://example.com/p?q=%41"),
        ("https://[2001:db8::1]/x[1]", "https://[2001:db8::1]/x%5B1%5D"),
        ("https://example.com?q=[1]", "https://example.com?q=%5B1%5D"),
        ("https://example.com/#a#b", "https://example.com/#a%23b"),
        ("https://example.com:/x", "https://example.com%3A/x"),
        ("2nd: the wire", "2nd%3A the wire"),
    ],
)
def test_link_addresses_are_written_as_valid_uris(href, written, assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(minimal_item(links=(Link("irel:seeAlso", href=href),))))
    assert root.find("g:itemMeta/g:link", NS).get("href") == written


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["https://example.com", "https://[::1]", "https://u@[::1]:80", "http://",
                     "mailto:", ""]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn"))
            | st.sampled_from(list(":/?#[]@%!$&'()*+,;= ")), max_size=12),
)
def test_any_link_address_is_written_so_that_the_item_validates(g2_schema, base, tail):
    item = minimal_item(links=(Link("irel:seeAlso", href=base + tail),
                               Link(base + tail or "x", href="https://example.com/")))
    assert g2_schema.validate(etree.fromstring(newsmlg2.render(item))), g2_schema.error_log


def test_a_carriage_return_in_preformatted_text_survives(assert_valid_g2):
    item = minimal_item(body=(Block.para("col1\r\ncol2", BlockKind.PREFORMATTED),))
    assert round_trip(item, assert_valid_g2).body == item.body


def test_urgency_outside_one_to_nine_is_left_out(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(minimal_item(urgency=0)))
    assert root.find("g:contentMeta/g:urgency", NS) is None


@pytest.mark.parametrize("written", ["12", "0", "high", "-1", "\u0663"])
def test_a_badly_stated_urgency_is_ignored_not_a_reason_to_refuse_the_story(written):
    data = newsmlg2.render(minimal_item(urgency=3)).replace(
        b"<urgency>3</urgency>", f"<urgency>{written}</urgency>".encode())
    (item,) = newsmlg2.parse(data, CTX)
    assert item.urgency is None and item.headline == minimal_item().headline


def test_a_news_message_holds_every_item_and_validates(g2_schema):
    items = [full_item(), minimal_item(), minimal_item(guid="urn:test:2", headline="Second")]
    data = newsmlg2.render_message(items)
    root = etree.fromstring(data)
    assert etree.QName(root).localname == "newsMessage"
    assert len(root.findall("g:itemSet/g:newsItem", NS)) == 3
    # the message schema leaves items lax; validate each item on its own too
    for el in root.findall("g:itemSet/g:newsItem", NS):
        assert g2_schema.validate(etree.fromstring(etree.tostring(el))), g2_schema.error_log
    assert g2_schema.validate(root), g2_schema.error_log
    singles = [newsmlg2.render(i) for i in items]
    for single in singles:
        assert g2_schema.validate(etree.fromstring(single)), g2_schema.error_log
    assert newsmlg2.parse(data, CTX) == [newsmlg2.parse(single, CTX)[0] for single in singles]


def test_an_empty_news_message_is_refused():
    with pytest.raises(MalformedInput, match="at least one item"):
        newsmlg2.render_message([])


def test_a_news_message_is_sent_at_its_latest_version_time(assert_valid_g2):
    data = newsmlg2.render_message([full_item(), minimal_item()])
    assert_valid_g2(data)
    sent = etree.fromstring(data).findtext("g:header/g:sent", namespaces=NS)
    assert sent == "2026-10-22T09:00:00+00:00"  # later than 10:45:12+03:00


# ---------------------------------------------------------------------------------------------
# round trips


def test_a_round_trip_keeps_every_field_of_the_item(assert_valid_g2):
    assert round_trip(full_item(), assert_valid_g2) == full_item()


def test_a_dateline_without_a_resolved_place_round_trips(assert_valid_g2):
    item = minimal_item(dateline=Dateline("WASHINGTON (AP) —", city="WASHINGTON", source="AP",
                                          style="ap", language="en"))
    assert round_trip(item, assert_valid_g2) == item


def test_an_item_first_read_from_g2_round_trips_unchanged(assert_valid_g2):
    for item in newsmlg2.parse(fixture("message_three_items.xml"), CTX):
        assert round_trip(item, assert_valid_g2) == item


IPTC_ITEMS = [
    "iptc-newsml-g2__LISTING_1_A_NewsML-G2_News_Item.xml",
    "iptc-newsml-g2__LISTING_2_NewsML-G2_Text_Document.xml",
    "iptc-newsml-g2__tests_2.26_CR00201_charcount_xhtml.xml",
]


@pytest.mark.parametrize("name", IPTC_ITEMS)
def test_iptc_examples_round_trip(name, corpus_dir, assert_valid_g2):
    (item,) = newsmlg2.parse((corpus_dir / "examples-iptc" / name).read_bytes(), CTX)
    assert round_trip(item, assert_valid_g2) == item


def test_the_iptc_news_item_example_reads_as_expected(corpus_dir):
    data = (corpus_dir / "examples-iptc" / IPTC_ITEMS[0]).read_bytes()
    (item,) = newsmlg2.parse(data, CTX)
    assert item.guid == "urn:newsml:acmenews.com:20161018:US-FINANCE-FED"
    assert item.version == 11
    assert item.language == "en-GB"
    assert item.provider == "nprov:REUTERS"
    assert item.headline == 'Fed to halt QE to avert "bubble"'
    assert item.slugline == "US-Finance-Fed"
    assert item.embargo == dt.datetime(2018, 10, 23, 12, 0, tzinfo=dt.UTC)
    assert item.located == Place("Berlin", "DE", region="Berlin", geonames_id=345678)
    assert Subject("medtop:20000523", "labour market", name_language="en-GB") in item.subjects
    assert item.genre == Subject("genre:interview", "Interview", name_language="en-GB")
    assert item.links == (Link("irel:seeAlso",
                               href="http://www.example.com/video/20081222-PNN-1517-407624/index.html"),)
    assert item.copyright == "Copyright 2017-18 Example Enews LLP, all rights reserved"
    assert item.body == ()


def test_the_iptc_package_listing_is_refused_with_a_clear_message(corpus_dir):
    data = (corpus_dir / "examples-iptc" / "iptc-newsml-g2__LISTING_6_Simple_NewsML-G2_Package.xml")
    with pytest.raises(MalformedInput, match="packageItem"):
        newsmlg2.parse(data.read_bytes(), CTX)


def test_the_iptc_hop_history_item_without_headline_or_text_is_refused(corpus_dir):
    data = (corpus_dir / "examples-iptc" / "iptc-newsml-g2__LISTING_29_Hop_History.xml")
    with pytest.raises(MalformedInput, match="HOP-HISTORY-EXAMPLE has no headline"):
        newsmlg2.parse(data.read_bytes(), CTX)


# -- property: generated items survive item -> G2 -> item ------------------------------------

# single characters that stress escaping, bidi and wide scripts, mixed into arbitrary Unicode
_SPECIAL = "&<>\"' \n\t«»—“”שלוםمرحبا新闻日本語𝔘é\u00a0\u200f"
_raw_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from(_SPECIAL),
    max_size=16,
)


def _one_line(s: str) -> str:
    return " ".join(p for p in s.replace("\n", " ").replace("\t", " ").split(" ") if p)


line = _raw_text.map(lambda s: _one_line(s) or "x")
opt_line = st.none() | line
# free text kept exactly (attribute values, preformatted text): any XML character, line breaks too
free = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.sampled_from(_SPECIAL + "\r"),
    max_size=16,
)
qcode = st.from_regex(r"[a-z]{2,8}:[A-Za-z0-9]{1,10}", fullmatch=True)
tz = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
when = st.datetimes(min_value=dt.datetime(1980, 1, 1), max_value=dt.datetime(2100, 1, 1),
                    timezones=tz)
href = st.builds(
    lambda path: "https://example.com/" + path,
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Z"),
                          blacklist_characters="%[]#"), max_size=12),
)


def _spans(draw: st.DrawFn, n: int, pre: bool = False) -> tuple[Span, ...]:
    """n runs of inline text as a reader gives them back (neighbours of equal marks merged)."""
    spans: list[Span] = []
    for i in range(n):
        bold, italic = draw(st.booleans()), draw(st.booleans())
        link = draw(st.none() | href)
        if pre:
            text = draw(free.filter(bool))
        else:
            text = draw(line)
            if i < n - 1 and draw(st.booleans()):
                text += " "
        if spans and (spans[-1].bold, spans[-1].italic, spans[-1].href) == (bold, italic, link):
            spans[-1] = Span(spans[-1].text + text, bold, italic, link)
        else:
            spans.append(Span(text, bold, italic, link))
    return tuple(spans)


@st.composite
def cells(draw: st.DrawFn) -> Cell:
    # an empty cell keeps a table's columns in place
    return Cell(_spans(draw, draw(st.integers(0, 2))), draw(st.booleans()),
                draw(st.integers(1, 3)), draw(st.integers(1, 3)))


@st.composite
def blocks(draw: st.DrawFn) -> Block:
    kind = draw(st.sampled_from(list(BlockKind)))
    if kind is BlockKind.TABLE:
        rows = draw(st.lists(st.lists(cells(), min_size=1, max_size=3).map(tuple),
                             min_size=1, max_size=3))
        return Block(_spans(draw, draw(st.integers(0, 2))), kind, rows=tuple(rows))
    if kind is BlockKind.FIGURE:
        # an image, a caption or a credit: a figure of none of them is nothing
        src, credit = draw(st.none() | href), draw(st.none() | line)
        caption = _spans(draw, draw(st.integers(0 if src or credit else 1, 3)))
        return Block(caption, kind, src=src, credit=credit)
    spans = _spans(draw, draw(st.integers(1, 4)), pre=kind is BlockKind.PREFORMATTED)
    credit = draw(st.none() | line) if kind is BlockKind.QUOTE else None
    return Block(spans, kind, credit=credit)


places = st.builds(
    Place,
    name=line,
    country=st.none() | st.from_regex(r"[A-Z]{2}", fullmatch=True) | line,
    timezone=st.none() | st.sampled_from(["Europe/Moscow", "Asia/Tokyo", "America/New_York"]),
    region=opt_line,
    key=st.none() | free,
    geonames_id=st.none() | st.integers(1, 10**8),
)
langs = st.sampled_from(["en", "ru", "ar", "he", "zh-Hans", "ja", "de-CH", "es-419"])


@st.composite
def datelines(draw: st.DrawFn) -> Dateline:
    place = draw(st.none() | places)
    raw = draw(line if place is None else (st.just("") | line))
    return Dateline(
        raw=raw,
        city=draw(st.none() | free),
        region=draw(st.none() | free),
        country=draw(st.none() | free),
        date=draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))),
        source=draw(st.none() | free),
        place=place,
        style=draw(st.none() | st.sampled_from(["tass", "ap", "reuters", "afp"])),
        language=draw(st.none() | langs | free),
    )


subjects = st.builds(
    Subject, qcode=st.none() | qcode, name=opt_line,
    uri=st.none() | href, name_language=st.none() | langs,
).filter(lambda s: s.qcode is not None or s.name is not None or s.uri is not None).map(
    # a name's language goes with the name
    lambda s: s if s.name else Subject(s.qcode, None, s.uri))
# roles as sources give them: QCodes (several at once too), addresses and plain words
roles = st.none() | qcode | st.lists(qcode, min_size=2, max_size=2).map(" ".join) | href | line
# multi-line text: lines as G2 holds them, blank lines inside kept
note_text = st.lists(st.just("") | line, min_size=1, max_size=3).map("\n".join).map(
    lambda s: s.strip("\n")).filter(bool)
notes = st.builds(Note, text=note_text, role=roles, language=st.none() | langs)
people = st.builds(
    Person, name=opt_line, role=roles, qcode=st.none() | qcode, uri=st.none() | href,
    title=opt_line, contributor=st.booleans(),
).filter(lambda p: any((p.name, p.role, p.qcode, p.uri, p.title)))
# a description with the summary role or none stands for the summary: the model's rule
descriptions = st.builds(
    Description, text=line,
    role=st.sampled_from(["drol:caption", "drol:teaser", "usage", "https://example.com/role"]),
)


@st.composite
def items(draw: st.DrawFn) -> NewsItem:
    return NewsItem(
        guid="urn:newsml:example.com:" + draw(st.from_regex(r"[A-Za-z0-9:._-]{1,30}", fullmatch=True)),
        headline=draw(line),
        language=draw(langs),
        version=draw(st.integers(1, 10_000)),
        provider=draw(st.none() | line | qcode),
        summary=draw(opt_line),
        slugline=draw(opt_line),
        byline=draw(opt_line),
        dateline=draw(st.none() | datelines()),
        body=tuple(draw(st.lists(blocks(), max_size=5))),
        subjects=tuple(draw(st.lists(subjects, max_size=3))),
        genre=draw(st.none() | subjects),
        keywords=tuple(draw(st.lists(line, max_size=3))),
        urgency=draw(st.none() | st.integers(1, 9)),
        pub_status=draw(st.sampled_from(list(PubStatus))),
        embargo=draw(st.none() | when),
        created=draw(st.none() | when),
        modified=draw(st.none() | when),
        copyright=draw(opt_line),
        links=tuple(draw(st.lists(st.builds(
            Link,
            rel=st.sampled_from(["irel:translatedFrom", "irel:seeAlso", "https://example.com/rel"]),
            residref=st.none() | free.filter(bool),
            version=st.none() | st.integers(1, 99),
            href=st.none() | href,
            title=st.none() | free.filter(bool),
        ), max_size=2))),
        provenance=Provenance(
            draw(st.sampled_from(["wiretext", "newsmlg2", "ninjs"])),
            draw(st.from_regex(r"[0-9a-f]{64}", fullmatch=True)),
            draw(st.none() | free),
            draw(when),
        ),
        translation=draw(st.none() | st.builds(MachineTranslation, free, free, langs)),
        extra=tuple(draw(st.lists(st.tuples(line, free), max_size=2))),
        notes=tuple(draw(st.lists(notes, max_size=2))),
        authors=tuple(draw(st.lists(people, max_size=3))),
        descriptions=tuple(draw(st.lists(descriptions, max_size=2))),
        signals=tuple(draw(st.lists(qcode | href | line.filter(lambda s: ":" not in s),
                                    max_size=2))),
        take_key=draw(st.none() | free),
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items())
def test_generated_items_round_trip_through_g2(g2_schema, item):
    data = newsmlg2.render(item)
    assert g2_schema.validate(etree.fromstring(data)), g2_schema.error_log
    (back,) = newsmlg2.parse(data, CTX)
    dl = item.dateline
    if dl is not None and dl == Dateline(raw=dl.raw):
        # a dateline of nothing but its text is written as any system writes one, and read as
        # any is: taken apart ("A" becomes the city A); its text comes back as written
        assert back.dateline is not None and back.dateline.raw == dl.raw
        back = back.replace(dateline=dl)
    assert back == item
    assert newsmlg2.render(back) == data


def test_a_dateline_of_nothing_but_its_text_is_read_back_as_any_systems_is() -> None:
    # found by the property above: such a dateline is written with no parts beside it
    (back,) = newsmlg2.parse(newsmlg2.render(minimal_item(dateline=Dateline(raw="A"))), CTX)
    assert back.dateline is not None
    assert (back.dateline.raw, back.dateline.city) == ("A", "A")


def test_a_code_that_is_a_qcode_only_with_a_control_character_is_not_written_as_one(assert_valid_g2):
    item = minimal_item(descriptions=(Description("Caption", "drol:\x1b"),),
                        signals=("sig:\x1b",), subjects=(Subject("medtop:\x1b", "x"),))
    assert_valid_g2(newsmlg2.render(item))


# -- property: whatever an item holds, what we write validates (or the item is refused) -------

_any = st.text(max_size=10)
_opt = st.none() | _any
_any_items = st.builds(
    NewsItem,
    guid=_any,
    headline=st.tuples(line, _any).map("".join),
    language=langs,
    version=st.integers(1, 10**6),
    provider=_opt,
    summary=_opt,
    byline=_opt,
    dateline=st.none() | st.builds(
        Dateline, _any, _opt, _opt, _opt, st.none() | st.dates(), _opt,
        st.none() | st.builds(Place, _any, _opt, _opt, _opt, _opt,
                              st.none() | st.integers(-5, 10**9)),
        _opt, _opt),
    body=st.lists(st.builds(Block, st.lists(st.builds(Span, _any, st.booleans(), st.booleans(),
                                                      _opt), max_size=3).map(tuple),
                            st.sampled_from(list(BlockKind))), max_size=3).map(tuple),
    subjects=st.lists(st.builds(Subject, _opt, _opt), max_size=2).map(tuple),
    keywords=st.lists(_any, max_size=2).map(tuple),
    urgency=st.none() | st.integers(-2, 12),
    # a time for versionCreated and a headline, so that most items are written, not refused
    created=st.datetimes(min_value=dt.datetime(1900, 1, 1), timezones=st.none() | st.timezones()),
    modified=st.none() | st.datetimes(timezones=st.none() | st.timezones()),
    links=st.lists(st.builds(Link, _any.filter(bool), _opt, st.none() | st.integers(-3, 99),
                             _opt, _opt), max_size=2).map(tuple),
    translation=st.none() | st.builds(MachineTranslation, _any, _any, _any),
    extra=st.lists(st.tuples(_any, _any), max_size=2).map(tuple),
    notes=st.lists(st.builds(Note, _any, _opt, _opt), max_size=2).map(tuple),
    authors=st.lists(st.builds(Person, _opt, _opt, _opt, _opt, _opt, st.booleans()),
                     max_size=2).map(tuple),
    descriptions=st.lists(st.builds(Description, _any, _opt), max_size=2).map(tuple),
    signals=st.lists(_any, max_size=2).map(tuple),
    take_key=_opt,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_any_items)
def test_any_item_is_written_valid_and_readable_or_refused(g2_schema, item):
    try:
        data = newsmlg2.render(item)
    except MalformedInput:
        return
    assert g2_schema.validate(etree.fromstring(data)), g2_schema.error_log
    assert len(newsmlg2.parse(data, CTX)) == 1


# ---------------------------------------------------------------------------------------------
# reading real-world G2


def test_a_news_message_yields_its_news_items_and_skips_the_package():
    items = newsmlg2.parse(fixture("message_three_items.xml"), CTX)
    assert [i.guid for i in items] == [
        "urn:newsml:afp.com:20261022:TX-PAR-ABC12",
        "tag:reuters.com,2026:newsml_L8N3BX0F1",
        "urn:newsml:dpa.com:20261022:261022-99-123456",
    ]
    assert [i.language for i in items] == ["fr", "en", "de"]


def test_the_afp_item_in_the_message_reads_fully():
    afp = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[0]
    assert afp.provider == "nprov:AFP"
    assert afp.version == 3
    assert afp.urgency == 2
    assert afp.headline == "Budget 2027 : le gouvernement engage sa responsabilité"
    assert afp.summary == ("Le Premier ministre a annoncé mercredi le recours au 49.3 "
                           "pour faire adopter le budget.")
    assert afp.byline == "Par Claire DUPONT"
    assert afp.slugline == "France-politique-budget"
    assert afp.keywords == ("budget", "Assemblée")
    assert afp.dateline is not None and afp.dateline.raw == "PARIS, 22 oct 2026 (AFP) -"
    assert afp.located == Place("Paris", "FR", geonames_id=2988507)
    assert afp.first_created == dt.datetime(2026, 10, 22, 8, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert afp.version_created == dt.datetime(2026, 10, 22, 7, 10, 41, tzinfo=dt.UTC)
    assert afp.created == dt.datetime(2026, 10, 22, 6, 2, tzinfo=dt.UTC)
    assert afp.modified is None
    assert afp.copyright == "Copyright 2026 AFP. Tous droits réservés."


def test_subject_names_are_taken_in_the_item_language():
    afp = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[0]
    assert afp.subjects[0] == Subject("medtop:11000000", "politique", name_language="fr")


def test_inline_markup_in_xhtml_becomes_spans():
    afp = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[0]
    first, second = afp.body
    assert first.spans[1] == Span("sans vote", bold=True)
    assert first.text.startswith("Le Premier ministre a annoncé mercredi le recours à l'article 49.3 de")
    assert Span("un communiqué", href="https://www.example.fr/") in second.spans


def test_a_headline_without_role_wins_over_a_role_variant():
    reuters = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[1]
    assert reuters.headline == "Fed holds rates steady, signals patience on cuts"


def test_a_headline_in_the_item_language_wins_over_another_language():
    (item,) = newsmlg2.parse(fixture("rich_xhtml.xml"), CTX)
    assert item.headline == "Headline in English"


def test_the_summary_is_the_description_with_the_summary_role():
    (item,) = newsmlg2.parse(fixture("rich_xhtml.xml"), CTX)
    assert item.summary == "The summary, over two lines."


def test_another_systems_dateline_is_taken_apart_and_its_place_resolved():
    reuters = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[1]
    dateline = reuters.dateline
    assert dateline is not None and dateline.raw == "WASHINGTON, Oct 22 (Reuters) -"
    assert (dateline.city, dateline.source, dateline.style) == ("WASHINGTON", "Reuters", "reuters")
    assert dateline.date == dt.date(2026, 10, 22)
    assert reuters.located is not None and reuters.located.country == "US"


def test_a_dateline_that_cannot_be_taken_apart_is_kept_as_written():
    data = _item_xml(content="<contentMeta><headline>H</headline>"
                             "<dateline>somewhere, sometime</dateline></contentMeta>")
    assert newsmlg2.parse(data, CTX)[0].dateline == Dateline("somewhere, sometime")


def test_an_item_with_neither_dateline_nor_located_has_no_dateline():
    dpa = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[2]
    assert dpa.dateline is None


def test_located_takes_the_country_from_a_country_type_broader_name():
    (item,) = newsmlg2.parse(fixture("tass_ru_nitf.xml"), CTX)
    assert item.located == Place("Москва", "Россия")


def test_plain_text_inline_data_is_split_into_paragraphs_at_blank_lines():
    dpa = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[2]
    assert [b.text for b in dpa.body] == [
        "Die Lokführergewerkschaft GDL hat zu einem bundesweiten Streik aufgerufen.",
        "Betroffen ist der Personen- und Güterverkehr.",
    ]


def test_withheld_status_and_embargo_are_read():
    dpa = newsmlg2.parse(fixture("message_three_items.xml"), CTX)[2]
    assert dpa.pub_status is PubStatus.WITHHELD
    assert dpa.embargo == dt.datetime(2026, 10, 22, 10, 0, tzinfo=dt.UTC)


def test_remote_content_gives_the_metadata_without_a_body():
    (item,) = newsmlg2.parse(fixture("content_ref.xml"), CTX)
    assert item.headline == "Maltempo, allerta rossa in Liguria"
    assert item.pub_status is PubStatus.CANCELED
    assert item.body == ()


def test_a_nitf_body_inside_inline_xml_is_read_without_its_head_and_its_photo_is_a_figure():
    (item,) = newsmlg2.parse(fixture("tass_ru_nitf.xml"), CTX)
    assert [(b.kind, b.text) for b in item.body] == [
        (BlockKind.PARAGRAPH, "Россия готова к диалогу с США по проблематике ракет средней и "
                              "меньшей дальности, заявил Сергей Рябков."),
        (BlockKind.FIGURE, "Сергей Рябков. Фото ТАСС"),
        (BlockKind.HEADING, "Позиция Москвы"),
        (BlockKind.PARAGRAPH, "«Мы открыты для переговоров», — сказал он."),
    ]
    assert item.body[1].src == "https://tass.ru/img/19083455.jpg"
    assert item.body[3].spans[1] == Span("открыты", italic=True)
    assert "Фото ТАСС" not in item.body_text


def test_a_prefixed_g2_namespace_reads_like_the_default_one():
    (item,) = newsmlg2.parse(fixture("tass_ru_nitf.xml"), CTX)
    assert item.provider == "ТАСС"
    assert item.links == (Link("irel:seeAlso", href="https://tass.ru/politika/19083455",
                               title="ТАСС: полный текст"),)


def test_xhtml_structure_maps_onto_block_kinds():
    (item,) = newsmlg2.parse(fixture("rich_xhtml.xml"), CTX)
    assert [(b.kind, b.text) for b in item.body] == [
        (BlockKind.HEADING, "Top heading"),
        (BlockKind.PARAGRAPH, "Plain bold bold italic link bold link and span text after break."),
        (BlockKind.SUBHEADING, "Small heading"),
        (BlockKind.ORDERED_ITEM, "first"),
        (BlockKind.ORDERED_ITEM, "second"),
        (BlockKind.LIST_ITEM, "nested"),
        (BlockKind.QUOTE, "Quoted one."),
        (BlockKind.QUOTE, "Quoted two."),
        (BlockKind.PREFORMATTED, "  code  line\n    second"),
        (BlockKind.PARAGRAPH, "In a div."),
        (BlockKind.PARAGRAPH, "Loose text in a div."),
    ]


def test_nested_inline_formatting_combines():
    (item,) = newsmlg2.parse(fixture("rich_xhtml.xml"), CTX)
    spans = item.body[1].spans
    assert Span("bold italic", bold=True, italic=True) in spans
    assert Span("bold link", bold=True, href="https://example.com/a?x=1&y=2") in spans


def test_a_missing_headline_falls_back_to_the_first_sentence_of_the_body():
    (item,) = newsmlg2.parse(fixture("no_headline.xml"), CTX)
    assert item.headline == "Bushfire forces evacuation of Blue Mountains towns."
    assert item.urgency == 1


def test_an_item_from_foreign_g2_gets_provenance_from_the_bytes():
    data = fixture("content_ref.xml")
    ctx = ParseContext(now=CTX.now, filename="remote-7.xml")
    (item,) = newsmlg2.parse(data, ctx)
    assert item.provenance == Provenance("newsmlg2", hashlib.sha256(data).hexdigest(),
                                         "remote-7.xml", CTX.now)


def test_item_times_are_read_as_item_times_not_as_content_times():
    data = _item_xml(meta="<firstCreated>2026-10-22T10:00:00Z</firstCreated>")
    item = newsmlg2.parse(data, CTX)[0]
    assert item.first_created == dt.datetime(2026, 10, 22, 10, 0, tzinfo=dt.UTC)
    assert item.version_created == dt.datetime(2026, 10, 22, 11, 0, tzinfo=dt.UTC)
    assert (item.created, item.modified) == (None, None)


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("The U.S. said on Monday it would act. More follows.",
         "The U.S. said on Monday it would act."),
        ("Gen. Smith arrived in St. Louis on Oct. 3. He left.",
         "Gen. Smith arrived in St. Louis on Oct. 3."),
        ("“We are ready.” He said so twice.", "“We are ready.”"),
        ("东京电力公司宣布。更多内容。", "东京电力公司宣布。"),
        ("A flash without a full stop", "A flash without a full stop"),
    ],
)
def test_the_fallback_headline_ends_at_a_real_sentence_end(text, headline):
    data = _item_xml(content=f'<contentSet><inlineData contenttype="text/plain">{text}'
                             "</inlineData></contentSet>")
    assert newsmlg2.parse(data, CTX)[0].headline == headline


def test_a_very_long_first_sentence_is_cut_at_a_word_for_the_headline():
    text = "word " * 60 + "end."
    data = _item_xml(content=f"<contentSet><inlineData>{text}</inlineData></contentSet>")
    headline = newsmlg2.parse(data, CTX)[0].headline
    assert headline.endswith("word…") and len(headline) <= 161


def _item_xml(meta: str = "", content: str = "<contentMeta><headline>H</headline></contentMeta>",
              attrs: str = 'guid="g1" xml:lang="en"') -> bytes:
    return (
        f'<newsItem xmlns="{newsmlg2.G2_NS}" {attrs} standard="NewsML-G2" standardversion="2.35">'
        '<itemMeta><itemClass qcode="ninat:text"/><provider literal="p"/>'
        f"<versionCreated>2026-10-22T11:00:00Z</versionCreated>{meta}</itemMeta>"
        f"{content}</newsItem>"
    ).encode()


def test_language_comes_from_content_meta_before_xml_lang():
    data = _item_xml(content='<contentMeta><language tag="pt-BR"/><headline>H</headline></contentMeta>')
    assert newsmlg2.parse(data, CTX)[0].language == "pt-BR"


def test_language_falls_back_to_the_declared_one_in_the_context():
    data = _item_xml(attrs='guid="g1"')
    ctx = ParseContext(now=CTX.now, language="sv")
    assert newsmlg2.parse(data, ctx)[0].language == "sv"


def test_an_item_without_any_language_has_it_detected_not_refused():
    data = _item_xml(attrs='guid="g1"', content=(
        "<contentMeta><headline>Storm closes schools</headline></contentMeta>"
        '<contentSet><inlineData contenttype="text/plain">Schools across the region stayed shut on '
        "Monday as the storm brought down power lines.</inlineData></contentSet>"))
    assert newsmlg2.parse(data, CTX)[0].language == "en"


def test_an_item_without_guid_is_malformed():
    with pytest.raises(MalformedInput, match="no guid"):
        newsmlg2.parse(_item_xml(attrs='xml:lang="en"'), CTX)


def test_an_unknown_pub_status_is_malformed():
    with pytest.raises(MalformedInput, match="pubStatus 'stat:maybe'"):
        newsmlg2.parse(_item_xml(meta='<pubStatus qcode="stat:maybe"/>'), CTX)


def test_an_embargo_written_in_words_is_malformed_and_the_message_says_where():
    with pytest.raises(MalformedInput, match="bad-embargo: embargoed holds 'Friday noon'"):
        newsmlg2.parse(fixture("bad_embargo.xml"), CTX)


def test_a_bad_item_in_a_message_is_named_by_its_position():
    good = _item_xml().decode()
    bad = _item_xml(meta='<pubStatus qcode="stat:maybe"/>', attrs='guid="g2" xml:lang="en"').decode()
    data = (
        f'<newsMessage xmlns="{newsmlg2.G2_NS}"><header><sent>2026-10-22T11:00:00Z</sent></header>'
        f"<itemSet>{good}{bad}</itemSet></newsMessage>"
    ).encode()
    with pytest.raises(MalformedInput, match="newsItem number 2: newsItem g2: pubStatus"):
        newsmlg2.parse(data, CTX)


def test_a_message_without_news_items_is_malformed():
    data = (
        f'<newsMessage xmlns="{newsmlg2.G2_NS}"><header><sent>2026-10-22T11:00:00Z</sent></header>'
        '<itemSet><packageItem guid="p" standard="NewsML-G2" standardversion="2.35"/></itemSet>'
        "</newsMessage>"
    ).encode()
    with pytest.raises(MalformedInput, match=r"holds no newsItem.*packageItem"):
        newsmlg2.parse(data, CTX)


# ---------------------------------------------------------------------------------------------
# notes, authors, descriptions, subjects and signals


def test_ed_notes_are_read_with_their_role_language_and_line_breaks():
    (item,) = newsmlg2.parse(fixture("afp_creators_ednote.xml"), CTX)
    assert item.notes == (
        Note("Nouvelle version : ajoute réaction du ministre (4e paragraphe).\nPhoto disponible.",
             "afpednote:desk"),
        Note("For English desks: translation to follow.", None, "en"),
    )


def test_ed_notes_are_never_body_copy():
    (item,) = newsmlg2.parse(fixture("afp_creators_ednote.xml"), CTX)
    assert "Nouvelle version" not in item.body_text and "Photo disponible" not in item.body_text


def test_creators_and_contributors_are_read_with_name_role_code_and_title():
    (item,) = newsmlg2.parse(fixture("afp_creators_ednote.xml"), CTX)
    assert item.authors == (
        Person("Claire DUPONT", "crol:author", "afpstaff:cdupont"),
        Person("Julien MARTIN", "crol:photographer",
               uri="https://www.afp.com/fr/agence/photographes/jmartin", title="photographe"),
        Person("Paul LEROY", "crol:editor", "afpstaff:pleroy", contributor=True),
    )
    assert item.provider == "nprov:AFP" and item.byline == "Par Claire DUPONT"


def test_a_job_title_given_as_a_code_is_the_title():
    (item,) = newsmlg2.parse(fixture("reuters_correction_codes.xml"), CTX)
    assert item.authors == (Person("Ann Saphir", qcode="rtrstaff:asaphir", title="rtrjob:correspondent"),)


def test_the_machine_translation_mark_is_not_an_author(assert_valid_g2):
    item = minimal_item(translation=MachineTranslation("argos", "1.9", "en"))
    assert round_trip(item, assert_valid_g2).authors == ()


def test_the_summary_is_the_summary_role_and_the_caption_keeps_its_role():
    (item,) = newsmlg2.parse(fixture("afp_creators_ednote.xml"), CTX)
    assert item.summary == "Un TGV sur deux circulera jeudi, selon la direction."
    assert item.descriptions == (Description(
        "Des voyageurs attendent un train à la gare de Lyon à Paris, le 26 novembre 2026.",
        "drol:caption"),)


def test_a_caption_is_not_a_summary():
    (item,) = newsmlg2.parse(fixture("ap_caption_only.xml"), CTX)
    assert item.summary is None
    assert [d.role for d in item.descriptions] == ["drol:caption"]


def test_a_description_without_a_role_is_the_summary_when_none_has_the_summary_role():
    data = _item_xml(content='<contentMeta><headline>H</headline>'
                             '<description role="drol:caption">A caption</description>'
                             "<description>What happened</description></contentMeta>")
    (item,) = newsmlg2.parse(data, CTX)
    assert item.summary == "What happened"
    assert item.descriptions == (Description("A caption", "drol:caption"),)


def test_signals_are_read_as_written():
    (item,) = newsmlg2.parse(fixture("reuters_correction_codes.xml"), CTX)
    assert item.signals == ("sig:correction", "sig:update")


def test_subjects_keep_their_scheme_or_their_address():
    (item,) = newsmlg2.parse(fixture("reuters_correction_codes.xml"), CTX)
    assert item.subjects[:3] == (
        Subject("medtop:20000344", "central bank"),
        Subject("N2:CEN", "Central Banks"),
        Subject(None, "Federal Reserve System", "http://www.wikidata.org/entity/Q53536"),
    )


def test_a_subject_code_without_a_scheme_is_kept_under_the_providers_scheme():
    (item,) = newsmlg2.parse(fixture("reuters_correction_codes.xml"), CTX)
    assert item.subjects[3] == Subject("reuters-com:BISV", "Business")


def test_a_subject_name_is_taken_in_the_item_language_and_says_which_it_is():
    (item,) = newsmlg2.parse(fixture("afp_creators_ednote.xml"), CTX)
    assert item.subjects[0] == Subject("medtop:20000430", "transports", name_language="fr")


def test_the_iptc_example_item_has_its_ed_note_signal_and_creator(corpus_dir):
    data = (corpus_dir / "examples-iptc" / IPTC_ITEMS[0]).read_bytes()
    (item,) = newsmlg2.parse(data, CTX)
    assert item.notes == (Note("Note to editors: STRICTLY EMBARGOED. Not for public release until "
                               "12noon on Friday, October 23, 2018."),)
    assert item.signals == ("sig:update",)
    assert item.authors == (Person("Meredith Jameson", uri="http://www.example.com/staff/mjameson"),)


def test_the_provider_is_written_as_provider_and_never_as_a_creator(assert_valid_g2):
    root = assert_valid_g2(newsmlg2.render(minimal_item(provider="nprov:AFP")))
    assert root.find("g:itemMeta/g:provider", NS).get("qcode") == "nprov:AFP"
    assert root.find("g:contentMeta/g:creator", NS) is None


def test_authors_are_written_as_creators_with_name_role_code_and_title(assert_valid_g2):
    cm = assert_valid_g2(newsmlg2.render(full_item())).find("g:contentMeta", NS)
    first, second = cm.findall("g:creator", NS)
    assert (first.get("qcode"), first.get("role")) == ("tassstaff:ipetrov", "crol:author")
    assert first.findtext("g:name", namespaces=NS) == "Iwan Petrow"
    assert first.find("g:note", NS).text == "Korrespondent"
    assert (second.get("uri"), second.get("role")) == ("https://tass.com/staff/smirnova",
                                                       "crol:photographer")


def test_a_contributor_is_written_as_a_contributor(assert_valid_g2):
    item = minimal_item(authors=(Person("Paul Leroy", "crol:editor", contributor=True),))
    cm = assert_valid_g2(newsmlg2.render(item)).find("g:contentMeta", NS)
    assert cm.find("g:contributor", NS).findtext("g:name", namespaces=NS) == "Paul Leroy"
    assert cm.find("g:creator", NS) is None


def test_notes_and_signals_are_written_in_item_meta_where_the_schema_puts_them(assert_valid_g2):
    meta = assert_valid_g2(newsmlg2.render(full_item())).find("g:itemMeta", NS)
    names = [etree.QName(c).localname for c in meta]
    assert names[names.index("generator") + 1:][:4] == ["edNote", "edNote", "signal", "link"]
    note = meta.find("g:edNote", NS)
    assert note.get("role") == "tassednote:correction"
    assert [note.text, note[0].tail] == ["Korrigiert den Namen im 2. Absatz.", "Foto folgt."]
    assert meta.find("g:signal", NS).get("qcode") == "sig:correction"


def test_a_role_given_as_a_word_reads_back_as_the_word(assert_valid_g2):
    item = minimal_item(notes=(Note("Kill this story", "advisory"),),
                        authors=(Person("JANE DOE", "author"),),
                        descriptions=(Description("Usage terms", "usage"),))
    back = round_trip(item, assert_valid_g2)
    assert (back.notes, back.authors, back.descriptions) == (item.notes, item.authors,
                                                             item.descriptions)


def test_a_name_in_another_language_is_written_with_its_language(assert_valid_g2):
    cm = assert_valid_g2(newsmlg2.render(full_item())).find("g:contentMeta", NS)
    name = cm.find("g:subject[@qcode='medtop:20000638']/g:name", NS)
    assert name.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_the_caption_is_written_after_the_summary_with_its_role(assert_valid_g2):
    cm = assert_valid_g2(newsmlg2.render(full_item())).find("g:contentMeta", NS)
    assert [d.get("role") for d in cm.findall("g:description", NS)] == ["drol:summary",
                                                                        "drol:caption"]


def test_the_take_key_round_trips(assert_valid_g2):
    item = minimal_item(take_key="WILDFIRE-CALIFORNIA")
    assert round_trip(item, assert_valid_g2).take_key == "WILDFIRE-CALIFORNIA"


@pytest.mark.parametrize("name", ["afp_creators_ednote.xml", "reuters_correction_codes.xml",
                                  "ap_caption_only.xml"])
def test_agency_items_with_notes_and_authors_round_trip_unchanged(name, assert_valid_g2):
    (item,) = newsmlg2.parse(fixture(name), CTX)
    assert round_trip(item, assert_valid_g2) == item


# ---------------------------------------------------------------------------------------------
# hostile and broken input


@pytest.mark.parametrize("name", ["entity_declaration.xml", "billion_laughs.xml",
                                  "external_entity.xml"])
def test_documents_declaring_entities_are_refused(name):
    with pytest.raises(MalformedInput, match="refused for safety"):
        newsmlg2.parse(fixture(name), CTX)


def test_an_external_dtd_is_neither_fetched_nor_needed():
    (item,) = newsmlg2.parse(fixture("external_dtd.xml"), CTX)
    assert item.headline == "Plain & safe"


def _nested(tag: str, depth: int) -> bytes:
    body = f"<{tag}>" * depth + "deep" + f"</{tag}>" * depth
    return _item_xml(content=(
        '<contentMeta><headline>H</headline></contentMeta><contentSet><inlineXML>'
        f'<html xmlns="{newsmlg2.XHTML_NS}"><body>{body}</body></html></inlineXML></contentSet>'
    ))


@pytest.mark.parametrize("tag", ["b", "div"])
def test_markup_nested_as_deep_as_the_parser_allows_is_read(tag):
    assert newsmlg2.parse(_nested(tag, 240), CTX)[0].body_text == "deep"


@pytest.mark.parametrize("tag", ["b", "div"])
def test_markup_nested_deeper_than_the_parser_allows_is_malformed(tag):
    with pytest.raises(MalformedInput, match="depth"):
        newsmlg2.parse(_nested(tag, 5000), CTX)


def test_an_oversized_document_is_refused_before_parsing():
    head = fixture("content_ref.xml").replace(b"</newsItem>", b"")
    data = head + b"<!--" + b"x" * (21 * 1024 * 1024) + b"--></newsItem>"
    with pytest.raises(MalformedInput, match=r"over the .* byte limit"):
        newsmlg2.parse(data, CTX)


def test_a_document_that_is_not_well_formed_is_malformed_and_names_the_line():
    with pytest.raises(MalformedInput, match=r"not well-formed.*line 4"):
        newsmlg2.parse(fixture("not_well_formed.xml"), CTX)


def test_a_news_item_outside_the_g2_namespace_is_refused_naming_the_namespace():
    with pytest.raises(MalformedInput, match="not in the NewsML-G2 namespace"):
        newsmlg2.parse(fixture("no_namespace.xml"), CTX)


# ---------------------------------------------------------------------------------------------
# sniffing and the registry


@pytest.mark.parametrize("name", ["message_three_items.xml", "tass_ru_nitf.xml", "rich_xhtml.xml",
                                  "billion_laughs.xml"])
def test_g2_news_items_and_messages_are_sniffed_with_high_confidence(name):
    assert newsmlg2.sniff(fixture(name)) >= 0.9


def test_a_package_is_sniffed_as_ours_to_refuse_but_with_less_confidence(corpus_dir):
    data = (corpus_dir / "examples-iptc" / "iptc-newsml-g2__LISTING_6_Simple_NewsML-G2_Package.xml")
    assert 0 < newsmlg2.sniff(data.read_bytes()) < 0.9


@pytest.mark.parametrize(
    "data",
    [
        b"MOSCOW, October 22. /TASS/. Plain wire text.",
        b'<?xml version="1.0"?><nitf><body/></nitf>',
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
        b'{"uri": "http://iptc.org/std/nar/2006-10-01/"}',
        b"",
    ],
    ids=["text", "nitf", "atom", "json", "empty"],
)
def test_other_inputs_are_not_sniffed_as_g2(data):
    assert newsmlg2.sniff(data) == 0.0


def test_a_news_item_without_the_g2_namespace_is_not_sniffed_as_g2():
    assert newsmlg2.sniff(fixture("no_namespace.xml")) == 0.0


def test_sniffing_a_utf16_document_works():
    data = fixture("content_ref.xml").decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert newsmlg2.sniff(data.encode("utf-16")) >= 0.9


def test_the_codec_is_registered_as_newsmlg2_and_detected(assert_valid_g2):
    codec = formats.get("newsmlg2")
    assert codec.title == "NewsML-G2"
    assert formats.detect(fixture("message_three_items.xml")) is codec
    parsed = formats.parse(fixture("message_three_items.xml"), context=CTX)
    name, items = parsed.format, parsed.items
    assert name == "newsmlg2" and len(items) == 3
    data = formats.renderer("newsmlg2").render(minimal_item())
    assert_valid_g2(data)
    assert data == newsmlg2.render(minimal_item())


# ---------------------------------------------------------------------------------------------
# bodies keep their structure


def _body_of(name: str) -> tuple[Block, ...]:
    (item,) = newsmlg2.parse(fixture(name), CTX)
    return item.body


def test_a_photo_figure_keeps_its_image_and_caption_apart_from_the_copy():
    body = _body_of("reuters-xhtml-figure-lists-quote.xml")
    figure = body[0]
    assert figure.kind is BlockKind.FIGURE
    assert figure.src == "https://www.reuters.example/resizer/eu-flags.jpg"
    assert figure.text == ("European Union flags flutter outside the Berlaymont building in Brussels. "
                           "REUTERS/Yves Herman")
    assert body[1].kind is BlockKind.PARAGRAPH


def test_an_image_in_a_picture_element_is_the_figures_image_and_a_caption_keeps_its_link():
    figure = _body_of("reuters-xhtml-figure-lists-quote.xml")[-2]
    assert figure.src == "https://www.reuters.example/resizer/chip.jpg"
    assert Span("Eindhoven", href="https://www.reuters.example/tech") in figure.spans


def test_lists_nested_and_numbered_keep_their_kinds_in_order():
    body = _body_of("reuters-xhtml-figure-lists-quote.xml")
    assert [(b.kind, b.text) for b in body if b.kind.is_list_item] == [
        (BlockKind.LIST_ITEM, "Exporters need a licence for chips above a set computing power."),
        (BlockKind.LIST_ITEM, "Licences are valid for two years."),
        (BlockKind.ORDERED_ITEM, "Registration of exporters by March"),
        (BlockKind.LIST_ITEM, "small firms get six more months"),
        (BlockKind.ORDERED_ITEM, "Licences from July"),
        (BlockKind.ORDERED_ITEM, "Audits from 2028"),
    ]


def test_a_block_quote_keeps_its_footer_as_credit_and_a_figured_table_its_caption():
    body = _body_of("reuters-xhtml-figure-lists-quote.xml")
    (quote,) = [b for b in body if b.kind is BlockKind.QUOTE]
    assert (quote.text, quote.credit) == ("We cannot leave this to each capital alone.",
                                          "Commission Vice-President Elena Marin")
    (table,) = [b for b in body if b.kind is BlockKind.TABLE]
    assert table.text == "Licences issued under national schemes in 2026"
    assert [[c.text for c in row] for row in table.rows] == [
        ["Country", "Licences issued"], ["Netherlands", "1,240"], ["Germany", "860"]]


def test_html_in_inline_data_declared_plain_text_is_read_as_html():
    body = _body_of("dpa-inlinedata-plain-holding-html.xml")
    assert [(b.kind, b.text) for b in body] == [
        (BlockKind.PARAGRAPH, "Hamburg (dpa) - In vielen deutschen Städten öffnen an diesem "
                              "Wochenende die Weihnachtsmärkte."),
        (BlockKind.PARAGRAPH, "Die Veranstalter rechnen mit mehr Besuchern als im Vorjahr."),
        (BlockKind.HEADING, "Die größten Märkte"),
        (BlockKind.LIST_ITEM, "Dortmund"), (BlockKind.LIST_ITEM, "Nürnberg"),
        (BlockKind.LIST_ITEM, "Köln"),
        (BlockKind.PARAGRAPH, "Glühwein kostet meist vier Euro."),
        (BlockKind.PARAGRAPH, "In Nürnberg gilt ein Mehrwegbecher."),
    ]


def test_nitf_in_inline_xml_is_read_as_the_nitf_codec_reads_it_with_its_notes():
    (item,) = newsmlg2.parse(fixture("ansa-inlinexml-nitf-structured.xml"), CTX)
    assert [b.kind for b in item.body] == [
        BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.FIGURE, BlockKind.HEADING,
        BlockKind.PARAGRAPH, BlockKind.TABLE]
    assert item.body[2].src == "https://www.ansa.example/foto/istat.jpg"
    assert [[c.text for c in row] for row in item.body[5].rows][1] == ["Industria", "+0,5%"]
    assert [n.text for n in item.notes] == ["Segue tabella completa alle 12.",
                                            "Dati destagionalizzati, da verificare."]
    assert "Segue tabella" not in item.body_text and "destagionalizzati" not in item.body_text


def test_a_nitf_document_as_text_in_inline_data_is_read_as_nitf():
    body = _body_of("efe-inlinedata-nitf-escaped.xml")
    assert [(b.kind, b.credit) for b in body] == [
        (BlockKind.PARAGRAPH, None), (BlockKind.QUOTE, "Carlo Ancelotti, entrenador"),
        (BlockKind.PREFORMATTED, None)]
    assert body[2].text == "Clasificación   PJ  Pts\nReal Madrid     14   33\nBarcelona       14   31\n"


def test_tables_figures_numbered_lists_and_credits_are_written_as_xhtml(assert_valid_g2):
    item = minimal_item(body=(
        Block((Span("Fans."),), BlockKind.FIGURE, src="https://e.com/p.jpg", credit="AP"),
        Block.para("Copy."),
        Block((), BlockKind.TABLE, rows=((Cell((Span("A"),), True),), (Cell((Span("1"),)),))),
        Block.para("one", BlockKind.ORDERED_ITEM),
        Block((Span("Yes."),), BlockKind.QUOTE, credit="Ann"),
    ))
    root = assert_valid_g2(newsmlg2.render(item))
    body = root.find("g:contentSet/g:inlineXML/h:html/h:body", NS)
    assert [etree.QName(c).localname for c in body] == ["figure", "p", "table", "ol", "blockquote"]
    assert body.find("h:figure/h:img", NS).get("src") == "https://e.com/p.jpg"
    assert body.findtext("h:figure/h:figcaption/h:footer", namespaces=NS) == "AP"
    assert body.findtext("h:table/h:thead/h:tr/h:th", namespaces=NS) == "A"
    assert body.findtext("h:table/h:tbody/h:tr/h:td", namespaces=NS) == "1"
    assert body.findtext("h:blockquote/h:footer", namespaces=NS) == "Ann"
    assert round_trip(item, assert_valid_g2).body == item.body


@pytest.mark.parametrize("name", ["reuters-xhtml-figure-lists-quote.xml",
                                  "dpa-inlinedata-plain-holding-html.xml",
                                  "ansa-inlinexml-nitf-structured.xml",
                                  "efe-inlinedata-nitf-escaped.xml"])
def test_structured_bodies_read_from_g2_are_written_valid_and_read_back_the_same(assert_valid_g2, name):
    (item,) = newsmlg2.parse(fixture(name), CTX)
    assert round_trip(item, assert_valid_g2) == item


def test_a_historic_offset_beyond_fourteen_hours_is_written_in_utc(assert_valid_g2):
    from zoneinfo import ZoneInfo

    lmt = dt.datetime(1844, 1, 1, tzinfo=ZoneInfo("Pacific/Saipan"))  # local mean time, -14:17
    root = assert_valid_g2(newsmlg2.render(minimal_item(modified=lmt)))
    written = root.findtext("g:itemMeta/g:versionCreated", namespaces=NS)
    assert written is not None and dt.datetime.fromisoformat(written) == lmt
