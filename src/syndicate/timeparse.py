"""Dates and times as news formats and agencies write them, read into aware datetimes.

One reader for every codec: ISO 8601 in extended and basic form (``2026-11-27T10:15:00+01:00``,
``20261127T101500Z``, ``20261127``), RFC 2822 (e-mail, RSS), agency trailers and stamps
(``271015 GMT Nov 26``, ``1015GMT``, ``10:15 MEZ``, ``11-27-26 1015ET``) and dates in words, with
the month and weekday names of every language the dateline parser knows (CLDR, through Babel).
A time that names no zone is read in the zone the caller gives: the source's.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "Stamp",
    "aware",
    "find_stamp",
    "parse_time",
    "parse_time_or_date",
    "read_stamp",
    "time_zone",
]

#: longer than this, a text is no time stamp (and is not worth the patterns)
_MAX_STAMP = 120


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a date-time text says, before any zone is assumed for it."""

    #: None for a clock time alone ("1015GMT")
    date: dt.date | None
    #: None for a date alone ("20261127", "22 October 2026"); always naive
    time: dt.time | None
    #: the zone the text names; None when it names none
    zone: dt.tzinfo | None

    def at(self, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
        """The instant meant: in the text's own zone, else in ``tz``; a date alone at its midnight.

        Raises ValueError for a clock time without a date.
        """
        if self.date is None:
            raise ValueError("a clock time without a date names no instant")
        return dt.datetime.combine(self.date, self.time or dt.time(), self.zone or tz)


def time_zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name`` ("Europe/Berlin"); ValueError naming it when unknown."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: name an IANA zone such as 'Europe/Berlin', "
            "'America/New_York' or 'UTC'"
        ) from None


def aware(value: dt.datetime, tz: dt.tzinfo = dt.UTC) -> dt.datetime:
    """``value`` with ``tz`` as its zone when it has none."""
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def parse_time(text: str, *, tz: dt.tzinfo = dt.UTC, now: dt.datetime | None = None) -> dt.datetime:
    """The instant ``text`` names, in any form :func:`read_stamp` reads; a time without a zone is
    in ``tz``, a date alone is its midnight there. ValueError when it names none."""
    stamp = _read_or_raise(text, now)
    try:
        return stamp.at(tz)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is a clock time without a date") from None


def parse_time_or_date(
    text: str, *, tz: dt.tzinfo = dt.UTC, now: dt.datetime | None = None
) -> dt.datetime | dt.date:
    """Like :func:`parse_time`, but a text that gives no time of day stays a date."""
    stamp = _read_or_raise(text, now)
    if stamp.time is None and stamp.date is not None:
        return stamp.date
    try:
        return stamp.at(tz)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is a clock time without a date") from None


def _read_or_raise(text: str, now: dt.datetime | None) -> Stamp:
    stamp = read_stamp(text, now=now)
    if stamp is None:
        raise ValueError(
            f"{text.strip()[:_MAX_STAMP]!r} is no date and time this reader knows (ISO 8601 such as "
            "2026-11-27T10:15:00+01:00 or 20261127T101500Z, RFC 2822, or an agency stamp such as "
            "'271015 GMT Nov 26')"
        )
    return stamp


def read_stamp(text: str, *, now: dt.datetime | None = None) -> Stamp | None:
    """What ``text`` says if it is wholly a date and/or time, else None.

    A date that omits the year ("22 OCT, 14:09") gets the latest such date not after ``now``
    (default: the current time).
    """
    text = text.strip()
    if not text or len(text) > _MAX_STAMP or not _DIGIT.search(text):
        return None
    if _ISO_START.match(text):
        found = _iso(text)
        if found is not None:
            return found
    if _RFC2822.fullmatch(text):
        found = _rfc2822(text)
        if found is not None:
            return found
    m = _TRAILER.fullmatch(text) or _AP_TRAILER.fullmatch(text) or _CLOCK_ZONE.fullmatch(text)
    if m is not None:
        found = _trailer(m, now)
        if found is not None:
            return found
    return _words(text, now)


def find_stamp(text: str, *, now: dt.datetime | None = None) -> Stamp | None:
    """The first agency trailer stamp inside a longer text ("AFP 251230 GMT Nov 26",
    "AP-WF-11-27-26 1015GMT"), or None."""
    for pattern in (_TRAILER, _AP_TRAILER):
        for m in pattern.finditer(text):
            found = _trailer(m, now)
            if found is not None:
                return found
    return None


