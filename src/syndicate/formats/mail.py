"""E-mail as stringers and smaller agencies file stories: RFC 5322 / MIME, read with the stdlib.

The subject is the headline, the sender the byline, the Date header the item's time, the
text part (else the HTML part) the body; a forwarded message is read as the story it carries.
Attachments are never stored in the item: each is named in an editorial note.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage, Message

from syndicate.dateline import find_agency, looks_like_dateline, parse_dateline
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, register
from syndicate.formats.bodies import read_markup
from syndicate.formats.wiretext import split_paragraphs
from syndicate.formats.xhtml import text_to_blocks
from syndicate.item import Block, Dateline, NewsItem, Note, Person, Provenance, derive_guid
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
            forwarded.blocks, forwarded.charset,
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
    elif html is not None:
        text, charset = _part_text(html)
        read = read_markup(text, "text/html")
        blocks = read.blocks if read is not None else ()
    return _Story(subject, sender, date, _header(msg, "Message-ID"),
                  _header(msg, "Content-Language"), blocks, charset)


def _strip_forward(subject: str | None) -> str | None:
    return _FORWARD_PREFIX_RE.sub("", subject).strip() or None if subject else None


def _subject(msg: Message) -> str | None:
    return _strip_forward(_header(msg, "Subject"))


def _language(declared: str | None) -> str | None:
    if not declared:
        return None
    first = declared.split(",")[0].strip()
    return first or None


class Mail:
    """Codec for e-mail (RFC 5322 with MIME parts): one story per message."""

    name = "email"
    title = "e-mail"

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
        if not story.subject:
            raise MalformedInput("the e-mail has no Subject: the subject line is the story's headline")
        blocks = [b for b in story.blocks if b.text.strip() or b.src]
        if not blocks:
            raise MalformedInput(f"the e-mail {story.subject!r} has no text part with a story in it")

        now = context.now if context.now.tzinfo else context.now.replace(tzinfo=dt.UTC)
        when: dt.datetime | None = None
        if story.date:
            try:
                when = parse_time(story.date, tz=context.zone, now=now)
            except ValueError:
                when = None

        language = _language(story.language) or context.language
        if language is None:
            language = detect_item_language(story.subject, [b.text for b in blocks[:6]])

        dateline: Dateline | None = None
        first = blocks[0].text
        if looks_like_dateline(first):
            found = parse_dateline(first, now=when or now, language=language)
            if found:
                dateline, rest = found
                blocks = [Block.para(rest), *blocks[1:]] if rest else blocks[1:]

        # as in wire text: the agency the dateline credits, if known, else the configured provider
        agency = find_agency(dateline.source) if dateline and dateline.source else None
        attachments = _attachments(msg)
        notes = tuple(
            Note(f"Attachment not carried (e-mail attachments are never stored): {name}")
            for name in attachments
        )
        guid = derive_guid(
            "email", when.date() if when else None,
            *((story.message_id,) if story.message_id else (story.subject, " ".join(b.text for b in blocks))),
        )  # fmt: skip
        extra = (("charset", story.charset),) if story.charset else ()
        item = NewsItem(
            guid=guid,
            headline=story.subject,
            language=language or "und",
            provider=agency.name if agency else context.provider,
            byline=story.sender,
            authors=(Person(name=story.sender, role="crol:author"),) if story.sender else (),
            dateline=dateline,
            body=tuple(blocks),
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
