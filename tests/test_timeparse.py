"""The one date and time reader: every supported form reads back to the instant it was written from."""

from __future__ import annotations

import datetime as dt
import email.utils
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_datetime
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from syndicate.dateline import MONTH_LANGUAGES
from syndicate.timeparse import (
    Stamp,
    find_stamp,
    parse_time,
    parse_time_or_date,
    read_stamp,
    time_zone,
)

NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
CET = dt.timezone(dt.timedelta(hours=1))
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

# --------------------------------------------------------------------------------------------
# properties: any aware time, written in a supported form, reads back as the same instant
# (no deadline: the first month name read loads CLDR's tables, slower than hypothesis allows)

_offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))
_zones = _offsets | st.timezones()
# times that exist on the clock of their zone (none in a spring-forward gap), in whole minutes
_instants = st.datetimes(
    min_value=dt.datetime(1901, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=_zones,
).map(lambda d: d.astimezone(dt.UTC).astimezone(d.tzinfo)).filter(
    lambda d: d.utcoffset() % dt.timedelta(minutes=1) == dt.timedelta())


def _utc(when: dt.datetime) -> dt.datetime:
    # aware times of two zones compare unequal around a clock change (PEP 495): compare instants
    return when.astimezone(dt.UTC)


def _basic_offset(when: dt.datetime) -> str:
    minutes = int(when.utcoffset().total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


# cut in UTC, not on the zone's clock: in a zone whose clock changes at a time that is no whole
# minute (the right/ zones count leap seconds: Troll's autumn change is at 01:00:27), the
# wall-clock minute of an instant in the repeated hour can lie before the change
def _seconds(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC).replace(microsecond=0)


def _minutes(when: dt.datetime) -> dt.datetime:
    return when.astimezone(dt.UTC).replace(second=0, microsecond=0)


@settings(deadline=None)
@given(_instants)
def test_iso_8601_extended_form_reads_back_exactly(when: dt.datetime) -> None:
    assert _utc(parse_time(when.isoformat())) == _utc(when)


@settings(deadline=None)
@given(_instants)
def test_iso_8601_extended_form_with_z_reads_back(when: dt.datetime) -> None:
    utc = when.astimezone(dt.UTC)
    assert parse_time(utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == utc


@settings(deadline=None)
@given(_instants)
def test_iso_8601_basic_form_as_nitf_writes_it_reads_back(when: dt.datetime) -> None:
    text = when.strftime("%Y%m%dT%H%M%S") + _basic_offset(when)
    assert _utc(parse_time(text)) == _utc(_seconds(when))


@settings(deadline=None)
@given(_instants)
def test_rfc_2822_reads_back(when: dt.datetime) -> None:
    assume(when.astimezone(dt.UTC).year >= 1901)
    assert _utc(parse_time(email.utils.format_datetime(when))) == _utc(_seconds(when))


@settings(deadline=None)
@given(_instants.map(lambda d: d.astimezone(dt.UTC)).filter(lambda d: 2000 <= d.year <= 2099))
def test_an_afp_trailer_stamp_reads_back(when: dt.datetime) -> None:
    text = f"{when:%d%H%M} GMT {when:%b %y}"  # "271015 GMT Nov 26"
    assert parse_time(text) == _minutes(when)


@settings(deadline=None)
@given(_instants.filter(lambda d: 2000 <= d.astimezone(NEW_YORK).year <= 2099))
def test_an_ap_trailer_stamp_in_eastern_time_reads_back(when: dt.datetime) -> None:
    local = when.astimezone(NEW_YORK)
    assume(local.fold == 0)  # the second 01:30 of the night the clocks go back cannot be written
    text = f"{local:%m-%d-%y %H%M}ET"  # "11-27-26 1015ET"
    assert _utc(parse_time(text)) == _utc(_minutes(local))


@settings(max_examples=200, deadline=None)
@given(_instants.filter(lambda d: d.year >= 1901), st.sampled_from(MONTH_LANGUAGES))
@example(dt.datetime(2024, 10, 27, 1, 0, 27, fold=1, tzinfo=ZoneInfo("right/Antarctica/Troll")),
         "en")
def test_a_date_in_words_in_any_dateline_language_reads_back(when: dt.datetime, language: str) -> None:
    # the month in the language's own words, the offset as agencies' pages give it
    words = format_datetime(when, "d MMMM y, HH:mm", locale=language)
    assert _utc(parse_time(f"{words} GMT{_basic_offset(when)}")) == _utc(_minutes(when))


@settings(deadline=None)
@given(_instants, st.sampled_from([dt.UTC, BERLIN, NEW_YORK, ZoneInfo("Asia/Tokyo")]))
def test_a_time_without_a_zone_is_read_in_the_zone_given(when: dt.datetime, zone: dt.tzinfo) -> None:
    local = when.astimezone(zone)
    assume(local.fold == 0)
    naive = local.replace(tzinfo=None)
    assert _utc(parse_time(naive.isoformat(), tz=zone)) == _utc(when)
    assert _utc(parse_time(naive.strftime("%Y%m%dT%H%M%S"), tz=zone)) == _utc(_seconds(when))


# --------------------------------------------------------------------------------------------
# the forms agencies write


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20261127T101500Z", dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.UTC)),
        ("20261127T101500+0100", dt.datetime(2026, 11, 27, 10, 15, tzinfo=CET)),
        ("20261127T1015+0100", dt.datetime(2026, 11, 27, 10, 15, tzinfo=CET)),
        ("2026-11-27T10:15:00+01", dt.datetime(2026, 11, 27, 10, 15, tzinfo=CET)),
        ("2026-11-27 10:15 GMT", dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.UTC)),
        ("2026-11-27T24:00:00Z", dt.datetime(2026, 11, 28, tzinfo=dt.UTC)),
        ("Fri, 27 Nov 2026 10:15:00 +0100", dt.datetime(2026, 11, 27, 10, 15, tzinfo=CET)),
        ("Fri, 27 Nov 2026 10:15:00 EST", dt.datetime(2026, 11, 27, 15, 15, tzinfo=dt.UTC)),
        ("271015 GMT Nov 26", dt.datetime(2026, 11, 27, 10, 15, tzinfo=dt.UTC)),
        ("11-27-26 1015ET", dt.datetime(2026, 11, 27, 10, 15, tzinfo=NEW_YORK)),
        ("07-01-26 1015ET", dt.datetime(2026, 7, 1, 10, 15, tzinfo=NEW_YORK)),
        ("0001 GMT 23 NOV 2026", dt.datetime(2026, 11, 23, 0, 1, tzinfo=dt.UTC)),
        ("23. November 2026, 10.15 Uhr MEZ", dt.datetime(2026, 11, 23, 10, 15, tzinfo=CET)),
        ("27 de noviembre de 2026, 10:15 CET", dt.datetime(2026, 11, 27, 10, 15, tzinfo=CET)),
        ("3 сентября 2018 г., 14:09 МСК", dt.datetime(2018, 9, 3, 11, 9, tzinfo=dt.UTC)),
        ("Nov. 27, 2026 at 10:15 a.m. ET", dt.datetime(2026, 11, 27, 15, 15, tzinfo=dt.UTC)),
        ("27/11/2026 22h15 GMT+1", dt.datetime(2026, 11, 27, 22, 15, tzinfo=CET)),
        ("2026年11月27日 10:15 JST", dt.datetime(2026, 11, 27, 1, 15, tzinfo=dt.UTC)),
    ],
)
def test_agency_forms(text: str, expected: dt.datetime) -> None:
    assert parse_time(text, now=NOW) == expected


