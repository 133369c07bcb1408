"""IPTC 7901 out: one message framed and laid out as agencies send it, in the partner's charset
(what it cannot hold transliterated, never refused), that our own 7901 codec reads back to the
same headline, byline, dateline and paragraphs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.dateline import parse_dateline
from syndicate.formats import ParseContext, RenderOptions
from syndicate.formats.transliterate import transliterate
from syndicate.item import Block, BlockKind, Cell, Dateline, NewsItem, PubStatus, Span, Subject

NOW = dt.datetime(2026, 12, 31, tzinfo=dt.UTC)
WHEN = dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.UTC)


def render(item: NewsItem, charset: str | None = None) -> bytes:
    return formats.renderer("iptc7901", RenderOptions(charset=charset)).render(item)


def read_back(data: bytes) -> NewsItem:
    (item,) = formats.parse(data, "iptc7901", ParseContext(now=NOW)).items
    return item


def dateline(raw: str, language: str) -> Dateline:
    found = parse_dateline(raw + " Text.", now=NOW, language=language)
    assert found is not None, raw
    return found[0]


def story(**changes: object) -> NewsItem:
    item = NewsItem(
        guid="urn:newsml:afp.com:20261125:geneva", headline="UN rights council opens session on aid",
        language="en", provider="AFP", byline="By Jane Doe", slugline="Switzerland-UN-diplomacy",
        dateline=dateline("GENEVA, Nov 25, 2026 (AFP) -", "en"), urgency=3,
        subjects=(Subject(qcode="medtop:11000000", name="politics"),),
        body=(
            Block.para("The UN Human Rights Council opened a special session on Tuesday on access "
                       "for aid convoys, with more than 40 countries asking to speak, diplomats "
                       "said."),
            Block.para("The session is expected to last two days, a council spokesman said."),
        ),
        version_created=WHEN,
    )
    return item.replace(**changes)


def paragraphs(item: NewsItem) -> list[str]:
    return [b.text for b in item.body]


def text_lines(data: bytes, charset: str = "utf-8") -> list[str]:
    text = data.decode(charset)
    return text[text.index("\x02") + 1:text.index("\x03")].split("\r\n")


def test_the_message_is_framed_soh_header_stx_text_etx_trailer_eot() -> None:
    data = render(story())
    assert data.startswith(b"\x16\x16\x01") and data.endswith(b"\x04")
    head = data[3:data.index(b"\x02")].decode().split("\r\n")
    assert re.fullmatch(r"AFP\d{4} 3 pol \d{4}", head[0]) and head[1] == "Switzerland-UN-diplomacy"
    assert data[data.index(b"\x03"):] == b"\x03\r\n251230 GMT Nov 26\r\n\x04"


@pytest.mark.parametrize(("provider", "source"), [
    ("nprov:AFP", "AFP"), ("https://www.ansa.it/", "ANSA"), ("example.com", "EXAMPLE"), (None, "")])
def test_the_header_names_the_provider_in_letters(provider: str | None, source: str) -> None:
    header = render(story(provider=provider))[3:].split(b"\r\n")[0].decode()
    assert re.fullmatch(rf"{source}\d{{4}} 3 pol \d{{4}}", header)


def test_the_same_item_gives_the_same_bytes() -> None:
    assert render(story()) == render(story())


def test_copy_is_indented_and_wrapped_at_69_columns_with_end_marks_on_headline_and_byline() -> None:
    lines = text_lines(render(story()))
    assert lines[:4] == ["UN rights council opens session on aid =", "", "By Jane Doe =", ""]
    assert lines[4].startswith("   GENEVA, Nov 25, 2026 (AFP) - The UN Human")
    assert all(len(line) <= 69 for line in lines)
    assert not lines[5].startswith(" ")  # a wrapped line goes to the margin


def test_the_message_reads_back_the_same() -> None:
    item = story()
    back = read_back(render(item))
    assert (back.headline, back.byline, back.slugline, back.urgency) == (
        item.headline, item.byline, item.slugline, 3)
    assert back.dateline is not None and back.dateline.raw == item.dateline.raw  # type: ignore[union-attr]
    assert paragraphs(back) == paragraphs(item)
    assert back.version_created == WHEN and back.provider == "AFP"


def test_the_word_count_in_the_header_counts_the_text() -> None:
    data = render(story())
    words = len(data[data.index(b"\x02") + 1:data.index(b"\x03")].split())
    assert int(data[3:data.index(b"\r\n")].split()[-1]) == words


@pytest.mark.parametrize(("signals", "take_key", "written"), [
    (("sig:correction",), None, "CORRECTED"),
    (("sig:update",), None, "LEAD"),
    (("sig:update",), "2ND LEAD", "2ND LEAD"),
])
def test_a_take_key_line_says_what_the_take_is(signals: tuple[str, ...], take_key: str | None,
                                               written: str) -> None:
    item = story(signals=signals, take_key=take_key)
    assert text_lines(render(item))[0] == written
    back = read_back(render(item))
    assert back.take_key == written and set(signals) <= set(back.signals)
    assert back.headline == item.headline


def test_a_table_is_written_as_aligned_preformatted_lines() -> None:
    table = Block((Span("Results"),), BlockKind.TABLE, rows=(
        (Cell((Span("Home"),), header=True), Cell((Span("Score"),), header=True)),
        (Cell((Span("Arsenal"),)), Cell((Span("3-1"),))),
    ))
    lines = text_lines(render(story(body=(*story().body, table))))
    at = lines.index("Results")
    assert lines[at + 1:at + 3] == ["Home     Score", "Arsenal  3-1"]


def test_lists_quotes_and_figures_in_plain_text() -> None:
    body = (story().body[0], Block.para("one", BlockKind.ORDERED_ITEM),
            Block.para("two", BlockKind.ORDERED_ITEM), Block.para("item", BlockKind.LIST_ITEM),
            Block((Span("It is a start."),), BlockKind.QUOTE, credit="A diplomat"),
            Block((Span("The council chamber"),), BlockKind.FIGURE, src="a.jpg"))
    lines = [ln for ln in text_lines(render(story(body=body))) if ln]
    assert lines[-5:] == ["   1. one", "   2. two", "   - item", "   It is a start.", "   -- A diplomat"]
    assert "council chamber" not in render(story(body=body)).decode()


def test_a_kill_is_an_advisory_never_the_story_again() -> None:
    data = render(story(pub_status=PubStatus.CANCELED))
    text = data.decode()
    assert "KILL: UN rights council opens session on aid =" in text
    assert "Do not use it" in text and "special session" not in text
    assert re.match(r"\x16\x16\x01AFP\d{4} 1 v ", text)


def test_a_russian_item_in_koi8_r_and_windows_1251_reads_back_the_same() -> None:
    item = NewsItem(
        guid="urn:x:tass:1", headline="Путин провел переговоры с президентом Франции",
        language="ru", provider="TASS", byline="Автор: Иван Петров",
        dateline=dateline("МОСКВА, 30 ноября. /ТАСС/.", "ru"),
        body=(Block.para("Президент России Владимир Путин провел в понедельник телефонный "
                         "разговор с президентом Франции, сообщили в Кремле."),
              Block.para("Стороны обсудили двусторонние отношения и положение на Ближнем Востоке.")),
        version_created=WHEN,
    )
    for charset in ("koi8-r", "windows-1251"):
        renderer = formats.renderer("iptc7901", RenderOptions(charset=charset))
        assert renderer.media_type == f"text/plain; charset={charset}"
        data = renderer.render(item)
        data.decode(charset)
        back = read_back(data)
        assert (back.headline, back.byline) == (item.headline, item.byline), charset
        assert back.dateline is not None and back.dateline.raw == item.dateline.raw  # type: ignore[union-attr]
        assert paragraphs(back) == paragraphs(item), charset


def test_cyrillic_in_latin_1_is_transliterated_never_a_crash() -> None:
    item = NewsItem(guid="urn:x:tass:2", headline="Москва: «Щит» — объём 5 €", language="ru",
                    byline="Автор: Иван Петров", body=(Block.para("Съезд открылся в Кремле."),),
                    version_created=WHEN)
    data = render(item, "iso-8859-1")
    text = data.decode("iso-8859-1")
    assert 'Moskva: «Shchit» -- obyom 5 EUR =' in text
    assert "By Ivan Petrov =" in text and "Sezd otkrylsya v Kremle." in text
    back = read_back(data)
    assert back.headline == 'Moskva: «Shchit» -- obyom 5 EUR' and back.byline == "By Ivan Petrov"


def test_a_spanish_item_in_latin_1_keeps_its_accents_and_plains_its_typography() -> None:
    item = NewsItem(
        guid="urn:x:efe:1", headline="La cumbre “verde” cierra sin acuerdo – financiación",
        language="es", byline="Por Carlos Ruiz", dateline=dateline("Belém (Brasil), 22 nov (EFE).-", "es"),
        body=(Block.para("La cumbre del clima de la ONU terminó este sábado sin un acuerdo sobre "
                         "la financiación para los países en desarrollo…"),),
        version_created=WHEN)
    back = read_back(render(item, "iso-8859-1"))
    assert back.headline == 'La cumbre "verde" cierra sin acuerdo - financiación'
    assert back.byline == "Por Carlos Ruiz"
    assert back.dateline is not None and back.dateline.raw == "Belém (Brasil), 22 nov (EFE).-"
    assert paragraphs(back) == [paragraphs(item)[0].replace("…", "...")]


@pytest.mark.parametrize(("text", "charset", "written"), [
    ("“Quoted” – ‘single’ — dash…", "ascii", "\"Quoted\" - 'single' -- dash..."),
    ("Café Zürich", "iso-8859-1", "Café Zürich"),
    ("Café Zürich", "ascii", "Cafe Zurich"),
    ("Łódź Straße", "iso-8859-1", "Lódz Straße"),
    ("Жуков ЖУК Щёлково", "ascii", "Zhukov ZHUK Shchyolkovo"),
    ("Αθήνα", "iso-8859-1", "Athina"),
    ("Ünïcödé in koi8-r", "koi8-r", "Unicode in koi8-r"),
    ("smile 🙂 ok", "iso-8859-1", "smile ? ok"),
])
def test_what_a_charset_cannot_hold_is_transliterated(text: str, charset: str, written: str) -> None:
    assert transliterate(text, charset) == written


def test_every_7901_fixture_reads_back_the_same_after_writing(fixtures_dir: Path) -> None:
    count = 0
    for path in sorted((fixtures_dir / "iptc7901").glob("*.txt")):
        try:
            items = formats.parse(path.read_bytes(), "iptc7901", ParseContext(now=NOW)).items
        except formats.MalformedInput:
            continue  # a fixture of what is refused
        for item in items:
            if item.headline.startswith("Service message"):
                continue  # its headline is made up by the reader, not sent
            back = read_back(render(item))
            assert (back.headline, back.byline, paragraphs(back), back.take_key) == (
                item.headline, item.byline, paragraphs(item), item.take_key), path.name
            assert (back.dateline.raw if back.dateline else None) == (
                item.dateline.raw if item.dateline else None), path.name
            count += 1
    assert count >= 8


# -------------------------------------------------------------------- generated items

#: per language: words, a dateline, a byline. Stories are drawn from real words: the reader
#: tells a legacy charset by how the language's letters occur, which gibberish defeats
_LANGUAGES = {
    "en": ("the council said on tuesday that talks with ministers would resume next week after "
           "a long night of negotiations over aid convoys and budget cuts",
           "GENEVA, Nov 25, 2026 (AFP) -", "By Jane Doe"),
    "es": ("la cumbre terminó este sábado sin acuerdo sobre la financiación para los países en "
           "desarrollo según el ministro de economía español también habló de la reunión",
           "Belém (Brasil), 22 nov (EFE).-", "Por Ana Núñez"),
    "ru": ("президент россии провел в понедельник телефонный разговор с коллегой стороны "
           "обсудили отношения и положение на ближнем востоке сообщили в кремле объём щит",
           "МОСКВА, 30 ноября. /ТАСС/.", "Автор: Иван Петров"),
}


@st.composite
def _item(draw: st.DrawFn) -> NewsItem:
    language = draw(st.sampled_from(sorted(_LANGUAGES)))
    words, raw, byline = _LANGUAGES[language]
    word = st.sampled_from(words.split())
    sentence = st.lists(word, min_size=6, max_size=40).map(lambda ws: " ".join(ws) + ".")
    return NewsItem(
        guid="urn:x:generated", language=language, version_created=WHEN,
        # agencies keep a headline to one line: one longer is not wrapped
        headline=" ".join(draw(st.lists(word, min_size=3, max_size=6))).capitalize(),
        byline=byline, dateline=dateline(raw, language),
        body=tuple(Block.para(draw(sentence).capitalize()) for _ in range(draw(st.integers(1, 6)))),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_item(), st.sampled_from(["utf-8", "windows-1251", "koi8-r", "iso-8859-1"]))
def test_generated_items_read_back_as_their_charset_holds_them(item: NewsItem, charset: str) -> None:
    data = render(item, charset)
    # the copy is wrapped at 69 columns; a headline stays on its one line, however long
    headline = transliterate(item.headline, charset)
    assert all(len(line) <= 69 for line in text_lines(data, charset)
               if not line.startswith(headline))
    back = read_back(data)
    assert back.headline == transliterate(item.headline, charset)
    # a dateline the charset cannot hold is no dateline to the reader: it opens the copy
    expected = " ".join(transliterate(p, charset) for p in paragraphs(item))
    assert " ".join(paragraphs(back)).endswith(expected)
    if transliterate(item.dateline.raw, charset) == item.dateline.raw:  # type: ignore[union-attr]
        assert back.dateline is not None and back.dateline.raw == item.dateline.raw  # type: ignore[union-attr]
        assert paragraphs(back) == [transliterate(p, charset) for p in paragraphs(item)]
        assert back.byline == transliterate(item.byline or "", charset)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.text(), st.text(),
       st.sampled_from(["utf-8", "iso-8859-1", "koi8-r", "windows-1251", "ascii", "cp437"]))
def test_any_text_in_any_charset_is_written_never_a_crash(
        headline: str, byline: str, copy: str, charset: str) -> None:
    item = NewsItem(guid=headline, headline=headline, language="en", byline=byline or None,
                    body=(Block.para(copy),), version_created=WHEN)
    data = render(item, charset)
    text = data.decode(charset)
    assert text.startswith("\x16\x16\x01") and text.endswith("\x03\r\n251230 GMT Nov 26\r\n\x04")
