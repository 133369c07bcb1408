"""Placeholders through the real engines: a protected token or a markup edge changes nothing
around it, and comes back."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from syndicate.item import Block, NewsItem, Span
from syndicate.translate import translate_item
from syndicate.translate.apertium import ApertiumEngine
from syndicate.translate.argos import ArgosEngine, decode_pieces, load_model
from syndicate.translate.cache import cache_key
from syndicate.translate.config import ApertiumSettings, CacheSettings, ProtectSettings, TranslationSettings
from syndicate.translate.segment import BRACKETS, Protector, segment_text

pytest_plugins = ("translate_fixtures",)

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None or not Path("/usr/share/apertium/modes/eng-spa.mode").exists(),
    reason="Debian apertium + apertium-eng-spa are not installed",
)

UNPROTECTED = ProtectSettings(
    numbers=False, urls=False, emails=False, handles=False, tickers=False, agency_tags=False
)

#: (sentence, its protected token) for every kind of token
NUMBER_KINDS = [
    ("300 residents were evacuated.", "300"),
    ("The fund lost $4.5 million.", "$4.5"),
    ("Inflation rose 3.2 percent.", "3.2"),
    ("Prices rose 7% in May.", "7%"),
    ("The meeting starts at 10:30 a.m.", "10:30"),
]
NAME_KINDS = [
    ("See https://example.com/a_b for details.", "https://example.com/a_b"),
    ("Write to john.doe@example.com for details.", "john.doe@example.com"),
    ("Follow @city_news for updates.", "@city_news"),
    ("Shares of $AAPL fell.", "$AAPL"),
    ("Shares of Apple (NASDAQ: AAPL) fell.", "(NASDAQ: AAPL)"),
]


def _item(text: str | tuple[Span, ...]) -> NewsItem:
    spans = (Span(text),) if isinstance(text, str) else text
    return NewsItem(guid="urn:test:placeholders", version=1, headline="News", language="en",
                    body=(Block(spans),))


def _translate(text: str, engine: str, settings: TranslationSettings) -> str:
    return translate_item(_item(text), "es", engine=engine, settings=settings).body[0].text


def _translate_spans(spans: tuple[Span, ...], engine: str, settings: TranslationSettings) -> tuple[Span, ...]:
    return translate_item(_item(spans), "es", engine=engine, settings=settings).body[0].spans


def _unprotected(settings: TranslationSettings) -> TranslationSettings:
    return settings.model_copy(update={"protect": UNPROTECTED})


@pytest.fixture(scope="module")
def apertium_settings() -> TranslationSettings:
    return TranslationSettings(cache=CacheSettings(enabled=False))


@pytest.mark.integration
@needs_apertium
def test_bracket_placeholders_change_apertium_grammar() -> None:
    # why the stand-ins exist: Apertium reads "[1]" as brackets around a number, a phrase edge
    engine = ApertiumEngine(ApertiumSettings())
    with_brackets, as_written = engine.translate_batch(
        ["[1] residents were evacuated.", "300 residents were evacuated."], "en", "es"
    )
    assert with_brackets == "[1] los residentes estuvieron evacuados."
    assert as_written == "300 residentes estuvieron evacuados."


@pytest.mark.integration
@needs_apertium
@pytest.mark.parametrize(("sentence", "token"), NUMBER_KINDS + NAME_KINDS[:2])
def test_apertium_translates_a_protected_sentence_as_the_unprotected_one(
    sentence: str, token: str, apertium_settings: TranslationSettings
) -> None:
    # Apertium copies numbers, URLs and e-mail addresses itself: protection must change nothing
    protected = _translate(sentence, "apertium", apertium_settings)
    unprotected = _translate(sentence, "apertium", _unprotected(apertium_settings))
    assert protected == unprotected
    assert protected.count(token) == 1


@pytest.mark.integration
@needs_apertium
def test_apertium_translates_the_words_around_a_protected_handle_as_without_protection(
    apertium_settings: TranslationSettings,
) -> None:
    # unprotected, Apertium translates the handle itself ("@la ciudad_noticiosa")
    sentence, token = "Follow @city_news for updates.", "@city_news"
    protected = _translate(sentence, "apertium", apertium_settings)
    unprotected = _translate(sentence, "apertium", _unprotected(apertium_settings))
    before, after = protected.split(token)
    assert unprotected.startswith(before) and unprotected.endswith(after)
    assert (before, after) == ("Sigue ", " para actualizaciones.")


@pytest.mark.integration
@needs_apertium
@pytest.mark.parametrize(("sentence", "token"), NAME_KINDS[3:])
def test_apertium_translates_around_a_protected_ticker_as_around_a_name(
    sentence: str, token: str, apertium_settings: TranslationSettings
) -> None:
    # unprotected, a ticker is an unknown word to Apertium and breaks the agreement
    # ("Acciones de $AAPL cayó"); protected, it stands where a known proper noun would
    protected = _translate(sentence, "apertium", apertium_settings)
    with_a_name = _translate(sentence.replace(token, "Oscar"), "apertium", apertium_settings)
    assert protected == with_a_name.replace("Oscar", token)


@pytest.mark.integration
@needs_apertium
def test_several_protected_tokens_in_one_sentence_each_come_back(
    apertium_settings: TranslationSettings,
) -> None:
    sentence = "At 10:30 a.m. @city_news said 300 residents of 12 towns got $4.5 from $AAPL."
    out = _translate(sentence, "apertium", apertium_settings)
    for token in ("10:30", "@city_news", "300", "12", "$4.5", "$AAPL"):
        assert out.count(token) == 1, (token, out)
    assert "300 residentes de 12 ciudades" in out


def test_masks_with_other_placeholders_get_other_cache_keys() -> None:
    sentence = "300 residents were evacuated."
    stand_ins = ApertiumEngine(ApertiumSettings()).placeholders("en", "es")
    new = segment_text(sentence, Protector(), stand_ins).segments[0].masked
    old = segment_text(sentence, Protector(), BRACKETS).segments[0].masked
    assert (new, old) == ("90001 residents were evacuated.", "[1] residents were evacuated.")
    assert cache_key("apertium", "v", "en", "es", new) != cache_key("apertium", "v", "en", "es", old)


# ----------------------------------------------------------------------------- markup

LINK = "https://example.org/report"


def _spans(*parts: tuple[str, str]) -> tuple[Span, ...]:
    """Spans from (text, markup) pairs: markup is "" or "b", "i", "bi" for bold and italic, "a"
    for a link."""
    return tuple(Span(t, bold="b" in m, italic="i" in m, href=LINK if m == "a" else None) for t, m in parts)


def _marked(spans: Sequence[Span]) -> list[tuple[str, str]]:
    """The (text, markup) of each span with markup, as :func:`_spans` writes them."""
    return [
        (s.text, "a" if s.href else "b" * s.bold + "i" * s.italic)
        for s in spans
        if s.bold or s.italic or s.href
    ]


#: a bold, italic or link run in every position: (name, source spans, runs of the Spanish)
MARKUP = [
    ("start", _spans(("The president", "b"), (" said nothing.", "")), [("El presidente", "b")]),
    ("middle", _spans(("He said ", ""), ("nothing", "b"), (" to reporters.", "")), [("nada", "b")]),
    ("end", _spans(("The talks will resume ", ""), ("next week", "i"), (".", "")),
     [("la semana que viene", "i")]),
    ("end with its period", _spans(("The talks will resume ", ""), ("next week.", "b")),
     [("la semana que viene.", "b")]),
    ("whole sentence", _spans(("Police closed the road.", "b"),), [("La policía cerró la carretera.", "b")]),
    ("one word moved", _spans(("The ", ""), ("red", "b"), (" car is big.", "")), [("rojo", "b")]),
    ("two words moved", _spans(("The ", ""), ("big red", "i"), (" car is here.", "")),
     [("rojo grande", "i")]),
    ("one word in a phrase", _spans(("The ", ""), ("company's", "b"), (" shares fell.", "")),
     [("empresa", "b")]),
    ("noun phrase", _spans(("Officials evacuated ", ""), ("the old town hall", "b"), (" on Monday.", "")),
     [("el ayuntamiento viejo", "b")]),
    ("verb", _spans(("The minister ", ""), ("resigned", "b"), (" on Friday.", "")), [("dimitió", "b")]),
    ("before a comma", _spans(("However", "i"), (", the deal collapsed.", "")), [("Aun así", "i")]),
    ("inside quotes", _spans(('He said "', ""), ("no", "b"), ('" to the plan.', "")), [("ningún", "b")]),
    ("link", _spans(("She met the ", ""), ("Prime Minister", "a"), (" of Spain.", "")),
     [("Primer ministro", "a")]),
    ("link before the period", _spans(("Details are on the ", ""), ("ministry website", "a"), (".", "")),
     [("sitio web", "a"), ("ministerio", "a")]),
    ("two runs", _spans(("Russia", "b"), (" and ", ""), ("China", "i"), (" signed the treaty.", "")),
     [("Rusia", "b"), ("China", "i")]),
    ("nested", _spans(("The ", ""), ("ministry said ", "b"), ("nothing", "bi"), (" about", "b"),
                      (" the plan.", "")),
     [("ministerio dijo", "b"), ("nada", "bi"), ("sobre", "b")]),
    ("around a number", _spans(("300 residents", "b"), (" were evacuated.", "")), [("300 residentes", "b")]),
    ("around a handle", _spans(("Follow ", ""), ("@city_news", "a"), (" for updates.", "")),
     [("@city_news", "a")]),
]


@pytest.mark.integration
@needs_apertium
def test_bracket_edges_change_apertium_grammar() -> None:
    # why edges are word-bound blanks: "[1]" and "[2]" are words to Apertium's grammar
    engine = ApertiumEngine(ApertiumSettings())
    brackets, blanks, plain = engine.translate_batch(
        ["The [1]red[2] car is big.", "The [[1]]red[[/]] car is big.", "The red car is big."], "en", "es"
    )
    assert (brackets, plain) == ("El [1]rojo[2] el coche es grande.", "El coche rojo es grande.")
    assert blanks == "El coche [[1]]rojo[[/]] es grande."


@pytest.mark.integration
@needs_apertium
@pytest.mark.parametrize(("name", "spans", "runs"), MARKUP, ids=[m[0] for m in MARKUP])
def test_apertium_translates_marked_up_text_as_the_same_text_without_markup(
    name: str, spans: tuple[Span, ...], runs: list[tuple[str, str]], apertium_settings: TranslationSettings
) -> None:
    marked = _translate_spans(spans, "apertium", apertium_settings)
    plain = _translate("".join(s.text for s in spans), "apertium", apertium_settings)
    assert "".join(s.text for s in marked) == plain
    # and the markup is on the words that translate the marked words
    assert _marked(marked) == runs


@pytest.mark.integration
@needs_apertium
def test_bold_on_a_word_apertium_folds_away_is_dropped_and_the_sentence_kept(
    apertium_settings: TranslationSettings,
) -> None:
    # "will appeal" is one Spanish word: there is no word left to be bold
    spans = _spans(("The company ", ""), ("will", "b"), (" appeal.", ""))
    marked = _translate_spans(spans, "apertium", apertium_settings)
    assert marked == (Span("La empresa apelará."),)
    assert marked[0].text == _translate("The company will appeal.", "apertium", apertium_settings)


@pytest.mark.integration
@needs_apertium
def test_a_link_on_a_word_apertium_folds_away_still_reaches_the_reader(
    apertium_settings: TranslationSettings,
) -> None:
    # a link is never dropped: the sentence's runs are translated apart instead, and a link
    # that translates to nothing on its own ("will") keeps its words
    for parts, link in [
        ((("He ", ""), ("did", "a"), (" not go.", "")), "Hizo"),
        ((("The company ", ""), ("will", "a"), (" appeal.", "")), "will"),
    ]:
        marked = _translate_spans(_spans(*parts), "apertium", apertium_settings)
        assert _marked(marked) == [(link, "a")]


# the tiny model's output means nothing, but it is a real model: a sentence with markup must
# come out exactly as the same sentence without, with every run of markup on some words. (The
# sentences with protected tokens are left out: the tiny model does not copy a stand-in, so
# both sentences fall back to translating their runs apart, which markup cuts differently.)
_ARGOS_MARKUP = [m for m in MARKUP if not any(c.isdigit() or c == "@" for c in "".join(s.text for s in m[1]))]


@pytest.mark.parametrize(("name", "spans", "runs"), _ARGOS_MARKUP, ids=[m[0] for m in _ARGOS_MARKUP])
def test_argos_translates_marked_up_text_as_the_same_text_without_markup(
    name: str, spans: tuple[Span, ...], runs: list[tuple[str, str]], argos_settings: TranslationSettings
) -> None:
    marked = _translate_spans(spans, "argos", argos_settings)
    plain = _translate("".join(s.text for s in spans), "argos", argos_settings)
    assert "".join(s.text for s in marked) == plain
    assert {m for _, m in _marked(marked)} == {m for _, m in _marked(spans)}


# ----------------------------------------------------------------------------- Argos
# the tiny package's weights are random, so its output means nothing: what is real is its
# SentencePiece model and the CTranslate2 round trip, which every stand-in must survive


@pytest.mark.parametrize(("sentence", "token"), NUMBER_KINDS + NAME_KINDS)
def test_every_argos_stand_in_survives_its_real_tokenizer(
    sentence: str, token: str, argos_settings: TranslationSettings
) -> None:
    engine = ArgosEngine(argos_settings.argos)
    sp = load_model(engine.package("en", "es"), argos_settings.argos).sp
    seg = segment_text(sentence, Protector(), engine.placeholders("en", "es")).segments[0]
    (stand_in,) = seg.placeholders
    assert stand_in.isdigit() and stand_in in seg.masked
    # the words around may hold letters this small vocabulary lacks; the stand-in may not
    assert sp.unk_id() not in sp.encode(stand_in)
    assert sp.decode(sp.encode(seg.masked)).count(stand_in) == 1


def test_a_bracket_placeholder_does_not_survive_the_tiny_tokenizer(
    argos_settings: TranslationSettings,
) -> None:
    # why Argos offers numerals: "[" is outside this vocabulary and decodes as " ⁇ "
    engine = ArgosEngine(argos_settings.argos)
    sp = load_model(engine.package("en", "es"), argos_settings.argos).sp
    assert sp.decode(sp.encode("[1] residents")) != "[1] residents"


def test_every_argos_stand_in_comes_back_through_the_model(argos_settings: TranslationSettings) -> None:
    engine = ArgosEngine(argos_settings.argos)
    pkg = engine.package("en", "es")
    model = load_model(pkg, argos_settings.argos)
    stand_ins = engine.placeholders("en", "es").numbers
    assert len(stand_ins) >= 10
    # the decoder is made to emit each stand-in's pieces (its output is otherwise random):
    # they are target vocabulary and decode back to the same bytes
    pieces = model.sp.encode(list(stand_ins), out_type=str)
    results = model.translator.translate_batch(
        [model.sp.encode(f"It was {s}.", out_type=str) for s in stand_ins],
        target_prefix=pieces,
        max_decoding_length=max(len(p) for p in pieces) + 1,
        beam_size=1,
    )
    for stand_in, p, res in zip(stand_ins, pieces, results, strict=True):
        assert decode_pieces(model.sp, res.hypotheses[0][: len(p)]) == stand_in


@pytest.mark.parametrize(("sentence", "token"), NUMBER_KINDS + NAME_KINDS)
def test_every_protected_kind_comes_back_from_argos_byte_for_byte(
    sentence: str, token: str, argos_settings: TranslationSettings
) -> None:
    out = _translate(sentence, "argos", argos_settings)
    assert out.count(token) == 1, out