def test_us_eastern_time_follows_daylight_saving() -> None:
    assert parse_time("07-01-26 1015ET").utcoffset() == dt.timedelta(hours=-4)
    assert parse_time("11-27-26 1015ET").utcoffset() == dt.timedelta(hours=-5)


@pytest.mark.parametrize(
    ("text", "clock", "zone"),
    [("1015GMT", dt.time(10, 15), dt.UTC), ("1015 GMT", dt.time(10, 15), dt.UTC),
     ("10:15 MEZ", dt.time(10, 15), CET), ("14:09", dt.time(14, 9), None)],
)
def test_a_clock_time_alone_is_read_but_names_no_instant(text: str, clock: dt.time, zone) -> None:
    assert read_stamp(text) == Stamp(None, clock, zone)
    with pytest.raises(ValueError, match="without a date"):
        parse_time(text)


def test_a_zone_unknown_in_rfc_2822_is_read_in_the_zone_given() -> None:
    # RFC 2822: "-0000" says the zone is not known
    assert parse_time("Fri, 27 Nov 2026 10:15:00 -0000", tz=BERLIN) == dt.datetime(
        2026, 11, 27, 10, 15, tzinfo=BERLIN)


def test_a_trailer_without_a_zone_is_read_in_the_zone_given() -> None:
    assert parse_time("241030 Nov 26", tz=BERLIN) == dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.UTC)


def test_a_date_without_a_year_is_the_latest_such_date_not_after_now() -> None:
    assert parse_time("22 OCT, 14:09 GMT", now=NOW) == dt.datetime(2026, 10, 22, 14, 9, tzinfo=dt.UTC)
    assert parse_time("29 DEC, 14:09 GMT", now=NOW) == dt.datetime(2025, 12, 29, 14, 9, tzinfo=dt.UTC)


def test_a_date_alone_stays_a_date_where_asked() -> None:
    assert parse_time_or_date("20261127") == dt.date(2026, 11, 27)
    assert parse_time_or_date("27 November 2026") == dt.date(2026, 11, 27)
    assert parse_time("20261127", tz=BERLIN) == dt.datetime(2026, 11, 27, tzinfo=BERLIN)


def test_eastern_time_in_lower_case_is_a_word_not_a_zone() -> None:
    assert read_stamp("11-27-26 1015et") is None


@pytest.mark.parametrize(
    "text",
    ["Government raises school spending", "2026 budget talks resume", "Room 1015 GMT building",
     "", "   ", "November 2026", "2026-13-45", "2026-11-27T10:15:00 XYZ",
     "Sonntag, 31. Februar 2026", "25:61 GMT"],
)
def test_what_is_no_date_and_time_is_not_read_as_one(text: str) -> None:
    assert read_stamp(text, now=NOW) is None
    with pytest.raises(ValueError):
        parse_time(text, now=NOW)


def test_the_trailer_stamp_is_found_inside_a_trailer() -> None:
    assert find_stamp("abc/xyz\nAFP 251230 GMT Nov 26\n") == Stamp(
        dt.date(2026, 11, 25), dt.time(12, 30), dt.UTC)
    assert find_stamp("AP-WF-11-27-26 1015ET") == Stamp(
        dt.date(2026, 11, 27), dt.time(10, 15), NEW_YORK)
    assert find_stamp("nl/gil/js") is None


def test_a_time_zone_is_named_by_its_iana_name() -> None:
    assert time_zone("Europe/Berlin") == BERLIN
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Berln'"):
        time_zone("Europe/Berln")
    with pytest.raises(ValueError, match="unknown time zone"):
        time_zone("../../etc/passwd")
