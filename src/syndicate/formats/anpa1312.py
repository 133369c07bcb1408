"""ANPA 1312: the wire framing AP (and agencies using AP's framing) send copy in.

Each story is SYN SYN SOH header STX text ETX trailer EOT. The header line gives the service
level and selector ("a0001"), the priority and category letters, the keyword (slug), the
version ("1st Ld-Writethru"), the date and the word count. In the text, "^" opens a headline
or paragraph, "<" closes it and "=" ends a byline line; agate and tables (tab-separated, or set
in columns with runs of spaces) are kept as preformatted blocks. The trailer's stamp
("AP-WF-11-30-26 1015EST") is the version's time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from syndicate.dateline import find_agency, looks_like_dateline, parse_dateline
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, register
from syndicate.formats.agate import dedent_rows, table_runs
from syndicate.formats.lead import first_sentence
from syndicate.item import (
    Block,
    BlockKind,
    Dateline,
    NewsItem,
    Note,
    Person,
    Provenance,
    Subject,
    derive_guid,
)
from syndicate.textutil import decode_text, detect_item_language
from syndicate.timeparse import find_stamp

SYN, SOH, STX, ETX, EOT = b"\x16", b"\x01", b"\x02", b"\x03", b"\x04"
#: C0 controls besides TAB and LF: framing, and the quad/leader codes some AP tables carry
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
#: header: service level and selector, priority, category, then the keyword line
#: ("a0001 r a BC-Senate-Budget 1st Ld-Writethru 11-30 0612"). As AP sends it the header is two
#: lines: service level, story number, US and selector codes ("z6715\x1f-----"), then priority,
#: category, DC3/DC4 and the format identifier (DC1 text, DC2 tabular) before the keyword.
HEADER = re.compile(
    r"^\s*(?P<level>[A-Za-z])(?P<selector>\d{4})(?P<code>[A-Za-z0-9-]*)\s+(?P<priority>[a-z])\s+"
    r"(?P<category>[a-z])(?:\s+(?P<format>[a-z]{2})(?=\s))?(?P<rest>(?:\s.*)?)$"
)
_HEADER_HEAD = re.compile(
    rb"^[\x16\r\n ]*\x01[\r\n ]*[A-Za-z]\d{4}\x1f?[A-Za-z0-9-]*\s+[a-z]\s+[a-z](?![A-Za-z0-9])"
)
#: the format identifier DC2: the story is tabular (agate) throughout
_TABULAR = b"\x12"
#: the header's end: the date ("11-30", "11-30-26") and the word count, either may be missing
_TAIL = re.compile(
    r"(?:[\s,]+(?P<date>[01]?\d-[0-3]?\d)(?:-(?P<year>\d{2}|\d{4}))?)?(?:[\s,]+(?P<words>\d{3,5}))?\s*<?$"
)
#: AP's priority letters as NewsML-G2 urgency (1 most urgent)
PRIORITY = {"f": 1, "b": 2, "u": 3, "r": 5, "d": 6, "a": 7, "s": 7}
#: AP's category letters
CATEGORIES = {
    "a": "domestic", "i": "international", "f": "finance", "s": "sport", "p": "politics",
    "e": "entertainment", "l": "lifestyle", "w": "washington", "n": "state", "k": "commentary",
}
_VERSION_SIGNALS = (
    (re.compile(r"(?i)\bcorrect"), "sig:correction"),
    (re.compile(r"(?i)\b(?:ld|lead|writethru|update|add|insert|sub)\b"), "sig:update"),
)
_VERSION_URGENCY = {"flash": 1, "bulletin": 2, "urgent": 3}
#: flag lines above an AP headline, as urgency
_FLAGS = {**_VERSION_URGENCY, "ap news alert": 2, "apnewsalert": 2}
#: characters of prose below which the language is not detected (tables and agate)
_PROSE = 80
#: "Eds: ...", "(Eds: ...)", "EDITOR'S NOTE _ ..."
_EDS = re.compile(r"(?i)^\(?\s*(?:eds?\s*:|editor['’]?s\s+note\s*(?::|_|—|--|-))\s*")
#: the keyword line at the top of the text, when it does not repeat the header's keyword
#: exactly ("^BC-Senate-Budget, 1st Ld-Writethru,0520<")
_AP_KEYWORD = re.compile(r"(?:BC|AM|PM|AP)-[A-Za-z]")
_KEYWORD_LINE = re.compile(r"(?:[A-Za-z]{2}-\S[^,]{0,60}|[\w&'.-]+)(?:,[^,]{1,40})*,\s*\d{1,5}")
#: a line under the headline naming the pictures or video that go with the story
_MEDIA_LINE = re.compile(r"(?i)AP\s+(?:Photos?|Video|Audio|Graphics?|Interactive)\b")
#: operator initials at the end of a story ("jmc/jcp", "(hw)")
_INITIALS = re.compile(r"[a-z]{1,5}(?:/[a-z]{1,5})+|\([a-z]{2,5}\)")
_BY = re.compile(r"^(?:By|BY)\s+(?P<names>[^\W\d_].{1,150})$")
#: the writer's title on the line under a byline ("Associated Press Writer", "AP Sports Writer")
_TITLE = re.compile(
    r"(?i)\b(?:press|writers?|correspondents?|editors?|reporters?|staff|columnist|critic|analyst)\b|^AP\b"
)
_NAMES = re.compile(r"\s*(?:,\s*and\s+|\s+and\s+|,\s*|\s*&\s*)")
_RULE = re.compile(r"\s*[_\-=*~]{3,}\s*")
_TAKE_END = re.compile(r"(?i)more|-0-|\(?end\)?|-30-|#{3}")
_MARK_START = re.compile(r"^(\s*)\^")
_MARK_END = re.compile(r"\s*[<=]$")
_DASH = re.compile(r"^\s*(?:_|—|–|--|-)\s*")


@dataclass(frozen=True, slots=True)
class Header:
    """What the ANPA header line says about one story."""

    selector: str
    priority: str
    category: str
    keyword: str | None
    version: str | None
    date: tuple[int, int] | None
    words: int | None
    #: the year, when the header's date gives one ("11-30-26")
    year: int | None = None


def read_header(line: str) -> Header | None:
    m = HEADER.match(line)
    if m is None:
        return None
    rest = m["rest"].strip()
    date = words = year = None
    if (tail := _TAIL.search(rest)) is not None and (tail["date"] or tail["words"]):
        rest = rest[: tail.start()].strip()
        words = int(tail["words"]) if tail["words"] else None
        if tail["date"]:
            month, day = tail["date"].split("-")
            date = (int(month), int(day))
            if tail["year"]:
                year = int(tail["year"]) + (2000 if len(tail["year"]) == 2 else 0)
    keyword = re.split(r"[\s,]", rest, maxsplit=1)[0]
    version = rest[len(keyword):].strip(" ,")
    return Header(
        selector=m["level"] + m["selector"], priority=m["priority"], category=m["category"],
        keyword=keyword or None, version=version or None, date=date, words=words, year=year,
    )


def split_stories(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(header, text, trailer) of each story; a story without STX has an empty text."""
    stories = []
    for chunk in data.split(SOH)[1:]:
        chunk = chunk.split(EOT, 1)[0]
        header, _, rest = chunk.partition(STX)
        text, _, trailer = rest.partition(ETX)
        stories.append((header, text, trailer))
    return stories


