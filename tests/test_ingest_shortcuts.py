"""The shortcuts ingest takes for speed give what the plain definitions give."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput, UnsupportedFormat
from syndicate.formats import Parsed, newsmlg2, wiretext
from syndicate.item import (
    Block,
    BlockKind,
    Dateline,
    NewsItem,
    Place,
    Provenance,
    Span,
    normalize_text,
)
from syndicate.slots import slot_init
from syndicate.textutil import (
    _FIELD_RE,
    _MAIL_FIELDS,
    DecodedText,
    _fold_capitals,
    _language_sample,
    looks_like_mail_headers,
)


def _mail_headers_by_definition(text: str) -> bool:
    """Every line split off first, then read from the top (the definition, without shortcut)."""
    known = 0
    for i, line in enumerate(text.lstrip("\ufeff \t\r\n").splitlines()[:40]):
        if not line.strip():
            break
        if line[:1] in (" ", "\t"):
            continue
        m = _FIELD_RE.match(line)
        if m is None:
            return False
        if m.group(1).casefold() in _MAIL_FIELDS:
            known += 1
        elif i == 0:
            return False
    return known >= 2


_LINES = st.lists(
    st.one_of(
        st.sampled_from(["From: a@example.org", "Subject:", "Subject: Port reopens", "Date: x",
                         "X-Thing: y", "  folded", "", "Port reopens", "From:", "\x0bFrom: b"]),
        st.text(alphabet="FromSubject:- \t\r\x0b\x1c\u2028ab", max_size=12),
    ),
    max_size=8,
)


@given(_LINES, st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\u2028"]))
def test_mail_header_check_agrees_with_its_definition(lines: list[str], sep: str) -> None:
    text = sep.join(lines)
    assert looks_like_mail_headers(text) == _mail_headers_by_definition(text)


def test_a_field_name_alone_on_the_first_line_still_opens_mail_headers() -> None:
    assert looks_like_mail_headers("Subject:\nFrom: desk@example.org\n\nBody")


def test_a_paragraph_block_made_by_para_equals_one_made_field_by_field() -> None:
    for kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE):
        made = Block.para("The port reopened.", kind)
        assert made == Block((Span("The port reopened."),), kind)
        # every field is set: reading them all (as asdict does) raises nothing
        assert dataclasses.asdict(made)["spans"][0]["text"] == "The port reopened."


def test_a_utc_time_is_written_as_before() -> None:
    assert newsmlg2._fmt_dt(dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)) == "2026-11-28T12:00:00+00:00"
    moscow = dt.datetime(2026, 11, 28, 15, tzinfo=ZoneInfo("Europe/Moscow"))
    assert newsmlg2._fmt_dt(moscow) == "2026-11-28T15:00:00+03:00"


def test_a_located_place_is_written_the_same_each_time() -> None:
    place = Place("Saint Petersburg", country="RU", timezone="Europe/Moscow", key="spb")
    first = newsmlg2._located("\n    ", place)
    assert newsmlg2._located("\n    ", place) is first
    assert '<located type="loctype:City" literal="Saint Petersburg">' in first
    assert '<broader type="loctype:Country" qcode="iso3166-1a2:RU"/>' in first


def test_dateline_properties_are_written_the_same_each_time() -> None:
    dl = Dateline("MOSCOW, Nov 26 /TASS/.", city="MOSCOW", date=dt.date(2026, 11, 26),
                  source="TASS", style="tass", language="en")
    first = newsmlg2._dateline_properties("\n    ", dl, False)
    assert newsmlg2._dateline_properties("\n    ", dl, False) is first
    assert first.count("<contentMetaExtProperty") == 5
    assert 'value="2026-11-26"' in first and 'value="en"' in first
    assert 'value="en"' not in newsmlg2._dateline_properties("\n    ", dl, True)


def test_the_root_is_still_found_after_leading_white_space_and_not_in_text() -> None:
    from syndicate.xmlsafe import sniff_root

    found = sniff_root(b"\r\n\t \x0c<nitf><body/></nitf>")
    assert found is not None and found.name == "nitf"
    assert sniff_root(b"Port reopens <nitf>\n") is None


@pytest.mark.parametrize("cls", [Span, Block, Dateline, Provenance, NewsItem, DecodedText, Parsed])
def test_models_made_for_every_item_fill_their_slots_as_the_dataclass_would(cls: type) -> None:
    fields = dataclasses.fields(cls)
    params = inspect.signature(cls).parameters
    assert [(p.name, p.default) for p in params.values()] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in fields
    ]
    required = [f for f in fields if f.default is dataclasses.MISSING]
    values = {f.name: f"value of {f.name}" for f in fields}
    made = cls(**values)
    assert all(getattr(made, f.name) == values[f.name] for f in fields)
    assert cls(*values.values()) == made
    # the defaults are set too: reading every field raises nothing
    bare = cls(*(values[f.name] for f in required))
    assert all(getattr(bare, f.name) == f.default for f in fields if f not in required)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, fields[0].name, "changed")


def test_slot_init_makes_default_factories_and_refuses_what_it_cannot_fill() -> None:
    @slot_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Tagged:
        name: str
        tags: list[str] = dataclasses.field(default_factory=list)

    first, second = Tagged("a"), Tagged("b")
    assert first.tags == [] and first.tags is not second.tags
    assert Tagged("c", ["x"]).tags == ["x"]

    @dataclasses.dataclass(slots=True)
    class Mutable:
        name: str

    with pytest.raises(TypeError):
        slot_init(Mutable)


_CRUMB_SPLIT = re.compile(r"\s+[>›»/|·•]\s+")


def _breadcrumb_by_definition(line: str) -> bool:
    """Split at every separator first (the definition, without the separator check)."""
    if len(line) > 120:
        return False
    segments = [seg for seg in _CRUMB_SPLIT.split(line.rstrip(" >›»")) if seg]
    return len(segments) >= 2 and all(
        len(words := seg.split()) <= 4
        and all(w[:1].isupper() or w in wiretext._BREADCRUMB_JOINERS for w in words)
        for seg in segments
    )


@given(st.text(alphabet="Home World and x >›»/|·•-: \t", max_size=40))
def test_breadcrumb_check_agrees_with_its_definition(line: str) -> None:
    assert wiretext._is_breadcrumb(line) == _breadcrumb_by_definition(line)


@given(st.text(alphabet=st.sampled_from("aé A\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2028\u3000e\u0301."),
               max_size=20))
def test_normalized_text_is_nfc_with_white_space_collapsed(text: str) -> None:
    assert normalize_text(text) == " ".join(unicodedata.normalize("NFC", text).split())


@given(st.lists(st.text(alphabet="Ab1 "), max_size=8).map(" ".join))
def test_capitals_are_folded_as_defined(sample: str) -> None:
    assert _fold_capitals(sample) == " ".join(w.lower() if w.isupper() else w for w in sample.split(" "))


@given(st.lists(st.text(alphabet=st.sampled_from("ab <&>\r\x01\ud800\ufffe\ufeff—"), min_size=1,
                        max_size=6), min_size=1, max_size=5))
def test_a_body_of_plain_paragraphs_is_written_as_paragraph_by_paragraph(texts: list[str]) -> None:
    out = newsmlg2._Out()
    newsmlg2._write_body(out, "\n  ", [Block.para(t) for t in texts])
    lines = [f"\n    <p>{newsmlg2._t(t)}</p>" for t in texts if newsmlg2._t(t)]
    expected = "".join(["\n  <body>", *lines, "\n  </body>"]) if lines else "\n  <body/>"
    assert "".join(out.parts[1:]) == expected


@given(st.text(alphabet=st.sampled_from("ab <&>\"\t\n\r\x01\x0b\ud800\ufffe\ufeff—"), max_size=12))
def test_one_line_element_text_is_the_line_escaped(text: str) -> None:
    assert newsmlg2._line_text(text) == newsmlg2._t(newsmlg2._line(text))


_MARKED = [c for c in formats._codecs.entries().values() if getattr(c, "sniff_marks", b"")]


@pytest.mark.parametrize("codec", _MARKED, ids=lambda c: c.name)
def test_a_codec_recognises_no_input_without_its_sniff_marks(
    codec: formats.Codec, fixtures_dir: Path
) -> None:
    marks = codec.sniff_marks  # type: ignore[attr-defined]
    inputs = [p.read_bytes() for p in sorted(fixtures_dir.rglob("*")) if p.is_file()]
    recognised = 0
    for data in inputs:
        recognised += codec.sniff(data) > 0
        for mark in marks:
            data = data.replace(bytes([mark]), b"")
        assert codec.sniff(data) == 0.0
    assert recognised  # the fixtures hold inputs of every format


_PIECES = [b"{", b"[", b"\x01", b"\x16", b":", b"<", b"<nitf>", b"<rss>", b'{"uri": 1}', b"\n", b" ",
           b"From: a@b.c", b"Subject: x", b"Date: y", b"\xef\xbb\xbf", b"\xff\xfe", b"Port reopens",
           b"BRUSSELS, Nov 27 (Reuters) - ", b"a0001 r a", b"\x00"]


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map(b"".join))
def test_detection_skips_only_codecs_that_would_not_recognise_the_input(data: bytes) -> None:
    try:
        chosen = formats.detect(data).name
    except (MalformedInput, UnsupportedFormat):
        chosen = None
    scores = {c.name: c.sniff(data) for c in formats._codecs.entries().values()}
    best = max(scores.values())
    assert chosen is None if best <= 0 else scores[chosen] == best


@given(st.text(alphabet=st.sampled_from("ab A\t\n\xa0\u2028\x1c."), max_size=200)
       | st.lists(st.text("abA.\xa0", min_size=1, max_size=9), max_size=30).map(" ".join))
def test_the_language_sample_is_the_opening_with_white_space_collapsed(text: str) -> None:
    assert _language_sample(text) == " ".join(text[:160].split())[:80]


@given(st.text(alphabet=st.sampled_from("ab<&\t\n\r\x01\x0b\x1f\ud800\ufffe\uffff\ufeff\ud7ff"), max_size=12))
def test_text_is_cleaned_of_what_xml_cannot_carry(text: str) -> None:
    assert newsmlg2._clean(text) == newsmlg2._BAD_XML_CHARS.sub("", text)


_CHROME_PIECES = ["Photo", "photos", "VIDEO", "Tags", "read more", "Listen to this article", "listen",
                  "LISTEN TO THIS ARTICLE", "5 min read", "12 minutes read", "\u0665 min read", "©",
                  "© Reuters 2026", ":", "|", " ", "\t", "x", "Lire aussi", "Фото", "ſ", "K"]


@given(st.lists(st.sampled_from(_CHROME_PIECES), max_size=5).map("".join))
def test_the_chrome_prefix_check_agrees_with_its_pattern(line: str) -> None:
    assert wiretext._chrome_prefix(line) == bool(wiretext._CHROME_PREFIX_RE.match(line))


@given(st.text(alphabet=st.sampled_from("ab 09\u0665\u00b2\u2155é"), max_size=10))
def test_a_digit_is_found_as_the_regex_finds_it(line: str) -> None:
    assert wiretext._has_digit(line) == bool(wiretext._DIGIT_RE.search(line))


def _wire_inputs(fixtures_dir: Path) -> list[bytes]:
    texts = [p.read_bytes() for p in sorted(fixtures_dir.rglob("*.txt"))]
    story = "Port reopens\n\nBRUSSELS, Nov 27 (Reuters) - The port reopened on Thursday, said the minister.\n"
    return [*texts, story.encode(), b"\xef\xbb\xbf" + story.encode(), story.encode("cp1252") + b"\xe9\n",
            story.replace("The", "The\x01\x02").encode(), (story + "é" * 3000).encode(),
            story.encode("utf-16"), bytearray(story.encode())]  # type: ignore[list-item]


def test_parsing_what_was_just_sniffed_reads_as_parsing_afresh(fixtures_dir: Path) -> None:
    ctx = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))
    codec = wiretext.WireText()
    for data in _wire_inputs(fixtures_dir):
        codec.sniff(data)
        try:
            sniffed: object = codec.parse(data, ctx)
        except MalformedInput as exc:
            sniffed = str(exc)
        try:
            afresh: object = wiretext.WireText().parse(data, ctx)
        except MalformedInput as exc:
            afresh = str(exc)
        assert sniffed == afresh


@given(st.lists(st.sampled_from(["BC", "US", "-", "--", "/", "Economy", ",0456", "<", " ", "(UPDATE 2)",
                                 "UKRAINE", "CRISIS", "RUSSIA", "A1", "x"]), max_size=6).map("".join))
def test_the_slug_check_agrees_with_its_pattern(line: str) -> None:
    assert wiretext._is_slug(line) == (len(line) <= 80 and bool(wiretext._SLUG_RE.fullmatch(line)))
