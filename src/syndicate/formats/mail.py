"""E-mail as stringers and smaller agencies file stories: RFC 5322 / MIME, read with the stdlib.

The subject is the headline, the sender the byline, the Date header the item's time, the
text part (else the HTML part) the body; a forwarded message is read as the story it carries.
A source that sends forms has labelled fields (Headline:, Byline:, Body: ...) read instead.
Attachments are never stored in the item: each is named in an editorial note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import hashlib
import json
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message
from html.parser import HTMLParser
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from syndicate.dateline import dateline_end, find_agency, looks_like_dateline, parse_dateline
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, register
from syndicate.formats.bodies import read_markup
from syndicate.formats.wiretext import split_paragraphs
from syndicate.formats.xhtml import text_to_blocks
from syndicate.item import Block, Dateline, NewsItem, Note, Person, Provenance, Subject, derive_guid
from syndicate.textutil import decode_text, detect_item_language, looks_like_mail_headers
from syndicate.timeparse import parse_time

__all__ = ["Mail"]

#: "Fwd:", "Fw:", "WG:" (German), "TR:" (French), repeated as forwarding repeats them
_FORWARD_PREFIX_RE = re.compile(r"^\s*(?:(?:fwd?|wg|tr)\s*:\s*)+", re.IGNORECASE)
#: the line mail clients put above a message forwarded inline
_INLINE_FORWARD_RE = re.compile(
    r"^[ \t]*(?:-{3,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|"
    r"Message transféré|Пересылаемое сообщение)\s*-{3,}|Begin forwarded message:)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD_LINE_RE = re.compile(r"([A-Za-z][A-Za-z -]{0,30}):\s*(.*)")
#: a signature starts at "-- " on a line of its own (RFC 3676)
_SIGNATURE_RE = re.compile(r"^-- ?$", re.MULTILINE)
#: control characters no text holds (and XML refuses): a stray one is dropped, not the story
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class _Story:
    """What one message (or the message it forwards) says."""

    subject: str | None
    sender: str | None
    date: str | None
    message_id: str | None
    language: str | None
    blocks: tuple[Block, ...]
    charset: str | None
    #: the story's text as plain text (an HTML part's blocks one a paragraph), for a form
    text: str = ""


def _header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):  # a header the policy cannot parse
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _sender(msg: Message) -> str | None:
    try:
        field = msg.get("From")
        addresses = getattr(field, "addresses", ())
    except (ValueError, IndexError, TypeError):
        addresses = ()
    for address in addresses:
        return address.display_name or address.addr_spec or None
    return _header(msg, "From")


def _sender_text(value: str) -> str:
    """A sender as an inline forward header writes it: "Jane Doe <jane@x>" gives "Jane Doe"."""
    name, _, rest = value.partition("<")
    name = name.strip().strip('"').strip()
    return name or rest.rstrip(">").strip() or value


def _is_attachment(part: Message) -> bool:
    return part.get_content_disposition() == "attachment" or (
        part.get_filename() is not None and part.get_content_maintype() != "text"
    )


def _part_text(part: Message) -> tuple[str, str]:
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    decoded = decode_text(raw, declared=part.get_content_charset()) if raw.strip() else None
    if decoded is None:
        return "", part.get_content_charset() or "us-ascii"
    return _CONTROL_RE.sub("", decoded.text), decoded.encoding


def _forwarded(msg: Message) -> Message | None:
    """The message/rfc822 part a message forwards, if any."""
    for part in msg.walk():
        if part is not msg and part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                return inner[0]
    return None


def _attachments(msg: Message) -> list[str]:
    names: list[str] = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() == "message/rfc822" or not _is_attachment(part):
            continue
        payload = part.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        name = part.get_filename() or "unnamed"
        names.append(f"{name} ({part.get_content_type()}, {size} bytes)")
    return names


def _body_parts(msg: Message) -> tuple[Message | None, Message | None]:
    """The first text/plain and text/html parts that are the message's own text."""
    plain = html = None
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            break  # a forwarded message's parts are its own
        if part.is_multipart() or _is_attachment(part):
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None:
            plain = part
        elif kind == "text/html" and html is None:
            html = part
    return plain, html


def _strip_signature(text: str) -> str:
    m = _SIGNATURE_RE.search(text)
    return text[: m.start()] if m else text


