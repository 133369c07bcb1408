"""Agency datelines: find one at the start of a paragraph and take it apart.

"MOSCOW, October 22. /TASS/." becomes city MOSCOW, date October 22 (year inferred), source
TASS, house style "tass". Parsing only: rendering a dateline in another language is the job
of :mod:`syndicate.dateline.localize`.

The patterns are built once per process, on first use, from data: month names per language
from CLDR (via Babel) plus the abbreviations agencies use ("Sept."), and the agency table
(:mod:`syndicate.dateline.agencies`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import get_month_names

from syndicate.dateline import places
from syndicate.dateline.agencies import Agency, load_agencies
from syndicate.item import Dateline, Place

__all__ = [
    "AGENCIES",
    "MONTH_LANGUAGES",
    "Agency",
    "dateline_end",
    "find_agency",
    "infer_date",
    "looks_like_dateline",
    "month_number",
    "parse_dateline",
    "split_dateline",
]


# ------------------------------------------------------------------ agencies


#: every agency the parser knows, from the one agency table (``data/agencies.yaml``)
AGENCIES: tuple[Agency, ...] = load_agencies()

_AGENCY_BY_MARKER: dict[str, Agency] = {m.casefold(): a for a in AGENCIES for m in (*a.markers, *a.bare)}


def _alternation(words: list[str] | set[str]) -> str:
    # longest first, so "ITAR-TASS" wins over "TASS" and "Sept" over "Sep"
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


_AGENCY_RE = re.compile(rf"(?<![^\W_])(?:{_alternation(set(_AGENCY_BY_MARKER))})(?![^\W_])", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def find_agency(text: str) -> Agency | None:
    """The first known agency named in ``text`` ("TASS correspondent ..." -> TASS), or None."""
    # cached: the pattern alternates over every agency's names, and credits repeat all day
    m = _AGENCY_RE.search(text)
    return _AGENCY_BY_MARKER[m.group(0).casefold()] if m else None


# ------------------------------------------------------------------ months

#: languages whose month names the dateline patterns know (CLDR data through Babel)
MONTH_LANGUAGES: tuple[str, ...] = (
    "en", "ru", "uk", "es", "de", "fr", "it", "pt", "nl", "pl", "tr", "id", "ca", "ro",
)  # fmt: skip

#: abbreviations agencies write that CLDR does not list
_EXTRA_MONTHS: dict[str, dict[str, int]] = {
    "en": {"sept": 9, "sep": 9},
    "es": {"sep": 9, "set": 9, "septiembre": 9, "setiembre": 9},
    "de": {"sept": 9, "mrz": 3, "jän": 1, "jänner": 1},
    "ru": {"сен": 9, "фев": 2, "ноя": 11},
    "it": {"sett": 9},
    "fr": {"fev": 2, "dec": 12, "aout": 8},
}


@functools.cache
def _month_table() -> dict[str, dict[str, int]]:
    # built on first use, not at import: reading CLDR for every language takes 0.1-0.2 s
    table: dict[str, dict[str, int]] = {}
    for lang in MONTH_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, lang).items():
                    # Catalan writes the genitive "de gener", "d’abril": the pattern takes
                    # the particle separately
                    token = re.sub(r"^(?:de\s+|d[’'])", "", name.rstrip(".").casefold())
                    if token:
                        table.setdefault(token, {}).setdefault(lang, number)
        for token, number in _EXTRA_MONTHS.get(lang, {}).items():
            table.setdefault(token, {}).setdefault(lang, number)
    return table


def month_number(token: str, language: str | None = None) -> int | None:
    """The month (1-12) a month name or abbreviation stands for; the language breaks ties."""
    senses = _month_table().get(token.rstrip(".").casefold())
    if not senses:
        return None
    primary = language.split("-")[0].lower() if language else None
    if primary and primary in senses:
        return senses[primary]
    if "en" in senses:
        return senses["en"]
    return next(iter(senses.values()))


# ------------------------------------------------------------------ patterns

# Python's re has no \p{Lu}: build the class of upper-case letters of the Latin, Greek and
# Cyrillic blocks once
_UPPER = "".join(ch for ch in map(chr, range(0x41, 0x530)) if ch.isupper())
# possessive: a word is never split to retry the pattern (that made misses cost microseconds)
_WORD = rf"[{_UPPER}](?:[^\W\d_]|['’.\-])*+"
_PARTICLE = (
    r"(?:de|da|do|dos|das|del|della|delle|di|du|des|la|le|les|lès|am|an|der|den|im|el|al|"
    r"y|e|i|sur|upon|on|en|au|aux|na|nad|pod|of|ad|bei|ob|van|von|aan|op|sous|sul|auf|and|"
    r"et|und|the)"
)
# a place name: capitalised words, lower-case particles only between them ("RIO DE JANEIRO",
# "Frankfurt am Main"), "/" joining twin datelines ("Berlin/Brüssel")
_PLACE = rf"{_WORD}(?:(?:[ \t]+(?:{_PARTICLE}[ \t]+){{0,2}}|/){_WORD}){{0,4}}"


def _trie_pattern(words: set[str]) -> str:
    """One regex matching exactly ``words``, factored by common prefixes.

    A flat alternation of some 300 month names costs several microseconds at every position
    the engine tries; the factored form fails on the first letter that fits no name.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return f"(?:{body})?"
        return body

    return emit(trie)


