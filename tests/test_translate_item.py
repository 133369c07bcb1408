"""Translating whole NewsItems: the translated item, its links and marks, batching and the cache."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

import pytest

from syndicate.errors import MissingLanguagePair
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
    Place,
    PubStatus,
    Span,
    Subject,
)
from syndicate.translate import plan_route, translate_item, translate_items, translated_guid
from syndicate.translate.cache import MemoryCache, RedisCache
from syndicate.translate.config import ProtectSettings, TranslationSettings

if TYPE_CHECKING:
    from translate_fixtures import CountingEngine

BACKGROUND = (
    "The INF Treaty was signed between the Soviet Union and the United States on "
    "December 8, 1987 in Washington, DC."
)

pytest_plugins = ("translate_fixtures",)


def wire_item(n: int = 1, **changes: object) -> NewsItem:
    item = NewsItem(
        guid=f"urn:newsml:syndicate:tass:20181022:{n:016x}",
        version=3,
        headline=f"Kremlin vows to respond to U.S. pullout, story {n}",
        summary="The breaking of the treaty forces Russia to take measures, Peskov said.",
        language="en",
        provider="TASS",
        byline="Dmitry Ivanov",
        slugline="RUSSIA-US-INF",
        dateline=Dateline(
            raw="MOSCOW, October 22. /TASS/.",
            city="MOSCOW",
            date=dt.date(2018, 10, 22),
            source="TASS",
            place=Place("Moscow", "RU", "Europe/Moscow"),
            style="tass",
            language="en",
        ),
        body=(
            Block(
                (
                    Span(f"MOSCOW, October 22. /TASS/. Story {n}: Peskov told "),
                    Span("@kremlin_press", bold=True),
                    Span(" that 9M729 tests are at https://example.org/inf_2018. "),
                    Span("Read more", href="https://tass.com/world/1027149"),
                    Span(" online."),
                )
            ),
            Block.para(BACKGROUND),
            Block.para("ticker | close\nAAPL | 120.5", BlockKind.PREFORMATTED),
        ),
        subjects=(Subject("medtop:11000000", "politics"),),
        urgency=3,
        pub_status=PubStatus.USABLE,
        embargo=dt.datetime(2018, 10, 22, 12, tzinfo=dt.UTC),
        created=dt.datetime(2018, 10, 22, 9, tzinfo=dt.UTC),
        modified=dt.datetime(2018, 10, 22, 10, tzinfo=dt.UTC),
        links=(Link(rel="irel:seeAlso", residref="urn:other"),),
    )
    return item.replace(**changes)


@pytest.fixture()
def es(argos_settings: TranslationSettings) -> NewsItem:
    return translate_item(wire_item(), "es", settings=argos_settings)


def test_translation_gets_its_own_deterministic_guid_and_the_source_version(es: NewsItem) -> None:
    assert es.guid == translated_guid(wire_item().guid, "es") == wire_item().guid + ":es"
    assert es.version == 3 and es.language == "es"


def test_translation_links_to_its_source_guid_and_version(es: NewsItem) -> None:
    assert es.link("irel:translatedFrom") == Link(
        rel="irel:translatedFrom", residref=wire_item().guid, version=3
    )
    assert es.link("irel:seeAlso") is not None


def test_translation_is_marked_with_engine_model_version_and_source_language(es: NewsItem) -> None:
    assert es.translation == MachineTranslation("argos", "1.0", "en")


def test_metadata_is_copied_and_byline_is_not_translated(es: NewsItem) -> None:
    src = wire_item()
    for name in (
        "pub_status",
        "embargo",
        "created",
        "modified",
        "provider",
        "urgency",
        "byline",
        "slugline",
    ):
        assert getattr(es, name) == getattr(src, name), name


def test_subject_names_are_kept_and_said_to_be_in_the_source_language(es: NewsItem) -> None:
    src = wire_item()
    assert [(s.qcode, s.name) for s in es.subjects] == [(s.qcode, s.name) for s in src.subjects]
    assert {s.name_language for s in es.subjects} == {"en"}


def test_headline_summary_and_body_are_translated(es: NewsItem) -> None:
    src = wire_item()
    assert es.headline and es.headline != src.headline
    assert es.summary and es.summary != src.summary
    assert es.body[1].text != src.body[1].text


def test_a_caption_is_translated_and_stays_a_caption(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    caption = Description("Peskov speaks to reporters in Moscow.", "drol:caption")
    (es,) = translate_items([wire_item(descriptions=(caption,))], "es", engine="counted",
                            settings=argos_settings)
    assert "Peskov speaks to reporters in Moscow." in [t for call in counted.calls for t in call]
    assert [d.role for d in es.descriptions] == ["drol:caption"]
    assert es.descriptions[0].text and es.summary != es.descriptions[0].text


def test_editorial_notes_stay_notes_untranslated_and_say_their_language(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    note = Note("Corrects spelling of Peskov in 2nd para.", "advisory")
    (es,) = translate_items([wire_item(notes=(note,))], "es", engine="counted",
                            settings=argos_settings)
    assert es.notes == (Note(note.text, "advisory", "en"),)
    assert all("Corrects spelling" not in t for call in counted.calls for t in call)
    assert "Corrects spelling" not in es.body_text


def test_dateline_is_kept_out_of_the_engine_and_heads_the_first_block(es: NewsItem) -> None:
    assert es.dateline is not None and es.dateline.place == wire_item().located
    assert es.body[0].text.startswith(es.dateline.raw)


def test_protected_tokens_and_markup_survive_the_real_model(es: NewsItem) -> None:
    spans = es.body[0].spans
    assert Span("@kremlin_press", bold=True) in spans
    assert any(s.href == "https://tass.com/world/1027149" and s.text for s in spans)
    text = es.body[0].text
    for token in ("9M729", "https://example.org/inf_2018"):
        assert token in text
    assert "1987" in es.body[1].text and "8" in es.body[1].text


def test_do_not_translate_terms_come_through_the_real_model(
    argos_settings: TranslationSettings,
) -> None:
    settings = argos_settings.model_copy(
        update={"protect": ProtectSettings(do_not_translate=("Daily Brief", "Kremlin"))}
    )
    out = translate_item(wire_item(), "es", settings=settings)
    assert "Kremlin" in out.headline
    item = wire_item(body=(Block.para("Listen to the Daily Brief podcast every morning."),))
    assert "Daily Brief" in translate_item(item, "es", settings=settings).body[0].text


def test_preformatted_blocks_are_kept_as_written(es: NewsItem) -> None:
    assert es.body[2] == wire_item().body[2]


def test_sentences_of_several_items_go_to_the_engine_in_one_batch(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    items = [wire_item(1, headline="Talks resume in Geneva"), wire_item(2, headline="Storm hits Lisbon")]
    translate_items(items, "es", engine="counted", settings=argos_settings)
    first = counted.calls[0]
    assert "Talks resume in Geneva" in first and "Storm hits Lisbon" in first
    # the numbers reach the model as the numeral stand-ins its tokenizer keeps
    one, two = counted.placeholders("en", "es").numbers[:2]
    assert BACKGROUND.replace("8,", f"{one},").replace("1987", two) in first
    # one batch, plus at most one for the text runs of sentences whose placeholders were lost
    assert len(counted.calls) <= 2


def test_repeated_background_paragraphs_are_translated_once(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    translate_items([wire_item(n) for n in range(1, 6)], "es", engine="counted", settings=argos_settings)
    sent = [s for call in counted.calls for s in call]
    assert len(sent) == len(set(sent))


def test_a_second_run_makes_no_engine_calls_for_seen_sentences(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    cache = MemoryCache()
    first = translate_items(
        [wire_item(1), wire_item(2)], "es", engine="counted", settings=argos_settings, cache=cache
    )
    before = counted.sentences
    again = translate_items(
        [wire_item(1), wire_item(2)], "es", engine="counted", settings=argos_settings, cache=cache
    )
    assert before > 0 and counted.sentences == before
    assert again == first


def test_cache_entries_depend_on_the_model_version(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    cache = MemoryCache()
    translate_items([wire_item(1)], "es", engine="counted", settings=argos_settings, cache=cache)
    n = len(cache)
    translate_items([wire_item(1)], "de", engine="counted", settings=argos_settings, cache=cache)
    assert len(cache) > n


@pytest.mark.integration
def test_the_redis_cache_serves_a_second_run_without_engine_calls(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    prefix = f"syndicate:test:mt:{uuid.uuid4().hex}:"
    cache = RedisCache("redis://127.0.0.1:6379/0", prefix=prefix, ttl=600)
    try:
        first = translate_items([wire_item(1)], "es", engine="counted", settings=argos_settings, cache=cache)
        before = counted.sentences
        keys = cache.client.keys(prefix + "*")
        assert before > 0 and len(keys) >= before
        assert 0 < cache.client.ttl(keys[0]) <= 600
        again = translate_items([wire_item(1)], "es", engine="counted", settings=argos_settings, cache=cache)
        assert counted.sentences == before and again == first
    finally:
        keys = cache.client.keys(prefix + "*")
        if keys:
            cache.client.delete(*keys)


def test_an_uninstalled_pair_names_what_to_install(argos_settings: TranslationSettings) -> None:
    with pytest.raises(MissingLanguagePair, match=r"en->ja.*syndicate models install en ja"):
        translate_item(wire_item(), "ja", engine="argos", settings=argos_settings)


@pytest.mark.integration
def test_a_pair_without_a_direct_engine_pivots_through_english(
    argos_settings: TranslationSettings,
) -> None:
    settings = argos_settings
    route = plan_route("es", "de", settings)
    assert [(h.engine, h.source, h.target) for h in route.hops] == [
        ("apertium", "es", "en"),
        ("argos", "en", "de"),
    ]
    item = wire_item(language="es", headline="El presidente habló el lunes.", dateline=None)
    out = translate_item(item, "de", settings=settings)
    assert out.translation is not None and out.translation.engine == "apertium+argos"
    assert out.translation.source_language == "es"


def test_configured_pair_engine_wins_over_preference(argos_settings: TranslationSettings) -> None:
    settings = argos_settings.model_copy(update={"pairs": {"en->es": "apertium"}})
    assert plan_route("en", "es", settings).engine == "apertium"
    assert plan_route("en", "es", argos_settings).engine == "argos"


def test_rendered_translation_is_valid_newsml_g2(es: NewsItem, assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    from syndicate.formats.newsmlg2 import render

    doc = assert_valid_g2(render(es))
    ns = {"g": "http://iptc.org/std/nar/2006-10-01/"}
    link = doc.find(".//g:itemMeta/g:link[@rel='irel:translatedFrom']", ns)
    assert link is not None and link.get("residref") == wire_item().guid and link.get("version") == "3"
    assert doc.get("guid") == es.guid


@pytest.mark.integration
def test_apertium_translation_keeps_tokens_markup_and_is_readable_spanish(
    argos_settings: TranslationSettings,
) -> None:
    out = translate_item(wire_item(), "es", engine="apertium", settings=argos_settings)
    assert out.translation is not None and out.translation.engine == "apertium"
    spans = out.body[0].spans
    assert Span("@kremlin_press", bold=True) in spans
    assert any(s.href == "https://tass.com/world/1027149" for s in spans)
    assert "https://example.org/inf_2018" in out.body[0].text and "9M729" in out.body[0].text
    assert "unión soviética" in out.body[1].text.lower() and "1987" in out.body[1].text


def structured_item() -> NewsItem:
    return wire_item(body=(
        Block((Span("Peskov speaks in Moscow."),), BlockKind.FIGURE, src="https://e.com/p.jpg",
              credit="Sergei Bobylev"),
        Block.para("MOSCOW, October 22. /TASS/. Peskov spoke to reporters on Monday."),
        Block.para("Reaction abroad", BlockKind.HEADING),
        Block((Span("Seats won"),), BlockKind.TABLE, rows=(
            (Cell((Span("Party"),), True), Cell((Span("Seats"),), True)),
            (Cell((Span("United Russia"),)), Cell((Span("324"),))),
        )),
        Block.para("ticker | close\nAAPL | 120.5", BlockKind.PREFORMATTED),
    ))


def test_captions_headings_and_table_cells_go_to_the_engine_agate_and_credits_do_not(
    counted: CountingEngine, argos_settings: TranslationSettings
) -> None:
    translate_items([structured_item()], "es", engine="counted", settings=argos_settings)
    sent = [t for call in counted.calls for t in call]
    for text in ("Peskov speaks in Moscow.", "Reaction abroad", "Seats won", "Party", "Seats",
                 "United Russia"):
        assert text in sent, text
    assert not any("AAPL" in t or "Bobylev" in t for t in sent)
    # a cell of figures alone has nothing to translate
    assert not any(t.strip() == "324" for t in sent)


def test_a_translated_body_keeps_its_figures_tables_and_agate(argos_settings: TranslationSettings) -> None:
    src = structured_item()
    es = translate_item(src, "es", settings=argos_settings)
    assert [b.kind for b in es.body] == [b.kind for b in src.body]
    figure, _lead, heading, table, pre = es.body
    assert (figure.src, figure.credit) == (src.body[0].src, src.body[0].credit)
    assert figure.text and figure.text != src.body[0].text
    assert heading.text and heading.text != src.body[2].text
    assert [[c.header for c in row] for row in table.rows] == [[True, True], [False, False]]
    assert table.rows[1][1].text == "324"
    assert pre == src.body[4]


def test_the_dateline_heads_the_copy_after_a_leading_figure(argos_settings: TranslationSettings) -> None:
    es = translate_item(structured_item(), "es", settings=argos_settings)
    assert es.dateline is not None
    assert es.body[1].text.startswith(es.dateline.raw)
    assert not es.body[0].text.startswith(es.dateline.raw)