def _inline_forward(text: str) -> tuple[dict[str, str], str] | None:
    """The header fields and text of a message forwarded inline below a marker line."""
    m = _INLINE_FORWARD_RE.search(text)
    if m is None:
        return None
    lines = text[m.end() :].lstrip("\n").split("\n")
    fields: dict[str, str] = {}
    i = 0
    while i < len(lines) and lines[i].strip():
        fm = _FIELD_LINE_RE.fullmatch(lines[i].strip())
        if fm is None:
            break
        fields[fm.group(1).strip().casefold()] = fm.group(2).strip()
        i += 1
    return fields, "\n".join(lines[i:])


def _plain_blocks(text: str) -> tuple[Block, ...]:
    text = _strip_signature(text.replace("\r\n", "\n").replace("\r", "\n"))
    if re.search(r"\n[ \t]*\n", text.strip()):
        # mail clients wrap lines (RFC 5322 asks for 78 characters): blank lines part paragraphs
        return text_to_blocks(text)
    return tuple(Block.para(p) for p in split_paragraphs(text))


def _story(msg: Message) -> _Story:
    inner = _forwarded(msg)
    if inner is not None:
        forwarded = _story(inner)
        return _Story(
            forwarded.subject or _subject(msg), forwarded.sender or _sender(msg),
            forwarded.date or _header(msg, "Date"), forwarded.message_id or _header(msg, "Message-ID"),
            forwarded.language or _header(msg, "Content-Language"),
            forwarded.blocks, forwarded.charset, forwarded.text,
        )  # fmt: skip
    subject, sender, date = _subject(msg), _sender(msg), _header(msg, "Date")
    plain, html = _body_parts(msg)
    charset: str | None = None
    blocks: tuple[Block, ...] = ()
    if plain is not None:
        text, charset = _part_text(plain)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if (fwd := _inline_forward(text)) is not None:
            fields, text = fwd
            subject = _strip_forward(fields.get("subject")) or subject
            sender = _sender_text(fields["from"]) if fields.get("from") else sender
            date = fields.get("date") or fields.get("sent") or date
        read = read_markup(text)  # a text part that holds HTML markup is read as HTML
        blocks = read.blocks if read is not None else _plain_blocks(text)
        plain_text = text if read is None else _html_lines(text)
    elif html is not None:
        text, charset = _part_text(html)
        read = read_markup(text, "text/html")
        blocks = read.blocks if read is not None else ()
        plain_text = _html_lines(text)
    else:
        plain_text = ""
    return _Story(subject, sender, date, _header(msg, "Message-ID"),
                  _header(msg, "Content-Language"), blocks, charset, plain_text)