# ------------------------------------------------------------------ zones

#: zone abbreviations agencies write: a fixed offset in hours, or the IANA zone of a name that
#: stands for standard and summer time alike (US "ET"). Ambiguous "CST" is the US one, "IST" India's.
_ZONES: dict[str, float | str] = {
    "gmt": 0, "utc": 0, "ut": 0, "z": 0, "wet": 0, "west": 1, "bst": 1, "ist": 5.5,
    "cet": 1, "cest": 2, "met": 1, "mest": 2, "mez": 1, "mesz": 2, "hec": 1, "hee": 2,
    "eet": 2, "eest": 3, "oez": 2, "oesz": 3, "msk": 3, "мск": 3, "trt": 3,
    "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
    "akst": -9, "akdt": -8, "hst": -10, "brt": -3, "art": -3,
    "gst": 4, "pkt": 5, "ict": 7, "wib": 7, "sgt": 8, "hkt": 8, "awst": 8, "jst": 9, "kst": 9,
    "acst": 9.5, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
    "wat": 1, "cat": 2, "sast": 2, "eat": 3,
}  # fmt: skip
#: zone names that are also common words: read as zones only when written in capitals
_CAPS_ZONES: dict[str, str] = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}  # fmt: skip


@functools.cache
def _zone_of(value: float | str) -> dt.tzinfo:
    if isinstance(value, str):
        return ZoneInfo(value)
    return dt.UTC if value == 0 else dt.timezone(dt.timedelta(hours=value))


def _zone_word(word: str) -> dt.tzinfo | None:
    """The zone an abbreviation names, or None."""
    if word in _CAPS_ZONES:
        return _zone_of(_CAPS_ZONES[word])
    value = _ZONES.get(word.casefold())
    return None if value is None else _zone_of(value)


def _offset(text: str) -> dt.tzinfo | None:
    """"+03", "+0530", "-05:00", "GMT+3", "UTC-4:30" as a fixed zone; None when out of range."""
    raw = text.upper().removeprefix("GMT").removeprefix("UTC")
    sign = -1 if raw.startswith("-") else 1
    hh, _, mm = raw[1:].partition(":")
    if not mm and len(hh) > 2:
        hh, mm = hh[:-2], hh[-2:]
    minutes = int(hh) * 60 + int(mm or 0)
    if minutes >= 24 * 60 or int(mm or 0) >= 60:
        return None
    return dt.UTC if minutes == 0 else dt.timezone(sign * dt.timedelta(minutes=minutes))


# ------------------------------------------------------------------ ISO 8601 and RFC 2822

_DIGIT = re.compile(r"\d")
# extended or basic calendar date, or a week date, at the start
_ISO_START = re.compile(r"\d{4}(?:-?\d{2}-?\d{2}(?!\d)|-?W\d{2})")
# an ISO time stamp followed by a zone name instead of an offset ("2026-11-27 10:15 GMT")
_ISO_ZONE_WORD = re.compile(r"(.*?\d)\s*([A-Za-z]{1,5})")
_HOUR_24 = re.compile(r"([T ])24(:?00(?::?00(?:[.,]0+)?)?)(?=$|[Z+-])")


def _iso(text: str) -> Stamp | None:
    """ISO 8601 through the standard library, which reads the extended and the basic form."""
    try:
        return Stamp(dt.date.fromisoformat(text), None, None)
    except ValueError:
        pass
    zone: dt.tzinfo | None = None
    body = text
    m = _ISO_ZONE_WORD.fullmatch(text)
    if m is not None and not m.group(2).upper().startswith(("T", "W")):
        zone = _zone_word(m.group(2))
        if zone is None and m.group(2).upper() != "Z":
            return None
        body = m.group(1) if zone is not None else text
    next_day = False
    if _HOUR_24.search(body):
        # 24:00 is the end of the day ISO 8601 allows: the next day's midnight
        body, next_day = _HOUR_24.sub(r"\g<1>00\2", body), True
    try:
        when = dt.datetime.fromisoformat(body)
    except ValueError:
        return None
    if next_day:
        when += dt.timedelta(days=1)
    return Stamp(when.date(), when.time(), zone or when.tzinfo)


