"""The e-mail codec: RFC 5322 / MIME messages as stringers and smaller agencies file stories."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext
from syndicate.item import NewsItem

EMAIL = Path(__file__).parent / "fixtures" / "email"
WIRE = Path(__file__).parent / "fixtures" / "wire"
NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
#: a line that is an RFC 5322 header field, which must never reach a headline or a body
_HEADER_FIELD = re.compile(
    r"(?im)^(?:received|from|to|subject|date|mime-version|message-id|return-path|"
    r"content-type|content-transfer-encoding|content-disposition)\s*:"
)


def read(name: str, **context: Any) -> NewsItem:
    data = (EMAIL / name).read_bytes()
    parsed = formats.parse(data, context=ParseContext(now=NOW, filename=name, **context))
    assert parsed.format == "email"
    (item,) = parsed.items
    return item


def paragraphs(item: NewsItem) -> list[str]:
    return [b.text for b in item.body]


@pytest.mark.parametrize("path", sorted(EMAIL.glob("*.eml")), ids=lambda p: p.name)
def test_detection_picks_the_email_codec(path: Path) -> None:
    assert formats.detect(path.read_bytes(), path.name).name == "email"


@pytest.mark.parametrize("path", sorted(WIRE.glob("*.txt")), ids=lambda p: p.name)
def test_detection_still_picks_wiretext_for_wire_copy(path: Path) -> None:
    assert formats.detect(path.read_bytes(), path.name).name == "wiretext"


@pytest.mark.parametrize("path", sorted(EMAIL.glob("*.eml")), ids=lambda p: p.name)
def test_wiretext_scores_email_zero(path: Path) -> None:
    assert formats.get("wiretext").sniff(path.read_bytes(), path.name) == 0.0


def test_wiretext_refuses_an_email_named_as_wire_copy() -> None:
    data = (EMAIL / "stringer_plain_utf8.eml").read_bytes()
    with pytest.raises(MalformedInput, match="e-mail"):
        formats.parse(data, "wiretext", ParseContext(now=NOW))


@pytest.mark.parametrize("path", sorted(EMAIL.glob("*.eml")), ids=lambda p: p.name)
def test_no_header_line_reaches_headline_or_body(path: Path) -> None:
    item = read(path.name)
    assert not _HEADER_FIELD.search(item.headline)
    for text in paragraphs(item):
        assert not _HEADER_FIELD.search(text), text
    assert "Fwd:" not in item.headline and "WG:" not in item.headline


@pytest.mark.parametrize("path", sorted(EMAIL.glob("*.eml")), ids=lambda p: p.name)
def test_output_validates_against_newsml_g2(path: Path, assert_valid_g2: Any) -> None:
    assert_valid_g2(formats.renderer("newsmlg2").render(read(path.name)))


def test_plain_stringer_email() -> None:
    item = read("stringer_plain_utf8.eml")
    assert item.headline == "Flood waters recede in Valparaíso hills"  # "Fwd:" stripped
    assert item.byline == "Maria Lopez"
    assert [a.name for a in item.authors] == ["Maria Lopez"]
    assert item.language == "en"
    assert item.dateline is not None and item.dateline.city == "VALPARAISO"
    assert item.dateline.date == dt.date(2015, 2, 18)
    stamp = dt.datetime(2015, 2, 18, 22, 18, 43, tzinfo=dt.timezone(dt.timedelta(hours=-8)))
    assert item.version_created == stamp and item.first_created == stamp
    assert item.version_created is not None and item.version_created.year == 2015
    assert len(item.body) == 3
    assert paragraphs(item)[0].startswith("Flood waters began to recede in the hills above the port")
    assert paragraphs(item)[2].endswith("near the Artillería lift.")


def test_provider_is_the_agency_the_dateline_credits() -> None:
    assert read("forwarded_rfc822.eml").provider == "Reuters"
    assert read("stringer_plain_utf8.eml", provider="ACME").provider == "Reuters"


def test_signature_is_left_out_of_the_body() -> None:
    assert all("+56 9" not in p and "Stringer," not in p for p in paragraphs(read("stringer_plain_utf8.eml")))


def test_guid_is_derived_from_the_message_id() -> None:
    item = read("stringer_plain_utf8.eml")
    assert item.guid.startswith("urn:newsml:syndicate:email:20150218:")
    # the same Message-ID gives the same guid whatever the body says
    data = (EMAIL / "stringer_plain_utf8.eml").read_bytes().replace(b"Emergency crews", b"Rescue crews")
    (other,) = formats.parse(data, context=ParseContext(now=NOW)).items
    assert other.guid == item.guid


def test_multipart_alternative_quoted_printable_latin1() -> None:
    item = read("alternative_qp_latin1.eml")
    assert item.headline == "Kabinett beschließt Förderung für Wärmepumpen"  # RFC 2047, "WG:" stripped
    assert item.byline == "Jürgen Müller"
    assert item.language == "de"  # Content-Language
    assert item.dateline is not None and item.dateline.city == "BERLIN"
    assert item.dateline.date == dt.date(2026, 3, 3)
    assert len(item.body) == 2  # the text part, not the HTML part as well
    assert paragraphs(item)[0].startswith("Die Bundesregierung hat am Dienstag ein neues Gesetz")
    assert item.version_created == dt.datetime(2026, 3, 3, 13, 5, tzinfo=dt.UTC)


def test_html_only_base64_goes_through_the_shared_html_reader() -> None:
    item = read("html_only_base64.eml")
    assert item.headline == "Kenya central bank holds rate at 10.75 percent"
    assert item.byline == "Tom Otieno"
    assert item.language == "en"
    assert item.dateline is not None and item.dateline.city == "NAIROBI"
    texts = paragraphs(item)
    assert texts[0].startswith("Kenya's central bank held its benchmark rate")
    assert texts[2:] == ["Inflation: 4.5 percent", "Growth forecast: 5.2 percent"]
    assert item.body[2].kind.is_list_item
    assert any(s.bold and s.text == "food prices" for s in item.body[1].spans)
    assert item.version_created == dt.datetime(2026, 2, 10, 9, 30, tzinfo=dt.UTC)


def test_forwarded_message_is_read_as_the_story() -> None:
    item = read("forwarded_rfc822.eml")
    assert item.headline == "Port strike ends in Antwerp"
    assert item.byline == "Pieter Janssens"  # the reporter, not the editor who forwarded it
    assert item.dateline is not None and item.dateline.city == "ANTWERP"
    assert item.version_created == dt.datetime(2026, 3, 11, 18, 45, tzinfo=dt.UTC)
    assert len(item.body) == 2
    assert all("Europe wire" not in p for p in paragraphs(item))  # the forwarder's note


def test_inline_forwarded_block_is_read_as_the_story() -> None:
    data = (
        b"From: Desk <desk@example.com>\r\nSubject: Fw: Quake hits\r\n"
        b"Date: Mon, 2 Mar 2026 10:00:00 +0000\r\nMessage-ID: <fw-inline@example.com>\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"FYI\r\n\r\n---------- Forwarded message ---------\r\n"
        b"From: Kenji Sato <kenji@example.jp>\r\nDate: Mon, 2 Mar 2026 15:00:00 +0900\r\n"
        b"Subject: Strong quake shakes northern Japan\r\nTo: Desk <desk@example.com>\r\n\r\n"
        b"TOKYO, March 2 (Kyodo) - A strong earthquake shook northern Japan on Monday,\r\n"
        b"the weather agency said, and no tsunami warning was issued.\r\n\r\n"
        b"Trains were halted for an hour while tracks were checked.\r\n"
    )
    (item,) = formats.parse(data, context=ParseContext(now=NOW)).items
    assert item.headline == "Strong quake shakes northern Japan"
    assert item.byline == "Kenji Sato"
    assert item.dateline is not None and item.dateline.city == "TOKYO"
    assert item.version_created == dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)
    assert paragraphs(item) == [
        "A strong earthquake shook northern Japan on Monday, the weather agency said, "
        "and no tsunami warning was issued.",
        "Trains were halted for an hour while tracks were checked.",
    ]


def test_image_attachment_is_named_in_a_note_and_never_stored() -> None:
    item = read("photo_attachment.eml")
    assert item.headline == "Fire destroys warehouse in Santos port"
    assert item.renditions == ()
    assert len(item.notes) == 1 and "santos_fire.jpg" in item.notes[0].text
    assert "image/jpeg" in item.notes[0].text
    assert len(item.body) == 2 and all("base64" not in p and "/9j/" not in p for p in paragraphs(item))


def test_windows_1251_russian() -> None:
    item = read("russian_cp1251.eml")
    assert item.headline == "Правительство одобрило программу строительства школ"
    assert item.byline == "Иван Петров"
    assert item.language == "ru"  # detected: the message declares none
    assert item.dateline is not None and item.dateline.city == "МОСКВА"
    assert item.dateline.date == dt.date(2026, 3, 5)
    assert paragraphs(item)[0].startswith("Правительство России одобрило программу")
    assert len(item.body) == 2


def test_wrong_declared_charset_falls_back() -> None:
    data = (EMAIL / "russian_cp1251.eml").read_bytes().replace(b"charset=windows-1251", b"charset=utf-8")
    (item,) = formats.parse(data, context=ParseContext(now=NOW)).items
    assert paragraphs(item)[0].startswith("Правительство России")


def test_email_without_subject_is_refused() -> None:
    data = b"From: a@example.com\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nSome text here.\r\n"
    with pytest.raises(MalformedInput, match="Subject"):
        formats.parse(data, "email", ParseContext(now=NOW))


_HEADS = (
    b"From: a@b.c\r\nSubject: x\r\n",
    b"Subject: =?utf-8?B?w6k=?=\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n",
    b"Subject: y\r\nContent-Type: text/html; charset=bogus\r\nContent-Transfer-Encoding: base64\r\n\r\n",
    b"Subject: y\r\nContent-Type: text/plain; charset=x\r\n"
    b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
    b"Subject: y\r\nContent-Type: message/rfc822\r\n\r\n",
)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(_HEADS), st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_parser_raises_only_malformed_input_and_its_items_render(head: bytes, data: bytes) -> None:
    with contextlib.suppress(MalformedInput):
        (item,) = formats.get("email").parse(head + data, ParseContext(now=NOW))
        formats.renderer("newsmlg2").render(item)
