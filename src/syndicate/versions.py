"""Item versions: whole numbers from 1 to 2^53-1, read alike from every format and compared exactly.

Agencies number versions their own way: 1, 2, 3 ... or a date and a counter (``2026113012``).
The ceiling is the largest whole number every reader of our output holds exactly: JSON readers
that keep numbers as doubles (JavaScript, Redis's Lua) round anything larger, and two versions
that round alike can no longer be told apart, which would let a kill lose to the story it kills.
"""

from __future__ import annotations

from syndicate.errors import MalformedInput

#: the largest version syndicate accepts: 2^53-1 (9007199254740991)
MAX_VERSION = 2**53 - 1
_MAX_DIGITS = len(str(MAX_VERSION))


def _too_large(where: str, shown: str) -> MalformedInput:
    return MalformedInput(
        f"{where} is {shown}, over the largest version syndicate keeps exactly "
        f"({MAX_VERSION}, 2^53-1); ask the provider to number its versions below it"
    )


def check_version(value: int, where: str) -> int:
    """``value`` if it is a version syndicate can keep; else MalformedInput naming it and the limit."""
    if value < 1:
        raise MalformedInput(f"{where} is {value}; a version is a whole number from 1 up")
    if value > MAX_VERSION:
        raise _too_large(where, str(value))
    return value


def parse_version(raw: object, where: str) -> int:
    """A version as a document writes it: decimal digits (ASCII only, spaces around allowed), or
    a JSON integer. Anything else, or a number outside 1..2^53-1, is MalformedInput that names
    the value and ``where`` it stood."""
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise MalformedInput(f"{where} is {raw!r}, not a whole number")
    if isinstance(raw, int):
        return check_version(raw, where)
    text = raw.strip(" \t\r\n")
    # ASCII digits only: str.isdigit() also takes superscripts and other scripts' digits
    if not text or not (text.isascii() and text.isdigit()):
        raise MalformedInput(f"{where} is {raw!r}, not a whole number")
    significant = text.lstrip("0")
    if len(significant) > _MAX_DIGITS:
        # not converted: a number of thousands of digits is an attack, not a version
        shown = (significant if len(significant) <= 40
                 else f"{significant[:20]}... ({len(significant)} digits)")
        raise _too_large(where, shown)
    return check_version(int(text), where)
