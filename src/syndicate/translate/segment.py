"""Segmentation for news: sentences, protected tokens and inline markup, masked for an engine.

A block (a run of :class:`~syndicate.item.Span` s) is split into sentences that survive wire
abbreviations ("U.S.", "Nov. 26", "Donald J. Trump"). In each sentence the tokens an engine
must not touch (URLs, e-mail addresses, @handles, tickers, agency tags, numbers, do-not-translate
terms) and the edges of bold/italic/link runs become placeholders, as the engine names them
(:class:`Placeholders`). A protected token is given to the engine as a stand-in it treats like
the token (a numeral for a number, a proper noun for a handle), so the words around it
translate as they would around the token; a token without a stand-in becomes ``[n]``. The
edges of a markup run are word-bound blanks (``[[n]]`` and ``[[/]]``) for an engine that
translates the sentence as it would without them and gives them back around the words that
translate the run (:attr:`Edges.WORD_BLANKS`), and ``[n]`` for any other. After translation
the placeholders are put back; a sentence whose placeholders did not survive, or whose link
lost its words, is translated again as the separate text runs between them, so links and
protected tokens always come through. Bold or italic on a word the translation has no word for
("will" in "apelará") is dropped rather than change the translation.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from syndicate.dateline.agencies import load_agencies
from syndicate.item import Span
from syndicate.translate.config import ProtectSettings

PLACEHOLDER = re.compile(r"\[(\d{1,4})\]")


class TokenKind(StrEnum):
    """What a protected token is to an engine's grammar, so its stand-in can be the same."""

    #: numbers, amounts, percentages, times, codes with digits
    NUMBER = "number"
    #: URLs, e-mail addresses, handles, tickers, agency tags, do-not-translate terms
    NAME = "name"


class Edges(StrEnum):
    """How an engine is given the edges of a bold, italic or link run."""

    #: as ``[n]`` placeholders in the text, for an engine that knows nothing of markup; an
    #: engine's grammar reads them as words or punctuation ("El [1]rojo[2] el coche")
    BRACKETS = "brackets"
    #: as word-bound blanks, Apertium's notation for inline formatting: ``[[n]]`` before the
    #: run of group ``n`` and ``[[/]]`` after it (see :func:`split_edges`). The engine
    #: translates the sentence as it would without them and gives them back around the
    #: words that translate the run, as one run or several ("El coche [[1]]rojo[[/]]")
    WORD_BLANKS = "word-blanks"


@dataclass(frozen=True, slots=True)
class Placeholders:
    """The stand-ins an engine is given for protected tokens, each pool in order of use.

    An engine's grammar reacts to what it sees: Apertium reads ``[3]`` as brackets around a
    number and starts a new phrase after it ("300 los residentes"). A stand-in the engine
    analyses as the same kind of word as the token (a numeral for "300", a proper noun for
    "@city_news") leaves the words around it as they would be. A token whose pool is empty or
    used up, or whose stand-in would touch a word or already appears in the sentence, falls
    back to ``[n]``. Markup edges are written as the engine's ``edges`` say: as ``[n]``, or as
    word-bound blanks the engine carries with the words and leaves out of its grammar.
    """

    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    #: how the edges of bold, italic and link runs are written for the engine
    edges: Edges = Edges.BRACKETS

    def pool(self, kind: TokenKind) -> tuple[str, ...]:
        return self.numbers if kind is TokenKind.NUMBER else self.names

    def common(self, other: Placeholders) -> Placeholders:
        """The stand-ins both schemes offer (for a route through two engines), in this order."""
        return Placeholders(
            tuple(p for p in self.numbers if p in other.numbers),
            tuple(p for p in self.names if p in other.names),
            self.edges if self.edges is other.edges else Edges.BRACKETS,
        )


#: only numbered brackets: for engines that say nothing about their grammar
BRACKETS = Placeholders()

#: a word-bound blank: ``[[n]]`` opens the run of markup group ``n``, ``[[/]]`` closes it
WORD_BLANK = re.compile(r"\[\[(?:(\d{1,4})|/)\]\]")


