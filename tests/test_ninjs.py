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
    Dateline,
    Link,
    MachineTranslation,
    NewsItem,
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
    fmt, items = formats.parse(data, "auto", CTX)
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
