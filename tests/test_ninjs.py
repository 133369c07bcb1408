"""ninjs: what we write validates against ninjs 3.1; ninjs 1.x to 3.x reads into the model."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

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