def split_edges(text: str) -> tuple[str, list[tuple[int, int, int]]] | None:
    """``text`` without its word-bound blanks, and the (start, end, group) of each run in it.

    Runs do not nest; a text whose blanks do not pair up (``[[/]]`` before ``[[n]]``, a run
    left open) gives None.
    """
    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    length = pos = 0
    open_at: tuple[int, int] | None = None
    for m in WORD_BLANK.finditer(text):
        out.append(text[pos : m.start()])
        length += m.start() - pos
        pos = m.end()
        if m.group(1) is not None:
            if open_at is not None:
                return None
            open_at = (length, int(m.group(1)))
        else:
            if open_at is None:
                return None
            runs.append((open_at[0], length, open_at[1]))
            open_at = None
    if open_at is not None:
        return None
    out.append(text[pos:])
    return "".join(out), runs


def join_edges(text: str, runs: Iterable[tuple[int, int, int]]) -> str:
    """``text`` with a word-bound blank pair around each (start, end, group) run (the inverse
    of :func:`split_edges`); runs must not overlap."""
    out: list[str] = []
    pos = 0
    for start, end, group in sorted(runs):
        out += [text[pos:start], f"[[{group}]]", text[start:end], "[[/]]"]
        pos = end
    out.append(text[pos:])
    return "".join(out)

# ----------------------------------------------------------------------------- protection

#: the bracketed agency tags of the agency table ("(Reuters)")
_AGENCIES = tuple(tag for agency in load_agencies() for tag in agency.tags)

_URL = r"(?:https?://|ftp://|www\.)[^\s<>\"]+"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_HANDLE = r"(?<![\w@])@\w{1,30}|(?<![\w#&])#\w*[^\W\d]\w*"
_TICKER = (
    r"\((?:[A-Z][A-Za-z]{1,11})\s?:\s?[A-Z0-9][A-Za-z0-9.\-]{0,11}\)"
    r"|(?<![\w$])\$[A-Z]{1,6}(?:\.[A-Z]{1,2})?(?![\w])"
)
_AGENCY = (
    r"(?<!\S)/[A-Z][A-Za-z.&\- ]{0,24}[A-Za-z.]/(?!\w)"
    r"|\((?:" + "|".join(re.escape(a) for a in _AGENCIES) + r")\)"
)
#: any token with a digit in it: 3.5, 12,000, $1.2, 10:30, 9M729, SSC-8, COVID-19, 7%
_NUMBER = r"(?<![\w$€£¥])[$€£¥]?(?=[\w\-]*\d)[^\W_]+(?:[.,:/\-][^\W_]+)*%?"