def _clean(text: str) -> str:
    # DLE is the TTS space band of AP's agate: a space that keeps its width
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\x10", " "))


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    #: "head" for a "^...<" line, "by" for a "...=" line, "table" for tab-separated agate,
    #: "para" for body copy
    kind: str


def _lines(text: str, tabular: bool = False) -> list[_Line]:
    """The text as marked lines (markers removed); body copy joined into paragraphs. In a
    ``tabular`` story every line not opened by "^" is a row of one table."""
    out: list[_Line] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            joined = " ".join(p.strip() for p in para).strip()
            if joined:
                out.append(_Line(joined, "para"))
            para.clear()

    raw_lines = text.split("\n")
    unmarked = [_unmark(raw) for raw in raw_lines]
    # agate set in columns with runs of spaces (no tabs): a table, never reflowed into prose
    spaced = {i for start, end in table_runs(unmarked) for i in range(start, end)}
    for n, raw in enumerate(raw_lines):
        line = raw.rstrip()
        if n in spaced or (tabular and line.strip() and not line.lstrip().startswith("^")):
            flush()
            row = unmarked[n]
            if out and out[-1].kind == "table":
                out[-1] = _Line(out[-1].text + "\n" + row, "table")
            else:
                out.append(_Line(row, "table"))
            continue
        # a tab between columns; a tab that only indents a paragraph (AP's usual) is no table
        if "\t" in line.lstrip(" \t^"):
            flush()
            row = line.replace("^", "").replace("<", "").rstrip("=")
            if out and out[-1].kind == "table":
                out[-1] = _Line(out[-1].text + "\n" + row, "table")
            else:
                out.append(_Line(row, "table"))
            continue
        if not line.strip():
            flush()
            continue
        opens = line.lstrip().startswith("^")
        indented = line[:1] in (" ", "\t")
        body = line.strip().lstrip("^").strip()
        if opens or indented:
            flush()
        if body.endswith("="):
            flush()
            out.append(_Line(body.rstrip("=").strip(), "by"))
        elif body.endswith("<"):
            para.append(body.rstrip("<").strip())
            text_ = " ".join(p.strip() for p in para).strip()
            para.clear()
            if text_:
                # a "^...<" line alone (not body copy run on from above) is a header line
                out.append(_Line(text_, "head" if opens else "para"))
        else:
            para.append(body)
    flush()
    return [_Line(dedent_rows(ln.text.split("\n")), "table") if ln.kind == "table" else ln for ln in out]


