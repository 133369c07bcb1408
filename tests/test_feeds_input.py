"""RSS and Atom feeds as input: each entry becomes an item with its dateline taken apart."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import newsmlg2
from syndicate.item import Span

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def parse(fixtures_dir, name):
    parsed = formats.parse((fixtures_dir / "feeds" / name).read_bytes(), "auto", CTX)
    fmt, items = parsed.format, parsed.items
    assert fmt == "feed"
    return items


def test_rss_items_become_items(fixtures_dir, assert_valid_g2):
    first, second = parse(fixtures_dir, "rss2-agency.xml")
    assert first.guid == "https://wire.example.org/world/2026/11/27/ceasefire-talks"
    assert first.language == "en-us" and first.byline == "Sara Haddad"
    assert first.created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert first.dateline is not None and first.dateline.source == "Reuters"
    assert first.body[0].text.startswith("Negotiators returned")
    assert Span("Cairo", href="https://example.org/cairo") in first.body[0].spans
    assert first.summary == "Negotiators returned to the table on Thursday."
    assert second.guid.startswith("urn:newsml:syndicate:")
    assert second.body[0].text == "Stocks rose in early trading in Frankfurt & Paris."
    for item in (first, second):
        assert_valid_g2(newsmlg2.render(item))


def test_atom_xhtml_content_keeps_markup_and_language(fixtures_dir):
    (item,) = parse(fixtures_dir, "atom-agency.xml")
    assert item.guid == "urn:example:efe:20261120:prado" and item.language == "es"
    assert item.dateline is not None and item.dateline.source == "EFE"
    assert Span("hasta las diez", bold=True) in item.body[0].spans
    assert item.modified == dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    assert item.summary == "Abrirá hasta las diez de la noche."


def test_the_same_feed_twice_gives_the_same_guids(fixtures_dir):
    a = [i.guid for i in parse(fixtures_dir, "rss2-agency.xml")]
    assert a == [i.guid for i in parse(fixtures_dir, "rss2-agency.xml")]


def test_an_entry_without_title_is_refused():
    data = (b'<rss version="2.0"><channel><title>x</title>'
            b"<item><description>d</description></item></channel></rss>")
    with pytest.raises(MalformedInput, match="no title"):
        formats.get("feed").parse(data, CTX)


def test_feed_with_external_entity_is_refused():
    data = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>')
    with pytest.raises(MalformedInput, match="entities"):
        formats.get("feed").parse(data, CTX)