class Protector:
    """Finds the tokens of a text that must reach the reader exactly as written."""

    def __init__(self, settings: ProtectSettings | None = None) -> None:
        s = settings or ProtectSettings()
        # (group name, kind, pattern); the group that matched tells the token's kind
        parts: list[tuple[str, TokenKind, str]] = []
        #: glossary term -> its rendering: kept from the engine like a kept term, and written
        #: back as the rendering
        self._renderings = {k: v for k, v in s.glossary if k.strip()}
        terms = sorted({t for t in (*s.do_not_translate, *self._renderings) if t.strip()},
                       key=len, reverse=True)
        if terms:
            term = r"(?<!\w)(?:" + "|".join(re.escape(t) for t in terms) + r")(?!\w)"
            parts.append(("term", TokenKind.NAME, term))
        parts.append(("placeholder", TokenKind.NAME, PLACEHOLDER.pattern))
        if s.urls:
            parts.append(("url", TokenKind.NAME, _URL))
        if s.emails:
            parts.append(("email", TokenKind.NAME, _EMAIL))
        if s.handles:
            parts.append(("handle", TokenKind.NAME, _HANDLE))
        if s.tickers:
            parts.append(("ticker", TokenKind.NAME, _TICKER))
        if s.agency_tags:
            parts.append(("agency", TokenKind.NAME, _AGENCY))
        if s.numbers:
            parts.append(("number", TokenKind.NUMBER, _NUMBER))
        self._kinds = {name: kind for name, kind, _ in parts}
        self._re = re.compile("|".join(f"(?P<{name}>{p})" for name, _, p in parts))

    def rendering(self, token: str) -> str | None:
        """What a protected ``token`` is written as in the translation (a glossary term's
        rendering), or None: as it stands."""
        return self._renderings.get(token)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping (start, end) ranges of protected tokens, in order."""
        return [(start, end) for start, end, _ in self.find_kinds(text)]

    def find_kinds(self, text: str) -> list[tuple[int, int, TokenKind]]:
        """Like :meth:`find`, with what each token is (a number or a name)."""
        out: list[tuple[int, int, TokenKind]] = []
        for m in self._re.finditer(text):
            start, end = m.span()
            token = m.group()
            if token.startswith(("http", "ftp", "www.")):
                end = start + len(_trim_url(token))
            group = next(name for name, value in m.groupdict().items() if value is not None)
            if end > start:
                out.append((start, end, self._kinds[group]))
        return out


@functools.lru_cache(maxsize=16)
def protector_for(settings: ProtectSettings) -> Protector:
    """The protector for ``settings``, compiled once per process."""
    return Protector(settings)


def _trim_url(url: str) -> str:
    # sentence punctuation after a URL is not part of it; a ")" is, when it closes a "("
    while url and url[-1] in ".,;:!?'\"”’]>":
        url = url[:-1]
    while url.endswith(")") and url.count("(") < url.count(")"):
        url = url[:-1]
    return url


# ----------------------------------------------------------------------------- sentences

_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "sen",
    "rep",
    "gov",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "cmdr",
    "adm",
    "maj",
    "rev",
    "hon",
    "pres",
    "supt",
    "insp",
    "det",
    "fr",
    "messrs",
    "mme",
    "mlle",
    "ste",
    "sr",
    "sra",
    "srta",
    "dña",
    "ud",
    "uds",
    "hr",
    "frau",
    "no",
    "nos",
    "nr",
    "vs",
    "v",
    "approx",
    "ft",
    "mt",
    "ave",
    "blvd",
    "rd",
    "dept",
    "univ",
    "fig",
    "vol",
    "art",
    "sec",
    "pp",
    "p",
    "op",
    "cf",
    "ca",
    "al",
    "bzw",
    "ggf",
    "vgl",
    "г",
    "гг",
    "им",
    "ул",
    "св",
    "т",
    "тыс",
    "млн",
    "млрд",
    "руб",
    "долл",
}
_MONTHS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
#: words that end a sentence as often as they end an abbreviation
_AMBIGUOUS = {"inc", "corp", "co", "ltd", "plc", "llc", "etc", "bros", "jr", "sr", "esq"}
#: words that typically open a sentence: after an ambiguous abbreviation they mark a boundary
_STARTERS = {
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "In",
    "On",
    "At",
    "But",
    "And",
    "However",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Meanwhile",
    "Earlier",
    "Later",
    "According",
    "After",
    "Before",
    "While",
    "When",
    "Since",
    "Also",
    "Some",
    "Many",
    "Most",
    "Not",
    "As",
    "For",
    "If",
    "Under",
    "Both",
    "Officials",
    "Police",
    "So",
    "Yet",
    "Still",
    "Now",
    "Then",
    "What",
    "Why",
    "How",
    "Who",
    "El",
    "La",
    "Los",
    "Las",
    "Der",
    "Die",
    "Das",
    "Le",
    "Les",
    "Il",
}

_CANDIDATE = re.compile(
    r"(?P<end>\.{3}|…|[.!?]+)(?P<close>[\"'”’»)\]]*)(?P<gap>\s+)(?=(?P<open>[\"'“‘«(\[]*)(?P<next>\S+))"
    r"|(?P<cjk>[。！？]+[」』”]*)"
)
_HARD_BREAK = re.compile(r"\n[ \t]*\n")


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    end = m.group("end")
    nxt = m.group("next")
    first = nxt[0]
    opened = bool(m.group("open"))
    if not (first.isupper() or first.isdigit() or (opened and first.isalpha())):
        return False
    if end != ".":
        return True  # !, ?, an ellipsis, or several periods followed by a capital
    if m.group("close"):
        return True  # ... he said." Next
    start = m.start("end")
    word_start = start
    while word_start > 0 and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:start].lstrip("\"'“‘«([")
    if not word:
        return True
    low = word.lower()
    if low in _TITLES or low in _MONTHS:
        return False
    if len(word) == 1 and word.isalpha() and word.isupper():
        return False  # an initial: Donald J. Trump
    next_word = nxt.strip("\"'“‘«([,;:")
    if re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", word):
        # U.S, D.C, a.m: a sentence ends here only if a typical sentence opener follows
        return next_word in _STARTERS and low not in ("e.g", "i.e", "z.b")
    if low in _AMBIGUOUS:
        return next_word in _STARTERS
    return True


def sentence_bounds(text: str, protected: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``, without the white space between them.

    A boundary never falls inside a protected range (a URL or e-mail address with a period).
    """
    cuts: list[int] = []
    inside = _inside(protected)
    for m in _CANDIDATE.finditer(text):
        if m.group("cjk"):
            cut = m.end("cjk")
        elif _is_boundary(text, m):
            cut = m.end("close")
        else:
            continue
        if not inside(cut - 1):
            cuts.append(cut)
    cuts += [m.start() for m in _HARD_BREAK.finditer(text)]
    bounds: list[tuple[int, int]] = []
    start = 0
    for cut in [*sorted(set(cuts)), len(text)]:
        seg = text[start:cut]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            bounds.append((start + lead, start + len(seg.rstrip())))
        start = cut
    return bounds


