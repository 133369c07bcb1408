"""Decimal and thousands separators as the target language writes them ("4.5" -> "4,5" in
Spanish, "1,200" -> "1.200" in German), from CLDR through Babel; a pure function over text.

Only quantities are rewritten: a number whose separators are valid in the source language
("4.5", "1,200", "12,345.67"). Years and other bare integers, times ("10:30"), scores ("3-1"),
versions and IP addresses ("2.0.1", "192.168.0.1"), phone numbers, URLs, e-mail addresses and
codes ("9M729", "COVID-19", "v1.2") are left exactly as written.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

# "pt" in this project is European Portuguese (see docs/datelines.md); CLDR's "pt" is Brazilian.
_LOCALE_ALIASES = {"pt": "pt_PT"}
# Space-like group separators are written as the no-break spaces CLDR gives; a plain space
# between digits is never read as one ("3 500" may be two numbers).
_SPACES = "\u00a0\u202f"
_CJK = "\u3000-\u9fff\uac00-\ud7af\uff00-\uffef"
# URLs, e-mail addresses and the like are skipped whole.
_SKIP = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|int|io|info|ru|de|uk|fr|es|it|cn|jp)\b"
    r"(?:/\S*)?",
    re.IGNORECASE,
)
# A word before the number that says it is not a quantity ("version 3.11", "Article 5.2").
_NOT_QUANTITY_BEFORE = re.compile(
    r"(?:\b(?:version|versions|v|release|update|ios|android|windows|python|article|articles|"
    r"section|sections|paragraph|chapter|rule|resolution)\.?|§|#)\s*$",
    re.IGNORECASE,
)
# A time written with a dot ("10.30 a.m.", "at 10.30 GMT") is a time, not a decimal.
_TIME_AFTER = re.compile(r"\s*(?:a\.?m\b|p\.?m\b|GMT\b|UTC\b|CET\b|EST\b|ET\b|o'clock\b)",
                         re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Symbols:
    decimal: str
    group: str


def _locale(language: str) -> Locale | None:
    tag = language.replace("-", "_")
    tag = _LOCALE_ALIASES.get(tag.lower(), tag)
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return None


@functools.lru_cache(maxsize=128)
def symbols(language: str) -> Symbols | None:
    """CLDR's decimal and group symbols for ``language`` (None for a language CLDR lacks)."""
    loc = _locale(language)
    if loc is None:
        return None
    return Symbols(get_decimal_symbol(loc), get_group_symbol(loc))


@functools.lru_cache(maxsize=128)
def _number_re(src: Symbols) -> re.Pattern[str]:
    group = re.escape(src.group) if src.group not in _SPACES else f"[{_SPACES}]"
    dec = re.escape(src.decimal)
    seps = re.escape(src.decimal + src.group) + _SPACES
    # grouped integer part (1,200 / 12,345,678), optional fraction; or digits with a fraction
    number = rf"(?:\d{{1,3}}(?:{group}\d{{3}})+(?:{dec}\d+)?|\d+{dec}\d+)"
    return re.compile(
        # not glued to a word, a code or another number ("v1.2", "F-16", "2.0.1", "3-1.5");
        # Chinese, Japanese and Korean write numbers against their words ("增长4.5%")
        rf"(?<![^\W{_CJK}])(?<![{seps}:/@#])(?<!\w[-‐–])"
        rf"(?P<num>{number})"
        # nor followed by more digits or separators ("2.0.1", "192.168.0.1", "10:30", "1,2,3")
        rf"(?![\d:]|[{seps}:/]\d)"
    )


def localize_numbers(text: str, source: str, target: str) -> str:
    """``text`` with the quantities written in ``source``'s convention rewritten in ``target``'s.

    >>> localize_numbers("a wave 4.5 meters high, 1,200 homes", "en", "es")
    'a wave 4,5 meters high, 1.200 homes'

    Text where the two languages share separators, or either is unknown to CLDR, is returned
    unchanged; so is every number that is not plainly a quantity (see the module docstring).
    """
    src, dst = symbols(source), symbols(target)
    if src is None or dst is None or src == dst or not any(c.isdigit() for c in text):
        return text
    pattern = _number_re(src)
    out: list[str] = []
    pos = 0
    for skip in (*_SKIP.finditer(text), None):
        end = skip.start() if skip else len(text)
        out.append(_convert(text, pos, end, pattern, src, dst))
        if skip is None:
            break
        out.append(skip.group())
        pos = skip.end()
    return "".join(out)


def _convert(text: str, start: int, end: int, pattern: re.Pattern[str],
             src: Symbols, dst: Symbols) -> str:
    out: list[str] = []
    pos = start
    for m in pattern.finditer(text, start, end):
        num = m.group("num")
        if _NOT_QUANTITY_BEFORE.search(text, max(start, m.start() - 24), m.start()) or (
            src.decimal in num and _TIME_AFTER.match(text, m.end(), end)
        ):
            continue
        out.append(text[pos:m.start()])
        out.append(_rewrite(num, src, dst))
        pos = m.end()
    out.append(text[pos:end])
    return "".join(out)


def _rewrite(num: str, src: Symbols, dst: Symbols) -> str:
    whole, _, fraction = num.partition(src.decimal)
    digits = re.split(f"[{re.escape(src.group)}{_SPACES}]", whole)
    result = dst.group.join(digits)
    return f"{result}{dst.decimal}{fraction}" if fraction else result
