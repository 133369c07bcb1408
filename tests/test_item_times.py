"""The four times of an item kept apart (first created, version created, content created and
modified) through every codec that carries them, and through the store."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from syndicate import formats
from syndicate.destinations.feed import feed_entry
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, atom, newsmlg2, ninjs
from syndicate.item import NewsItem, Provenance
from syndicate.item_json import decode_item, encode_item

T1 = dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
T3 = dt.datetime(2026, 11, 27, 4, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
T4 = dt.datetime(2026, 11, 27, 19, 30, tzinfo=dt.timezone(dt.timedelta(hours=9)))


def _item(**times: dt.datetime | None) -> NewsItem:
    return NewsItem(guid="urn:test:times", headline="Times", language="en", **times)


# -- the model and the store -----------------------------------------------------------------


def test_the_store_keeps_the_four_times() -> None:
    item = _item(first_created=T1, version_created=T2, created=T3, modified=T4)
    assert decode_item(encode_item(item)) == item


def test_an_item_stored_before_the_item_times_existed_still_loads() -> None:
    old = json.loads(encode_item(_item(created=T3, modified=T4)))
    del old["first_created"], old["version_created"]
    back = decode_item(json.dumps(old))
    assert (back.created, back.modified, back.first_created, back.version_created) == (T3, T4, None, None)


def test_the_version_time_is_the_version_created_else_the_latest_the_item_knows() -> None:
    assert _item(version_created=T2, modified=T4).version_time == T2
    assert _item(modified=T4, created=T3).version_time == T4
    assert _item(first_created=T1, created=T3).version_time == T1
    assert _item(created=T3).version_time == T3
    assert _item().version_time is None


# -- NewsML-G2 --------------------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")
CTX = ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def _fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def test_g2_item_and_content_times_are_read_each_as_written() -> None:
    (item,) = newsmlg2.parse(_fixture("newsmlg2/afp_four_times_zones.xml"), CTX)
    assert item.first_created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert item.version_created == dt.datetime(2026, 11, 27, 11, 45, tzinfo=dt.UTC)
    assert item.created == dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    assert item.modified == dt.datetime(2026, 11, 27, 10, 30, tzinfo=dt.UTC)
    # and each keeps the zone it was written in
    assert [t.utcoffset() for t in (item.first_created, item.created, item.modified)] == [
        dt.timedelta(hours=1), dt.timedelta(hours=-5), dt.timedelta(hours=9)]


def test_g2_written_then_read_keeps_each_of_the_four_times(assert_valid_g2) -> None:
    (item,) = newsmlg2.parse(_fixture("newsmlg2/afp_four_times_zones.xml"), CTX)
    data = newsmlg2.render(item)
    root = assert_valid_g2(data)
    ns = {"g": newsmlg2.G2_NS}
    assert root.findtext("g:itemMeta/g:firstCreated", namespaces=ns) == "2026-11-27T10:15:00+01:00"
    assert root.findtext("g:itemMeta/g:versionCreated", namespaces=ns) == "2026-11-27T11:45:00+00:00"
    assert root.findtext("g:contentMeta/g:contentCreated", namespaces=ns) == "2026-11-27T04:00:00-05:00"
    assert root.findtext("g:contentMeta/g:contentModified", namespaces=ns) == "2026-11-27T19:30:00+09:00"
    (back,) = newsmlg2.parse(data, CTX)
    assert (back.first_created, back.version_created, back.created, back.modified) == (
        item.first_created, item.version_created, item.created, item.modified)


def test_a_version_time_the_writer_filled_in_is_not_read_back_as_the_items_own(assert_valid_g2) -> None:
    item = _item(created=T3, modified=T4)
    data = newsmlg2.render(item)
    root = assert_valid_g2(data)
    # G2 requires versionCreated: an item without one gets the content's last change, as before
    assert root.findtext(f"{{{newsmlg2.G2_NS}}}itemMeta/{{{newsmlg2.G2_NS}}}versionCreated") == (
        "2026-11-27T19:30:00+09:00")
    (back,) = newsmlg2.parse(data, CTX)
    assert back.version_created is None
    assert (back.created, back.modified) == (T3, T4)


def test_g2_times_without_a_zone_are_in_the_sources_zone() -> None:
    data = _fixture("newsmlg2/dpa_zoneless_times.xml")
    (item,) = newsmlg2.parse(data, ParseContext(now=CTX.now, timezone=BERLIN))
    assert item.version_created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert item.first_created == dt.datetime(2026, 11, 27, 8, 58, tzinfo=dt.UTC)
    (default,) = newsmlg2.parse(data, CTX)
    assert default.version_created == dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.UTC)


def test_times_are_always_written_with_a_zone(assert_valid_g2) -> None:
    root = assert_valid_g2(newsmlg2.render(_item(created=dt.datetime(2026, 11, 27, 10, 15))))
    created = root.findtext(f"{{{newsmlg2.G2_NS}}}contentMeta/{{{newsmlg2.G2_NS}}}contentCreated")
    assert created == "2026-11-27T10:15:00+00:00"


# -- NITF -------------------------------------------------------------------------------------


def test_nitf_date_issue_in_basic_iso_with_an_offset_is_the_first_and_version_time() -> None:
    (item,) = formats.get("nitf").parse(_fixture("nitf/afp-nitf34-basic-offset.xml"), CTX)
    issued = dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert item.first_created == item.version_created == issued
    assert item.version_created.utcoffset() == dt.timedelta(hours=1)
    # story.date at midnight is NITF 3.1's "no time": no content time is made up from it
    assert item.created is None


def test_nitf_date_issue_of_a_later_version_is_not_the_first_created_time() -> None:
    (item,) = formats.get("nitf").parse(_fixture("nitf/nitf35-latin1-reuters.xml"), CTX)
    assert item.version == 2
    assert item.version_created == dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)
    assert item.first_created is None


def test_nitf_date_issue_without_a_zone_is_in_the_sources_zone_and_story_date_is_content_created() -> None:
    data = _fixture("nitf/dpa-nitf36-baselang-de.xml")
    (item,) = formats.get("nitf").parse(data, ParseContext(now=CTX.now, timezone=BERLIN))
    assert item.version_created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert item.created == dt.datetime(2026, 11, 27, 8, 45, tzinfo=dt.UTC)
    (default,) = formats.get("nitf").parse(data, CTX)
    assert default.version_created == dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.UTC)


def test_nitf_times_reach_g2_as_item_and_content_times(assert_valid_g2) -> None:
    (item,) = formats.get("nitf").parse(_fixture("nitf/dpa-nitf36-baselang-de.xml"),
                                        ParseContext(now=CTX.now, timezone=BERLIN))
    root = assert_valid_g2(newsmlg2.render(item))
    g = f"{{{newsmlg2.G2_NS}}}"
    assert root.findtext(f"{g}itemMeta/{g}firstCreated") == "2026-11-27T10:15:00+01:00"
    assert root.findtext(f"{g}itemMeta/{g}versionCreated") == "2026-11-27T10:15:00+01:00"
    assert root.findtext(f"{g}contentMeta/{g}contentCreated") == "2026-11-27T09:45:00+01:00"


# -- ninjs ------------------------------------------------------------------------------------


def test_ninjs_first_version_and_content_created_are_read_each_as_written() -> None:
    (item,) = formats.get("ninjs").parse(_fixture("ninjs/efe-ninjs2-three-times.json"), CTX)
    assert item.first_created == dt.datetime(2026, 11, 27, 8, 12, tzinfo=dt.UTC)
    assert item.version_created == dt.datetime(2026, 11, 27, 11, 40, tzinfo=dt.UTC)
    assert item.created == dt.datetime(2026, 11, 27, 8, 5, tzinfo=dt.UTC)
    assert item.modified is None


def test_ninjs_written_then_read_keeps_its_three_times() -> None:
    (item,) = formats.get("ninjs").parse(_fixture("ninjs/efe-ninjs2-three-times.json"), CTX)
    doc = json.loads(ninjs.render(item))
    assert (doc["firstCreated"], doc["versionCreated"], doc["contentCreated"]) == (
        "2026-11-27T09:12:00+01:00", "2026-11-27T11:40:00Z", "2026-11-27T03:05:00-05:00")
    (back,) = formats.get("ninjs").parse(ninjs.render(item), CTX)
    assert (back.first_created, back.version_created, back.created) == (
        item.first_created, item.version_created, item.created)


def test_ninjs_times_without_a_zone_are_in_the_sources_zone() -> None:
    data = _fixture("ninjs/ansa-ninjs31-zoneless.json")
    (item,) = formats.get("ninjs").parse(data, ParseContext(now=CTX.now, timezone=ZoneInfo("Europe/Rome")))
    assert item.created == dt.datetime(2026, 11, 27, 8, 50, tzinfo=dt.UTC)
    assert item.version_created == dt.datetime(2026, 11, 27, 9, 20, tzinfo=dt.UTC)


def test_g2_times_reach_ninjs_and_the_content_change_stands_in_for_a_missing_version_time() -> None:
    (item,) = newsmlg2.parse(_fixture("newsmlg2/afp_four_times_zones.xml"), CTX)
    doc = json.loads(ninjs.render(item))
    assert (doc["firstCreated"], doc["versionCreated"], doc["contentCreated"]) == (
        "2026-11-27T10:15:00+01:00", "2026-11-27T11:45:00Z", "2026-11-27T04:00:00-05:00")
    assert json.loads(ninjs.render(_item(modified=T4)))["versionCreated"] == "2026-11-27T19:30:00+09:00"


# -- wire text and IPTC 7901 ------------------------------------------------------------------


def test_an_agency_transmission_stamp_closing_the_copy_is_the_version_time() -> None:
    (afp,) = formats.get("wiretext").parse(_fixture("wire/afp_geneva_trailer.txt"), CTX)
    assert afp.version_created == dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.UTC)
    assert afp.body_text.endswith("a council spokesman said.")
    (ap,) = formats.get("wiretext").parse(_fixture("wire/ap_washington_trailer_et.txt"), CTX)
    assert ap.version_created == dt.datetime(2026, 11, 28, 3, 4, tzinfo=dt.UTC)  # 22:04 ET
    assert "AP-WF" not in ap.body_text


def test_page_stamps_without_a_zone_are_in_the_sources_zone_else_the_dateline_citys() -> None:
    data = _fixture("wire/dpa_web_washington_stamps.txt")
    (berlin,) = formats.get("wiretext").parse(data, ParseContext(now=CTX.now, timezone=BERLIN))
    assert berlin.created == dt.datetime(2026, 11, 27, 9, 15, tzinfo=dt.UTC)
    assert berlin.modified == dt.datetime(2026, 11, 27, 10, 40, tzinfo=dt.UTC)
    # no zone configured: the dateline city's (Washington) is the best guess there is
    (guess,) = formats.get("wiretext").parse(data, CTX)
    assert guess.created == dt.datetime(2026, 11, 27, 15, 15, tzinfo=dt.UTC)


def test_an_iptc_7901_trailer_without_a_zone_is_in_the_sources_zone() -> None:
    data = _fixture("iptc7901/dpa-7901-latin1.txt")
    (item,) = formats.get("iptc7901").parse(data, ParseContext(now=CTX.now, timezone=BERLIN))
    assert item.version_created == dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)
    (default,) = formats.get("iptc7901").parse(data, CTX)
    assert default.version_created == dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)


# -- partner feeds ----------------------------------------------------------------------------


def test_a_feed_entry_is_updated_at_the_version_time_and_published_at_the_first() -> None:
    first = dt.datetime(2026, 11, 27, 8, 0, tzinfo=dt.UTC)
    version = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
    item = _item(first_created=first, version_created=version, created=T3, modified=T4)
    delivered = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    assert feed_entry(item, "en", delivered).updated == "2026-11-27T12:00:00+00:00"
    assert feed_entry(_item(), "en", delivered).updated == "2026-11-28T00:00:00+00:00"
    page = atom.Page("acme", "en", [atom.Entry(item, "2026-11-27T12:00:00Z", False, "https://x/1")],
                     "2026-11-27T12:00:00Z", "https://x/f", "https://x/f", None, "application/xml")
    root = etree.fromstring(atom.render_feed(page))
    assert root.findtext(f"{{{atom.ATOM_NS}}}entry/{{{atom.ATOM_NS}}}published") == "2026-11-27T08:00:00Z"


_offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
_times = st.none() | st.datetimes(min_value=dt.datetime(1980, 1, 1), max_value=dt.datetime(2100, 1, 1),
                                  timezones=_offsets)


@settings(max_examples=60, deadline=None)
@given(_times, _times, _times, _times, _times)
def test_any_four_times_survive_g2_and_ninjs(g2_schema, first, version, created, modified, ingested) -> None:
    item = _item(first_created=first, version_created=version, created=created, modified=modified,
                 provenance=Provenance("wiretext", "ab" * 32, ingested_at=ingested))
    try:
        data = newsmlg2.render(item)
    except MalformedInput:
        assert item.version_time is None and ingested is None  # no time at all for versionCreated
        return
    assert g2_schema.validate(etree.fromstring(data)), g2_schema.error_log
    (back,) = newsmlg2.parse(data, CTX)
    assert (back.first_created, back.version_created, back.created, back.modified) == (
        first, version, created, modified)
    (from_ninjs,) = formats.get("ninjs").parse(ninjs.render(item), CTX)
    assert (from_ninjs.first_created, from_ninjs.created) == (first, created)
    assert from_ninjs.version_created == (version or modified or first or created or ingested)
