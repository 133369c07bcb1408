"""Sentence splitting and masking for news copy."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.item import Span
from syndicate.translate.config import ProtectSettings
from syndicate.translate.segment import (
    Edges,
    Placeholders,
    Protector,
    TokenKind,
    join_edges,
    segment_spans,
    segment_text,
    sentence_bounds,
    split_edges,
    split_sentences,
)


def sentences(text: str) -> list[str]:
    return split_sentences(text, Protector())


def protected(text: str, **settings: object) -> list[str]:
    p = Protector(ProtectSettings.model_validate(settings))
    return [text[a:b] for a, b in p.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. president spoke in Washington on Monday.",
        "Talks resume on Nov. 26 in Geneva.",
        "Police in St. Petersburg detained Dr. Ivanov and Mr. Smith.",
        "Donald J. Trump said so.",
        "Prices rose 3.5 percent in October.",
        "The company, Acme Inc. of Ohio, declined to comment.",
        '"Is it true?" he asked.',
        "He paused... and then he went on.",
        "Read more at https://example.org/a.b/c_d.html now.",
    ],
)
def test_one_sentence_is_not_split_at_abbreviations_decimals_or_urls(text: str) -> None:
    assert sentences(text) == [text]


def test_sentences_end_at_periods_before_capitals() -> None:
    assert sentences("Russia responded. The talks failed. It rained.") == [
        "Russia responded.",
        "The talks failed.",
        "It rained.",
    ]


def test_a_closing_quote_stays_with_its_sentence() -> None:
    assert sentences('"We disagree," Peskov said. "It is over." Next came the vote.') == [
        '"We disagree," Peskov said.',
        '"It is over."',
        "Next came the vote.",
    ]


def test_a_dotted_acronym_ends_a_sentence_before_a_typical_opener() -> None:
    assert sentences("He flew to the U.S. The trip was short.") == [
        "He flew to the U.S.",
        "The trip was short.",
    ]


def test_question_exclamation_and_ellipsis_end_sentences() -> None:
    assert sentences("Why now? Nobody knows! Wait... Then silence.") == [
        "Why now?",
        "Nobody knows!",
        "Wait...",
        "Then silence.",
    ]


def test_a_number_after_a_month_abbreviation_is_not_a_new_sentence() -> None:
    assert sentences("It ends on Nov. 26. Donald J. Trump said so.") == [
        "It ends on Nov. 26.",
        "Donald J. Trump said so.",
    ]


def test_agency_tags_urls_emails_handles_and_tickers_are_protected() -> None:
    text = (
        "/TASS/ and (Reuters) say @john_doe wrote to jane.doe@example.com about "
        "https://example.org/x_y, Apple (NASDAQ: AAPL) and $TSLA."
    )
    assert protected(text) == [
        "/TASS/",
        "(Reuters)",
        "@john_doe",
        "jane.doe@example.com",
        "https://example.org/x_y",
        "(NASDAQ: AAPL)",
        "$TSLA",
    ]


def test_numbers_and_codes_with_digits_are_protected_whole() -> None:
    assert protected("It cost $1.2 billion, 12,000 jobs, 3.5% and the 9M729 (SSC-8) missile.") == [
        "$1.2",
        "12,000",
        "3.5%",
        "9M729",
        "SSC-8",
    ]


def test_do_not_translate_terms_are_protected() -> None:
    assert protected("The Daily Brief airs on Apple TV.", do_not_translate=["Daily Brief"]) == ["Daily Brief"]


def test_protection_can_be_switched_off_per_kind() -> None:
    assert protected("It rose 5 percent, said @john.", numbers=False, handles=False) == []


#: an engine's stand-ins: numerals for numbers, names for everything else
STAND_INS = Placeholders(numbers=("90001", "90002"), names=("Xander", "Quentin"))


def test_each_protected_token_is_found_with_its_kind() -> None:
    text = "At 10:30 @john_doe paid $4.5 to https://example.org for 3.2% of (NASDAQ: AAPL)."
    found = [(text[a:b], kind) for a, b, kind in Protector().find_kinds(text)]
    assert found == [
        ("10:30", TokenKind.NUMBER),
        ("@john_doe", TokenKind.NAME),
        ("$4.5", TokenKind.NUMBER),
        ("https://example.org", TokenKind.NAME),
        ("3.2%", TokenKind.NUMBER),
        ("(NASDAQ: AAPL)", TokenKind.NAME),
    ]


def test_protected_tokens_reach_the_engine_as_its_stand_ins_for_their_kind() -> None:
    seg = segment_text("He met @john_doe at 10:30 and paid $4.5.", Protector(), STAND_INS).segments[0]
    assert seg.masked == "He met Xander at 90001 and paid 90002."


def test_stand_ins_come_back_as_the_tokens_wherever_the_engine_moved_them() -> None:
    seg = segment_text("He met @john_doe at 10:30.", Protector(), STAND_INS).segments[0]
    spans = seg.restore("A las 90001 conoció a Xander.")
    assert spans is not None and "".join(s.text for s in spans) == "A las 10:30 conoció a @john_doe."


def test_a_lost_repeated_or_altered_stand_in_is_refused() -> None:
    seg = segment_text("He met @john_doe at 10:30.", Protector(), STAND_INS).segments[0]
    assert seg.restore("Conoció a Xander.") is None
    assert seg.restore("Conoció a Xander y Xander a las 90001.") is None
    assert seg.restore("Conoció a Xander a las 900012.") is None


def test_a_stand_in_already_in_the_sentence_is_not_used() -> None:
    seg = segment_text("Xander met @john_doe.", Protector(), STAND_INS).segments[0]
    assert seg.masked == "Xander met Quentin."


def test_tokens_beyond_the_stand_ins_and_markup_edges_get_brackets() -> None:
    spans = (Span("They paid 1, 2 and "), Span("3", bold=True), Span(" euros."))
    seg = segment_spans(spans, Protector(), STAND_INS).segments[0]
    assert seg.masked == "They paid 90001, 90002 and [3][4][5] euros."
    restored = seg.restore("Pagaron 90001, 90002 y [3][4][5] euros.")
    assert restored == [Span("Pagaron 1, 2 y "), Span("3", bold=True), Span(" euros.")]


def test_a_stand_in_that_would_touch_a_word_gets_brackets() -> None:
    # "XanderOfficials" would be one unknown word to the engine, and never found again
    seg = segment_text("(Reuters)Officials said 5.", Protector(), STAND_INS).segments[0]
    assert seg.masked == "[1]Officials said 90001."
    restored = seg.restore("[1]Funcionarios dijeron 90001.")
    assert restored == [Span("(Reuters)Funcionarios dijeron 5.")]


def test_a_route_through_two_engines_uses_only_the_stand_ins_both_keep() -> None:
    other = Placeholders(numbers=("90002", "90001", "80001"), names=("90001",))
    assert STAND_INS.common(other) == Placeholders(numbers=("90001", "90002"), names=())


def test_a_masked_sentence_numbers_its_placeholders_in_order() -> None:
    seg = segment_text("He met @john_doe at 10:30.", Protector()).segments[0]
    assert seg.masked == "He met [1] at [2]."


def test_restore_puts_protected_tokens_back_wherever_the_engine_moved_them() -> None:
    seg = segment_text("He met @john_doe at 10:30.", Protector()).segments[0]
    spans = seg.restore("A las [2] conoció a [1].")
    assert spans is not None
    assert "".join(s.text for s in spans) == "A las 10:30 conoció a @john_doe."


def test_restore_refuses_output_with_lost_or_repeated_placeholders() -> None:
    seg = segment_text("He met @john_doe at 10:30.", Protector()).segments[0]
    assert seg.restore("Conoció a [1].") is None
    assert seg.restore("Conoció a [1] [1] a las [2].") is None


def test_markup_runs_become_placeholder_pairs_and_come_back_as_spans() -> None:
    seg = segment_spans(
        (
            Span("He said "),
            Span("nothing", bold=True),
            Span(" to "),
            Span("AP", href="http://ap.org"),
            Span("."),
        ),
        Protector(),
    ).segments[0]
    assert seg.masked == "He said [1]nothing[2] to [3]AP[4]."
    spans = seg.restore("No dijo [1]nada[2] a [3]AP[4].")
    assert spans == [
        Span("No dijo "),
        Span("nada", bold=True),
        Span(" a "),
        Span("AP", href="http://ap.org"),
        Span("."),
    ]


def test_crossed_markup_placeholders_are_refused() -> None:
    seg = segment_spans((Span("a "), Span("b", bold=True), Span(" c "), Span("d", italic=True)), Protector())
    s = seg.segments[0]
    assert s.restore("[1]x[3]y[2]z[4]") is None


def test_fragments_rebuild_the_sentence_around_protected_tokens_and_markup() -> None:
    seg = segment_spans((Span("He met "), Span("@ann", bold=True), Span(" in Rome today.")), Protector())
    s = seg.segments[0]
    assert s.fragments() == ["He met", "in Rome today."]
    assert s.restore_fragments(["Conoció", "en Roma hoy."]) == [
        Span("Conoció "),
        Span("@ann", bold=True),
        Span(" en Roma hoy."),
    ]


def test_a_link_translated_to_nothing_on_its_own_keeps_its_words() -> None:
    spans = (Span("The company "), Span("will", href="http://a.b"), Span(" appeal "), Span("now", bold=True))
    s = segment_spans(spans, Protector()).segments[0]
    assert s.restore_fragments(["La empresa", "", "apelación", ""]) == [
        Span("La empresa "), Span("will", href="http://a.b"), Span(" apelación "),
    ]


def test_a_bold_run_across_two_sentences_is_split_between_them() -> None:
    seg = segment_spans((Span("One. "), Span("Two and. Three", bold=True), Span(" four.")), Protector())
    assert [s.masked for s in seg.segments] == ["One.", "[1]Two and.[2]", "[1]Three[2] four."]


def test_white_space_between_sentences_is_kept_for_the_rebuilt_block() -> None:
    seg = segment_text("  One.  Two.\n", Protector())
    assert seg.gaps == ("  ", "  ", "\n")


def test_a_literal_bracketed_number_in_the_source_is_protected_not_confused() -> None:
    seg = segment_text("See note [1] and [2].", Protector()).segments[0]
    assert seg.masked == "See note [1] and [2]."
    spans = seg.restore("Vea la nota [1] y [2].")
    assert spans is not None and "".join(s.text for s in spans) == "Vea la nota [1] y [2]."


# ----------------------------------------------------------------------------- word-bound blanks

#: an engine that carries markup edges as word-bound blanks
BLANKS = Placeholders(numbers=("90001", "90002"), names=("Xander", "Quentin"), edges=Edges.WORD_BLANKS)


def test_word_blank_edges_sit_against_the_words_of_their_run() -> None:
    spans = (Span("He said"), Span(" nothing ", bold=True), Span("to "), Span("AP", href="http://ap.org"),
             Span("."))
    seg = segment_spans(spans, Protector(), BLANKS).segments[0]
    assert seg.masked == "He said [[1]]nothing[[/]] to [[2]]AP[[/]]."
    assert seg.edges is Edges.WORD_BLANKS


def test_word_blank_edges_number_no_placeholder_so_tokens_keep_their_stand_ins() -> None:
    spans = (Span("At 10:30 "), Span("300 residents", bold=True), Span(" left, said @ann."))
    seg = segment_spans(spans, Protector(), BLANKS).segments[0]
    assert seg.masked == "At 90001 [[1]]90002 residents[[/]] left, said Xander."
    assert seg.restore("A las 90001 [[1]]90002 residentes[[/]] se fueron, dijo Xander.") == [
        Span("A las 10:30 "),
        Span("300 residentes", bold=True),
        Span(" se fueron, dijo @ann."),
    ]


def test_a_run_the_engine_split_comes_back_on_each_of_its_words() -> None:
    spans = (Span("The "), Span("big red", italic=True), Span(" car is here."))
    seg = segment_spans(spans, Protector(), BLANKS).segments[0]
    assert seg.restore("[[1]]El[[/]] coche [[1]]rojo[[/]] [[1]]grande[[/]] es aquí.") == [
        Span("El", italic=True),
        Span(" coche "),
        Span("rojo grande", italic=True),
        Span(" es aquí."),
    ]


def test_nested_markup_is_adjacent_runs_each_with_its_own_blanks() -> None:
    spans = (Span("The "), Span("ministry said ", bold=True), Span("nothing", bold=True, italic=True),
             Span(" about", bold=True), Span(" the plan."))
    seg = segment_spans(spans, Protector(), BLANKS).segments[0]
    assert seg.masked == "The [[1]]ministry said[[/]] [[2]]nothing[[/]] [[3]]about[[/]] the plan."
    restored = seg.restore("El [[1]]ministerio dijo[[/]] [[2]]nada[[/]] [[3]]sobre[[/]] el plan.")
    assert restored is not None
    assert [s for s in restored if s.bold] == [
        Span("ministerio dijo", bold=True), Span("nada", bold=True, italic=True), Span("sobre", bold=True)
    ]


def test_bold_on_a_word_the_translation_lacks_is_dropped_but_a_lost_link_is_refused() -> None:
    will = (Span("The company "), Span("will", bold=True), Span(" appeal."))
    bold = segment_spans(will, Protector(), BLANKS)
    assert bold.segments[0].restore("La empresa apelará.") == [Span("La empresa apelará.")]
    report = (Span("Read the "), Span("report", href="http://a.b"), Span("."))
    link = segment_spans(report, Protector(), BLANKS)
    assert link.segments[0].restore("Lea el.") is None
    assert link.segments[0].restore("Lea el [[1]]informe[[/]].") == [
        Span("Lea el "), Span("informe", href="http://a.b"), Span(".")
    ]


def test_damaged_word_blanks_are_refused() -> None:
    seg = segment_spans((Span("a "), Span("b", bold=True), Span(" c.")), Protector(), BLANKS).segments[0]
    assert seg.masked == "a [[1]]b[[/]] c."
    assert seg.restore("x [[1]]y z.") is None  # left open
    assert seg.restore("x [[/]]y[[1]] z.") is None  # closed before opened
    assert seg.restore("x [[2]]y[[/]] z.") is None  # a group the sentence does not have


def test_bold_white_space_gets_no_blanks() -> None:
    seg = segment_spans((Span("a"), Span(" ", bold=True), Span("b.")), Protector(), BLANKS).segments[0]
    assert (seg.masked, seg.groups) == ("a b.", ())


def test_a_sentence_holding_something_like_a_word_blank_gets_bracket_edges() -> None:
    # the engine could not tell the sentence's own "[[/]]" from an edge
    spans = (Span("Wiki markup [[/]] is "), Span("odd", bold=True), Span("."))
    seg = segment_spans(spans, Protector(), BLANKS).segments[0]
    assert seg.edges is Edges.BRACKETS
    assert seg.masked == "Wiki markup [[/]] is [1]odd[2]."


def test_split_edges_inverts_join_edges() -> None:
    text = "El [[1]]coche[[/]] [[12]]rojo[[/]]."
    plain, runs = split_edges(text) or ("", [])
    assert (plain, runs) == ("El coche rojo.", [(3, 8, 1), (9, 13, 12)])
    assert join_edges(plain, runs) == text
    assert split_edges("a [[1]]b [[2]]c[[/]]") is None
    assert split_edges("no blanks") == ("no blanks", [])


def test_a_route_carries_word_blanks_only_when_every_engine_does() -> None:
    assert BLANKS.common(BLANKS).edges is Edges.WORD_BLANKS
    assert BLANKS.common(STAND_INS).edges is Edges.BRACKETS


_news_text = st.lists(
    st.sampled_from(
        [
            "The",
            "U.S.",
            "Dr.",
            "said",
            "3.5%",
            "Nov.",
            "26.",
            "@john_doe",
            "(Reuters)",
            "/TASS/",
            "https://example.org/a_b.",
            "He",
            "left.",
            '"Yes,"',
            "asked?",
            "Wait...",
            "J.",
            "Trump",
            "$AAPL",
            "(NASDAQ: AAPL)",
            "[3]",
            "12,000",
            "x@y.org",
            "\n\n",
            "Ок.",
        ]
    ),
    max_size=30,
).map(" ".join)


@given(
    parts=st.lists(
        st.tuples(_news_text, st.booleans(), st.booleans(), st.sampled_from([None, "http://a.b"])),
        min_size=1,
        max_size=4,
    )
)
def test_an_engine_that_returns_its_input_gives_back_the_source_spans(
    parts: list[tuple[str, bool, bool, str | None]],
) -> None:
    spans = [Span(t, bold=b, italic=i, href=h) for t, b, i, h in parts]
    seg = segment_spans(spans, Protector())
    rebuilt = seg.rebuild([s.restore(s.masked) or [] for s in seg.segments])
    assert "".join(s.text for s in rebuilt) == "".join(s.text for s in spans)
    styled = [(c, s.bold, s.italic, s.href) for s in rebuilt for c in s.text if not c.isspace()]
    source = [(c, s.bold, s.italic, s.href) for s in spans for c in s.text if not c.isspace()]
    assert styled == source


@given(
    parts=st.lists(
        st.tuples(_news_text, st.booleans(), st.sampled_from([None, "http://a.b"])),
        min_size=1,
        max_size=4,
    )
)
def test_an_engine_that_returns_its_input_with_stand_ins_gives_back_the_source(
    parts: list[tuple[str, bool, str | None]],
) -> None:
    spans = [Span(t, bold=b, href=h) for t, b, h in parts]
    seg = segment_spans(spans, Protector(), STAND_INS)
    rebuilt = seg.rebuild([s.restore(s.masked) or [] for s in seg.segments])
    assert "".join(s.text for s in rebuilt) == "".join(s.text for s in spans)


@given(
    parts=st.lists(
        st.tuples(_news_text, st.booleans(), st.booleans(), st.sampled_from([None, "http://a.b"])),
        min_size=1,
        max_size=4,
    )
)
def test_an_engine_that_returns_its_input_with_word_blanks_gives_back_the_source_spans(
    parts: list[tuple[str, bool, bool, str | None]],
) -> None:
    spans = [Span(t, bold=b, italic=i, href=h) for t, b, i, h in parts]
    seg = segment_spans(spans, Protector(), BLANKS)
    rebuilt = seg.rebuild([s.restore(s.masked) or [] for s in seg.segments])
    assert "".join(s.text for s in rebuilt) == "".join(s.text for s in spans)
    # white space may lose its bold; every visible character keeps its markup
    styled = [(c, s.bold, s.italic, s.href) for s in rebuilt for c in s.text if not c.isspace()]
    source = [(c, s.bold, s.italic, s.href) for s in spans for c in s.text if not c.isspace()]
    assert styled == source


@given(text=_news_text)
def test_sentences_cover_every_visible_character_in_order(text: str) -> None:
    bounds = sentence_bounds(text, Protector().find(text))
    assert "".join(text[a:b] for a, b in bounds).replace(" ", "").replace("\n", "") == (
        text.replace(" ", "").replace("\n", "")
    )
    assert all(a < b for a, b in bounds)
    assert all(b1 <= a2 for (_, b1), (a2, _) in itertools.pairwise(bounds))
