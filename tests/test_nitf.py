"""NITF 3.x: agency NITF (namespaced or not, ISO-8859-1 or UTF-8) reads into the model."""

from __future__ import annotations

import datetime as dt

import pytest

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import newsmlg2
from syndicate.formats.nitf import NitfCodec, parse_norm_date

CTX = formats.ParseContext(now=dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC))


def parse(fixtures_dir, name):
    data = (fixtures_dir / "nitf" / name).read_bytes()
    fmt, items = formats.parse(data, "auto", CTX)
    assert fmt == "nitf"
    return items[0]


def test_latin1_nitf_decodes_and_keeps_its_metadata(fixtures_dir):
    item = parse(fixtures_dir, "nitf35-latin1-reuters.xml")
    assert item.headline == "Café owners in Zürich protest rent rises"
    assert item.summary == "Some rents have risen by a third"
    assert item.byline == "By Anna Müller"
    assert (item.version, item.urgency) == (2, 5)
    # date.issue of a second version is when that version was issued, not the first
    assert item.version_created == dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)
    assert item.first_created is None
    assert item.keywords == ("cafés", "rents")
    assert item.subjects[0].qcode == "subj:04000000"
    assert item.copyright == "Copyright 2026 Example Wire"
    assert item.guid == "urn:newsml:syndicate:example_wire:ZRH-20261124-0042"


def test_the_dateline_repeated_in_the_body_is_taken_out(fixtures_dir):
    item = parse(fixtures_dir, "nitf35-latin1-reuters.xml")
    assert item.dateline is not None
    assert (item.dateline.city, item.dateline.source) == ("ZURICH", "Reuters")
    assert item.dateline.date == dt.date(2026, 11, 24)
    assert item.body[0].text.startswith("Owners of more than 200 cafés")
    assert any(s.bold and s.text == "rent rises" for s in item.body[0].spans)
    assert item.body[-1].text == "The city council will debate the issue in December."


def test_namespaced_nitf_with_a_dateline_element(fixtures_dir):
    item = parse(fixtures_dir, "nitf36-namespaced-dpa.xml")
    assert item.dateline is not None and item.dateline.source == "dpa"
    assert item.dateline.city == "Vienna"
    assert item.language == "en"
    assert item.first_created == item.version_created == dt.datetime(2026, 11, 25, 7, tzinfo=dt.UTC)
    assert len(item.body) == 2


def test_nitf_items_render_as_valid_newsmlg2(fixtures_dir, assert_valid_g2):
    for name in ("nitf35-latin1-reuters.xml", "nitf36-namespaced-dpa.xml"):
        assert_valid_g2(newsmlg2.render(parse(fixtures_dir, name)))


def test_the_same_bytes_give_the_same_guid(fixtures_dir):
    a = parse(fixtures_dir, "nitf36-namespaced-dpa.xml")
    b = parse(fixtures_dir, "nitf36-namespaced-dpa.xml")
    assert a.guid == b.guid and a.guid.startswith("urn:newsml:syndicate:dpa:")


def test_nitf_without_a_headline_is_refused(fixtures_dir):
    with pytest.raises(MalformedInput, match="no headline"):
        NitfCodec().parse((fixtures_dir / "nitf" / "nitf-no-headline.xml").read_bytes(), CTX)


def test_nitf_with_an_internal_dtd_subset_is_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY x "boom">]><nitf><head/></nitf>'
    with pytest.raises(MalformedInput, match="entities"):
        NitfCodec().parse(data, CTX)


@pytest.mark.parametrize(
    ("norm", "expected"),
    [
        ("20261124T101500Z", dt.datetime(2026, 11, 24, 10, 15, tzinfo=dt.UTC)),
        ("20261124", dt.datetime(2026, 11, 24, tzinfo=dt.UTC)),
        ("20261124T1015+0100", dt.datetime(2026, 11, 24, 9, 15, tzinfo=dt.UTC)),
        ("2026-11-24T10:15:00-05:00", dt.datetime(2026, 11, 24, 15, 15, tzinfo=dt.UTC)),
        ("not a date", None),
    ],
)
def test_norm_dates(norm, expected):
    assert parse_norm_date(norm) == expected