def _date_pattern() -> str:
    month = rf"(?i:{_trie_pattern(set(_month_table()))})(?![^\W\d_])"
    return (
        rf"(?:(?:de[ \t]+|d[’'])?(?P<mon1>{month})\.?[ \t]+(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
        rf"|(?P<day2>\d{{1,2}})(?:\.|st|nd|rd|th|er|º|°)?[ \t]+(?:de[ \t]+|d[’'])?(?P<mon2>{month})\.?)"
        r"(?:,?[ \t]+(?:de[ \t]+)?(?P<year>\d{4})(?!\d)(?:[ \t]*(?:г\.|года))?)?"
    )


_DASH = r"(?:--|[-–—])"


# a closing dash or full stop followed by space, or a dash glued to the first word
def _term(n: int, *, full_stop: bool) -> str:
    # a bare full stop closes a dateline only after the source ("/TASS/."); elsewhere it
    # would end an abbreviation ("Sept.")
    stop = r"|\." if full_stop else ""
    return (
        rf"(?:(?P<term{n}>[ \t]*(?:\.[ \t]*{_DASH}|{_DASH}{stop}))(?=\s|$)"
        rf"|(?P<aterm{n}>[ \t]*{_DASH})(?=\S))"
    )


_BARE_AGENCIES = _alternation({m for a in AGENCIES for m in a.bare})
_ALL_AGENCIES = _alternation({m for a in AGENCIES for m in a.markers})


def _dateline_head() -> str:
    return (
        r"[ \t]*"
        # agency first, as ANSA writes it: "(ANSA) - Rome, November 22 -"
        rf"(?:\([ \t]*(?P<lsrc>[^()\n]{{1,40}}?)[ \t]*\)[ \t]*(?:\.?{_DASH})[ \t]*)?"
        rf"(?P<city>{_PLACE})"
        # EFE writes the country in brackets: "Ginebra (Suiza), 20 nov (EFE).-"
        rf"(?:[ \t]*\((?P<pcountry>{_PLACE})\)(?=,))?"
        rf"(?:,[ \t]*(?P<part1>{_PLACE})(?:,[ \t]*(?P<part2>{_PLACE}))?)?"
        # Interfax separates city and date with a full stop: "Москва. 22 октября. ИНТЕРФАКС -"
        rf"(?:[,.]?[ \t]+{_date_pattern()})?"
    )


