"""NITF 3.x: agency NITF (namespaced or not, ISO-8859-1 or UTF-8) reads into the model."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import newsmlg2
from syndicate.formats.nitf import NitfCodec, parse_norm_date
from syndicate.item import BlockKind, Note, Person, Span, Subject

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def parse(fixtures_dir, name):
    data = (fixtures_dir / "nitf" / name).read_bytes()
    parsed = formats.parse(data, "auto", CTX)
    fmt, items = parsed.format, parsed.items
    assert fmt == "nitf"
    return items[0]


def test_latin1_nitf_decodes_and_keeps_its_metadata(fixtures_dir):
    item = parse(fixtures_dir, "nitf35-latin1-reuters.xml")
    assert item.headline == "Café owners in Zürich protest rent rises"
    assert item.summary == "Some rents have risen by a third"
    assert item.byline == "By Anna Müller"
    assert (item.version, item.urgency) == (2, 5)
    # date.issue of a second version is when that version was issued, not the first
    assert item.version_created == dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)
    assert item.first_created is None
    assert item.keywords == ("cafés", "rents")
    assert item.subjects[0].qcode == "subj:04000000"
    assert item.copyright == "Copyright 2026 Example Wire"
    assert item.guid == "urn:newsml:syndicate:example_wire:ZRH-20261124-0042"


def test_the_dateline_repeated_in_the_body_is_taken_out(fixtures_dir):
    item = parse(fixtures_dir, "nitf35-latin1-reuters.xml")
    assert item.dateline is not None
    assert (item.dateline.city, item.dateline.source) == ("ZURICH", "Reuters")
    assert item.dateline.date == dt.date(2026, 11, 24)
    assert item.body[0].text.startswith("Owners of more than 200 cafés")
    assert any(s.bold and s.text == "rent rises" for s in item.body[0].spans)
    assert item.body[-1].text == "The city council will debate the issue in December."


def test_namespaced_nitf_with_a_dateline_element(fixtures_dir):
    item = parse(fixtures_dir, "nitf36-namespaced-dpa.xml")
    assert item.dateline is not None and item.dateline.source == "dpa"
    assert item.dateline.city == "Vienna"
    assert item.language == "en"
    assert item.first_created == item.version_created == dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)
    assert len(item.body) == 2


def test_nitf_items_render_as_valid_newsmlg2(fixtures_dir, assert_valid_g2):
    for name in ("nitf35-latin1-reuters.xml", "nitf36-namespaced-dpa.xml"):
        assert_valid_g2(newsmlg2.render(parse(fixtures_dir, name)))


def test_the_same_bytes_give_the_same_guid(fixtures_dir):
    a = parse(fixtures_dir, "nitf36-namespaced-dpa.xml")
    b = parse(fixtures_dir, "nitf36-namespaced-dpa.xml")
    assert a.guid == b.guid and a.guid.startswith("urn:newsml:syndicate:dpa:")


def test_nitf_without_a_headline_is_refused(fixtures_dir):
    with pytest.raises(MalformedInput, match="no headline"):
        NitfCodec().parse((fixtures_dir / "nitf" / "nitf-no-headline.xml").read_bytes(), CTX)


def test_nitf_with_an_internal_dtd_subset_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY x "boom">]><nitf><head/></nitf>'
    with pytest.raises(MalformedInput, match="entities"):
        NitfCodec().parse(data, CTX)


# -- what the head says about the story: notes, authors, codes ----------------------------------

ANSA = "nitf35-latin1-ansa-notes.xml"
DPA = "nitf36-namespaced-dpa-correction.xml"
AP = "nitf34-ap-two-bylines.xml"


def test_an_editorial_message_is_a_note_with_its_message_type(fixtures_dir):
    item = parse(fixtures_dir, ANSA)
    assert item.notes == (Note("Aggiornamento alle 12 con il bollettino della Protezione civile",
                               "advisory"),)


def test_an_editors_note_in_the_body_head_is_a_note(fixtures_dir):
    item = parse(fixtures_dir, DPA)
    assert Note("Achtung Redaktionen:\nGrafik folgt gegen 16 Uhr.") in item.notes


def test_a_non_publishable_note_in_the_body_is_taken_out_of_the_copy(fixtures_dir):
    item = parse(fixtures_dir, DPA)
    assert Note("Bild: dpa-Grafik 12345, Bestellung über den Bilderdienst") in item.notes
    assert "dpa-Grafik" not in item.body_text
    assert [b.text[:22] for b in item.body] == ["Die Deutsche Bahn verl", "Verkehrsministerin Ann"]


def test_a_correction_is_the_correction_signal_and_its_message_a_note(fixtures_dir):
    item = parse(fixtures_dir, DPA)
    assert item.signals == ("sig:correction",)
    assert item.notes[0] == Note("Korrigiert im 2. Absatz den Namen der Ministerin", "correction")


def test_byline_persons_are_the_authors_and_byttl_their_title(fixtures_dir):
    item = parse(fixtures_dir, ANSA)
    assert item.authors == (Person("Marco Bianchi", title="corrispondente da Genova"),)


def test_the_byline_is_its_text_without_the_title_with_its_spaces(fixtures_dir):
    item = parse(fixtures_dir, ANSA)
    assert item.byline == "di Marco Bianchi"


def test_a_title_after_several_persons_is_the_title_of_each(fixtures_dir):
    item = parse(fixtures_dir, DPA)
    assert item.byline == "Von Jana Schulz und Tom Becker"
    assert item.authors == (Person("Jana Schulz", title="dpa"), Person("Tom Becker", title="dpa"))


def test_a_title_in_a_byline_of_its_own_is_the_title_of_the_people_before(fixtures_dir):
    item = parse(fixtures_dir, AP)
    assert item.byline == "By JANE DOE and JOHN ROE"
    assert item.authors == (Person("JANE DOE", title="Associated Press"),
                            Person("JOHN ROE", title="Associated Press"))


def _nitf(byline: str) -> bytes:
    return (
        '<nitf><head><title>T</title></head><body><body.head><hedline><hl1>T</hl1></hedline>'
        f"{byline}</body.head><body.content><p>Text.</p></body.content></body></nitf>"
    ).encode()


def test_a_title_that_follows_no_person_stays_in_the_byline_set_apart():
    (item,) = NitfCodec().parse(_nitf("<byline>By Meredith Jameson<byttl>Staff Reporter</byttl></byline>"),
                                CTX)
    assert item.byline == "By Meredith Jameson, Staff Reporter"
    assert item.authors == ()


def test_a_persons_function_is_a_title_apart_from_the_name():
    byline = ("<byline>Von <person><name.given>Anna</name.given> <name.family>Müller</name.family>"
              "<function>Korrespondentin</function></person>, Wien</byline>")
    (item,) = NitfCodec().parse(_nitf(byline), CTX)
    assert item.byline == "Von Anna Müller, Wien"
    assert item.authors == (Person("Anna Müller", title="Korrespondentin"),)


def test_iptc_subject_codes_are_subj_qcodes_named_by_their_most_specific_name(fixtures_dir):
    assert parse(fixtures_dir, DPA).subjects[0] == Subject("subj:04015000", "Schienenverkehr")
    assert parse(fixtures_dir, ANSA).subjects[:2] == (Subject("subj:17000000", "Meteorologia"),
                                                       Subject("subj:17004000", "Previsioni del tempo"))


@pytest.mark.parametrize(("name", "subject"), [
    (ANSA, Subject("ansa:CRO", "Cronaca")),
    (DPA, Subject("dpa:vm:verkehr", "Verkehr")),
    (AP, Subject("ap:f7a1b2c3d4e5", "Wildfires")),
])
def test_a_providers_own_subject_code_keeps_the_providers_scheme(fixtures_dir, name, subject):
    subjects = parse(fixtures_dir, name).subjects
    assert subject in subjects
    assert all(s.qcode and s.qcode.startswith("subj:") for s in subjects if s != subject)


def test_the_du_key_is_the_take_key(fixtures_dir):
    assert parse(fixtures_dir, ANSA).take_key == "MALTEMPO-LIGURIA"
    assert parse(fixtures_dir, DPA).take_key == "Bahn-Sanierung"


def test_tobject_property_is_the_genre(fixtures_dir):
    assert parse(fixtures_dir, AP).genre == Subject("genre:Current", "Current")


def test_keywords_come_from_the_key_list(fixtures_dir):
    assert parse(fixtures_dir, DPA).keywords == ("Bahn", "Riedbahn", "Verkehr")
    assert parse(fixtures_dir, ANSA).keywords == ("maltempo", "Genova")


@pytest.mark.parametrize("name", [ANSA, DPA, AP])
def test_nitf_notes_authors_and_codes_survive_newsmlg2(fixtures_dir, assert_valid_g2, name):
    item = parse(fixtures_dir, name)
    data = newsmlg2.render(item)
    assert_valid_g2(data)
    assert newsmlg2.parse(data, CTX)[0] == item


@pytest.mark.parametrize(
    ("norm", "expected"),
    [
        ("20261124T101500Z", dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)),
        ("20261124", dt.datetime(2026, 11, 24, tzinfo=dt.UTC)),
        ("20261124T1015+0100", dt.datetime(2026, 11, 24, 9, 15, tzinfo=dt.UTC)),
        ("2026-11-24T10:15:00-05:00", dt.datetime(2026, 11, 24, 15, 15, tzinfo=dt.UTC)),
        ("not a date", None),
    ],
)
def test_norm_dates(norm, expected):
    assert parse_norm_date(norm) == expected


@pytest.mark.parametrize("data", [
    b'{"uri": "urn:x", "bodies": [{"contentType": "application/nitf+xml", "value": "<nitf><body/></nitf>"}]}',
    b'\xef\xbb\xbf[{"value": "<nitf><body/></nitf>"}]',
], ids=["ninjs-object", "json-list-with-bom"])
def test_json_that_carries_nitf_is_not_claimed_as_nitf(data):
    assert NitfCodec().sniff(data) == 0.0


# -- bodies keep their structure -----------------------------------------------------------------

DPA_BLOCKS = "dpa-nitf36-blocks-hl2.xml"
AP_RESULTS = "ap-nitf33-results-table-agate.xml"
AFP_MEDIA = "afp-nitf34-media-bq-lists.xml"


def test_block_elements_keep_each_of_their_paragraphs(fixtures_dir):
    item = parse(fixtures_dir, DPA_BLOCKS)
    paragraphs = [b.text for b in item.body if b.kind is BlockKind.PARAGRAPH]
    # 28 paragraphs of copy in four blocks, and the last block's data source
    assert len(paragraphs) == 29
    assert paragraphs[0] == "Der Bundestag hat den Haushalt für das Jahr 2027 beschlossen."
    assert paragraphs[-1] == "Quelle: Bundesministerium der Finanzen"


def test_hl2_in_the_copy_is_a_subheading_between_the_paragraphs(fixtures_dir):
    item = parse(fixtures_dir, DPA_BLOCKS)
    headings = [(i, b.text) for i, b in enumerate(item.body) if b.kind is BlockKind.HEADING]
    assert headings == [(7, "Investitionen in Schiene und Brücken"), (15, "Kritik der Opposition"),
                        (23, "Wie es weitergeht")]
    # the head's hl2 is the summary, not copy
    assert item.summary == "Opposition kritisiert neue Schulden"


def test_a_note_to_editors_in_a_block_is_a_note_and_the_dateline_is_taken_out(fixtures_dir):
    item = parse(fixtures_dir, DPA_BLOCKS)
    assert item.notes == (Note("Achtung Redaktionen: Eine Grafik zum Haushalt folgt bis 17.00 Uhr."),)
    assert "Grafik" not in item.body_text
    assert item.dateline is not None and item.dateline.raw == "Berlin (dpa) -"


def test_a_results_table_keeps_its_caption_header_body_and_footer_rows(fixtures_dir):
    (table,) = [b for b in parse(fixtures_dir, AP_RESULTS).body if b.kind is BlockKind.TABLE]
    assert table.text == "Saturday's results"
    assert [[c.text for c in row] for row in table.rows] == [
        ["Home", "Score", "Away"], ["Arsenal", "3-1", "Chelsea"], ["Everton", "1-1", "Liverpool"],
        ["Newcastle", "0-2", "Manchester City"], ["Brighton", "postponed", "Fulham"],
        ["All times GMT. Attendance figures are provisional."],
    ]
    assert all(c.header for c in table.rows[0]) and not any(c.header for c in table.rows[1])
    assert table.rows[-1][0].colspan == 3
    assert table.rows[3][2].spans == (Span("Manchester City", italic=True),)


def test_agate_in_pre_is_kept_line_for_line(fixtures_dir):
    (pre,) = [b for b in parse(fixtures_dir, AP_RESULTS).body if b.kind is BlockKind.PREFORMATTED]
    assert pre.text.splitlines() == [
        "STANDINGS            GP  W  D  L  GF GA Pts",
        "Arsenal              13  9  3  1  27  9  30",
        "Manchester City      13  9  2  2  25 11  29",
        "Liverpool            13  8  4  1  24 10  28",
    ]


def test_numbered_and_bulleted_lists_are_told_apart(fixtures_dir):
    body = parse(fixtures_dir, AP_RESULTS).body
    assert [b.text for b in body if b.kind is BlockKind.ORDERED_ITEM][:2] == [
        "Bukayo Saka, 12th minute", "Cole Palmer, 34th (penalty)"]
    assert [b.text for b in body if b.kind is BlockKind.LIST_ITEM] == [
        "Arsenal are unbeaten in 11 league games.", "Chelsea have lost three straight away matches."]


def test_media_is_a_figure_and_the_dateline_comes_from_the_copy_after_it(fixtures_dir):
    item = parse(fixtures_dir, AFP_MEDIA)
    figure = item.body[0]
    assert figure.kind is BlockKind.FIGURE
    assert figure.text == "Delegates applaud in the plenary hall in Belem on November 28, 2026."
    assert figure.src == "https://www.afp.example/photos/cop31-plenary.jpg"
    assert figure.credit == "Pablo Porciuncula / AFP"
    assert item.dateline is not None and item.dateline.raw == "Belem (AFP) -"
    assert item.body[1].text.startswith("World leaders agreed")
    assert "Delegates applaud" not in item.body_text


def test_a_bq_is_quote_blocks_the_last_with_its_credit(fixtures_dir):
    quotes = [b for b in parse(fixtures_dir, AFP_MEDIA).body if b.kind is BlockKind.QUOTE]
    assert [(q.text, q.credit) for q in quotes] == [
        ("This is the most important step we have taken since Paris.", None),
        ("But words must now become action.", "UN Secretary-General Maria Lopes"),
    ]


def test_a_definition_list_and_an_nitf_table_are_read(fixtures_dir):
    body = parse(fixtures_dir, AFP_MEDIA).body
    items = [b for b in body if b.kind is BlockKind.LIST_ITEM]
    assert [(b.text, b.spans[0].bold) for b in items] == [
        ("Methane", True), ("A 30 percent cut from 2020 levels by 2035.", False),
        ("Finance", True), ("A fund of $40 billion a year for poorer countries.", False)]
    (table,) = [b for b in body if b.kind is BlockKind.TABLE]
    assert [[c.text for c in row] for row in table.rows] == [
        ["Country", "Pledge (%)"], ["Brazil", "35"], ["Canada", "40"]]


def test_a_footnote_and_an_end_note_are_copy_a_note_to_editors_is_a_note(fixtures_dir):
    item = parse(fixtures_dir, AFP_MEDIA)
    assert [b.text for b in item.body[-3:]] == [
        "Negotiators will meet again in Bonn in June.",
        "The Bonn session is the mid-year meeting of the UN climate bodies.",
        "This story has been updated with the final text of the agreement.",
    ]
    assert item.notes == (Note("Photos of the plenary are available on the AFP forum."),)


@pytest.mark.parametrize("name", [DPA_BLOCKS, AP_RESULTS, AFP_MEDIA])
def test_structured_nitf_is_written_to_valid_g2_and_reads_back_the_same(
        fixtures_dir, assert_valid_g2, name):
    item = parse(fixtures_dir, name)
    data = newsmlg2.render(item)
    assert_valid_g2(data)
    assert newsmlg2.parse(data, CTX)[0] == item


def test_a_ninjs_object_carrying_nitf_is_not_taken_for_nitf(fixtures_dir):
    data = (fixtures_dir / "ninjs" / "efe-ninjs31-bodies-nitf.json").read_bytes()
    assert NitfCodec().sniff(data) == 0.0
    assert NitfCodec().sniff((fixtures_dir / "nitf" / AP_RESULTS).read_bytes()) > 0.5
