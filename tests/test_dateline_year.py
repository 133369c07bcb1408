"""A dateline that omits its year is dated by the document's own date, not by the time of ingest."""

from __future__ import annotations

import datetime as dt

from syndicate.formats.lead import reference_time

NOW = dt.datetime(2028, 1, 2, 9, tzinfo=dt.UTC)


def test_the_first_document_time_present_is_the_reference() -> None:
    issued = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert reference_time(None, issued, now=NOW) == issued


def test_a_document_date_without_a_time_counts_by_its_calendar_day() -> None:
    assert reference_time(dt.date(2026, 12, 31), now=NOW) == dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC)


def test_a_document_without_a_date_falls_back_to_the_time_of_ingest() -> None:
    assert reference_time(None, None, now=NOW) == NOW