def _inside(ranges: Sequence[tuple[int, int]]) -> _Inside:
    return _Inside(ranges)


class _Inside:
    def __init__(self, ranges: Sequence[tuple[int, int]]) -> None:
        self.ranges = ranges

    def __call__(self, pos: int) -> bool:
        return any(s <= pos < e - 1 for s, e in self.ranges)


def split_sentences(text: str, protector: Protector | None = None) -> list[str]:
    """The sentences of ``text`` (a convenience over :func:`sentence_bounds`)."""
    prot = (protector or Protector()).find(text)
    return [text[s:e] for s, e in sentence_bounds(text, prot)]


# ----------------------------------------------------------------------------- masking


@dataclass(frozen=True, slots=True)
class Fmt:
    """The inline formatting of a run of text."""

    bold: bool = False
    italic: bool = False
    href: str | None = None

    @property
    def plain(self) -> bool:
        return not (self.bold or self.italic or self.href)

    def span(self, text: str) -> Span:
        return Span(text, bold=self.bold, italic=self.italic, href=self.href)


PLAIN = Fmt()


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of one sentence: text for the engine, or a protected token kept as written."""

    text: str
    fmt: Fmt = PLAIN
    protected: bool = False
    #: what a protected token is, for its stand-in
    kind: TokenKind = TokenKind.NAME
    #: how a protected token is written in the translation (a glossary's rendering)
    rendering: str | None = None

    @property
    def written(self) -> str:
        """The piece as the translation writes it when the engine does not touch it."""
        return self.rendering if self.rendering is not None else self.text


def _has_words(text: str) -> bool:
    return any(c.isalpha() for c in text)


@dataclass(frozen=True, slots=True)
class Segment:
    """One sentence, masked for the engine, and how to rebuild spans from its translation."""

    pieces: tuple[Piece, ...]
    #: the text the engine sees: protected tokens as stand-ins or ``[n]``, markup edges as
    #: ``[n]`` or word-bound blanks (``edges``)
    masked: str
    #: placeholder number -> ("open"|"close", group) or ("token", piece index); with
    #: word-bound blanks only tokens are numbered
    marks: tuple[tuple[str, int], ...]
    #: formatting of each markup group (a run of non-plain text)
    groups: tuple[Fmt, ...]
    #: the text of each placeholder in ``masked``, by placeholder number - 1
    placeholders: tuple[str, ...] = ()
    #: how the markup edges are written in ``masked``
    edges: Edges = Edges.BRACKETS

    @property
    def needs_translation(self) -> bool:
        return any(not p.protected and _has_words(p.text) for p in self.pieces)

    def fragments(self) -> list[str]:
        """The text runs to translate one by one when placeholders did not survive."""
        return [p.text.strip() for p in self.pieces if not p.protected and _has_words(p.text)]

    def source_spans(self) -> list[Span]:
        return _merge(p.fmt.span(p.written) for p in self.pieces)

    def restore(self, translated: str) -> list[Span] | None:
        """Spans from the engine's output, or None when its placeholders were damaged."""
        if self.edges is Edges.WORD_BLANKS:
            return self._restore_word_blanks(translated)
        names = self.placeholders or tuple(f"[{i}]" for i in range(1, len(self.marks) + 1))
        found = list(_placeholder_re(names).finditer(translated))
        number = {p: i for i, p in enumerate(names)}
        if sorted(number[m.group()] for m in found) != list(range(len(self.marks))):
            return None
        if any(m.group() not in number for m in PLACEHOLDER.finditer(translated)):
            return None  # a bracketed number the engine made up: which token was it?
        out: list[Span] = []
        group: int | None = None
        pos = 0
        for m in found:
            text = translated[pos : m.start()]
            if text:
                out.append((self.groups[group] if group is not None else PLAIN).span(text))
            pos = m.end()
            kind, ref = self.marks[number[m.group()]]
            if kind == "open":
                if group is not None:
                    return None
                group = ref
            elif kind == "close":
                if group != ref:
                    return None
                group = None
            else:
                piece = self.pieces[ref]
                out.append(piece.fmt.span(piece.written))
        if group is not None:
            return None
        tail = translated[pos:]
        if tail:
            out.append(PLAIN.span(tail))
        return _merge(out)

    def _restore_word_blanks(self, translated: str) -> list[Span] | None:
        parsed = split_edges(translated)
        if parsed is None:
            return None
        text, runs = parsed
        # the group of each character; the engine may split a run ("[[1]]El[[/]] [[1]]presidente[[/]]")
        owner: list[int | None] = [None] * len(text)
        for start, end, n in runs:
            if not 1 <= n <= len(self.groups):
                return None
            owner[start:end] = [n - 1] * (end - start)
        ordered = sorted(runs)
        for (_, end, a), (start, _, b) in itertools.pairwise(ordered):
            if a == b and text[end:start].isspace():
                owner[end:start] = [a - 1] * (start - end)
        shown = {n - 1 for start, end, n in runs if text[start:end].strip()}
        if any(fmt.href and g not in shown for g, fmt in enumerate(self.groups)):
            return None  # a link must reach the reader; bold on a word the translation lacks may not
        names = self.placeholders or tuple(f"[{i}]" for i in range(1, len(self.marks) + 1))
        found = list(_placeholder_re(names).finditer(text))
        number = {p: i for i, p in enumerate(names)}
        if sorted(number[m.group()] for m in found) != list(range(len(self.marks))):
            return None
        if any(m.group() not in number for m in PLACEHOLDER.finditer(text)):
            return None
        out: list[Span] = []
        pos = 0

        def plain_text(upto: int) -> None:
            for _, chars in itertools.groupby(range(pos, upto), key=lambda i: owner[i]):
                at = list(chars)
                g = owner[at[0]]
                out.append((self.groups[g] if g is not None else PLAIN).span(text[at[0] : at[-1] + 1]))

        for m in found:
            plain_text(m.start())
            piece = self.pieces[self.marks[number[m.group()]][1]]
            out.append(piece.fmt.span(piece.written))
            pos = m.end()
        plain_text(len(text))
        return _merge(out)

    def restore_fragments(self, translated: Sequence[str]) -> list[Span]:
        """Spans from the separately translated text runs (see :meth:`fragments`)."""
        it = iter(translated)
        out: list[Span] = []
        for p in self.pieces:
            if p.protected or not _has_words(p.text):
                out.append(p.fmt.span(p.written))
                continue
            lead = p.text[: len(p.text) - len(p.text.lstrip())]
            trail = p.text[len(p.text.rstrip()) :]
            text = next(it)
            if p.fmt.href and not text.strip():
                text = p.text.strip()  # a link the engine translated to nothing keeps its words
            out.append(p.fmt.span(lead + text + trail))
        return _merge(out)


