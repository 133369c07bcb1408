"""The agency table: one data file read by the dateline parser, the style book and the segmenter."""

from __future__ import annotations

import pytest

from syndicate.dateline import AGENCIES, find_agency
from syndicate.dateline.agencies import load_agencies, parse_agencies
from syndicate.dateline.styles import load_styles
from syndicate.errors import ConfigError
from syndicate.translate.segment import Protector


def test_every_agency_style_is_a_shipped_house_style() -> None:
    styles = load_styles().styles
    assert [a.name for a in load_agencies() if a.style and a.style not in styles] == []


def test_agency_names_are_unique_and_the_parser_reads_the_table() -> None:
    names = [a.name for a in load_agencies()]
    assert len(names) == len(set(names))
    assert load_agencies() == AGENCIES


def test_a_marker_in_the_table_is_found_by_the_parser() -> None:
    tass = find_agency("ИТАР-ТАСС")
    assert tass is not None and tass.style == "tass"


def test_the_style_book_localizes_the_credits_of_agencies_with_a_style_or_names() -> None:
    assert {a.name for a in load_styles().agencies} == {a.name for a in load_agencies() if a.localized}


def test_a_tag_in_the_table_is_kept_from_translation() -> None:
    text = "Talks resumed (Sputnik) on Monday."
    start = text.index("(")
    assert (start, start + len("(Sputnik)")) in Protector().find(text)


def test_an_unknown_field_in_an_agency_entry_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"agency 'X'.*unknown fields \['colour'\]"):
        parse_agencies({"X": {"colour": "red"}})
