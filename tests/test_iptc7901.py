"""IPTC 7901: the envelope's priority, category and keyword line, the agency text inside."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import newsmlg2

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def parse(fixtures_dir, name):
    parsed = formats.parse((fixtures_dir / "iptc7901" / name).read_bytes(), "auto", CTX)
    fmt, items = parsed.format, parsed.items
    assert fmt == "iptc7901"
    return items


def test_afp_message_envelope_and_text(fixtures_dir, assert_valid_g2):
    (item,) = parse(fixtures_dir, "afp-7901-geneva.txt")
    assert item.headline == "UN rights council opens session on humanitarian access"
    assert (item.urgency, item.slugline, item.provider) == (4, "Switzerland-UN-diplomacy", "AFP")
    assert item.subjects[-1].name == "politics"
    assert item.dateline is not None and item.dateline.date == dt.date(2026, 11, 25)
    assert item.body[0].text.startswith("The UN Human Rights Council")
    assert item.version_created == dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.UTC)
    assert item.provenance is not None and item.provenance.source_format == "iptc7901"
    assert_valid_g2(newsmlg2.render(item))


def test_latin1_dpa_message_with_german_dateline(fixtures_dir):
    (item,) = parse(fixtures_dir, "dpa-7901-latin1.txt")
    assert item.headline == "Ifo-Index steigt überraschend"
    assert item.language == "de"
    assert item.dateline is not None and (item.dateline.city, item.dateline.source) == ("München", "dpa")
    assert item.urgency == 3 and item.slugline == "Konjunktur/Deutschland/"
    assert "\x02" not in item.body_text and "\r" not in item.body_text


def test_a_transmission_with_two_messages_gives_two_items(fixtures_dir):
    items = parse(fixtures_dir, "dpa-7901-two-messages.txt")
    assert [i.headline for i in items] == ["Ifo-Index steigt überraschend", "Erster Schnee in Bayern"]
    assert len({i.guid for i in items}) == 2


def test_a_message_without_start_of_text_is_refused(fixtures_dir):
    with pytest.raises(MalformedInput, match="STX"):
        parse(fixtures_dir, "7901-no-stx.txt")