@functools.lru_cache(maxsize=4096)
def _placeholder_re(placeholders: tuple[str, ...]) -> re.Pattern[str]:
    # a stand-in made of word characters counts only as a whole word: "90001" is not in "900012"
    alts = [
        rf"(?<!\w){re.escape(p)}(?!\w)" if _WORDY.match(p) else re.escape(p)
        for p in sorted(placeholders, key=len, reverse=True)
    ]
    return re.compile("|".join(alts) or r"(?!)")


_WORDY = re.compile(r"\w")


def _merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and (out[-1].bold, out[-1].italic, out[-1].href) == (s.bold, s.italic, s.href):
            out[-1] = Span(out[-1].text + s.text, s.bold, s.italic, s.href)
        else:
            out.append(s)
    return out


def _mask(pieces: Sequence[Piece], placeholders: Placeholders = BRACKETS) -> Segment:
    if placeholders.edges is Edges.WORD_BLANKS:
        seg = _mask_with(pieces, placeholders, blanks=True)
        if seg is not None:
            return seg
        # the sentence itself holds something written like a word-bound blank: the engine
        # could not tell it from an edge, so this sentence's edges are brackets
    seg = _mask_with(pieces, placeholders, blanks=False)
    assert seg is not None
    return seg


def _mask_with(pieces: Sequence[Piece], placeholders: Placeholders, blanks: bool) -> Segment | None:
    parts: list[str] = []
    marks: list[tuple[str, int]] = []
    groups: list[Fmt] = []
    # the text the engine sees besides placeholders: a stand-in found in it would be ambiguous
    visible = "".join(p.text for p in pieces if not p.protected)
    used: set[str] = set()
    #: (index in parts, placeholder number) of each stand-in, checked for neighbours below
    stand_ins: list[tuple[int, int]] = []
    #: indexes in parts of word-bound blanks, which the engine does not see as text
    edges: set[int] = set()

    def mark(kind: str, ref: int) -> None:
        if blanks and kind != "token":
            edges.add(len(parts))
            parts.append(f"[[{ref + 1}]]" if kind == "open" else "[[/]]")
            return
        marks.append((kind, ref))
        if kind == "token":
            pool = placeholders.pool(pieces[ref].kind)
            free = next((p for p in pool if p not in used and p not in visible), None)
            if free is not None:
                used.add(free)
                stand_ins.append((len(parts), len(marks)))
                parts.append(free)
                return
        parts.append(f"[{len(marks)}]")

    index = 0
    for fmt, run in itertools.groupby(pieces, key=lambda p: p.fmt):
        run_pieces = list(run)
        # bold or a link on white space alone is invisible: word-bound blanks need a word
        shown = not blanks or any(p.protected or p.text.strip() for p in run_pieces)
        group = not fmt.plain and shown
        if group:
            groups.append(fmt)
            mark("open", len(groups) - 1)
        for p in run_pieces:
            if p.protected:
                mark("token", index)
            else:
                parts.append(p.text)
            index += 1
        if group:
            mark("close", len(groups) - 1)

    def neighbour(at: int, step: int) -> str:
        at += step
        while 0 <= at < len(parts) and (at in edges or not parts[at]):
            at += step
        if not 0 <= at < len(parts):
            return ""
        return parts[at][-1:] if step < 0 else parts[at][:1]

    for at, number in stand_ins:
        # a word stand-in glued to a word ("90001" before "kg", or two stand-ins in a row) would
        # read as one word to the engine and could not be found again: it gets brackets
        left, right = neighbour(at, -1), neighbour(at, 1)
        if _WORDY.match(parts[at]) and (_WORDY.match(left) or _WORDY.match(right)):
            parts[at] = f"[{number}]"
    names = tuple(parts[at] for at, _ in stand_ins)
    placeholder = {number: name for (_, number), name in zip(stand_ins, names, strict=True)}
    texts = tuple(placeholder.get(i, f"[{i}]") for i in range(1, len(marks) + 1))
    masked = "".join(parts)
    if blanks:
        # a blank sits against the words of its run, white space outside it
        masked = _SPACE_AFTER_OPEN.sub(r"\2\1", _SPACE_BEFORE_CLOSE.sub(r"\2\1", masked))
        if len(WORD_BLANK.findall(masked)) != len(edges) or split_edges(masked) is None:
            return None
    return Segment(
        tuple(pieces), masked, tuple(marks), tuple(groups), texts,
        Edges.WORD_BLANKS if blanks else Edges.BRACKETS,
    )


