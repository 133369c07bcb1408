"""ninjs: what we write validates against ninjs 3.1; ninjs 1.x to 3.x reads into the model."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ninjs
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
    PubStatus,
    Span,
    Subject,
)

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


@pytest.fixture(scope="module")
def validator(shared_dir):
    schema = json.loads((shared_dir / "standards" / "ninjs" / "ninjs-schema_3.1.json").read_text())
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def full_item() -> NewsItem:
    return NewsItem(
        guid="urn:newsml:syndicate:tass:20261022:0123456789abcdef:es",
        headline="El Kremlin promete responder",
        language="es",
        version=3,
        provider="TASS",
        summary="Rusia tomará medidas",
        byline="Redacción",
        dateline=Dateline(raw="MOSCÚ, 22 de octubre. /TASS/.", city="MOSCÚ", source="TASS",
                          date=dt.date(2026, 10, 22),
                          place=Place("Moscow", "RU", "Europe/Moscow", key="moscow")),
        body=(Block((Span("La respuesta "), Span("posible", bold=True), Span(" de Rusia."))),
              Block.para("Segundo párrafo.")),
        subjects=(Subject("medtop:11000000", "política"),),
        keywords=("INF",),
        urgency=3,
        pub_status=PubStatus.USABLE,
        embargo=dt.datetime(2026, 10, 22, 12, tzinfo=dt.UTC),
        created=dt.datetime(2026, 10, 22, 9, tzinfo=dt.UTC),
        modified=dt.datetime(2026, 10, 22, 10, tzinfo=dt.UTC),
        first_created=dt.datetime(2026, 10, 22, 9, 5, tzinfo=dt.UTC),
        version_created=dt.datetime(2026, 10, 22, 10, 30, tzinfo=dt.UTC),
        links=(Link("irel:translatedFrom", "urn:newsml:syndicate:tass:20261022:0123456789abcdef", 3),),
        translation=MachineTranslation("apertium", "3.8", "en"),
        notes=(Note("Corrige el nombre en el segundo párrafo"),),
        authors=(Person("Iván Petrov", "crol:author", "tassstaff:ipetrov"),
                 Person("Olga Smirnova", "photographer", uri="https://tass.com/staff/smirnova")),
        descriptions=(Description("Serguéi Riabkov en Moscú", "drol:caption"),),
        signals=("sig:correction",),
        take_key="RUSIA-EEUU-INF",
    )


def test_written_ninjs_validates_against_the_3_1_schema(validator):
    doc = json.loads(ninjs.render(full_item()))
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, "\n".join(e.message for e in errors)


def test_the_dateline_leads_the_body_and_is_marked(validator):
    doc = json.loads(ninjs.render(full_item()))
    rich = next(b for b in doc["bodies"] if b["contentType"] == "application/xhtml+xml")
    assert rich["value"].startswith('<p><span class="dateline">MOSCÚ, 22 de octubre. /TASS/.</span> ')


def test_round_trip_keeps_the_story(validator):
    item = full_item()
    back = ninjs.NinjsCodec().parse(ninjs.render(item), CTX)[0]
    assert back.guid == item.guid and back.version == 3
    assert back.headline == item.headline and back.summary == item.summary
    assert back.body == item.body
    assert back.dateline is not None and back.dateline.raw == item.dateline.raw
    assert back.links == item.links
    assert back.translation == item.translation
    assert back.subjects == item.subjects and back.keywords == item.keywords
    assert (back.embargo, back.created, back.first_created, back.version_created) == (
        item.embargo, item.created, item.first_created, item.version_created)


@pytest.mark.parametrize("name", ["example-3.1-004_simple_text_article.json",
                                  "example-3.1-005_complex_text_article.json"])
def test_iptc_examples_read_and_rewrite_valid(name, corpus_dir, validator):
    data = (corpus_dir / "examples-iptc" / name).read_bytes()
    parsed = formats.parse(data, "auto", CTX)
    fmt, items = parsed.format, parsed.items
    assert fmt == "ninjs"
    assert items[0].headline and items[0].body
    assert not list(validator.iter_errors(json.loads(ninjs.render(items[0]))))


def test_complex_example_dateline_is_taken_out_of_the_body(corpus_dir):
    data = (corpus_dir / "examples-iptc" / "example-3.1-005_complex_text_article.json").read_bytes()
    item = ninjs.NinjsCodec().parse(data, CTX)[0]
    assert item.dateline is not None and item.dateline.city == "GROSSETO"
    assert item.body[0].text.startswith("The trial of the captain")


def test_ninjs_1x_lower_case_fields_are_read(fixtures_dir):
    data = (fixtures_dir / "ninjs" / "ninjs-1x-ap-style.json").read_bytes()
    item = ninjs.NinjsCodec().parse(data, CTX)[0]
    assert (item.version, item.urgency, item.byline) == (2, 4, "By MARIA LOPEZ")
    assert item.version_created == dt.datetime(2026, 11, 26, 15, 4, tzinfo=dt.UTC)
    assert item.first_created == dt.datetime(2026, 11, 26, 14, tzinfo=dt.UTC)
    assert item.subjects[0].name == "Libraries"
    assert item.dateline is not None and item.dateline.region == "Pa."
    assert item.body[0].text.startswith("A public library")


def test_ninjs_2x_html_body_keeps_markup_and_keywords(fixtures_dir):
    item = ninjs.NinjsCodec().parse((fixtures_dir / "ninjs" / "ninjs-2x-html.json").read_bytes(), CTX)[0]
    assert item.dateline is not None and item.dateline.source == "EFE"
    assert Span("hasta las diez", bold=True) in item.body[0].spans
    assert item.keywords == ("museos", "Madrid") and item.summary == "Abrirá hasta las diez de la noche"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b'{"uri": "x", "headlines": [', "not valid JSON"),
        (b"[" * 100000, "not valid JSON"),
        (b'"just a string"', "JSON object"),
        (b'{"uri": "urn:x", "headlines": []}', "no headline"),
    ],
    ids=["truncated", "deeply-nested", "not-an-object", "no-headline"],
)
def test_broken_ninjs_is_refused_with_a_reason(data, words):
    with pytest.raises(MalformedInput, match=words):
        ninjs.NinjsCodec().parse(data, CTX)


def test_a_ninjs_object_without_uri_is_refused(fixtures_dir):
    with pytest.raises(MalformedInput, match="uri"):
        ninjs.NinjsCodec().parse((fixtures_dir / "ninjs" / "ninjs-no-uri.json").read_bytes(), CTX)


# -- notes, authors, descriptions and codes ----------------------------------------------------


def fixture_item(fixtures_dir, name, ctx=CTX):
    return ninjs.NinjsCodec().parse((fixtures_dir / "ninjs" / name).read_bytes(), ctx)[0]


def test_notes_are_written_as_the_ed_note():
    assert json.loads(ninjs.render(full_item()))["edNote"] == "Corrige el nombre en el segundo párrafo"


def test_authors_are_written_as_people_with_their_role_in_ninjs_words():
    people = json.loads(ninjs.render(full_item()))["people"]
    assert people == [
        {"name": "Iván Petrov", "rel": "author", "literal": "tassstaff:ipetrov"},
        {"name": "Olga Smirnova", "rel": "photographer", "uri": "https://tass.com/staff/smirnova"},
    ]


def test_an_author_without_a_role_is_written_as_creator_or_contributor():
    item = full_item().replace(authors=(Person("A"), Person("B", contributor=True)))
    assert [p["rel"] for p in json.loads(ninjs.render(item))["people"]] == ["creator", "contributor"]


def test_a_caption_is_written_apart_from_the_summary_with_its_role():
    descriptions = json.loads(ninjs.render(full_item()))["descriptions"]
    assert [(d["role"], d["value"]) for d in descriptions] == [
        ("summary", "Rusia tomará medidas"), ("caption", "Serguéi Riabkov en Moscú")]


def test_round_trip_keeps_notes_authors_and_descriptions():
    back = ninjs.NinjsCodec().parse(ninjs.render(full_item()), CTX)[0]
    assert back.notes == full_item().notes
    assert back.descriptions == full_item().descriptions
    assert back.authors == (Person("Iván Petrov", "author", "tassstaff:ipetrov"),
                            Person("Olga Smirnova", "photographer", uri="https://tass.com/staff/smirnova"))


def test_ninjs_1x_ednote_byline_and_author_are_read(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-1x-efe-ednote.json")
    assert item.notes == (Note("Corrige en el segundo párrafo la cifra de viviendas (20.000, no 2.000)"),)
    assert item.byline == "Por LAURA GARCÍA, enviada especial"
    assert item.authors == (Person("LAURA GARCÍA", "author"),)


def test_ninjs_1x_description_text_is_the_summary_and_the_usage_kept_apart(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-1x-efe-ednote.json")
    assert item.summary == "El plan prevé 20.000 viviendas en alquiler asequible"
    assert item.descriptions == (Description("Uso exclusivo para abonados del servicio nacional", "usage"),)


@pytest.mark.parametrize(("name", "qcode"), [
    ("ninjs-1x-ap-style.json", "medtop:20000001"),
    ("ninjs-1x-efe-ednote.json", "subj:04000000"),
])
def test_ninjs_1x_subject_scheme_and_code_make_a_qcode(fixtures_dir, name, qcode):
    assert fixture_item(fixtures_dir, name).subjects[0].qcode == qcode


def test_a_subject_code_without_a_scheme_is_kept_under_the_providers_scheme(fixtures_dir):
    ctx = formats.ParseContext(now=CTX.now, provider="EFE")
    item = fixture_item(fixtures_dir, "ninjs-1x-efe-ednote.json", ctx)
    assert item.subjects[1] == Subject("efe:VIV", "Vivienda")


def test_people_the_story_is_about_or_mentions_are_not_authors(fixtures_dir):
    for name in ("ninjs-1x-efe-ednote.json", "ninjs-2x-reuters-people.json",
                 "ninjs-3x-afp-descriptions.json"):
        names = {p.name for p in fixture_item(fixtures_dir, name).authors}
        assert names.isdisjoint({"Isabel Rodríguez", "Ursula von der Leyen", "Laurence des Cars"})


def test_ninjs_2x_people_with_author_roles_are_the_authors(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-2x-reuters-people.json")
    assert item.authors == (
        Person("Foo Yun Chee", "author", uri="https://www.reuters.com/authors/foo-yun-chee/"),
        Person("Supantha Mukherjee", "author"),
        Person("Yves Herman", "photographer"),
    )
    assert item.notes == (Note("Adds details of the vote in paragraphs 3-4"),)


def test_a_caption_listed_first_is_still_not_the_summary(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-2x-reuters-people.json")
    assert item.summary == "Parliament approves transparency duties for chatbot makers"
    assert item.descriptions == (Description(
        "Members of the European Parliament vote in Strasbourg, France, November 26, 2026.",
        "drol:caption"),)


def test_ninjs_2x_lower_case_contenttype_html_body_is_read_as_html(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-2x-reuters-people.json")
    assert item.dateline is not None and item.dateline.source == "Reuters"
    assert Span("AI chatbots", bold=True) in item.body[0].spans


def test_subjects_keep_iptc_qcodes_other_addresses_and_literals(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-2x-reuters-people.json")
    assert item.subjects == (
        Subject("medtop:13000000", "science and technology"),
        Subject(None, "artificial intelligence", "http://www.wikidata.org/entity/Q11660"),
        Subject("N2:EU", "EU"),
    )
    assert item.keywords == ("chatbots",)
    assert item.genre == Subject("genre:Current", "Current")


def test_ninjs_3x_descriptions_people_and_ed_note_are_read(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-3x-afp-descriptions.json")
    assert item.notes == (Note("Avec photos AFP. Ne pas publier avant 18H00 GMT."),)
    assert item.summary == "La nouvelle salle ouvrira au public le 1er décembre"
    assert [d.role for d in item.descriptions] == ["drol:caption"]
    assert Person("Julien MARTIN", "photographer", "afpstaff:jmartin") in item.authors
    assert Subject("afpsubj:MUSEE", "musée") in item.subjects


def test_authors_objects_with_a_job_title_are_read(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-3x-authors-extension.json")
    assert item.authors == (Person("KATE BRUMBACK", "author", title="Associated Press Writer"),
                            Person("JEFF AMY"))


@pytest.mark.parametrize(("name", "schema"), [
    ("ninjs-3x-afp-descriptions.json", "ninjs-schema_3.1.json"),
    ("ninjs-2x-reuters-people.json", "ninjs-schema_2.2.json"),
])
def test_the_ninjs_fixtures_are_valid_against_their_versions_schema(fixtures_dir, shared_dir, name, schema):
    spec = json.loads((shared_dir / "standards" / "ninjs" / schema).read_text())
    doc = json.loads((fixtures_dir / "ninjs" / name).read_text())
    assert not list(jsonschema.Draft202012Validator(spec).iter_errors(doc))


@pytest.mark.parametrize("name", ["ninjs-1x-efe-ednote.json", "ninjs-2x-reuters-people.json",
                                  "ninjs-3x-afp-descriptions.json", "ninjs-3x-authors-extension.json"])
def test_agency_ninjs_is_rewritten_valid_with_its_notes_and_authors(fixtures_dir, validator, name):
    item = fixture_item(fixtures_dir, name)
    doc = json.loads(ninjs.render(item))
    assert not list(validator.iter_errors(doc))
    assert ("edNote" in doc) == bool(item.notes)
    assert len(doc.get("people", [])) == len(item.authors)


def test_a_dateline_that_is_only_a_place_adds_nothing_to_the_body():
    item = full_item().replace(dateline=Dateline(raw="", city="Moscow", place=Place("Moscow", "RU")))
    doc = json.loads(ninjs.render(item))
    assert [b["value"] for b in doc["bodies"]][1].startswith("La respuesta posible")
    assert "dateline" not in doc["bodies"][0]["value"]
    assert doc["located"] == "Moscow, RU"


# -- ninjs as found in the field: identifiers, bodies, located, envelopes ----------------------


def test_an_object_named_by_guid_alone_is_read_with_guid_as_its_identifier(fixtures_dir):
    item = fixture_item(fixtures_dir, "superdesk-ninjs1-guid-body-html.json")
    assert item.guid == ("urn:newsml:sd-master.aap.com.au:2026-11-30T09:15:22.413052:"
                         "6f1c2a52-7d0e-4f3b-9a1e-2c1e5d3b7a10")
    assert item.version == 3
    assert item.version_created == dt.datetime(2026, 11, 30, 9, 40, 11, tzinfo=dt.UTC)


def test_a_superdesk_body_html_keeps_its_markup_and_gives_up_its_dateline(fixtures_dir):
    item = fixture_item(fixtures_dir, "superdesk-ninjs1-guid-body-html.json")
    assert item.dateline is not None and item.dateline.source == "AAP"
    assert Span("3.6 per cent", bold=True) in item.body[0].spans
    assert item.summary == "The central bank kept rates on hold for a third month"
    assert item.notes == (Note("Embargoed until 1430 AEDT"),)
    assert item.authors == (Person("Jane Doe", "writer"),)


def test_a_genre_given_as_a_list_is_read(fixtures_dir):
    ctx = formats.ParseContext(now=CTX.now, provider="AAP")
    item = fixture_item(fixtures_dir, "superdesk-ninjs1-guid-body-html.json", ctx)
    assert item.genre == Subject("aap:Article", "Article (news)")


def test_located_stands_for_the_dateline_place_where_the_body_has_no_dateline(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-1x-located-body-xhtml.json")
    assert item.dateline is not None and item.dateline.raw == ""
    assert item.located is not None and (item.located.name, item.located.country) == ("Hamburg", "DE")
    assert item.body[0].text.startswith("The ferry")


def test_located_does_not_move_the_place_of_a_dateline_in_the_body():
    doc = {"uri": "urn:x:1", "headline": "Port strike ends", "language": "en",
           "located": "Hamburg, Germany",
           "body_text": "ROTTERDAM, Nov 28 (Reuters) - Dock workers ended a strike."}
    item = ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)[0]
    assert item.dateline is not None and item.dateline.raw == "ROTTERDAM, Nov 28 (Reuters) -"
    assert item.located is not None and item.located.name == "Rotterdam"


def test_a_place_alone_goes_out_as_located_and_comes_back_without_touching_the_body(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-1x-located-body-xhtml.json")
    doc = json.loads(ninjs.render(item))
    assert doc["located"] == "Hamburg, DE"
    back = ninjs.NinjsCodec().parse(ninjs.render(item), CTX)[0]
    assert back.body == item.body and back.located == item.located


def test_a_1x_body_xhtml_is_preferred_to_the_body_text(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-1x-located-body-xhtml.json")
    assert Span("Elbe", italic=True) in item.body[0].spans


def test_of_plain_html_and_xhtml_bodies_the_xhtml_one_is_read(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-2x-three-bodies.json")
    assert [b.kind for b in item.body] == [BlockKind.PARAGRAPH, BlockKind.SUBHEADING, BlockKind.PARAGRAPH]
    assert Span("pay offer", bold=True) in item.body[0].spans
    assert item.dateline is not None and item.dateline.source == "Reuters"


def test_an_html_body_is_preferred_to_a_plain_text_one_offered_before_it():
    doc = {"uri": "urn:x:2", "headlines": [{"value": "H"}], "language": "en", "bodies": [
        {"contentType": "text/plain", "value": "Plain words."},
        {"contentType": "text/html", "value": "<p><i>Rich</i> words.</p>"}]}
    item = ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)[0]
    assert item.body[0].spans[0] == Span("Rich", italic=True)


def test_a_nitf_body_is_read_as_the_nitf_codec_reads_a_body(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-3x-nitf-body.json")
    assert Span("zusätzliche", italic=True) in item.body[0].spans
    assert [b.text for b in item.body][1] == "Die Fahrzeit sinkt auf eine Stunde und 40 Minuten."
    assert item.dateline is not None and item.dateline.source == "dpa"


def test_the_editorial_note_of_a_nitf_body_is_a_note_and_not_copy(fixtures_dir):
    item = fixture_item(fixtures_dir, "ninjs-3x-nitf-body.json")
    assert item.notes == (Note("Korrigiert im zweiten Absatz die Fahrzeit."),)
    assert len(item.body) == 2


def test_a_nitf_body_of_paragraphs_without_their_container_is_read():
    doc = {"uri": "urn:x:3", "headlines": [{"value": "H"}], "language": "en", "bodies": [
        {"contentType": "application/nitf+xml", "value": "<p>One.</p><p>Two.</p>"}]}
    item = ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)[0]
    assert [b.text for b in item.body] == ["One.", "Two."]


def test_a_nitf_body_that_is_not_well_formed_gives_way_to_the_next_best_body():
    doc = {"uri": "urn:x:4", "headlines": [{"value": "H"}], "language": "en", "bodies": [
        {"contentType": "application/nitf+xml", "value": "<body.content><p>Broken</body.content>"},
        {"contentType": "text/plain", "value": "Plain words."}]}
    item = ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)[0]
    assert [b.text for b in item.body] == ["Plain words."]


def test_a_nitf_body_that_is_not_well_formed_and_alone_is_refused_with_a_reason():
    doc = {"uri": "urn:x:5", "headlines": [{"value": "H"}], "bodies": [
        {"contentType": "application/nitf+xml", "value": "<body.content><p>Broken</body.content>"}]}
    with pytest.raises(MalformedInput, match=r"NITF body of the ninjs object 'urn:x:5'.*not well-formed"):
        ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)


def test_a_ninjs_object_carrying_a_nitf_body_is_detected_as_ninjs(fixtures_dir):
    data = (fixtures_dir / "ninjs" / "ninjs-3x-nitf-body.json").read_bytes()
    assert formats.detect(data).name == "ninjs"


def test_a_total_and_items_envelope_gives_each_object_it_lists(fixtures_dir):
    parsed = formats.parse((fixtures_dir / "ninjs" / "ninjs-total-items-envelope.json").read_bytes(),
                           "auto", CTX)
    assert parsed.format == "ninjs" and not parsed.skipped
    assert [i.guid for i in parsed.items] == ["urn:newsml:ansa.it:20261129:ANSA-0412",
                                              "urn:newsml:sd-master.ansa.it:2026-11-29T11:20:00:a5d1"]
    assert [i.dateline.city for i in parsed.items if i.dateline] == ["ROMA", "MILANO"]


def test_an_item_envelope_leaves_out_an_object_without_headline_and_says_why(fixtures_dir):
    parsed = formats.parse((fixtures_dir / "ninjs" / "ninjs-item-envelope.json").read_bytes(), "auto", CTX)
    assert [i.headline for i in parsed.items] == ["Snøkaos på E6 over Dovrefjell"]
    (left_out,) = parsed.skipped
    assert (left_out.position, left_out.guid) == (2, "urn:newsml:ntb.no:20261130:NTB-7c1f")
    assert "no headline" in left_out.reason and left_out.fault


def test_an_items_envelope_without_total_is_read_too():
    doc = {"items": [{"uri": "urn:x:6", "headline": "H", "language": "en", "body_text": "Words."}]}
    assert [i.guid for i in ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)] == ["urn:x:6"]


@pytest.mark.parametrize("name", ["ninjs-total-items-envelope.json", "ninjs-item-envelope.json"])
def test_envelopes_are_sniffed_as_ninjs_not_as_ap_media_api_json(fixtures_dir, name):
    assert formats.detect((fixtures_dir / "ninjs" / name).read_bytes()).name == "ninjs"


def test_an_ap_media_api_response_read_as_ninjs_is_refused_naming_its_format():
    doc = {"api_version": "2.2", "data": {"item": {"uri": "https://api.ap.org/media/v/content/0a1"}}}
    with pytest.raises(MalformedInput, match=r"AP Media API response.*apjson"):
        ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)


@pytest.mark.parametrize(("name", "schema"), [
    ("ninjs-3x-nitf-body.json", "ninjs-schema_3.1.json"),
    ("ninjs-2x-three-bodies.json", "ninjs-schema_2.2.json"),
])
def test_the_new_ninjs_fixtures_are_valid_against_their_versions_schema(fixtures_dir, shared_dir, name,
                                                                        schema):
    spec = json.loads((shared_dir / "standards" / "ninjs" / schema).read_text())
    doc = json.loads((fixtures_dir / "ninjs" / name).read_text())
    assert not list(jsonschema.Draft202012Validator(spec).iter_errors(doc))


@pytest.mark.parametrize("name", ["superdesk-ninjs1-guid-body-html.json", "ninjs-1x-located-body-xhtml.json",
                                  "ninjs-2x-three-bodies.json", "ninjs-3x-nitf-body.json"])
def test_field_variants_are_rewritten_valid_3_1(fixtures_dir, validator, name):
    assert not list(validator.iter_errors(json.loads(ninjs.render(fixture_item(fixtures_dir, name)))))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=8), kids, max_size=3),
    max_leaves=12)
_FIELD_VARIANTS = ("uri", "guid", "headline", "bodies", "body_html", "body_xhtml", "body_text", "located",
                   "genre", "genres")


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({}, optional={k: _JSON for k in _FIELD_VARIANTS}))
def test_any_object_in_an_envelope_is_read_or_left_out_with_a_reason(obj):
    (entry,) = ninjs.NinjsCodec().parse(json.dumps({"total": 1, "items": [obj]}).encode(), CTX)
    assert isinstance(entry, formats.Skipped) or entry.headline


def test_fields_of_the_wrong_type_are_left_out_and_the_story_still_renders():
    doc = {"uri": "urn:x:1", "headline": "Rail strike ends", "body_text": "Trains ran again.",
           "language": "en", "slugline": 42, "by": ["A"], "copyrightNotice": {"x": 1},
           "keywords": "abc"}
    (item,) = ninjs.NinjsCodec().parse(json.dumps(doc).encode(), CTX)
    assert (item.slugline, item.byline, item.copyright, item.keywords) == (None, None, None, ())
    formats.renderer("newsmlg2").render(item)  # nothing the writer cannot take


# -- bodies keep their structure -----------------------------------------------------------------


def _structured_item() -> NewsItem:
    return full_item().replace(body=(
        Block((Span("Putin en el Kremlin."),), BlockKind.FIGURE, src="https://e.com/p.jpg",
              credit="TASS"),
        Block.para("La respuesta de Rusia."),
        Block.para("Resultados", BlockKind.HEADING),
        Block((), BlockKind.TABLE, rows=((Cell((Span("Partido"),), True), Cell((Span("Votos"),), True)),
                                         (Cell((Span("A"),)), Cell((Span("1.234"),))))),
        Block.para("primero", BlockKind.ORDERED_ITEM),
        Block((Span("Sí."),), BlockKind.QUOTE, credit="Peskov"),
        Block.para("A  1\nB  2", BlockKind.PREFORMATTED),
    ))


def test_a_structured_body_is_written_valid_and_read_back_the_same(validator):
    item = _structured_item()
    doc = json.loads(ninjs.render(item))
    assert not list(validator.iter_errors(doc))
    back = ninjs.NinjsCodec().parse(ninjs.render(item), CTX)[0]
    assert back.body == item.body
    assert back.dateline is not None and back.dateline.raw == "MOSCÚ, 22 de octubre. /TASS/."


def test_the_dateline_is_marked_in_the_copy_not_in_a_leading_caption():
    item = _structured_item().replace(body=(
        Block((Span("MOSCÚ, 22 de octubre. /TASS/. Archivo."),), BlockKind.FIGURE, src="a.jpg"),
        Block.para("La respuesta de Rusia."),
    ))
    rich = json.loads(ninjs.render(item))["bodies"][0]["value"]
    assert rich == ('<figure><img src="a.jpg" alt=""/><figcaption>MOSCÚ, 22 de octubre. /TASS/. '
                    'Archivo.</figcaption></figure><p><span class="dateline">MOSCÚ, 22 de octubre. '
                    '/TASS/.</span> La respuesta de Rusia.</p>')


def test_the_plain_text_body_has_the_table_and_leaves_the_caption_out():
    bodies = json.loads(ninjs.render(_structured_item()))["bodies"]
    text = next(b for b in bodies if b["contentType"] == "text/plain")["value"]
    assert "Partido\tVotos\nA\t1.234" in text
    assert "Putin en el Kremlin" not in text


def test_a_ninjs_2x_html_body_keeps_its_table_lists_headings_and_figure(fixtures_dir):
    item = fixture_item(fixtures_dir, "ap-ninjs2-body-html-table.json")
    assert [b.kind for b in item.body] == [
        BlockKind.PARAGRAPH, BlockKind.HEADING, BlockKind.TABLE, BlockKind.SUBHEADING,
        BlockKind.ORDERED_ITEM, BlockKind.ORDERED_ITEM, BlockKind.ORDERED_ITEM, BlockKind.FIGURE,
        BlockKind.PARAGRAPH]
    table = item.body[2]
    assert [[c.text for c in row] for row in table.rows] == [
        ["", "1", "2", "3", "4", "T"], ["Raiders", "7", "3", "0", "7", "17"],
        ["Chiefs", "10", "7", "7", "3", "27"]]
    assert [c.header for c in table.rows[1]] == [True, False, False, False, False, False]
    assert item.body[7].src == "https://apnews.example/photos/mahomes.jpg"


def test_a_nitf_body_is_read_as_nitf_and_wins_over_the_plain_text_one(fixtures_dir):
    item = fixture_item(fixtures_dir, "efe-ninjs31-bodies-nitf.json")
    assert [(b.kind, b.text) for b in item.body] == [
        (BlockKind.PARAGRAPH, "La inflación bajó al 2,1 % en noviembre, según el INE."),
        (BlockKind.PARAGRAPH, "Es la tasa más baja desde 2021."),
        (BlockKind.HEADING, "Por grupos"),
        (BlockKind.TABLE, ""),
    ]
    assert item.dateline is not None and item.dateline.raw == "Madrid, 30 nov (EFE).-"
    assert Note("Ampliará con declaraciones del ministro.") in item.notes


def test_html_in_a_ninjs_1x_body_text_is_read_as_html(fixtures_dir):
    item = fixture_item(fixtures_dir, "aap-ninjs1-body-text-holding-html.json")
    assert [(b.kind, b.credit) for b in item.body] == [
        (BlockKind.PARAGRAPH, None), (BlockKind.QUOTE, "Steve Smith"), (BlockKind.PARAGRAPH, None)]
    assert item.body[2].text == "Stumps: Australia 5-342."


def test_a_body_declared_plain_text_that_is_a_nitf_document_is_read_as_nitf(fixtures_dir):
    data = (fixtures_dir / "ninjs" / "ntb-ninjs31-body-is-nitf-document.json").read_bytes()
    parsed = formats.parse(data, "auto", CTX)
    assert parsed.format == "ninjs"
    (item,) = parsed.items
    assert [b.kind for b in item.body] == [BlockKind.PARAGRAPH, BlockKind.LIST_ITEM,
                                           BlockKind.LIST_ITEM, BlockKind.PARAGRAPH]
    assert [b.text for b in item.body[1:]] == ["Oslo: 30 cm", "Hamar: 40 cm",
                                               "Kollektivtrafikken kan bli forsinket."]


@pytest.mark.parametrize("name", ["ap-ninjs2-body-html-table.json", "efe-ninjs31-bodies-nitf.json",
                                  "aap-ninjs1-body-text-holding-html.json",
                                  "ntb-ninjs31-body-is-nitf-document.json"])
def test_structured_agency_ninjs_is_rewritten_valid_and_keeps_its_body(fixtures_dir, validator, name):
    item = fixture_item(fixtures_dir, name)
    doc = json.loads(ninjs.render(item))
    assert not list(validator.iter_errors(doc))
    assert ninjs.NinjsCodec().parse(ninjs.render(item), CTX)[0].body == item.body