def _place_zone(dateline: Dateline) -> dt.tzinfo | None:
    if dateline.place and dateline.place.timezone:
        try:
            return ZoneInfo(dateline.place.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return None
    return None


class _LineText(HTMLParser):
    """HTML as lines of text: a line break at every <br>, block and table row, cells apart."""

    _BREAKS = frozenset(("br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "pre", "table", "ul", "ol", "dt", "dd"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "title"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(" ".join(data.split()) if data.strip() else " ")


def _html_lines(html: str) -> str:
    """The text of an HTML part with its line structure, for a form's labels to start lines."""
    parser = _LineText()
    parser.feed(html)
    parser.close()
    return "\n".join(line.strip() for line in "".join(parser.parts).split("\n"))


def _strip_forward(subject: str | None) -> str | None:
    return _FORWARD_PREFIX_RE.sub("", subject).strip() or None if subject else None


def _subject(msg: Message) -> str | None:
    return _strip_forward(_header(msg, "Subject"))


def _language(declared: str | None) -> str | None:
    if not declared:
        return None
    first = declared.split(",")[0].strip()
    return first or None


# ------------------------------------------------------------------ structured forms

#: the labels of an e-mail form, as written (case-insensitive), and the field each fills
_FORM_LABELS = {
    "headline": "headline", "byline": "byline", "by": "byline", "author": "byline",
    "dateline": "dateline", "slug": "slugline", "slugline": "slugline", "keyword": "slugline",
    "summary": "summary", "abstract": "summary", "language": "language", "urgency": "urgency",
    "priority": "urgency", "category": "category", "note": "note", "editor's note": "note",
    "editors' note": "note", "editors note": "note", "editor’s note": "note", "eds": "note",
    "body": "body", "text": "body", "story": "body",
}  # fmt: skip
_FORM_LINE_RE = re.compile(
    r"[ \t]*(?P<label>" + "|".join(sorted(map(re.escape, _FORM_LABELS), key=len, reverse=True))
    + r")[ \t]*:[ \t]?(?P<value>.*)",
    re.IGNORECASE,
)
#: "By " before the names of a form's Byline field
_BYLINE_PREFIX_RE = re.compile(r"^(?:by|von|par|por|di)\s+", re.IGNORECASE)
#: urgency words a form may give instead of a figure (NewsML-G2 urgency, 1 most urgent)
_FORM_URGENCY = {
    "flash": 1, "bulletin": 2, "urgent": 3, "high": 3, "normal": 5, "routine": 5, "low": 7,
}  # fmt: skip
#: language names a form may give instead of a code
_LANGUAGE_NAMES = {
    "english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr",
    "spanish": "es", "español": "es", "italian": "it", "italiano": "it", "portuguese": "pt",
    "português": "pt", "russian": "ru", "русский": "ru", "ukrainian": "uk", "українська": "uk",
    "dutch": "nl", "polish": "pl", "arabic": "ar", "chinese": "zh", "japanese": "ja",
}  # fmt: skip
_LANGUAGE_CODE_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


@dataclass(frozen=True, slots=True)
class _Form:
    """The labelled fields of an e-mail form; ``notes`` in the order given."""

    fields: dict[str, str]
    notes: tuple[str, ...]
    body: str | None


def _json_form(text: str) -> _Form | None:
    """A form a web form service mails as a JSON object of labels and values (Google Forms:
    ``{"Headline": ["..."], "Body": ["..."]}``), or None when the text is no such object."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    fields: dict[str, str] = {}
    notes: list[str] = []
    body: str | None = None
    for key, value in data.items():
        field = _FORM_LABELS.get(str(key).strip().casefold())
        values = value if isinstance(value, list) else [value]
        joined = "\n".join(str(v) for v in values if v is not None and str(v).strip()).strip()
        if field is None or not joined:
            continue
        if field == "body":
            body = body or _strip_signature(joined)
        elif field == "note":
            notes.append(" ".join(joined.split()))
        else:
            fields.setdefault(field, " ".join(joined.split()))
    return _Form(fields, tuple(notes), body)


def _read_form(text: str) -> _Form:
    """The fields of a form: a label at the start of a line opens a field whose value runs on
    to the next known label; the body runs to the end (the signature left out). A form mailed
    as a JSON object of labels and values is read too."""
    if text.lstrip().startswith("{") and (found := _json_form(text.strip())) is not None:
        return found
    fields: dict[str, str] = {}
    notes: list[str] = []
    current: str | None = None
    value: list[str] = []

    def close() -> None:
        if current is None:
            return
        joined = "\n".join(value).strip()
        if not joined:
            return
        if current == "note":
            notes.append(" ".join(joined.split()))
        else:
            fields.setdefault(current, " ".join(joined.split()))

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for i, line in enumerate(lines):
        m = _FORM_LINE_RE.fullmatch(line)
        if m is None:
            if current is not None:
                value.append(line)
            continue
        close()
        current, value = _FORM_LABELS[m["label"].casefold()], [m["value"]]
        if current == "body":
            body = _strip_signature("\n".join([m["value"], *lines[i + 1:]])).strip("\n")
            return _Form(fields, tuple(notes), body if body.strip() else None)
    close()
    return _Form(fields, tuple(notes), None)


def _form_language(value: str | None) -> str | None:
    if not value:
        return None
    name = value.strip().casefold()
    if name in _LANGUAGE_NAMES:
        return _LANGUAGE_NAMES[name]
    return value.strip().replace("_", "-") if _LANGUAGE_CODE_RE.fullmatch(value.strip()) else None


def _form_urgency(value: str | None) -> int | None:
    if not value:
        return None
    word = value.strip().casefold()
    if word.isdigit() and 1 <= int(word) <= 9:
        return int(word)
    return _FORM_URGENCY.get(word)


def _form_dateline(value: str, *, now: dt.datetime, language: str | None) -> Dateline:
    """The form's Dateline field read as an agency dateline ("KYIV, Nov. 29"), else kept as
    written with the text before its first comma as the city."""
    probe = value if value.rstrip().endswith(("-", "—", "–", "_")) else f"{value} -"
    found = parse_dateline(f"{probe} x", now=now, language=language)
    if found is not None:
        return dataclasses.replace(found[0], raw=value)
    return Dateline(raw=value, city=value.split(",")[0].strip() or None)


class Mail:
    """Codec for e-mail (RFC 5322 with MIME parts): one story per message."""

    name = "email"
    title = "e-mail"
    #: what every input this codec recognises holds (see formats.detect): a header field's colon
    sniff_marks = b":"

    def sniff(self, data: bytes, filename: str | None = None) -> float:
        head = data[:8192].decode("latin-1")
        # above wiretext's 0.65: header fields are no wire story's opening
        return 0.9 if looks_like_mail_headers(head) else 0.0

    def parse(self, data: bytes, context: ParseContext) -> list[NewsItem]:
        msg = email.message_from_bytes(data, _class=EmailMessage, policy=email.policy.default)
        if not msg.keys():
            raise MalformedInput(
                "the input has no e-mail header fields (expected From:, Subject:, Date: ...)"
            )
        story = _story(msg)
        form = _read_form(story.text) if context.email_form else None
        if form is not None and form.body is None:
            labels = ", ".join(sorted(form.fields)) or "none"
            raise MalformedInput(
                f"the e-mail form {story.subject!r} has no Body: field (this source sends forms; "
                f"the story's text goes after a 'Body:' label, fields found: {labels})"
            )
        fields = form.fields if form is not None else {}
        # a form's fields win over the mail's Subject and From
        headline = fields.get("headline") or story.subject
        if not headline:
            raise MalformedInput("the e-mail has no Subject: the subject line is the story's headline"
                                 + (" (and the form no Headline: field)" if form is not None else ""))
        if form is not None and form.body is not None:
            blocks = [b for b in _plain_blocks(form.body) if b.text.strip()]
        else:
            blocks = [b for b in story.blocks if b.text.strip() or b.src]
        if not blocks:
            raise MalformedInput(f"the e-mail {headline!r} has no text part with a story in it")

        now = context.now if context.now.tzinfo else context.now.replace(tzinfo=dt.UTC)
        when: dt.datetime | None = None
        if story.date:
            try:
                when = parse_time(story.date, tz=context.zone, now=now)
            except ValueError:
                when = None

        language = _form_language(fields.get("language")) or _language(story.language) or context.language
        if language is None:
            # prose tells the language, a dateline's place and agency names do not ("HAMBURG")
            texts = [b.text for b in blocks[:6]]
            if looks_like_dateline(texts[0]):
                texts[0] = texts[0][dateline_end(texts[0]):]
            language = detect_item_language(headline, texts)

        dateline: Dateline | None = None
        if looks_like_dateline(first := blocks[0].text):
            found = parse_dateline(first, now=when or now, language=language)
            if found:
                dateline, rest = found
                blocks = [Block.para(rest), *blocks[1:]] if rest else blocks[1:]
        if fields.get("dateline"):
            # the form's field wins; the body's own dateline, if it has one, is not copy
            dateline = _form_dateline(fields["dateline"], now=when or now, language=language)

        if dateline is not None and dateline.date is None and when is not None:
            # "NAIROBI, Kenya (AP) —": the message's Date, in the city's zone, dates the story
            zone = context.timezone or _place_zone(dateline) or when.tzinfo or dt.UTC
            dateline = dataclasses.replace(dateline, date=when.astimezone(zone).date())
        # as in wire text: the agency the dateline credits, if known, else the configured provider
        agency = find_agency(dateline.source) if dateline and dateline.source else None
        attachments = _attachments(msg)
        notes = (
            *(Note(text, role="eds") for text in (form.notes if form is not None else ())),
            *(Note(f"Attachment not carried (e-mail attachments are never stored): {name}")
              for name in attachments),
        )
        byline = fields.get("byline") or story.sender
        names = _BYLINE_PREFIX_RE.sub("", byline) if byline else None
        guid = derive_guid(
            "email", when.date() if when else None,
            *((story.message_id,) if story.message_id else (headline, " ".join(b.text for b in blocks))),
        )  # fmt: skip
        extra = (("charset", story.charset),) if story.charset else ()
        item = NewsItem(
            guid=guid,
            headline=headline,
            language=language or "und",
            provider=agency.name if agency else context.provider,
            summary=fields.get("summary"),
            slugline=fields.get("slugline"),
            byline=byline,
            authors=(Person(name=names, role="crol:author"),) if names else (),
            dateline=dateline,
            body=tuple(blocks),
            subjects=(Subject(name=fields["category"]),) if fields.get("category") else (),
            urgency=_form_urgency(fields.get("urgency")),
            created=when,
            first_created=when,
            version_created=when,
            notes=notes,
            provenance=Provenance(
                source_format=self.name,
                sha256=hashlib.sha256(data).hexdigest(),
                source_name=context.filename,
                ingested_at=now,
            ),
            extra=extra,
        )
        return [item]

register(Mail())