# email.utils reads any RFC 2822 date, but also much that is not one: only stamps of its shape,
# with a zone it knows, go to it ("-0000" is RFC 2822's "zone unknown": a time without a zone)
_RFC2822 = re.compile(
    r"(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:\s*(?:[+-]\d{4}|UT|UTC|GMT|Z|[ECMP][SD]T))?",
    re.IGNORECASE,
)


def _rfc2822(text: str) -> Stamp | None:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return Stamp(when.date(), when.time(), when.tzinfo)


# ------------------------------------------------------------------ agency trailers

_ZONE_ALTERNATION = "|".join(
    re.escape(z) for z in sorted({*_ZONES, *(z.casefold() for z in _CAPS_ZONES)}, key=len, reverse=True)
)
# AFP "251230 GMT Nov 26", dpa "241030 Nov 26": day, hour, minute, zone, month, year
_TRAILER = re.compile(
    rf"(?<!\d)(?P<day>[0-3]\d)(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)\s*(?P<zone>{_ZONE_ALTERNATION})?"
    r"\s+(?P<month>[^\W\d_]{3,9})\.?\s+(?P<year>\d{4}|\d{2})(?!\d)",
    re.IGNORECASE,
)
# AP "11-27-26 1015ET" (also inside "AP-WF-11-27-26 1015GMT"): month, day, year, hour, minute
_AP_TRAILER = re.compile(
    r"(?<!\d)(?P<month>[01]?\d)-(?P<day>[0-3]?\d)-(?P<year>\d{4}|\d{2})\s+"
    rf"(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)\s?(?P<zone>{_ZONE_ALTERNATION})?(?![^\W\d_])",
    re.IGNORECASE,
)
# "1015GMT", "1015 MEZ": a clock time without its colon needs its zone to be told from a number
_CLOCK_ZONE = re.compile(
    rf"(?P<hour>[0-2]\d)(?P<minute>[0-5]\d)\s?(?P<zone>{_ZONE_ALTERNATION})", re.IGNORECASE
)


def _trailer(m: re.Match[str], now: dt.datetime | None) -> Stamp | None:
    groups = m.groupdict()
    zone_text = groups.get("zone")
    zone = _zone_word(zone_text) if zone_text else None
    if zone_text and zone is None:
        return None  # "ET" written in lower case: a word, not a zone
    try:
        clock = dt.time(int(groups["hour"]), int(groups["minute"]))
    except ValueError:
        return None
    if "day" not in groups:
        return Stamp(None, clock, zone)
    month_text = groups["month"]
    month = int(month_text) if month_text.isdigit() else _month_number(month_text)
    if month is None:
        return None
    year = int(groups["year"])
    year += 2000 if year < 100 else 0
    try:
        return Stamp(dt.date(year, month, int(groups["day"])), clock, zone)
    except ValueError:
        return None


# ------------------------------------------------------------------ dates and times in words

_TOKEN = re.compile(
    r"(?P<ymd>\d{4})[./](?P<ymd_m>\d{1,2})[./](?P<ymd_d>\d{1,2})(?!\d)"
    r"|(?P<dmy>\d{1,2})[./](?P<dmy_m>\d{1,2})[./](?P<dmy_y>\d{4})(?!\d)"
    r"|(?P<cjk_y>\d{4})年(?P<cjk_m>\d{1,2})月(?P<cjk_d>\d{1,2})日"
    r"|(?P<time>\d{1,2})(?:[:h]|\.(?=\d{2}\s*uhr))(?P<min>\d{2})(?::(?P<sec>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?![\w])"
    r"|(?P<offset>(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?)(?!\d)"
    r"|(?P<num>\d{1,4})(?:st|nd|rd|th|er|\.)?(?!\d)"
    r"|(?P<word>[^\W\d_]+\.?)"
    r"|(?P<sep>[\s,|·•\-–—/()'’]+)",
    re.IGNORECASE,
)
#: words a time stamp may hold besides month, weekday and zone names
_FILLER = frozenset((
    "at", "on", "the", "of", "de", "del", "d", "le", "la", "am", "um", "à", "a", "alle", "г", "года",
    "в", "uhr", "h", "hrs", "hours", "horas", "heures", "ore",
))  # fmt: skip