# the dateline ends with the credited source, a closing dash, or both
_DATELINE_TAIL = (
    r"(?:\.?[ \t]*(?:"
    r"\([ \t]*(?P<psrc>[^()\n]{1,40}?)[ \t]*\)"  # (AP) (Reuters) (AFP) (EFE) (Xinhua)
    r"|/[ \t]*(?P<ssrc>[^/\n]{1,60}?)[ \t]*/"  # /TASS/ /ТАСС/ /TASS correspondent .../
    rf"|(?<=[ \t])(?P<bsrc>{_BARE_AGENCIES})(?=[ \t]*{_DASH})"  # SYDNEY Nov 23 AAP -
    rf"|{_DASH}[ \t]*(?P<dsrc>{_ALL_AGENCIES})(?=\.)"  # МОСКВА, 22 окт — РИА Новости.
    rf"){_term(1, full_stop=True)}?|{_term(2, full_stop=False)})"
)


# compiled on first use: the patterns take some 0.1 s to build and compile, which a command
# that never reads a dateline should not pay
@functools.cache
def _dateline_re() -> re.Pattern[str]:
    return re.compile(_dateline_head() + _DATELINE_TAIL)


@functools.cache
def _standalone_re() -> re.Pattern[str]:
    # a text that is nothing but a dateline (a NITF <dateline> element): the tail is optional
    return re.compile(_dateline_head() + f"(?:{_DATELINE_TAIL})?" + r"[ \t.,:;]*\Z")


# Chinese Xinhua copy: 新华社北京11月26日电（记者 ...）
_XINHUA_ZH_RE = re.compile(
    r"[ \t]*(?P<src>新华社|新華社)(?P<city>[^\d\s，,（(]{1,10}?)"
    r"(?:(?P<year>\d{4})年)?(?P<mon>\d{1,2})月(?P<day>\d{1,2})日[电電]"
    r"(?:[（(][^）)\n]{0,40}[）)])?[ \t]*"
)

_MARKS_RE = re.compile(r"[(/\-–—]|新[华華]社")
#: only this much of a paragraph is looked at: datelines are short
_HEAD = 240
_UNKNOWN_SOURCE_RE = re.compile(rf"[{_UPPER}][^\W\d_]*(?:[ .&'’\-/][^\W\d_]+){{0,3}}\.?")


@dataclass(frozen=True, slots=True)
class _Parts:
    raw: str
    city: str
    region: str | None
    country: str | None
    month: int | None
    day: int | None
    year: int | None
    source: str | None
    style: str
    end: int


def _match(text: str, language: str | None, standalone: bool = False) -> _Parts | None:
    """Take a dateline apart without resolving the place or inferring the year."""
    if standalone:
        return _match_head(text.strip(), language, True) if len(text) <= _HEAD else None
    return _match_head(text[:_HEAD], language, False)