def _is_keyword_line(text: str, keyword: str | None) -> bool:
    """Whether a "^...<" line at the top of the text is the keyword line, not a headline: it
    starts with the header's keyword, or is one word (a slug) with the keyword in it, or ends
    with the word count after a comma."""
    if keyword and text.startswith(keyword):
        return True
    slug = text.split(",")[0].strip()
    if keyword and " " not in slug and keyword.casefold() in slug.casefold():
        return True
    # the header truncates the keyword and drops its spaces: "BC-LT--Argentina-CancerB" for
    # "BC-LT--Argentina-Cancer Beauty"
    if keyword and _squeeze(slug).startswith(_squeeze(keyword)):
        return True
    return bool(_KEYWORD_LINE.fullmatch(text) or _AP_KEYWORD.match(text))


def _squeeze(text: str) -> str:
    return re.sub(r"[\s_-]", "", text).casefold()


def _unmark(line: str) -> str:
    """A line without the "^" that opens it and the "<" or "=" that ends it."""
    return _MARK_END.sub("", _MARK_START.sub(r"\1", line.rstrip()))


class Anpa1312:
    name = "anpa1312"
    title = "ANPA 1312"
    #: what every input this codec recognises holds (see formats.detect): the SOH that opens it
    sniff_marks = b"\x01"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        # IPTC 7901 starts with SOH too; ANPA's header line is what tells them apart
        return 0.97 if _HEADER_HEAD.match(data[:512]) else 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem | Skipped]:
        if b"\x00" in data[:4096]:
            raise MalformedInput("the input is not ANPA 1312 text (it holds NUL bytes: binary data)")
        stories = split_stories(data)
        if not stories:
            raise MalformedInput("the input has no ANPA 1312 story (no SOH start of header)")
        digest = hashlib.sha256(data).hexdigest()
        out: list[NewsItem | Skipped] = []
        for n, (header, text, trailer) in enumerate(stories, 1):
            try:
                out.append(self._story(header, text, trailer, context, digest))
            except MalformedInput as exc:
                if len(stories) == 1:
                    raise
                out.append(Skipped(n, "ANPA 1312 story", None, str(exc)))
        if not any(isinstance(o, NewsItem) for o in out):
            raise MalformedInput("no story of this ANPA 1312 file could be read: "
                                 + "; ".join(str(o) for o in out))
        return out

    def _story(self, raw_header: bytes, raw_text: bytes, raw_trailer: bytes,
               context: ParseContext, digest: str) -> NewsItem:
        # the unit separator parts the story number from the selector codes: glue them
        header_text = _clean(decode_text(raw_header.replace(b"\x1f", b"")).text)
        header_lines = [ln.strip() for ln in header_text.split("\n") if ln.strip()]
        head = read_header(header_lines[0]) if header_lines else None
        if head is None and len(header_lines) > 1:
            head = read_header(" ".join(header_lines[:2]))
        if head is None:
            raise MalformedInput("the story's header line is not ANPA 1312 (expected "
                                 "'a0001 r a KEYWORD VERSION MM-DD WORDS' after SOH)")
        text = _clean(decode_text(raw_text).text)
        if not text.strip():
            raise MalformedInput(f"story {head.selector} has no text between STX and ETX")
        trailer = _clean(decode_text(raw_trailer).text)
        now = context.now if context.now.tzinfo else context.now.replace(tzinfo=dt.UTC)

        # AP's stamp, initials and take-end marks on the last lines: trailer matter, not copy
        raw_lines = text.rstrip().split("\n")
        end_stamp: str | None = None
        while raw_lines and (
            not (last := _unmark(raw_lines[-1]).strip()) or _TAKE_END.fullmatch(last)
            or _INITIALS.fullmatch(last) or (len(last) <= 40 and find_stamp(last) is not None)
        ):
            if last and find_stamp(last) is not None:
                end_stamp = last
            raw_lines.pop()
        lines = _lines("\n".join(raw_lines), tabular=_TABULAR in raw_header)
        # "=" ends a byline and the title under it; in agate it ends any line ("^East Division=")
        lines = [
            _Line(ln.text, "head") if ln.kind == "by" and not _BY.match(ln.text) and not (
                i and lines[i - 1].kind == "by" and _BY.match(lines[i - 1].text)
                and _TITLE.search(ln.text)) else ln
            for i, ln in enumerate(lines)
        ]
        keyword = head.keyword
        # the keyword line repeats the header's slug and version: no headline
        if lines and lines[0].kind == "head" and _is_keyword_line(lines[0].text, keyword):
            lines = lines[1:]
        stamp = find_stamp(trailer, now=now)
        if stamp is None and end_stamp is not None:
            stamp = find_stamp(end_stamp, now=now)  # the stamp came before ETX
        sent = stamp.at(context.zone) if stamp is not None and stamp.date is not None else None
        headline: str | None = None
        notes: list[Note] = []
        bylines: list[str] = []
        body_lines: list[_Line] = []
        flags: list[int] = []
        pending: list[str] = []
        for line in lines:
            if body_lines:
                body_lines.append(line)
            elif line.kind == "head" and (flag := _FLAGS.get(line.text.strip(" !").casefold())):
                flags.append(flag)  # "^Bulletin<" above the headline: urgency, no headline
            elif _EDS.match(line.text):
                text_ = _EDS.sub("", line.text).strip()
                if line.text.lstrip().startswith("(") and text_.endswith(")"):
                    text_ = text_[:-1].rstrip()
                notes.append(Note(text_, role="eds"))
            elif line.kind == "by" or (line.kind == "head" and _BY.match(line.text) is not None):
                bylines.append(line.text)
            elif line.kind == "head" and headline is None and not looks_like_dateline(line.text):
                headline = line.text
            elif line.kind == "head" and headline is not None and not looks_like_dateline(line.text):
                if _MEDIA_LINE.match(line.text):
                    notes.append(Note(line.text, role="media"))  # "^AP Photo GATK105, ...<"
                else:
                    pending.append(line.text)
            else:
                # a "^TOKYO (AP) _ ...<" paragraph under a bulletin flag is body, not a headline
                body_lines.append(_Line(line.text, "para") if line.kind == "head" else line)
        # a "^...<" line or two between the headline and the body are AP's summary of the story;
        # more, or no body besides, are body copy marked like headlines
        summary: str | None = None
        if pending and (len(pending) > 2 or not body_lines):
            body_lines = [*(_Line(t, "para") for t in pending), *body_lines]
        elif pending:
            summary = " ".join(pending)
        # AP's take-end marks ("MORE" under a bulletin, "-0-", "(END)") are no copy
        while body_lines and _TAKE_END.fullmatch(body_lines[-1].text.strip()):
            body_lines.pop()
        if not body_lines:
            raise MalformedInput(f"story {head.selector} {headline!r} has no body text" if headline
                                 else f"story {head.selector} has neither a headline line "
                                 "('^headline<') nor body text")

        date: dt.date | None = None
        if head.date is not None:
            year = head.year or (sent or now).year
            month, day = head.date
            # a story dated December sent in January is last year's
            if head.year is None and month - (sent or now).month > 6:
                year -= 1
            try:
                date = dt.date(year, month, day)
            except ValueError:
                date = None
        elif sent is not None:
            date = sent.date()  # no date in the header: the trailer's stamp dates the story

        prose = [ln.text for ln in body_lines if ln.kind == "para"][:3]
        # agate ("All Times EST", team names) says nothing of a language: AP's framing is
        # English unless the configuration or enough prose says otherwise
        detected = detect_item_language(headline or "", prose) if sum(map(len, prose)) >= _PROSE else None
        language = context.language or detected or "en"
        dateline: Dateline | None = None
        first = body_lines[0]
        if first.kind == "para" and looks_like_dateline(first.text):
            ref = dt.datetime.combine(date, dt.time(12), dt.UTC) if date else (sent or now)
            found = parse_dateline(first.text, now=ref, language=language)
            if found:
                dateline, rest = found
                rest = _DASH.sub("", rest, count=1)
                body_lines = [_Line(rest, "para"), *body_lines[1:]] if rest else body_lines[1:]
                if dateline.date is None and date is not None:
                    dateline = dataclasses.replace(dateline, date=date)
        body = tuple(
            Block.para(ln.text, BlockKind.PREFORMATTED if ln.kind == "table" else BlockKind.PARAGRAPH)
            # a rule ("___") only parts the story from the contributors' line
            for ln in body_lines if ln.text.strip() and not (ln.kind != "table" and _RULE.fullmatch(ln.text))
        )
        if headline is None:
            # a bulletin often has no headline line: its first sentence says it
            lead = next((b.text for b in body if b.kind is BlockKind.PARAGRAPH), None)
            if lead is None:
                raise MalformedInput(f"story {head.selector} has no headline line ('^headline<')")
            headline = first_sentence(lead)

        authors: list[Person] = []
        if bylines and (m := _BY.match(bylines[0])):
            title = bylines[1] if len(bylines) > 1 else None
            authors = [Person(name=nm.strip(), role="crol:author", title=title)
                       for nm in _NAMES.split(m["names"]) if nm.strip()]

        version = head.version
        signals: list[str] = []
        urgency = min([*flags, *([u] if (u := PRIORITY.get(head.priority)) else [])], default=None)
        if version:
            signals = [sig for rx, sig in _VERSION_SIGNALS if rx.search(version)][:1]
            flag = _VERSION_URGENCY.get(version.strip().casefold())
            if flag is not None:
                urgency = min(flag, urgency or flag)
        subjects = (Subject(name=CATEGORIES[head.category]),) if head.category in CATEGORIES else ()
        agency = find_agency(dateline.source) if dateline and dateline.source else None
        provider = agency.name if agency else (context.provider or "AP")
        guid = derive_guid(provider, date or (dateline.date if dateline else None), keyword,
                           headline, " ".join(b.text for b in body))
        return NewsItem(
            guid=guid,
            headline=headline,
            language=language,
            provider=provider,
            slugline=keyword,
            summary=summary,
            byline="\n".join(bylines) or None,
            dateline=dateline,
            body=body,
            subjects=subjects,
            urgency=urgency,
            version_created=sent,
            notes=tuple(notes),
            authors=tuple(authors),
            signals=tuple(signals),
            take_key=version,
            provenance=Provenance(self.name, digest, context.filename, now),
            extra=(("anpa:selector", head.selector),
                   *((("anpa:words", str(head.words)),) if head.words is not None else ())),
        )


register(Anpa1312())
