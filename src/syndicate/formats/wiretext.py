"""Agency wire copy as plain text: a headline, an optional summary and byline, a dateline, the body.

Reads copy straight off a wire (slugline, headline, "By ..." line, "MOSCOW, October 22.
/TASS/. ...") and copies saved from agency web pages, whose page chrome ("All news",
"Share", breadcrumbs, time stamps, photo credits) is recognised and left out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import re
from codecs import BOM_UTF8
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syndicate.dateline import (
    AGENCIES,
    dateline_end,
    find_agency,
    looks_like_dateline,
    parse_dateline,
)
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, register
from syndicate.formats.lead import reference_time
from syndicate.item import Block, Dateline, NewsItem, Provenance, derive_guid
from syndicate.textutil import (
    decode_text,
    detect_item_language,
    has_control_bytes,
    looks_binary,
    looks_like_mail_headers,
)
from syndicate.timeparse import Stamp, read_stamp

__all__ = ["WireText", "split_paragraphs"]

#: how many paragraphs from the top may hold the headline, summary, bylines and dateline
_HEADER_DEPTH = 14
#: longer than this, a line is body text, not a headline
_MAX_HEADLINE = 300

# ------------------------------------------------------------------ page chrome

#: whole lines that are navigation, sharing or section labels on agency web pages
_CHROME_LINES = frozenset(
    s.casefold()
    for s in (
        # en
        "All news", "Latest news", "Top stories", "News", "Home", "Menu", "Share", "Share this",
        "Share this article", "Tweet", "Print", "Email", "E-mail", "Read more", "Read also",
        "See also", "More", "Related", "Related news", "Related articles", "Related stories",
        "Comments", "Listen", "Listen to this article", "Video", "Photo", "Photos", "Gallery",
        "Advertisement", "Sponsored", "Subscribe", "Follow us", "Back", "Next", "Previous",
        "Log in", "Sign in", "Search", "Close", "Copy link", "Link copied", "Facebook",
        "Twitter", "X", "Telegram", "WhatsApp", "LinkedIn", "VK", "Reddit", "Breaking news",
        "Summary", "Highlights", "Key points", "In brief",
        "Our Standards: The Thomson Reuters Trust Principles.", "Skip to main content",
        "Add to favorites", "Report an error", "Text size", "Font size",
        # ru / uk
        "Все новости", "Новости", "Главная", "Поделиться", "Читать также", "Читайте также",
        "Подробнее", "Реклама", "Все новини", "Новини", "Поділитися",
        # es / pt
        "Todas las noticias", "Noticias", "Inicio", "Compartir", "Leer más", "Lea también",
        "Publicidad", "Todas as notícias", "Notícias", "Compartilhar", "Leia mais",
        # de / fr / it
        "Alle Nachrichten", "Nachrichten", "Startseite", "Teilen", "Mehr lesen", "Weiterlesen",
        "Anzeige", "Toutes les actualités", "Actualités", "Accueil", "Partager", "Lire aussi",
        "Lire la suite", "Publicité", "Tutte le notizie", "Notizie", "Condividi", "Leggi anche",
        "Pubblicità",
    )
)  # fmt: skip
# lines that are chrome by their first words: credits, tags, reading time, "Updated ..."
_CHROME_PREFIX_RE = re.compile(
    r"(?i:photo|photos|image|picture|video|foto|fotos|фото|видео|credit|source of photo|tags|"
    r"topics|теги|темы|etiquetas|schlagworte|read also|read more|see also|also read|"
    r"читайте также|читать также|lea también|lire aussi|leggi anche|advertisement)\s*[:|©]"
    r"|(?i:\d{1,2}\s+min(?:ute)?s?\s+read)$"
    r"|(?i:listen to this article)"
    r"|©\s*\S.{0,80}$"
)
# "Home > World > Europe", "News / Politics", "World · Russia": short capitalised segments
_BREADCRUMB_SPLIT_RE = re.compile(r"\s+[>›»/|·•]\s+")
_BREADCRUMB_JOINERS = frozenset(("&", "and", "und", "et", "y", "e", "и", "і"))


def _is_breadcrumb(line: str) -> bool:
    if len(line) > 120:
        return False
    # a trail has separators; nearly every line has none, which a few substring scans (C loops)
    # prove for a tenth of the cost of the split
    if not ("/" in line or ">" in line or "|" in line or "›" in line or "»" in line
            or "·" in line or "•" in line):
        return False
    segments = [seg for seg in _BREADCRUMB_SPLIT_RE.split(line.rstrip(" >›»")) if seg]
    if len(segments) < 2:
        return False
    for seg in segments:
        words = seg.split()
        if len(words) > 4:
            return False
        # "Russia / Ukraine talks resume" is a headline: its segments are not all title words
        if not all(w[:1].isupper() or w in _BREADCRUMB_JOINERS for w in words):
            return False
    return True


# ------------------------------------------------------------------ time stamps

_STAMP_LABEL_RE = re.compile(
    r"(?i)(?P<label>last\s+updated|updated|published|posted|first\s+published|"
    r"обновлено|опубликовано|обновлен|actualizado|publicado|aktualisiert|veröffentlicht|"
    r"mis\s+à\s+jour(?:\s+le)?|publié(?:\s+le)?|aggiornato|pubblicato|atualizado)\s*(?:on|at|:)?\s*"
)
_DIGIT_RE = re.compile(r"\d")


def _has_digit(line: str) -> bool:
    """Whether ``line`` holds a decimal digit (what _DIGIT_RE finds)."""
    if line.isascii():
        # ASCII has no digits but 0-9: deleting them from its bytes is a C loop a character,
        # the regex a search over every position
        raw = line.encode("ascii")
        return len(raw.translate(None, b"0123456789")) != len(raw)
    return _DIGIT_RE.search(line) is not None


@dataclass(frozen=True, slots=True)
class _Stamp:
    """A time stamp line: when, whether it says "Updated", whether it carried a time and zone."""

    #: None for a bare clock time ("14:09"): page chrome that dates nothing
    when: dt.datetime | None
    updated: bool
    has_time: bool
    zoned: bool


def _parse_stamp(line: str, now: dt.datetime) -> _Stamp | None:
    """A line that is nothing but a date (and time): "22 OCT 2018, 14:09", "Updated: ...".

    A stamp without a year ("22 OCT, 14:09", as pages show this year's news) gets the
    latest such date not after ``now``.
    """
    if len(line) > 80 or not _has_digit(line):
        return None
    text = line.strip()
    label = _STAMP_LABEL_RE.match(text)
    updated = bool(
        label
        and "publ" not in label.group("label").casefold()
        and "опубл" not in label.group("label").casefold()
        and "posted" not in label.group("label").casefold()
    )
    if label:
        text = text[label.end() :]
    found = read_stamp(text, now=now)
    return None if found is None else _stamp_of(found, updated)


def _stamp_of(found: Stamp, updated: bool = False) -> _Stamp:
    if found.date is None:
        return _Stamp(None, updated, True, found.zone is not None)
    # a stamp without a zone stays naive until the zone it is in is known (see _localize)
    when = dt.datetime.combine(found.date, found.time or dt.time(), found.zone)
    return _Stamp(when, updated, found.time is not None, found.zone is not None)


# "EMBARGOED UNTIL 0001 GMT 23 NOV 2026", "EMBARGO: ...", "Sperrfrist: 23. November 2026, 00:01 Uhr"
_EMBARGO_RE = re.compile(
    r"(?i)\W*(?:embargoed(?:\s+(?:until|till|to|before))?|embargo\s*(?::|until|till|to)|"
    r"hold\s+for\s+release(?:\s+(?:until|at))?|not\s+for\s+release\s+before|"
    r"sperrfrist\s*:?|embargo\s+hasta|(?:под\s+)?эмбарго\s+до)(?![^\W\d_])[\s:]*(?P<when>.*?)\W*"
)


def _embargo(line: str, now: dt.datetime) -> _Stamp | None:
    """The release time an embargo line sets, or None for a line that is no embargo notice.

    A notice that gives a time which cannot be read, or none at all ("EMBARGOED UNTIL
    FURTHER NOTICE"), raises MalformedInput: dropping it would send the story out early.
    """
    m = _EMBARGO_RE.fullmatch(line.strip()) if len(line) <= 120 else None
    if m is None:
        return None
    when = m.group("when")
    stamp = _parse_stamp(when, now) if when else None
    if stamp is not None and stamp.when is not None and stamp.has_time:
        return stamp
    if not (line.isupper() or _DIGIT_RE.search(when)):
        return None  # a headline about an embargo ("Embargo: what it means for oil")
    raise MalformedInput(
        f"the embargo notice {line.strip()!r} gives no release date and time that can be read; "
        "write it like 'EMBARGOED UNTIL 00:01 GMT 23 November 2026'"
    )


# ------------------------------------------------------------------ sluglines, bylines, trailers

# AP "BC-US--Economy,0456" (with an optional "<" end), Reuters "UKRAINE-CRISIS/RUSSIA (UPDATE 2)"
_SLUG_RE = re.compile(
    r"(?:[A-Z]{2}-[\w&-]+(?:--[\w&-]+)*(?:,\s?\d{3,4})?(?:\s*<)?"
    r"|[A-Z0-9]+(?:[-/][A-Z0-9]+)*(?:-|/)[A-Z0-9/-]*"
    r"(?:\s+\((?:UPDATE|URGENT|REFILE|CORRECTED|REPEAT|RPT|WRAPUP|FACTBOX|EXCLUSIVE|"
    r"ANALYSIS|INSIGHT|BREAKINGVIEWS)[^)]{0,20}\))*)"
)
_BYLINE_RE = re.compile(
    r"(?:(?P<word>By|BY|by|Von|VON|von|Por|POR|por|Par|PAR|par|Di|DI|di|Door|Av|Af|Od)\s+"
    r"|(?:Автор|Текст|Автори)\s*:\s*)"
    r"(?P<names>[^\W\d_].{1,150})"
)
# the line under an AP/Reuters byline that gives the writer's beat
_BYLINE_TITLE_RE = re.compile(
    r"(?i)(?:[\w.-]+\s+){0,4}(?:writer|correspondent|reporter|editor|staff|press|"
    r"reuters|корреспондент|redacción|redaktion|envoyé spécial|correspondant)s?\.?"
)
_COPYRIGHT_RE = re.compile(
    r"(?i)(?:copyright|©|\(c\)\s|copr\.|all rights reserved|все права защищены|"
    r"todos los derechos reservados|alle rechte vorbehalten|tous droits réservés|"
    r"tutti i diritti riservati|todos os direitos reservados)"
)
# agency end marks on a line of their own: (END), ENDS, Enditem, -0-, ###, "-- Xinhua",
# TASS's operator initials "/tvn/", AP's transmission stamp "AP-WF-10-22-18 1409GMT"
_END_LINE_RE = re.compile(
    r"(?i)(?:\(?\s*(?:end|ends|enditem|fin|конец|ende|fine)\s*\)?\.?"
    r"|-0-|#{3}|\+{3}|xxx|={3,}|-{3,}"
    r"|(?:--|—|–)\s*(?:xinhua|ap|afp|reuters|dpa|efe|ansa|tass)"
    r"|/[a-zа-я]{2,5}(?:/[a-zа-я]{2,5})*/"
    r"|[a-z]{2}-[a-z]{2}-\d{2}-\d{2}-\d{2}\s+\d{4}\s?gmt)"
)
# an agency signing off, alone or with the editors' initials: "EFE", "AAP jlw/wf", "nl/gil/js"
_AGENCY_NAMES = "|".join(re.escape(m) for a in AGENCIES for m in a.markers)
_SIGN_OFF_RE = re.compile(
    rf"(?:{_AGENCY_NAMES})(?:\s+[a-z]{{2,4}}(?:/[a-z]{{2,4}})*)?|[a-z]{{2,5}}(?:[/-][a-z]{{2,5}}){{1,4}}"
)
_RULE_RE = re.compile(r"[_*=~#\-–—\s]{3,}")
# a transmission stamp on the last lines, after an agency's name or AP's wire code ("AP-WF-")
_TRANSMISSION_RE = re.compile(rf"(?:(?:{_AGENCY_NAMES})\s+|[A-Z]{{2}}-[A-Z]{{2}}-)?(?P<stamp>\d.{{5,40}})")
_END_INLINE_RE = re.compile(
    r"\s*(?:\((?:END|ENDS|END/\w+)\)|\bENDS?|\bEnditem|\benditem|/[a-zа-я]{2,5}/|-0-|#{3})\s*$"
)
#: the characters an inline end mark ends with (before white space): ")", "D", "S", "m", "/", "-", "#"
_END_INLINE_LAST = frozenset(")DSm/-#")

# ------------------------------------------------------------------ paragraphs


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs of plain text: blank lines or indents separate them; hard wraps are joined.

    Text whose lines break at a fixed width (old wire copy, e-mail) has its wrapped lines
    joined back; otherwise every line is a paragraph of its own. Where paragraphs open with
    an indent (classic wire copy), only lines under an indented opening are joined, so the
    slugline, headline and byline above the first paragraph stay lines of their own.
    """
    lines = text.split("\n")
    # (any line longer than 100: asked in C, stopping at the first)
    if len(lines) < 8 or any(map((100).__lt__, map(len, lines))):
        # lines longer than any wrap column: one paragraph per line, blank lines ignored
        return list(filter(None, map(str.strip, lines)))
    width = _wrap_width(lines)
    indent_style = width is not None and sum(ln[:1] in (" ", "\t") and bool(ln.strip()) for ln in lines) >= 2
    paragraphs: list[str] = []
    current: list[str] = []
    opened_indented = False
    previous_len = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        indented = line[:1] in (" ", "\t")
        joins = (
            current
            and width is not None
            and not indented
            and previous_len >= 0.6 * width
            and (opened_indented or not indent_style)
            and _byline(stripped) is None
        )
        if joins:
            current.append(stripped)
        else:
            if current:
                paragraphs.append(" ".join(current))
            current = [stripped]
            opened_indented = indented
        previous_len = len(line.rstrip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _wrap_width(lines: list[str]) -> int | None:
    """The column text is hard-wrapped at, or None when lines run to their natural length."""
    lengths = [len(ln.rstrip()) for ln in lines if ln.strip()]
    if len(lengths) < 8:
        return None  # a handful of lines (headline, summary, a paragraph) proves no wrapping
    width = max(lengths)
    if width > 100:
        return None
    long_lines = sum(n >= 0.75 * width for n in lengths)
    # wrapped text has long lines running straight into the next line, mostly in the middle
    # of a sentence; one paragraph per line ends nearly every line with a full stop
    runs = [a.rstrip() for a, b in itertools.pairwise(lines) if len(a.rstrip()) >= 0.75 * width and b.strip()]
    open_ends = sum(not a.endswith(_SENTENCE_END) for a in runs)
    wrapped = long_lines >= 0.4 * len(lengths) and open_ends >= 3 and open_ends >= 0.5 * len(runs)
    return width if wrapped else None


# ------------------------------------------------------------------ the codec

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_SENTENCE_END = (".", "!", "?", "…", "»", "”", '"', "。")


def _is_chrome(line: str) -> bool:
    key = line.strip().rstrip(":›>»|").strip().casefold()
    return key in _CHROME_LINES or _chrome_prefix(line) or _is_breadcrumb(line)


def _chrome_prefix(line: str) -> bool:
    """Whether the line opens as chrome does (_CHROME_PREFIX_RE): a credit or a label."""
    # the pattern needs a ":", "|" or "©" (after a label, or the credit's own), else a leading
    # digit ("5 min read") or "l" ("Listen to this article"): most lines have none of them,
    # which substring scans prove for a third of the cost of trying every alternative
    if not (":" in line or "|" in line or "©" in line or line[:1] in ("l", "L")
            or line[:1].isdecimal()):
        return False
    return _CHROME_PREFIX_RE.match(line) is not None


def _menu_like(line: str) -> bool:
    """A lone short label ("Politics", "World news") rather than a headline."""
    if len(line) > 30 or line.endswith(_SENTENCE_END):
        return False
    return sum(1 for w in line.split() if any(ch.isalpha() for ch in w)) <= 2


def _is_slug(line: str) -> bool:
    # every slug form has a dash or a slash: a line without either is none (a C scan)
    return len(line) <= 80 and ("-" in line or "/" in line) and bool(_SLUG_RE.fullmatch(line))


def _byline(line: str) -> str | None:
    m = _BYLINE_RE.fullmatch(line)
    if not m:
        return None
    names = m.group("names")
    words = names.split()
    # "By the end of the day ..." is a sentence, not a byline
    # "By dpa correspondents", "By AFP staff": the agency stands for the writer
    if len(words) > 14 or line.endswith(("!", "?")) or not (
        names[:1].isupper() or find_agency(words[0]) is not None
    ):
        return None
    # AFP English writes "by Jane DOE", ANSA "di Paolo Bianchi": in lower case the line is a
    # byline only when it is names alone ("by Tuesday, officials said" is not)
    if (word := m.group("word")) and word.islower() and (
        len(words) > 10 or not all(w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words)
    ):
        return None
    return line


#: the small words inside names: "Maria de la Cruz", "Ursula von der Leyen", "Jan van Dijk"
_NAME_PARTICLES = frozenset(
    # AFP: "by Jane DOE, with Paul SMITH in Paris"
    "and with in y e et und de del della di da dos das la le van von der den du al el bin ibn".split()
)


@dataclass(slots=True)
class _Header:
    headline: str | None = None
    summary: list[str] | None = None
    byline: list[str] | None = None
    slugline: str | None = None
    created: _Stamp | None = None
    modified: _Stamp | None = None
    embargo: _Stamp | None = None
    urgency: int | None = None
    copyright: list[str] = field(default_factory=list)

    def stamp(self, stamp: _Stamp) -> None:
        if stamp.when is None:
            return
        if stamp.updated:
            self.modified = self.modified or stamp
        else:
            self.created = self.created or stamp

    def add_byline(self, line: str) -> None:
        self.byline = [*(self.byline or []), line]


class WireText:
    """Codec for agency wire text (plain text, any charset)."""

    name = "wiretext"
    title = "agency wire text"

    #: the last input the sniff read whole, with its text and whether it holds control bytes:
    #: formats.parse sniffs an input and then parses the very same bytes object, which need not
    #: be checked and decoded twice (one tuple, replaced whole: safe across threads)
    _last_read: tuple[bytes, str, bool] | None = None

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:4096]
        if not head or head.isspace():
            return 0.0
        # (binary data has control bytes: text without any needs no closer look)
        controls = has_control_bytes(head)
        if controls and looks_binary(head):
            return 0.0
        start = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")
        if start[:1] in (b"<", b"{", b"["):
            return 0.0  # XML, HTML or JSON: other codecs' business
        try:
            text, utf8 = _decode_head(head)
        except MalformedInput:
            return 0.0
        if looks_like_mail_headers(text):
            return 0.0  # an e-mail: its header fields are no headline (the email codec reads it)
        if utf8 and head is data and type(data) is bytes and not data.startswith(BOM_UTF8):
            # the whole input, decoded as decode_text decodes UTF-8 without a byte order mark
            self._last_read = (data, text, controls)
        # a dateline among the first 20 lines with text; the lines are stripped one by one
        # and only until it is found (a dateline is no further than the third line or so)
        seen = 0
        for line in text.splitlines():
            if not (line := line.strip()):
                continue
            if looks_like_dateline(line):
                return 0.65
            seen += 1
            if seen == 20:
                break
        return 0.3 if seen else 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        read, self._last_read = self._last_read, None
        if read is not None and read[0] is data:
            # sniffed a moment ago (no binary data, UTF-8 throughout): what it read stands
            _, text, controls = read
            encoding = "utf-8"
        else:
            controls = has_control_bytes(data)
            # binary data has control bytes (NUL among them); text without any needs no closer look
            if controls and looks_binary(data):
                raise MalformedInput("the input is not text (binary data)")
            decoded = decode_text(data)
            text, encoding = decoded.text, decoded.encoding
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\u2028" in text:
            text = text.replace("\u2028", "\n")
        if controls or encoding.startswith("utf-16"):
            text = _CONTROL_RE.sub("", text)
        if looks_like_mail_headers(text):
            raise MalformedInput(
                "the text is an e-mail (it opens with header fields such as From: and Subject:), "
                "not wire copy; read it with --format email"
            )
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            raise MalformedInput("the text is empty")

        header = _Header()
        copyright_lines: list[str] = []
        sent: list[_Stamp] = []
        now = _aware(context.now)
        paragraphs = _strip_trailer(paragraphs, copyright_lines, sent, now)

        body_start, dateline_at = self._read_header(paragraphs, header, now)
        if header.headline is None:
            raise MalformedInput(
                "the text has no headline line (expected the headline on the first line "
                "that is not page navigation, a time stamp or a slugline)"
            )
        body_paras = paragraphs[body_start:]
        if not body_paras and not header.summary:
            raise MalformedInput(f"the story {header.headline!r} has no body text")

        language = context.language
        if language is None:
            # prose tells the language better than a headline (which may be in capitals) or
            # the dateline (names of places and agencies)
            start = dateline_end(body_paras[0]) if dateline_at is not None and body_paras else 0
            opening = [body_paras[0][start:], *body_paras[1:]] if body_paras else []
            language = detect_item_language(header.headline, opening)

        dateline: Dateline | None = None
        if dateline_at is not None:
            # a time stamp on the page or in the trailer dates the story better than the time of ingest
            # (else the envelope's time the caller read, else the time of ingest)
            ref = _reference_time(header.created or (sent[0] if sent else None),
                                  _aware(context.reference) if context.reference else now)
            found = parse_dateline(body_paras[0], now=ref, language=language)
            if found:
                dateline, rest = found
                body_paras = [rest, *body_paras[1:]] if rest else body_paras[1:]
                if dateline.date is None and context.reference is not None:
                    # "Berlin (dpa) -": the envelope's stamp, in the city's zone, dates the story
                    local = _aware(context.reference).astimezone(context.timezone or _place_zone(dateline))
                    dateline = dataclasses.replace(dateline, date=local.date())

        # rules ("___", "***") only separate the story from its notes
        body_paras = [p for p in _strip_end_marks(body_paras) if len(p) > 40 or not _RULE_RE.fullmatch(p)]
        body = Block.paras(body_paras)
        summary = " ".join(header.summary) if header.summary else None

        agency = find_agency(dateline.source) if dateline and dateline.source else None
        provider = agency.name if agency else context.provider
        headline = header.headline
        # the hash collapses white space, so paragraphs joined by a space hash as the body text
        # ("\n\n" between them) does, and usually need no collapsing at all
        guid = derive_guid(provider, dateline.date if dateline else None, headline, " ".join(body_paras))
        created = modified = version_created = embargo = None
        if header.created or header.modified or header.embargo or sent:  # (most stories: none)
            # a time stamp without a zone is in the source's zone, else (not configured) the city's
            zone = context.timezone or _place_zone(dateline)
            created = _localize(header.created, zone)
            modified = _localize(header.modified, zone)
            # the trailer stamps the transmission: this version's time
            version_created = _localize(sent[0], zone) if sent else None
            embargo = _localize(header.embargo, zone)
        item = NewsItem(
            guid=guid,
            headline=headline,
            language=language or "und",
            version=1,
            provider=provider,
            summary=summary,
            slugline=header.slugline,
            byline="\n".join(header.byline) if header.byline else None,
            dateline=dateline,
            body=body,
            created=created,
            modified=modified,
            version_created=version_created,
            embargo=embargo,
            copyright=" ".join([*header.copyright, *copyright_lines]) or None,
            urgency=header.urgency,
            provenance=Provenance(
                source_format=self.name,
                sha256=hashlib.sha256(data).hexdigest(),
                source_name=context.filename,
                ingested_at=now,
            ),
            extra=(("charset", encoding),),
        )
        return [item]

    def _read_header(
        self, paragraphs: list[str], header: _Header, now: dt.datetime
    ) -> tuple[int, int | None]:
        """Fill ``header``; return where the body starts and whether it opens with a dateline.

        Above the headline: page chrome, time stamps, sluglines. Between the headline and the
        dateline paragraph: bylines, time stamps, chrome and the summary. Without a dateline
        in the first paragraphs, the body starts right after the headline and its bylines.
        """
        menu_candidate: int | None = None
        dateline_at: int | None = None
        i = 0
        while i < min(len(paragraphs), _HEADER_DEPTH) and header.headline is None:
            line = paragraphs[i]
            if looks_like_dateline(line):
                dateline_at = i
                break
            if (taken := _take_header_line(paragraphs, i, header, now)) is not None:
                i = taken
                continue
            if len(line) > _MAX_HEADLINE:
                break  # body text before any headline
            elif _menu_like(line):
                if menu_candidate is None:
                    menu_candidate = i
            else:
                header.headline = line
            i += 1
        if header.headline is None:
            if menu_candidate is None:
                return i, dateline_at
            # only short lines above the body: the first of them is the headline after all
            header.headline = paragraphs[menu_candidate]
            i = menu_candidate + 1

        if dateline_at is not None and dateline_at < i:
            dateline_at = None  # short lines above a dateline: the headline came first
        # after the headline: bylines, stamps and chrome, at most a few text paragraphs
        # (the summary), then the dateline paragraph opens the body
        limit = min(len(paragraphs), _HEADER_DEPTH)
        summary: list[str] = []
        first_summary = i
        while i < limit and _summary_fits(summary):
            line = paragraphs[i]
            if i == dateline_at or (dateline_at is None and looks_like_dateline(line)):
                dateline_at = i
                break
            if (taken := _take_header_line(paragraphs, i, header, now)) is not None:
                i = taken
                continue
            if not summary:
                first_summary = i
            summary.append(_BULLET_RE.sub("", line))
            i += 1
        if dateline_at is None or dateline_at != i:
            # no dateline near the top: the first text paragraph opens the body
            return (first_summary if summary else i), None
        if summary:
            header.summary = summary
        return i, i


def _take_header_line(paragraphs: list[str], i: int, header: _Header, now: dt.datetime) -> int | None:
    """Take paragraph ``i`` into ``header`` if it is a header line; return the next index.

    Header lines: embargo notices, time stamps, urgency flags, sluglines, copyright notices,
    bylines (with the writer's title on the line under them) and page chrome. Anything else
    (headline, summary, story) gives None.
    """
    line = paragraphs[i]
    if (embargo := _embargo(line, now)) is not None:
        header.embargo = embargo
    elif (stamp := _parse_stamp(line, now)) is not None:
        header.stamp(stamp)
    elif (urgency := _URGENCY.get(line.strip(" :!*-").casefold())) is not None:
        header.urgency = min(urgency, header.urgency or urgency)
    elif _is_slug(line):
        header.slugline = header.slugline or line
    elif _COPYRIGHT_RE.match(line) and len(line) <= 300:
        header.copyright.append(line)
    elif (by := _byline(line)) is not None:
        header.add_byline(by)
        if i + 1 < len(paragraphs) and _BYLINE_TITLE_RE.fullmatch(paragraphs[i + 1]):
            header.add_byline(paragraphs[i + 1])
            return i + 2
    elif not _is_chrome(line):
        return None
    return i + 1


#: flags wire services set on a line of their own above the headline, as NewsML-G2 urgency
#: (1 most urgent): flash, then bulletin, then urgent
_URGENCY = {
    "flash": 1, "молния": 1, "blitz": 1, "bulletin": 2, "apnewsalert": 2, "ap news alert": 2,
    "breaking": 2, "urgent": 3, "срочно": 3, "терміново": 3, "urgente": 3, "urgence": 3,
    "eilmeldung": 2, "eil": 3,
}  # fmt: skip

#: the summary above a dateline is a line or two, or a few short bullet points
_SUMMARY_MAX_PARAGRAPHS = 5
_SUMMARY_MAX_CHARS = 700
_BULLET_RE = re.compile(r"^[*•·▪\-–—]\s+")


def _summary_fits(summary: list[str]) -> bool:
    return len(summary) < _SUMMARY_MAX_PARAGRAPHS and sum(map(len, summary)) < _SUMMARY_MAX_CHARS


def _decode_head(head: bytes) -> tuple[str, bool]:
    """The text of the head, and whether it is the head's whole UTF-8 decoding."""
    try:
        return head.decode("utf-8"), True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:
            return head[: exc.start].decode("utf-8"), False  # cut inside a character at the edge
    return decode_text(head).text, False


def _strip_trailer(
    paragraphs: list[str], copyright_lines: list[str], sent: list[_Stamp], now: dt.datetime
) -> list[str]:
    """Drop end marks and page chrome after the story; collect copyright notices and the
    transmission stamp ("AFP 271015 GMT Nov 26", "AP-WF-11-27-26 1015ET") into ``sent``."""
    end = len(paragraphs)
    while end > 1:
        last = paragraphs[end - 1]
        if _COPYRIGHT_RE.match(last) and len(last) <= 300:
            copyright_lines.insert(0, last)
        elif (stamp := _transmission_stamp(last, now)) is not None:
            sent.insert(0, stamp)
        elif not (
            _END_LINE_RE.fullmatch(last)
            or _SIGN_OFF_RE.fullmatch(last)
            or _RULE_RE.fullmatch(last)
            or _is_chrome(last)
        ):
            break
        end -= 1
    return paragraphs[:end]


def _transmission_stamp(line: str, now: dt.datetime) -> _Stamp | None:
    m = _TRANSMISSION_RE.fullmatch(line.strip())
    found = read_stamp(m.group("stamp"), now=now) if m else None
    if found is None or found.date is None or found.time is None:
        return None
    return _stamp_of(found)


def _strip_end_marks(paragraphs: list[str]) -> list[str]:
    if not paragraphs:
        return paragraphs
    # only the tail can hold an end mark; a pattern anchored at "$" would scan every position
    para = paragraphs[-1]
    if para and para.rstrip()[-1:] not in _END_INLINE_LAST:
        return paragraphs  # the usual full stop: no end mark, no pattern to try
    cut = max(0, len(para) - 24)
    last = para[:cut] + _END_INLINE_RE.sub("", para[cut:])
    return [*paragraphs[:-1], last] if last else paragraphs[:-1]


def _reference_time(stamp: _Stamp | None, now: dt.datetime) -> dt.datetime:
    """The moment a dateline without a year is read against: the page's stamp, else ingest."""
    if stamp is None or stamp.when is None:
        return now
    # a stamp in local time (zone unknown until the place is resolved): its calendar date counts
    return reference_time(stamp.when if stamp.zoned else stamp.when.date(), now=now)


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _place_zone(dateline: Dateline | None) -> dt.tzinfo:
    if dateline and dateline.place and dateline.place.timezone:
        try:
            return ZoneInfo(dateline.place.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.UTC


def _localize(stamp: _Stamp | None, zone: dt.tzinfo) -> dt.datetime | None:
    """A page time stamp as an aware time; without a zone it is the dateline city's time."""
    if stamp is None or stamp.when is None or not stamp.has_time:
        return None
    when = stamp.when
    return when if when.tzinfo else when.replace(tzinfo=zone)


register(WireText())
