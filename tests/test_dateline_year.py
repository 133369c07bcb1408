"""A dateline that omits its year is dated by the document's own date, not by the time of ingest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from syndicate import formats
from syndicate.formats import ParseContext, newsmlg2
from syndicate.formats.lead import reference_time

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2028, 1, 2, 9, tzinfo=dt.UTC)


def test_the_first_document_time_present_is_the_reference() -> None:
    issued = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert reference_time(None, issued, now=NOW) == issued


def test_a_document_date_without_a_time_counts_by_its_calendar_day() -> None:
    assert reference_time(dt.date(2026, 12, 31), now=NOW) == dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC)


def test_a_document_without_a_date_falls_back_to_the_time_of_ingest() -> None:
    assert reference_time(None, None, now=NOW) == NOW


def test_a_g2_dateline_without_a_year_takes_the_items_content_created_year() -> None:
    data = (FIXTURES / "newsmlg2" / "afp_four_times_zones.xml").read_bytes()
    # ingested more than a year later: the time of ingest would make it November 2027
    (item,) = newsmlg2.parse(data, ParseContext(now=NOW))
    assert item.dateline is not None and item.dateline.raw == "NEW YORK, 27 nov (AFP) -"
    assert (item.dateline.city, item.dateline.source) == ("NEW YORK", "AFP")
    assert item.dateline.date == dt.date(2026, 11, 27)


def test_a_story_filed_on_31_december_read_on_2_january_is_datelined_in_the_old_year() -> None:
    data = (FIXTURES / "nitf" / "ap-nitf33-new-year.xml").read_bytes()
    for now in (dt.datetime(2027, 1, 2, 9, tzinfo=dt.UTC), NOW):  # and read again a year later
        (item,) = formats.get("nitf").parse(data, ParseContext(now=now))
        assert item.dateline is not None and item.dateline.raw == "NEW YORK, Dec. 31 (AP) —"
        assert item.dateline.date == dt.date(2026, 12, 31)


def test_a_nitf_dateline_in_the_body_without_a_date_takes_story_date() -> None:
    (item,) = formats.get("nitf").parse((FIXTURES / "nitf" / "dpa-nitf36-baselang-de.xml").read_bytes(),
                                        ParseContext(now=NOW))
    assert item.dateline is not None and item.dateline.raw == "Berlin (dpa) -"
    assert item.dateline.date == dt.date(2026, 11, 27)


def test_a_nitf_dateline_without_a_year_takes_story_date_s_year() -> None:
    (item,) = formats.get("nitf").parse((FIXTURES / "nitf" / "afp-nitf34-basic-offset.xml").read_bytes(),
                                        ParseContext(now=NOW))
    assert item.dateline is not None and item.dateline.raw == "PARIS, 27 nov (AFP) -"
    assert item.dateline.date == dt.date(2026, 11, 27)


def test_a_ninjs_dateline_without_a_year_takes_the_objects_content_created_year() -> None:
    (item,) = formats.get("ninjs").parse((FIXTURES / "ninjs" / "efe-ninjs2-three-times.json").read_bytes(),
                                         ParseContext(now=NOW))
    assert item.dateline is not None and item.dateline.raw == "Madrid, 27 nov (EFE).-"
    assert item.dateline.date == dt.date(2026, 11, 27)


def test_a_wire_dateline_without_a_year_takes_the_transmission_stamps_year() -> None:
    (item,) = formats.get("wiretext").parse((FIXTURES / "wire" / "afp_geneva_trailer.txt").read_bytes(),
                                            ParseContext(now=NOW))
    assert item.dateline is not None and item.dateline.date == dt.date(2026, 11, 27)