@functools.cache
def _weekday_names() -> frozenset[str]:
    # built on first use: reading CLDR for every language is slow enough to notice at import
    from babel.dates import get_day_names

    from syndicate.dateline.parse import MONTH_LANGUAGES

    names: set[str] = set()
    for lang in MONTH_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names.update(n.rstrip(".").casefold() for n in get_day_names(width, context, lang).values())
    return frozenset(names)


def _month_number(word: str) -> int | None:
    # the dateline parser's table of month names (CLDR plus agency abbreviations), shared; imported
    # here rather than at the top so that reading a configuration does not load the place tables
    from syndicate.dateline.parse import month_number

    return month_number(word)


def _infer_year(month: int, day: int, now: dt.datetime | None, zone: dt.tzinfo | None) -> int | None:
    from syndicate.dateline.parse import infer_date

    found = infer_date(month, day, now=now or dt.datetime.now(dt.UTC), tz=zone or dt.UTC)
    return found.year if found else None


def _words(text: str, now: dt.datetime | None) -> Stamp | None:
    """A date and/or time in words and numbers: "22 OCT 2018, 14:09", "October 22, 2018 14:09
    GMT", "Thu, 27 Nov 2026 09:15:00 +0100", "23. November 2026, 00:01 Uhr", "10:15 MEZ"."""
    day = month = year = hour = minute = second = None
    zone: dt.tzinfo | None = None
    # a four-digit number before a zone is a clock time ("0001 GMT 23 NOV 2026") when the text
    # has no other clock time and either opens with it or has a year besides
    fours: list[tuple[int, bool, int]] = []
    pos = 0
    tokens = list(_TOKEN.finditer(text))
    for i, m in enumerate(tokens):
        if m.start() != pos:
            return None
        pos = m.end()
        if m.group("ymd") or m.group("dmy") or m.group("cjk_y"):
            if m.group("ymd"):
                year, month, day = int(m.group("ymd")), int(m.group("ymd_m")), int(m.group("ymd_d"))
            elif m.group("dmy"):
                day, month, year = int(m.group("dmy")), int(m.group("dmy_m")), int(m.group("dmy_y"))
                if month > 12 >= day:
                    day, month = month, day  # the American order: 11/27/2026
            else:
                year, month, day = int(m.group("cjk_y")), int(m.group("cjk_m")), int(m.group("cjk_d"))
        elif m.group("time"):
            hour, minute = int(m.group("time")), int(m.group("min"))
            second = int(m.group("sec") or 0)
            ampm = (m.group("ampm") or "").casefold()
            if ampm.startswith("p") and hour < 12:
                hour += 12
            elif ampm.startswith("a") and hour == 12:
                hour = 0
        elif m.group("offset"):
            zone = _offset(m.group("offset"))
            if zone is None:
                return None
        elif m.group("num"):
            digits = m.group("num")
            if len(digits) == 4:
                fours.append((int(digits), _zone_follows(tokens, i), i))
            elif day is None:
                day = int(digits)
            else:
                return None
        elif m.group("word"):
            raw = m.group("word").rstrip(".")
            word = raw.casefold()
            if (named := _zone_word(raw)) is not None:
                zone = named
            elif month is None and (number := _month_number(word)) is not None:
                month = number
            elif word not in _FILLER and word not in _weekday_names():
                return None
    if pos != len(text):
        return None
    for value, before_zone, index in fours:
        clock = before_zone and hour is None and (index == 0 or len(fours) > 1)
        if clock and value // 100 < 24 and value % 100 < 60:
            hour, minute, second = value // 100, value % 100, 0
        elif year is None:
            year = value
        else:
            return None
    clock_time = None if hour is None else _time(hour, minute or 0, second or 0)
    if hour is not None and clock_time is None:
        return None
    if day is None and month is None and year is None:
        return None if clock_time is None else Stamp(None, clock_time, zone)
    if day is None or month is None:
        return None
    if year is None:
        year = _infer_year(month, day, now, zone)
        if year is None:
            return None
    try:
        return Stamp(dt.date(year, month, day), clock_time, zone)
    except ValueError:
        return None


def _zone_follows(tokens: list[re.Match[str]], i: int) -> bool:
    for m in tokens[i + 1 : i + 3]:
        if m.group("sep") and not m.group("sep").strip():
            continue
        word = m.group("word")
        return bool(word) and _zone_word(word.rstrip(".")) is not None
    return False


def _time(hour: int, minute: int, second: int) -> dt.time | None:
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        return None
