"""Writes a NewsItem as one IPTC 7901 message, laid out as agencies send it, in the partner's charset.

``SYN SYN SOH`` header line (source and message number, priority, category, word count) and
keyword line, ``STX``, the take key, the headline and byline with their `` =`` end marks, the
copy (the dateline opening the first paragraph, each paragraph indented three spaces and
wrapped at 69 columns, tables and agate as preformatted lines), ``ETX``, the transmission stamp
(``ddhhmm GMT Mon yy``), ``EOT``. What the charset cannot hold is transliterated
(:mod:`syndicate.formats.transliterate`). What is written reads back through
:mod:`syndicate.formats.iptc7901` to the same headline, byline, dateline and paragraphs.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import textwrap
from dataclasses import dataclass

from syndicate.formats.transliterate import encode, transliterate
from syndicate.item import Block, BlockKind, NewsItem, PubStatus, is_editors_note, provider_scheme

#: the longest line of copy, as 7901 terminals print it
WIDTH = 69
INDENT = "   "
SYN, SOH, STX, ETX, EOT = "\x16", "\x01", "\x02", "\x03", "\x04"
EOL = "\r\n"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
#: what a byline opens with for the reader to take it for one (wire text's byline words)
_BYLINE_OPENING = re.compile(r"(?:By|BY|Von|VON|Por|POR|Par|PAR|Door|Av|Af|Od)\s|(?:Автор|Текст)\s*:")
_BY = {"es": "Por", "pt": "Por", "de": "Von", "fr": "Par", "nl": "Door", "ru": "Автор:"}
#: a take key the reader takes for one (upper-case agency keys), else one from the signals
_TAKE_KEY = re.compile(r"(?:REFILE|RPT|REPEAT|CORRECTED|CORRECTION|KORREKTUR|BERICHTIGUNG)\b.{0,40}"
                       r"|\d+(?:ST|ND|RD|TH)\s+(?:LEAD|ADD|WRITETHRU)\b.{0,40}|(?:NEW\s+)?LEAD\b.{0,20}"
                       r"|\d+\.\s*(?:Zusammenfassung|Neufassung|Korrektur)\b.{0,40}"
                       r"|URGENTE|URGENT|EILMELDUNG|EIL|BLITZ|FLASH|AMPLIACI[OÓ]N|RIPETIZIONE|EXTRA")
#: 7901 category of an IPTC subject (subj:/medtop: codes share their top-level numbers) or name
_CATEGORY_OF_CODE = {"11000000": "pol", "04000000": "eco", "15000000": "spo", "01000000": "clt",
                     "13000000": "sci", "08000000": "hum", "12000000": "rel"}
_CATEGORY_OF_NAME = {"politics": "pol", "economy": "eco", "finance": "fin", "sport": "spo",
                     "culture": "clt", "international": "int", "advisory": "v", "domestic": "a",
                     "science": "sci", "human interest": "hum", "media": "med", "religion": "rel",
                     "miscellaneous": "vm"}


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _wrap(text: str, charset: str, indent: str = INDENT) -> list[str]:
    # wrapped as the charset holds it (Щ is four letters in Latin); words are never broken:
    # one longer than a line (an address) stands on a line of its own
    return textwrap.wrap(transliterate(_one_line(text), charset), WIDTH, initial_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or []


def _table_lines(block: Block, charset: str) -> list[str]:
    """A table as agate: the caption, then a row a line, columns padded to their widest cell
    (a cell that spans columns takes its first); a row too wide for the line goes on below."""
    rows = [[transliterate(_one_line(c.text), charset) for c in row] for row in block.rows if row]
    widths: list[int] = []
    for row in rows:
        for i, text in enumerate(row):
            if i == len(widths):
                widths.append(0)
            widths[i] = max(widths[i], len(text))
    lines = [transliterate(_one_line(block.text), charset)] if block.text.strip() else []
    for row in rows:
        line = "  ".join(t.ljust(widths[i]) for i, t in enumerate(row)).rstrip()
        lines.extend(textwrap.wrap(line, WIDTH, subsequent_indent="    ", drop_whitespace=True,
                                   break_long_words=False) if len(line) > WIDTH else [line])
    return lines


def _copy(item: NewsItem, charset: str) -> list[list[str]]:
    """The paragraphs of the copy, each a list of lines; the dateline opens the lead."""
    lead = next((i for i, b in enumerate(item.body) if b.kind is not BlockKind.FIGURE
                 and b.kind is not BlockKind.TABLE and not is_editors_note(b)), None)
    dateline = _one_line(item.dateline.raw) if item.dateline and item.dateline.raw.strip() else ""
    paragraphs: list[list[str]] = []
    number = 0
    for i, block in enumerate(item.body):
        kind = block.kind
        number = number + 1 if kind is BlockKind.ORDERED_ITEM else 0
        if kind is BlockKind.FIGURE:
            continue  # a caption is no copy, and 7901 carries no pictures
        if kind is BlockKind.TABLE:
            lines = _table_lines(block, charset)
        elif kind is BlockKind.PREFORMATTED:
            lines = [_CONTROL.sub(" ", ln).rstrip() for ln in block.text.strip("\n").split("\n")]
        else:
            text = block.text
            if kind is BlockKind.LIST_ITEM:
                text = f"- {text}"
            elif kind is BlockKind.ORDERED_ITEM:
                text = f"{number}. {text}"
            if i == lead and dateline:
                text = f"{dateline} {text}"
            lines = _wrap(text, charset)
            if kind is BlockKind.QUOTE and block.credit:
                lines += _wrap(f"-- {block.credit}", charset)
        if any(ln.strip() for ln in lines):
            paragraphs.append(lines)
    if lead is None and dateline:
        paragraphs.insert(0, _wrap(dateline, charset))
    return paragraphs


def _take_key(item: NewsItem) -> str | None:
    key = _one_line(item.take_key or "")
    if key and _TAKE_KEY.fullmatch(key):
        return key
    if "sig:correction" in item.signals:
        return "CORRECTED"
    if "sig:update" in item.signals:
        return "LEAD"
    return None


def _byline_lines(item: NewsItem, charset: str) -> list[str]:
    lines = [_one_line(ln) for ln in (item.byline or "").split("\n") if ln.strip()]
    if not lines:
        names = [p.name for p in item.authors if p.name and not p.contributor]
        lines = [", ".join(names)] if names else []
    opening = _BY.get(item.language.split("-")[0].lower(), "By")
    if lines and not _BYLINE_OPENING.match(lines[0]) and lines[0][:1].isupper():
        lines[0] = f"{opening if transliterate(opening, charset) == opening else 'By'} {lines[0]}"
    elif lines and transliterate(lines[0], charset) != lines[0] and lines[0].startswith(opening):
        # an opening the charset cannot hold would not read as a byline's any more
        lines[0] = "By" + lines[0][len(opening):]
    return lines


def _category(item: NewsItem) -> str:
    own = dict(item.extra).get("iptc7901-category", "")
    if re.fullmatch(r"[A-Za-z]{1,3}", own):
        return own.lower()
    for subject in item.subjects:
        scheme, _, code = (subject.qcode or "").partition(":")
        if scheme in ("subj", "medtop") and code[:2] + "000000" in _CATEGORY_OF_CODE:
            return _CATEGORY_OF_CODE[code[:2] + "000000"]
        if subject.name and subject.name.strip().lower() in _CATEGORY_OF_NAME:
            return _CATEGORY_OF_NAME[subject.name.strip().lower()]
    return "vm"  # miscellaneous: nothing says more


def _source(item: NewsItem) -> str:
    # "nprov:AFP" AFP, "https://www.ansa.it/" ANSA, "example.com" EXAMPLE
    name = provider_scheme(item.provider).removeprefix("x-").split("-")[0] if item.provider else ""
    return re.sub(r"[^A-Za-z]", "", name).upper()[:8]


def _number(item: NewsItem) -> str:
    own = dict(item.extra).get("iptc7901-number", "")
    if own.isdigit() and 3 <= len(own) <= 5:
        return own
    # the same item always gets the same number
    digest = hashlib.sha256(item.guid.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{int(digest[:8], 16) % 10000:04d}"


def _withdrawal(item: NewsItem, charset: str) -> list[str]:
    """A kill or a hold as the advisory agencies send (7901 has no status of its own): never
    the story again, which a desk could take for a fresh copy and publish."""
    killed = item.pub_status is PubStatus.CANCELED
    word = "KILL" if killed else "WITHHOLD"
    headline = _one_line(item.headline)
    advice = (f"Editors: the story headlined \"{headline}\" (version {item.version}) is "
              f"{'killed' if killed else 'withheld'}. Do not use it; take it out of any "
              f"{'use' if killed else 'use until further notice'}.")
    title = headline if headline.upper().startswith(word) else f"{word}: {headline}"
    return [f"{title} =", "", *_wrap(advice, charset), ""]


def stamp(when: dt.datetime) -> str:
    """The trailer's transmission stamp, ``ddhhmm GMT Mon yy`` (AFP's form, the zone named)."""
    utc = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return f"{utc:%d%H%M} GMT {_MONTHS[utc.month - 1]} {utc:%y}"


def message(item: NewsItem, charset: str = "utf-8", now: dt.datetime | None = None) -> str:
    """The message as text, before it is encoded in ``charset``."""
    text: list[str] = []
    if item.pub_status.withdraws:
        text = _withdrawal(item, charset)
        priority, category = 1, "v"
    else:
        priority, category = item.urgency or 4, _category(item)
        take = _take_key(item)
        if take:
            text += [take, ""]
        text += [f"{_one_line(item.headline)} =", ""]
        byline = _byline_lines(item, charset)
        if byline:
            text += [*byline[:-1], f"{byline[-1]} =", ""]
        if item.summary and item.dateline:
            # the reader takes text between the byline and the dateline for the summary
            text += [*_wrap(item.summary, charset), ""]
        for paragraph in _copy(item, charset):
            text += [*paragraph, ""]
    words = sum(len(ln.split()) for ln in text)
    header = f"{_source(item)}{_number(item)} {priority} {category} {min(words, 99999):04d}"
    head = [header]
    if item.slugline and _one_line(item.slugline):
        head.append(_one_line(item.slugline))
    sent = item.version_time or now or dt.datetime.now(dt.UTC)
    return (SYN + SYN + SOH + EOL.join(head) + EOL + STX + EOL.join(text) + ETX + EOL
            + stamp(sent) + EOL + EOT)


def media_type(charset: str) -> str:
    return f"text/plain; charset={charset}"


@dataclass(frozen=True, slots=True)
class Iptc7901Renderer:
    """IPTC 7901 in one charset (an IANA name); the codec's own renderer writes UTF-8."""

    charset: str = "utf-8"
    name: str = "iptc7901"
    extension: str = "txt"

    def __post_init__(self) -> None:
        codecs.lookup(self.charset)  # an unknown charset fails here, not at the first story

    @property
    def media_type(self) -> str:
        return media_type(self.charset)

    def render(self, item: NewsItem) -> bytes:
        return encode(message(item, self.charset), self.charset)
