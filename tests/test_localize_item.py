"""The per-partner export step: an item's dateline written in the partner's style, purely."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate.dateline import parse_dateline, places
from syndicate.dateline.localize import default_style, localize_item
from syndicate.dateline.styles import load_styles, parse_styles
from syndicate.errors import ConfigError
from syndicate.item import Block, BlockKind, Cell, Description, MachineTranslation, NewsItem, Span

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
LEAD = "ST. PETERSBURG, November 26. /TASS/. The forum opened."


@pytest.fixture(autouse=True)
def _no_newsroom_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(places.OVERRIDES_ENV, raising=False)


def item(*body: Block, lead: str = LEAD) -> NewsItem:
    found = parse_dateline(lead, now=NOW)
    assert found is not None
    return NewsItem(guid="urn:x:1", version=1, headline="Forum", language="en",
                    dateline=found[0], body=body or (Block.para(lead),))


def test_the_dateline_takes_the_partners_style_whoever_wrote_it() -> None:
    out = localize_item(item(), "en", "reuters")
    assert out.dateline is not None
    assert out.dateline.raw == "ST. PETERSBURG, Nov 26 (TASS) -"
    assert out.dateline.style == "reuters"


def test_the_dateline_heading_the_body_is_rewritten_with_it() -> None:
    out = localize_item(item(), "en", "ap")
    assert out.body[0].text == "ST. PETERSBURG (TASS) — The forum opened."


def test_a_bold_dateline_stays_bold_and_the_rest_keeps_its_markup() -> None:
    src = item(Block((Span("ST. PETERSBURG, November 26. /TASS/.", bold=True),
                      Span(" The forum "), Span("opened", italic=True), Span("."))))
    out = localize_item(src, "en", "ap")
    assert out.body[0].spans == (Span("ST. PETERSBURG (TASS) —", bold=True), Span(" The forum "),
                                 Span("opened", italic=True), Span("."))


def test_a_body_that_does_not_start_with_the_dateline_is_left_alone() -> None:
    body = (Block.para("The forum opened."),)
    assert localize_item(item(*body), "en", "ap").body == body


def test_no_style_means_the_languages_default() -> None:
    out = localize_item(item(), "es")
    assert out.dateline is not None
    assert out.dateline.raw == "SAN PETERSBURGO, 26 de noviembre (TASS).-"
    assert default_style("es") == default_style("en") == "local"


def test_the_stored_item_is_not_changed() -> None:
    src = item()
    localize_item(src, "en", "ap")
    assert src.dateline is not None and src.dateline.raw == LEAD.split(" The")[0]


def test_an_item_without_a_dateline_is_returned_as_it_is() -> None:
    src = NewsItem(guid="urn:x:2", version=1, headline="h", language="en")
    assert localize_item(src, "en", "ap") is src


def test_an_unknown_style_is_a_configuration_error_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError, match=r"known styles: .*efe"):
        localize_item(NewsItem(guid="urn:x:2", version=1, headline="h", language="en"), "en", "ape")


def test_partner_defaults_are_data_and_prefer_the_exact_language_tag() -> None:
    data = {"styles": {"local": {"templates": {"*": "{city} ({source}) -"}},
                       "efe": {"templates": {"es": "{city} ({source}).-"}}},
            "partner_defaults": {"*": "local", "es": "efe"}}
    book = parse_styles(data)
    assert (book.default_style("es-MX"), book.default_style("de")) == ("efe", "local")


def test_a_default_naming_an_unknown_style_is_refused() -> None:
    data = {"styles": {"local": {"templates": {"*": "{city} -"}}}, "partner_defaults": {"es": "x"}}
    with pytest.raises(ConfigError, match=r"partner_defaults 'es'.*unknown style 'x'"):
        parse_styles(data)


def test_the_shipped_defaults_are_every_languages_local_convention() -> None:
    assert dict(load_styles().partner_defaults) == {"*": "local"}


def translated(*body: Block, headline: str = "Foro") -> NewsItem:
    return NewsItem(guid="urn:x:es", version=1, headline=headline, language="es", body=body,
                    translation=MachineTranslation("apertium", "1", "en"))


def test_numbers_of_a_translation_follow_the_target_language() -> None:
    src = translated(Block.para("Una ola de 4.5 metros llegó a 1,200 casas en 2026."),
                     headline="Olas de 4.5 metros")
    out = localize_item(src, "es")
    assert out.body[0].text == "Una ola de 4,5 metros llegó a 1.200 casas en 2026."
    assert out.headline == "Olas de 4,5 metros"


def test_numbers_of_a_translated_caption_follow_the_target_language() -> None:
    src = translated(Block.para("Texto.")).replace(
        descriptions=(Description("Una ola de 4.5 metros en 1,200 casas.", "drol:caption"),))
    assert localize_item(src, "es").descriptions == (
        Description("Una ola de 4,5 metros en 1.200 casas.", "drol:caption"),)


def test_preformatted_blocks_keep_their_numbers() -> None:
    table = Block.para("1,200.5  4.5", BlockKind.PREFORMATTED)
    assert localize_item(translated(table), "es").body == (table,)


def test_an_english_original_for_an_english_partner_keeps_its_numbers() -> None:
    src = item(Block.para(LEAD + " It cost 4.5 million, 1,200 more."))
    assert localize_item(src, "en", "tass").body[0].text.endswith("It cost 4.5 million, 1,200 more.")


def test_numbers_keep_their_markup() -> None:
    src = translated(Block((Span("sube un "), Span("4.5%", bold=True), Span(" hoy"))))
    assert localize_item(src, "es").body[0].spans == (
        Span("sube un "), Span("4,5%", bold=True), Span(" hoy"))


def test_numbers_in_table_cells_and_figure_captions_follow_the_target_language() -> None:
    table = Block((Span("Precios de 2026"),), BlockKind.TABLE, rows=(
        (Cell((Span("Cobre"),)), Cell((Span("9,120.5"),))),), )
    figure = Block((Span("Una ola de 4.5 metros."),), BlockKind.FIGURE, src="a.jpg", credit="EFE 1.5")
    out = localize_item(translated(table, figure), "es").body
    assert out[0].rows[0][1].text == "9.120,5" and out[0].rows[0][0].text == "Cobre"
    assert (out[1].text, out[1].src, out[1].credit) == ("Una ola de 4,5 metros.", "a.jpg", "EFE 1.5")


def test_the_dateline_is_rewritten_in_the_copy_after_a_leading_figure() -> None:
    figure = Block((Span("The forum hall."),), BlockKind.FIGURE, src="a.jpg")
    out = localize_item(item(figure, Block.para(LEAD)), "en", "ap")
    assert out.body[0] == figure
    assert out.body[1].text == "ST. PETERSBURG (TASS) — The forum opened."