@functools.lru_cache(maxsize=512)
def _match_head(head: str, language: str | None, standalone: bool) -> _Parts | None:
    # cached: a codec looks for a dateline while reading the header, then parses the
    # paragraph it found, and wire copy repeats the same datelines all day
    if not standalone and not _MARKS_RE.search(head):
        # every dateline form has a bracket, a slash or a dash (or is Chinese Xinhua copy)
        return None
    zh = _XINHUA_ZH_RE.match(head)
    if zh:
        return _Parts(
            raw=zh.group(0).strip(),
            city=zh.group("city"),
            region=None,
            country=None,
            month=int(zh.group("mon")),
            day=int(zh.group("day")),
            year=int(zh.group("year")) if zh.group("year") else None,
            source=zh.group("src"),
            style="xinhua",
            end=zh.end(),
        )
    m = (_standalone_re() if standalone else _dateline_re()).match(head)
    if m is None or not m.group("city"):
        return None
    city = m.group("city")
    if city.endswith(".") and len(city.rsplit(None, 1)[-1]) > 4 and city[-2:-1].islower():
        city = city[:-1]  # "Москва. 22 октября": the full stop separates, it is no abbreviation
    term = m.group("term1") or m.group("term2")
    lead = m.group("lsrc")
    bare = m.group("bsrc")
    source = lead or m.group("psrc") or m.group("ssrc") or bare or m.group("dsrc")
    agency = find_agency(source) if source else None
    mon_token = m.group("mon1") or m.group("mon2")
    day_token = m.group("day1") or m.group("day2")
    rest = head[m.end() :].lstrip()
    caps_city = city.upper() == city

    attached = m.group("aterm1") or m.group("aterm2")
    if attached:
        if source is None and "-" in attached:
            # "MOSCOW-based" is a word, not a dateline
            return None
        term = attached
    if standalone:
        pass  # the whole text is the dateline: nothing to tell apart from prose
    elif term is None and (source is None or (agency is None and not m.group("ssrc"))):
        return None
    elif source is None:
        if mon_token is None:
            # "LONDON — Britain's ...": only an upper-case city before a dash, and real prose
            # after it (an all-caps headline with a dash is not a dateline)
            if not caps_city or not term or "." in term or len(city.split()) > 3:
                return None
            if not rest or not any(ch.islower() for ch in rest[:80]):
                return None
    elif agency is None:
        # an unknown agency in brackets must look like a name ("(Bloomberg)", "(UNIAN)"), and
        # without a date the city or the agency must be in capitals ("Washington (CNN) -")
        if not _UNKNOWN_SOURCE_RE.fullmatch(source) or not term:
            return None
        if mon_token is None and not caps_city and source.upper() != source:
            return None

    month = month_number(mon_token, language) if mon_token else None
    if mon_token and month is None:
        return None
    parts = [p for p in (m.group("pcountry"), m.group("part1"), m.group("part2")) if p]
    region, country = _region_country(parts)
    style = (agency.style if agency else None) or "generic"
    if m.group("ssrc") and agency is not None and agency.name == "TASS":
        style = "tass"
    raw = head[: m.end()].strip()
    return _Parts(
        raw=raw,
        city=city,
        region=region,
        country=country,
        month=month,
        day=int(day_token) if day_token else None,
        year=int(m.group("year")) if m.group("year") else None,
        source=source.strip() if source else None,
        style=style,
        end=m.end(),
    )


# ------------------------------------------------------------------ region or country

# AP style abbreviations of US states, which stand where other datelines put a country
_US_STATES = frozenset((
    "Ala.", "Ariz.", "Ark.", "Calif.", "Colo.", "Conn.", "Del.", "Fla.", "Ga.", "Ill.", "Ind.",
    "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.", "Neb.",
    "Nev.", "N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "Okla.", "Ore.", "Pa.", "R.I.",
    "S.C.", "S.D.", "Tenn.", "Vt.", "Va.", "Wash.", "W.Va.", "Wis.", "Wyo.", "D.C.",
))  # fmt: skip


@functools.cache
def _country_names() -> frozenset[str]:
    """Country names in every language whose months we read (CLDR territory names)."""
    names: set[str] = set()
    for lang in MONTH_LANGUAGES:
        try:
            names.update(n.casefold() for n in Locale.parse(lang).territories.values())
        except (UnknownLocaleError, ValueError):
            continue
    return frozenset(names)


def _is_country(name: str) -> bool:
    return name.casefold() in _country_names()


def _region_country(parts: list[str]) -> tuple[str | None, str | None]:
    if not parts:
        return None, None
    if len(parts) >= 2:
        return parts[0], parts[-1]
    only = parts[0]
    if only not in _US_STATES and _is_country(only):
        return None, only
    return only, None


# ------------------------------------------------------------------ places and dates


def _resolve_place(parts: _Parts, language: str | None) -> Place | None:
    # a twin dateline ("Berlin/Brüssel") is located at its first city
    city = parts.city.split("/")[0].strip()
    country = parts.country
    if country is None and parts.region in _US_STATES:
        country = "US"
    return places.resolve(city, region=parts.region, country=country, language=language)


