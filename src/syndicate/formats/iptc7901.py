"""IPTC 7901: the classic wire envelope (SOH header STX text ETX trailer EOT) around agency text.

The envelope gives the message number, priority, category and keyword (slug) line; the text
between STX and ETX is ordinary agency copy, read by the wire text codec. A file may hold
several messages. Control characters of the transmission (SYN, CR CR LF, ...) are dropped.
The trailer's transmission stamp is the version's time (in the source's zone when it names none).
Agency conventions are taken out of the text first (see ``prepare_text``): the " =" end marks,
the take key above the headline, the contact block or credit at the end (notes).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from syndicate.dateline import find_agency
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, RenderOptions, iptc7901_writer, register
from syndicate.formats.agate import dedent_rows, table_runs
from syndicate.formats.wiretext import WireText
from syndicate.item import Block, BlockKind, NewsItem, Note, Person, Provenance, Subject
from syndicate.textutil import decode_text
from syndicate.timeparse import Stamp, find_stamp, read_stamp

SOH, STX, ETX, EOT = b"\x01", b"\x02", b"\x03", b"\x04"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: message header: [source] number priority category [word-count], e.g. "AFP0123 4 pol 0456"
_HEADER = re.compile(
    r"^\s*(?P<source>[A-Za-z]{0,8}?)\s*(?P<number>\d{3,5})\s+(?P<priority>[1-9])\s+"
    r"(?P<category>[A-Za-z]{1,3})(?:\s+(?P<words>\d{1,5}))?\b(?P<rest>.*)$"
)
#: the ANPA 1312 header after SOH: service level and selector, priority letter, category letter
_ANPA_HEADER = re.compile(rb"[A-Za-z]\d{4}\x1f?[A-Za-z0-9-]*\s+[a-z]\s+[a-z](?![A-Za-z0-9])")
#: IPTC 7901 category codes (the three-letter forms agencies use and the one-letter originals)
CATEGORIES = {
    "pol": "politics", "p": "politics", "eco": "economy", "wir": "economy", "e": "economy",
    "fin": "finance", "f": "finance", "spo": "sport", "s": "sport", "clt": "culture",
    "k": "culture", "kul": "culture", "i": "international", "int": "international",
    "v": "advisory", "a": "domestic", "vm": "miscellaneous", "vermischtes": "miscellaneous",
    "sci": "science", "hum": "human interest", "med": "media", "rel": "religion",
}


#: the " =" that ends a headline, byline or paragraph in dpa, AFP, ANSA and EFE copy
_END_MARK = re.compile(r"\s+=\s*$")
#: an agency signing off with its desk codes ("dpa ne yyzz a3 kad", "dpa ab xy", "EFE"), or the
#: editors' initials alone ("bes/xx", "cr/pm", "RED-PL/")
_SIGNOFF_RE = re.compile(
    r"(?:dpa|AFP|ANSA|EFE|AP|Reuters|APA|SDA|KNA|epd|sid|ATS|Belga|ANP|TT|NTB)(?:\s+[a-z0-9]{1,6}){0,6}"
    r"|[a-z]{1,5}(?:[/-][a-z]{1,5})+/?|[A-Z0-9]{2,5}(?:-[A-Z0-9]{2,5})*(?:/[A-Z0-9]{0,5})+"
    r"|" + r"(?:\s*\((?:foto|fotos|vídeo|video|audio|gráfico|infografía|photo|graphic)\))+"
)
#: EFE's and AFP's marks that pictures, video or graphics go with the story: ("(foto)(vídeo)")
_MEDIA_MARK_RE = re.compile(r"(?i)\((?:foto|fotos|vídeo|video|audio|gráfico|infografía|photo|graphic)\)")
_BYLINE_START = re.compile(r"(?:By|BY|by|Von|VON|Por|POR|Par|PAR|Di|DI|di)\s+\S")
_LIST_ITEM = re.compile(r"\s*(?:[-*•]|\d{1,2}[.)])\s")
_PARAGRAPH_END = re.compile(r"(?m)(?<=\S)[ \t]+=[ \t]*$")
#: a take key line above the headline: what this take is to the ones before it
_TAKE_RE = re.compile(
    # upper case only (but dpa's numbered takes): "Lead found in pipes" is a headline
    r"(?:(?:REFILE|RPT|REPEAT|CORRECTED|CORRECTION|KORREKTUR|BERICHTIGUNG|Korrektur)\b.{0,40}"
    r"|\d+(?:ST|ND|RD|TH)\s+(?:LEAD|ADD|WRITETHRU)\b.{0,40}|(?:NEW\s+)?LEAD\b.{0,20}"
    r"|EXTRA|\d+\.\s*(?:Zusammenfassung|Neufassung|Korrektur|ZUSAMMENFASSUNG)\b.{0,40}"
    r"|URGENTE|URGENT|EILMELDUNG|EIL|BLITZ|FLASH|AMPLIACI[OÓ]N|RIPETIZIONE)"
)
_TAKE_UPDATE_RE = re.compile(r"(?i)lead|zusammenfassung|neufassung|refile|rpt|repeat|ripetizione|ampliaci")
_TAKE_CORRECTION_RE = re.compile(r"(?i)correct|korrektur|berichtigung")
_TAKE_URGENCY = {"flash": 1, "blitz": 1, "urgente": 3, "urgent": 3, "eilmeldung": 2, "eil": 3}
#: the first line of an editorial contact block or credit at the end of the text
_NOTE_RE = re.compile(
    r"(?i)(?:dpa-Kontakt|Kontakt\s*:|Rückfragen|Redaktion\s*:|Copyright\b|©|\(ANSA\)\.|"
    r"Contact\s*:|Contacto\s*:|Internet\s*:|Tel(?:efon|\.)?\s*:|E-?Mail\s*:)"
)
#: dpa's note block and the lines that open its part not for publication: they may stand
#: anywhere after the lead (the block runs over many lines), not only in the last paragraphs
#: (dpa's English services: "# Notebook", "## Note to editors", "## Editorial contacts" ...)
_NOTE_BLOCK_RE = re.compile(
    r"(?i)#{0,3}\s*(?:Notizblock|dpa-Kontakt|\*\s*\*\s*\*\s*\*|"
    r"Die folgenden Informationen sind nicht zur Veröffentlichung bestimmt|Notebook|"
    r"Notes? to editors|Editorial contacts?|"
    r"The following information is not (?:intended )?for publication)\s*:?"
)
#: AFP's take at the end of the keyword line ("US-economy-jobs,3rdlead", "France-vote,URGENT")
#: or dpa's in brackets after the keyword ("Bundestag/Haushalt/ (Zusammenfassung 1400)")
_KEYWORD_TAKE_RE = re.compile(
    r"(?i)(?:,\s*(?P<take>(?:\d+(?:st|nd|rd|th)\s*)?lead|urgent|refile|correction|corrected|"
    r"update|advisory|wrap|focus|\d+(?:st|nd|rd|th)\s*add|add\d*)"
    r"|\s*\((?P<bracketed>(?:\d+\.\s*)?(?:Zusammenfassung|Neufassung|Korrektur|Berichtigung|"
    r"Eilmeldung|Eil|Wiederholung)\b[^()]{0,30})\))\s*$"
)
#: a service message to the receiving desks rather than a story
_SERVICE_RE = re.compile(
    r"(?i)\b(?:TEST\s+TEST|Ende\s+des\s+Dienstes|Impressum(?:test|\s*-?\s*Test)|"
    r"Dienstmeldung|Testmeldung|service message|message de service|mensaje de servicio|"
    r"messaggio di servizio)\b"
)


@dataclass(frozen=True, slots=True)
class Prepared:
    """The agency text with the 7901 conventions taken out: end marks, take key, contact notes."""

    text: str
    take_key: str | None
    notes: tuple[str, ...]
    service: bool
    paragraphs: tuple[str, ...]
    #: the tables set in columns, by the placeholder paragraph that stands for each in ``text``
    tables: tuple[tuple[str, str], ...] = ()
    #: sign-off and stamp lines at the end of the text ("dpa ne yyzz a3 kad 291015 Dez 26"),
    #: which some senders put before ETX instead of in the trailer
    signoff: str = ""


def _unwrap(block: str, width: int) -> str:
    """The lines of ``block`` that a fixed width wrapped joined back; an indented line or a list
    item starts a new paragraph (a line of its own)."""
    lines = block.split("\n")
    if len(lines) < 2 or width > 90:
        return block
    groups: list[list[str]] = []
    for ln in lines:
        fresh = ln[:1] in (" ", "\t") or bool(_LIST_ITEM.match(ln))
        if groups and not fresh and len(groups[-1][-1].rstrip()) >= 0.6 * width:
            groups[-1].append(ln.strip())
        else:
            groups.append([ln.rstrip()])
    return "\n".join(" ".join(g) for g in groups)


def _take_signoff(body: str) -> tuple[str, str]:
    """The body without the sign-off lines at its end (editors' initials, the agency with its
    desk codes, a transmission stamp), and those lines."""
    lines = body.rstrip().split("\n")
    cut = len(lines)
    seen = 0
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i].strip()
        if not line:
            continue
        seen += 1
        if seen > 5:
            break
        stamped = len(line) <= 60 and (stamp := find_stamp(line)) is not None and stamp.date is not None
        if not (stamped or _SIGNOFF_RE.fullmatch(line) or line == "NNNN"):
            break
        cut = i
    return "\n".join(lines[:cut]), "\n".join(ln.strip() for ln in lines[cut:] if ln.strip())


def _take_tables(body: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The body with each fixed-width table (results, standings, prices) replaced by a
    placeholder paragraph, so that the wire text reader never reflows its rows; and the tables."""
    lines = body.split("\n")
    tables: list[tuple[str, str]] = []
    out: list[str] = []
    at = 0
    for start, end in table_runs(lines, skip_blank=True):
        table = dedent_rows([_END_MARK.sub("", ln) for ln in lines[start:end]])
        # the table's hash in the placeholder keeps tables apart in the guid's body text
        key = f"\ue000{hashlib.sha256(table.encode()).hexdigest()[:16]}\ue001"
        out += [*lines[at:start], "", key, ""]
        tables.append((key, table))
        at = end
    out += lines[at:]
    return "\n".join(out), tuple(tables)