_SPACE_AFTER_OPEN = re.compile(r"(\[\[\d+\]\])(\s+)")
_SPACE_BEFORE_CLOSE = re.compile(r"(\s+)(\[\[/\]\])")


@dataclass(frozen=True, slots=True)
class SegmentedText:
    """A block cut into sentences; ``gaps`` is the white space around them (one more than
    there are segments), kept so the rebuilt block is laid out like the source."""

    segments: tuple[Segment, ...]
    gaps: tuple[str, ...]

    def rebuild(self, translated: Sequence[Sequence[Span]], joiner: str = " ") -> list[Span]:
        """Spans of the whole block from each segment's translated spans."""
        out: list[Span] = []
        for i, spans in enumerate(translated):
            gap = self.gaps[i]
            if i > 0 and not gap:
                gap = joiner
            if gap:
                out.append(Span(gap))
            out.extend(spans)
        if self.gaps[-1]:
            out.append(Span(self.gaps[-1]))
        return _merge(out)


def segment_spans(
    spans: Sequence[Span], protector: Protector, placeholders: Placeholders = BRACKETS
) -> SegmentedText:
    """Cut a run of spans into sentences masked with the engine's ``placeholders``."""
    text = "".join(s.text for s in spans)
    fmts: list[tuple[int, int, Fmt]] = []
    pos = 0
    for s in spans:
        fmts.append((pos, pos + len(s.text), Fmt(s.bold, s.italic, s.href)))
        pos += len(s.text)
    kinds = protector.find_kinds(text)
    protected = [(a, b) for a, b, _ in kinds]
    bounds = sentence_bounds(text, protected)
    # cut points: span edges, protected token edges
    segments: list[Segment] = []
    gaps: list[str] = []
    prev = 0
    for start, end in bounds:
        gaps.append(text[prev:start])
        prev = end
        cuts = {start, end}
        cuts.update(a for a, _, _ in fmts if start < a < end)
        for a, b in protected:
            if a < end and b > start:
                cuts.update(x for x in (a, b) if start < x < end)
        edges = sorted(cuts)
        pieces: list[Piece] = []
        for a, b in itertools.pairwise(edges):
            fmt = next((f for x, y, f in fmts if x <= a < y), PLAIN)
            kind = next((k for x, y, k in kinds if x <= a and b <= y), None)
            prot = kind is not None
            piece = Piece(text[a:b], fmt, prot, kind or TokenKind.NAME,
                          protector.rendering(text[a:b]) if prot else None)
            if pieces and not prot and not pieces[-1].protected and pieces[-1].fmt == fmt:
                pieces[-1] = Piece(pieces[-1].text + piece.text, fmt)
            else:
                pieces.append(piece)
        segments.append(_mask(pieces, placeholders))
    gaps.append(text[prev:])
    return SegmentedText(tuple(segments), tuple(gaps))


def segment_text(text: str, protector: Protector, placeholders: Placeholders = BRACKETS) -> SegmentedText:
    return segment_spans((Span(text),), protector, placeholders)