def _zone(place: Place | None) -> dt.tzinfo:
    if place is not None and place.timezone:
        try:
            return ZoneInfo(place.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.UTC


def infer_date(
    month: int, day: int, *, now: dt.datetime, tz: dt.tzinfo = dt.UTC, year: int | None = None
) -> dt.date | None:
    """The calendar date a dateline means, or None if there is no such day.

    With ``year`` given it is simply that date. Without, it is the latest date with this
    month and day that is not after ``now`` as seen in ``tz`` (the dateline city's zone): a
    story datelined "October 22" ingested on November 1 is from this October, one ingested
    on October 1 from last year's. February 29 goes back to the latest leap year.
    A naive ``now`` is taken as UTC.
    """
    if year is not None:
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    today = now.astimezone(tz).date()
    # eight years back always reaches a leap year, even across 2100
    for candidate in range(today.year, today.year - 9, -1):
        try:
            date = dt.date(candidate, month, day)
        except ValueError:
            continue
        if date <= today:
            return date
    return None


# ------------------------------------------------------------------ public API


def parse_dateline(
    text: str,
    *,
    now: dt.datetime | None = None,
    language: str | None = None,
    standalone: bool = False,
) -> tuple[Dateline, str] | None:
    """Find a dateline at the start of ``text``; return it and the rest of the paragraph.

    Recognised house styles (``Dateline.style``): ``tass`` ("MOSCOW, October 22. /TASS/.",
    "МОСКВА, 22 октября. /ТАСС/."), ``ap`` ("FORT WASHINGTON, Pa. (AP) —"), ``reuters``
    ("BRUSSELS, Nov 27 (Reuters) -"), ``afp`` ("GENEVA, Nov 25, 2026 (AFP) -"), ``dpa``
    ("Berlin, 22. Oktober (dpa) -"), ``efe`` ("Madrid, 20 nov (EFE).-"), ``xinhua``
    ("BEIJING, Nov. 26 (Xinhua) --", "新华社北京11月26日电"), ``ansa`` ("(ANSA) - Rome,
    November 22 -"), ``aap`` ("SYDNEY Nov 23 AAP -"), and ``generic`` for the same shapes
    with other agencies or none ("CITY, Month Day -").

    ``Dateline.raw`` is the dateline exactly as written (with its closing dash), ``city``,
    ``region``, ``country`` and ``source`` are as written. ``place`` comes from
    :func:`syndicate.dateline.places.resolve` (None for an unknown place). A year the text omits
    is inferred as the latest such date not after ``now`` (default: the current time) in
    the city's time zone (UTC without a resolved place); see :func:`infer_date`.
    ``language`` (BCP 47) resolves month abbreviations shared by several languages and is
    stored in ``Dateline.language``. Returns None when the text does not start with a
    dateline.

    With ``standalone=True`` the text is a dateline and nothing else (as in a NITF
    ``<dateline>`` element): it need not end with a dash or a source ("WASHINGTON, Nov. 22",
    "Berlin"), must be wholly a dateline, and the rest returned is "".
    """
    parts = _match(text, language, standalone)
    if parts is None:
        return None
    place = _resolve_place(parts, language)
    date = None
    if parts.month is not None and parts.day is not None:
        date = infer_date(
            parts.month,
            parts.day,
            now=now or dt.datetime.now(dt.UTC),
            tz=_zone(place),
            year=parts.year,
        )
    dateline = Dateline(
        raw=parts.raw,
        city=parts.city,
        region=parts.region,
        country=parts.country,
        date=date,
        source=parts.source,
        place=place,
        style=parts.style,
        language=language,
    )
    return dateline, ("" if standalone else text[parts.end :].lstrip())


def split_dateline(
    paragraph: str, *, now: dt.datetime | None = None, language: str | None = None
) -> tuple[Dateline | None, str]:
    """``(dateline, rest)`` when the paragraph starts with a dateline, else ``(None, paragraph)``."""
    found = parse_dateline(paragraph, now=now, language=language)
    return found if found else (None, paragraph)


def dateline_end(text: str) -> int:
    """Where the story text starts after a leading dateline (0 when there is none)."""
    parts = _match_head(text[:_HEAD], None, False)  # _match(text, None), a call fewer
    if parts is None:
        return 0
    end = parts.end
    while end < len(text) and text[end].isspace():
        end += 1
    return end


def looks_like_dateline(text: str) -> bool:
    """True when ``text`` starts with a dateline (cheap: no place look-up, no dates)."""
    # _match(text, None), a call fewer: asked of every line at the top of every story
    return _match_head(text[:_HEAD], None, False) is not None