def prepare_text(body: str) -> Prepared:
    """Strip the " =" end markers, take the take key line off the top and the editorial contact
    block (dpa-Kontakt, Rückfragen, Redaktion:, Copyright, the ANSA credit) off the end;
    set tables aside (see ``Prepared.tables``)."""
    body, signoff = _take_signoff(body)
    body, tables = _take_tables(body)
    # " =" ends a headline, a byline, a paragraph: the next line starts a new one
    body = _PARAGRAPH_END.sub(" =\n", body)
    paragraphs = [
        # the indent that opens a paragraph is kept: under it, the wire text reader joins the
        # lines a teleprinter wrapped
        "\n".join(_END_MARK.sub("", ln).rstrip() for ln in para.split("\n")).strip("\n").rstrip()
        for para in re.split(r"\n[ \t]*\n", body)
    ]
    # a line of "=" alone, or the "NNNN" that ends a message on a teleprinter
    paragraphs = [p for p in paragraphs if p.strip() and p.strip() not in ("=", "NNNN")]
    service = bool(_SERVICE_RE.search(body))
    take_key = None
    if len(paragraphs) > 1:
        # take key lines above the headline, one or more ("REFILE" over "1ST LEAD")
        head_lines = paragraphs[0].split("\n")
        keys: list[str] = []
        while len(head_lines) > 1 and _TAKE_RE.fullmatch(head_lines[0].strip()):
            keys.append(head_lines.pop(0).strip())
        if not keys and _TAKE_RE.fullmatch(head_lines[0].strip()):
            keys, head_lines = [head_lines[0].strip()], []
        if keys:
            take_key = " ".join(keys)
        # the headline block is lines, never wrapped prose: a byline under the headline
        # stands apart ("By dpa correspondents")
        block: list[str] = []
        for ln in head_lines:
            if block and _BYLINE_START.match(ln.strip()):
                block.append("")
            block.append(ln)
        paragraphs = [*(["\n".join(block)] if "".join(block).strip() else []), *paragraphs[1:]]
    notes: list[str] = []
    if not service:
        start = len(paragraphs)
        # only the last few paragraphs can be a contact block, never the headline or the lead
        for i in range(max(2, len(paragraphs) - 4), len(paragraphs)):
            if _NOTE_RE.match(paragraphs[i].lstrip()):
                start = i
                break
        for i in range(2, start):
            if _NOTE_BLOCK_RE.fullmatch(paragraphs[i].split("\n")[0].strip()):
                start = i
                break
        # the block is one note, its lines kept (the CR CR LF of 7901 reads as blank lines)
        notes = ["\n".join(p.strip() for p in paragraphs[start:])] if start < len(paragraphs) else []
        paragraphs = paragraphs[:start]
    # below the headline block, a paragraph's lines wrapped at the teleprinter's width are one
    # paragraph (the wire text reader only finds the width in longer copy)
    width = max((len(ln.rstrip()) for p in paragraphs[1:] for ln in p.split("\n")), default=0)
    paragraphs = paragraphs[:1] + [_unwrap(p, width) for p in paragraphs[1:]]
    return Prepared("\n\n".join(paragraphs), take_key, tuple(notes), service, tuple(paragraphs), tables,
                    signoff)


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the IPTC 7901 envelope says about one message."""

    source: str | None
    number: str | None
    priority: int | None
    category: str | None
    keyword: str | None
    words: int | None
    sent: dt.datetime | None
    #: the take AFP writes at the end of the keyword line ("3rdlead", "URGENT")
    take: str | None = None


def _clean(raw: bytes) -> str:
    # CR CR LF is one line end (the teleprinter's carriage return given time to travel), not a
    # line and a blank line: blank lines, indents and " =" are what part paragraphs
    text = decode_text(raw).text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text)


def _trailer_time(text: str, now: dt.datetime, tz: dt.tzinfo) -> dt.datetime | None:
    """The transmission time in the trailer: AFP "251230 GMT Nov 25", dpa "261530 Nov 26" (in
    the source's zone: it names none), AP "11-27-26 1015ET"."""
    stamp = find_stamp(text, now=now)
    if stamp is None or stamp.date is None:
        stamp = _line_stamp(text, now)
    return stamp.at(tz) if stamp is not None and stamp.date is not None else None


#: "03-DIC-26": a date with dashes and a month name, as ANSA's trailer writes it
_DASHED_DATE = re.compile(r"\b(\d{1,2})-([^\W\d_]{3,9})\.?-(\d{4}|\d{2})\b")


def _line_stamp(text: str, now: dt.datetime) -> Stamp | None:
    """A date and time that ends a trailer line in a form other than the agencies' usual stamp
    ("03-DIC-26 11:10 NNNN", "EFE ab/cd 03.12.2026 10:15"), read from the last line up."""
    for line in reversed(text.split("\n")):
        line = _DASHED_DATE.sub(
            lambda m: f"{m[1]} {m[2]} {m[3] if len(m[3]) == 4 else '20' + m[3]}",
            re.sub(r"\bNNNN\b", " ", line),
        )
        words = line.split()
        for i in range(len(words)):
            found = read_stamp(" ".join(words[i:]), now=now)
            if found is not None and found.date is not None and found.time is not None:
                return found
    return None


def _envelope(header: str, trailer: str, now: dt.datetime, tz: dt.tzinfo = dt.UTC) -> Envelope:
    lines = [ln.strip() for ln in header.split("\n") if ln.strip()]
    m = _HEADER.match(lines[0]) if lines else None
    keyword_lines = lines[1:] if m else lines
    if m and not keyword_lines:
        # the keyword on the header line itself, after the count: what is no agency, desk code
        # ("/AFP-ZX71") or number
        words = [w for w in m["rest"].split() if not (
            w.startswith("/") or w.isdigit() or find_agency(w.split("-")[0]) is not None)]
        keyword_lines = [" ".join(words)] if words else []
    # dpa ends the keyword line with "/": a separator, not part of the slug
    keyword = " ".join(keyword_lines).rstrip("/ ") or None
    take = None
    if keyword and (tm := _KEYWORD_TAKE_RE.search(keyword)):
        take, keyword = tm["take"] or tm["bracketed"], keyword[: tm.start()].rstrip("/ ") or None
        if tm["take"]:
            # as a take key line writes it: "3rdlead" is "3RD LEAD"
            take = re.sub(r"(?i)^(\d+(?:st|nd|rd|th))\s*", r"\1 ", take).upper()
    source = (m["source"] or None) if m else None
    if m:
        # dpa's header names its service ("bdt") first and the agency after the count ("dpa"),
        # ... and AFP its desk code ("/AFP-ZX71") after the count
        named = [a.name for word in m["rest"].split()
                 if (a := find_agency(word.strip("/").split("-")[0])) is not None]
        source = named[0] if named else source
    return Envelope(
        source=source,
        number=m["number"] if m else None,
        priority=int(m["priority"]) if m else None,
        category=m["category"].lower() if m else None,
        keyword=keyword,
        words=int(m["words"]) if m and m["words"] else None,
        sent=_trailer_time(trailer, now, tz),
        take=take,
    )


def split_messages(data: bytes) -> list[tuple[bytes, bytes, bytes]]:
    """(header, text, trailer) of each message in a transmission."""
    messages = []
    for chunk in data.split(SOH)[1:]:
        chunk = chunk.split(EOT, 1)[0]
        if STX not in chunk:
            raise MalformedInput("an IPTC 7901 message has no STX (start of text) after its header")
        header, _, rest = chunk.partition(STX)
        text, _, trailer = rest.partition(ETX)
        messages.append((header, text, trailer))
    return messages


#: between the names of a byline: "Jane DOE, with Paul SMITH", "Anna Beispiel und Tom Roe",
#: and the comma before an agency ("Anna Beispiel, dpa")
_WITH_RE = re.compile(r"\s*,?\s+(?:with|and|und|et|y|e|con|avec)\s+|\s*,\s*")


_NOT_NAME_WORDS = frozenset(
    "the der die das la le el il les los las news press agency tribune times post journal herald "
    "correspondent writer reporter staff editor redaktion agencia agenzia agence associated "
    "union-tribune newspaper zeitung".split()
)


def _looks_like_name(text: str) -> bool:
    """A writer's name rather than an agency or a paper: two to four capitalised words."""
    words = text.split()
    return (
        2 <= len(words) <= 4 and find_agency(text) is None
        and all(w[:1].isupper() and w.casefold() not in _NOT_NAME_WORDS for w in words)
    )


def _provider(source: str | None) -> str | None:
    """The agency the header's source letters name, as the agency table spells it."""
    if not source:
        return None
    agency = find_agency(source)
    return agency.name if agency is not None else source.upper()


def _note_role(text: str) -> str:
    if re.match(r"(?i)copyright|©", text):
        return "copyright"
    return "credit" if text.startswith("(") else "contact"


def _apply_text_conventions(item: NewsItem, prep: Prepared, env: Envelope) -> NewsItem:
    """The take key, contact notes, byline authors and service headline the wire text codec
    does not know about."""
    changes: dict[str, object] = {}
    if take := prep.take_key or env.take:
        changes["take_key"] = take
        signals = list(item.signals)
        if _TAKE_CORRECTION_RE.search(take):
            signals.append("sig:correction")
        elif _TAKE_UPDATE_RE.search(take):
            signals.append("sig:update")
        changes["signals"] = tuple(dict.fromkeys(signals))
        flag = _TAKE_URGENCY.get(take.casefold())
        if flag is not None and (item.urgency is None or flag < item.urgency):
            changes["urgency"] = flag
    media = [ln for ln in prep.signoff.split("\n") if _MEDIA_MARK_RE.match(ln)]
    if prep.notes or media:
        changes["notes"] = (*item.notes, *(Note(text=t, role=_note_role(t)) for t in prep.notes),
                            *(Note(text=m, role="media") for m in media))
    if item.byline and not item.authors:
        names = re.sub(r"^(?:By|BY|Von|VON|Por|POR|Par|PAR|Di|DI)\s+", "", item.byline.split("\n")[0],
                       flags=re.IGNORECASE).strip(" =")
        # "by Jane DOE, with Paul SMITH in Paris": the place the second writer files from
        names = re.sub(r"\s+in\s+[A-Z][\w .'-]*$", "", names) if _WITH_RE.search(names) else names
        parts = [name for part in _WITH_RE.split(names) if (name := part.strip(" ,="))]
        authors = [
            # "Von Anna Beispiel, dpa", "By Tom Roe, The San Diego Union-Tribune": the agency or
            # paper after the name is no writer
            Person(name=name, role="crol:author")
            for i, name in enumerate(parts)
            if (i == 0 and find_agency(name.split()[0]) is None) or _looks_like_name(name)
        ]
        changes["authors"] = tuple(authors)
    if prep.service:
        # a service message has no story headline: its first line is the message itself
        changes["headline"] = f"Service message{f' ({env.keyword})' if env.keyword else ''}"
        changes["body"] = tuple(Block.para(" ".join(p.split())) for p in prep.paragraphs)
        changes["summary"] = None
    if prep.tables:
        tables = dict(prep.tables)
        body = changes.get("body", item.body)
        assert isinstance(body, tuple)
        changes["body"] = tuple(
            Block.para(tables[b.text.strip()], BlockKind.PREFORMATTED) if b.text.strip() in tables else b
            for b in body
        )
    return item.replace(**changes)


class Iptc7901:
    name = "iptc7901"
    title = "IPTC 7901"
    #: what every input this codec recognises holds (see formats.detect): the SOH that opens it
    sniff_marks = b"\x01"
    # written by iptc7901_writer: UTF-8 unless the partner chooses a charset
    media_type = iptc7901_writer.media_type("utf-8")
    extension = "txt"
    options = frozenset({"charset"})

    def render(self, item: NewsItem) -> bytes:
        return iptc7901_writer.Iptc7901Renderer().render(item)

    def configured(self, options: RenderOptions) -> iptc7901_writer.Iptc7901Renderer:
        return iptc7901_writer.Iptc7901Renderer(options.charset or "utf-8")

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:512].lstrip(b"\x16\r\n ")
        if not head.startswith(SOH):
            return 0.0
        # ANPA 1312 starts with SOH too, but its header ("a0001 r a ...") is not a 7901 one;
        # any other SOH envelope, even a broken one, is 7901's to explain
        return 0.0 if _ANPA_HEADER.match(head[1:].lstrip(b"\r\n ")) else 0.95

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        messages = split_messages(data)
        if not messages:
            raise MalformedInput("the input has no IPTC 7901 message (no SOH start of header)")
        digest = hashlib.sha256(data).hexdigest()
        wire = WireText()
        items = []
        for n, (header, text, trailer) in enumerate(messages, 1):
            env = _envelope(_clean(header), _clean(trailer), context.now, context.zone)
            body = _clean(text).strip()
            if not body:
                raise MalformedInput(f"IPTC 7901 message {n} has no text between STX and ETX")
            prep = prepare_text(body)
            if not prep.text:
                raise MalformedInput(f"IPTC 7901 message {n} has no text between STX and ETX")
            if env.sent is None and prep.signoff:
                # the stamp came before ETX: it is the transmission's all the same
                env = dataclasses.replace(env, sent=_trailer_time(prep.signoff, context.now, context.zone))
            try:
                # the trailer's stamp, not the time of ingest, dates a dateline without a year:
                # before the wire text reader derives the guid and times from that date
                (item,) = wire.parse(prep.text.encode("utf-8"),
                                     dataclasses.replace(context, reference=env.sent))
            except MalformedInput as exc:
                raise MalformedInput(f"IPTC 7901 message {n}: {exc}") from None
            item = _apply_text_conventions(item, prep, env)
            subjects = item.subjects
            if env.category and env.category in CATEGORIES:
                subjects = (*subjects, Subject(name=CATEGORIES[env.category]))
            extra = dict(item.extra)
            if env.category:
                extra["iptc7901-category"] = env.category
            if env.words is not None:
                extra["iptc7901-words"] = str(env.words)
            if env.number:
                extra["iptc7901-number"] = env.number
            items.append(item.replace(
                urgency=env.priority if env.priority is not None else item.urgency,
                extra=tuple(extra.items()),
                slugline=env.keyword or item.slugline,
                subjects=subjects,
                provider=item.provider or _provider(env.source),
                # the trailer stamps the transmission: this version's time, not the content's
                version_created=item.version_created or env.sent,
                provenance=Provenance(self.name, digest, context.filename, context.now),
            ))
        return items


register(Iptc7901())
