"""Text into a legacy charset without loss of sense: what the charset cannot hold is written the
way a wire editor would type it (“” as "", – as -, é as e, Москва as Moskva), never refused."""

from __future__ import annotations

import codecs
import functools
import unicodedata

#: typography and symbols, as plain characters
_PUNCTUATION = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2039": "'", "\u203a": "'", "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "--", "\u2015": "--",
    "\u2212": "-", "\u2026": "...", "\u2022": "*", "\u00b7": ".", "\u00a0": " ", "\u202f": " ",
    "\u2009": " ", "\u200b": "", "\u00ad": "", "\u20ac": "EUR", "\u00a3": "GBP", "\u00a5": "JPY",
    "\u20bd": "RUB", "\u2116": "No.", "\u00b0": " deg", "\u00a9": "(c)", "\u00ae": "(R)",
    "\u2122": "(TM)", "\u00bd": "1/2", "\u00bc": "1/4", "\u00be": "3/4", "\u00d7": "x",
    "\u00df": "ss", "\u00e6": "ae", "\u00c6": "AE", "\u0153": "oe", "\u0152": "OE",
    "\u00f8": "o", "\u00d8": "O", "\u0142": "l", "\u0141": "L", "\u0111": "d", "\u0110": "D",
    "\u00fe": "th", "\u00de": "Th", "\u00f0": "d", "\u00d0": "D", "\u0131": "i",
}
#: Russian, Ukrainian and Belarusian letters in Latin (BGN/PCGN, simplified: no diacritics)
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i",
    "ї": "yi", "є": "ye", "ґ": "g", "ў": "w",
}
#: Greek letters in Latin (ELOT 743, simplified)
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}


def _letter(char: str, next_char: str) -> str | None:
    """A Cyrillic or Greek letter in Latin, upper case kept ("Ж" "Zh", in "ЖУК" "ZH")."""
    lower = char.lower()
    latin = _CYRILLIC.get(lower)
    if latin is None:
        base = unicodedata.normalize("NFD", lower)[:1]
        latin = _GREEK.get(base)
    if latin is None:
        return None
    if char != lower:
        return latin.upper() if next_char.isupper() else latin.capitalize()
    return latin


def _fits(text: str, charset: str) -> bool:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return False
    return True


def _replacement(char: str, next_char: str, charset: str) -> str:
    """The closest text to ``char`` that ``charset`` holds."""
    if unicodedata.combining(char):
        return ""  # an accent the letter before it could not take along
    for candidate in (
        _PUNCTUATION.get(char),
        # an accented letter the charset lacks: its base letter (ő -> o, ș -> s); a ligature
        # or a compatibility form its parts (ﬁ -> fi, ² -> 2)
        "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)),
        _letter(char, next_char),
    ):
        if candidate is not None and candidate != char and _fits(candidate, charset):
            return candidate  # "" too: a soft sign, a zero-width space
        if candidate:  # its parts one by one (a decomposed letter may still hold a symbol)
            parts = "".join(_PUNCTUATION.get(c, c) for c in candidate)
            if _fits(parts, charset):
                return parts
    return "?"


@functools.cache
def _charset(name: str) -> str:
    return codecs.lookup(name).name


def encode(text: str, charset: str) -> bytes:
    """``text`` in ``charset``, each character it cannot hold transliterated (a "?" for one
    that has no sensible Latin form)."""
    name = _charset(charset)
    text = unicodedata.normalize("NFC", text)
    try:
        return text.encode(name)
    except UnicodeEncodeError:
        pass
    out = []
    for i, char in enumerate(text):
        if _fits(char, name):
            out.append(char)
        else:
            out.append(_replacement(char, text[i + 1:i + 2], name))
    return "".join(out).encode(name)


def transliterate(text: str, charset: str) -> str:
    """``text`` as :func:`encode` writes it in ``charset``, back as text."""
    return encode(text, charset).decode(_charset(charset))
