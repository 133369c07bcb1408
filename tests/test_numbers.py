"""Decimal and thousands separators follow the target language; what is not a quantity is kept."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndicate.numbers import localize_numbers, symbols

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "target", "expected"),
    [
        ("4.5 meters", "es", "4,5 meters"),
        ("4.5 meters", "de", "4,5 meters"),
        ("4.5 meters", "en", "4.5 meters"),
        ("1,200 homes", "de", "1.200 homes"),
        ("1,200 homes", "es", "1.200 homes"),
        ("1,200 homes", "fr", f"1{NNBSP}200 homes"),
        ("1,200 homes", "ru", f"1{NBSP}200 homes"),
        ("1,200 homes", "pt", f"1{NBSP}200 homes"),  # European Portuguese
        ("1,200 homes", "pt-BR", "1.200 homes"),
        ("12,345,678.90 dollars", "de", "12.345.678,90 dollars"),
        ("12,345,678.90 dollars", "it", "12.345.678,90 dollars"),
        ("0.25 percent", "tr", "0,25 percent"),
        ("1,200.5 tonnes", "zh", "1,200.5 tonnes"),  # the same symbols as English
        ("1,200.5 tonnes", "ja", "1,200.5 tonnes"),
        ("1,200.5 tonnes", "de-CH", "1'200.5 tonnes"),
        ("up 4.5%", "es", "up 4,5%"),
        ("$1.2bn", "es", "$1,2bn"),
        ("-4.5 degrees", "de", "-4,5 degrees"),
        ("(4.5)", "es", "(4,5)"),
        ("It rose 4.5.", "es", "It rose 4,5."),
        ("4.5, 6.7 and 8.9", "es", "4,5, 6,7 and 8,9"),
        ("1,000, 2,000 and 3,000", "de", "1.000, 2.000 and 3.000"),
        ("增长4.5%", "es", "增长4,5%"),
    ],
)
def test_quantities_take_the_target_separators(text: str, target: str, expected: str) -> None:
    assert localize_numbers(text, "en", target) == expected


@pytest.mark.parametrize(
    "text",
    [
        "In 2026 the council met.",              # a year
        "They won 3-1 on Sunday.",               # a score
        "The vote is at 10:30.",                 # a time
        "It starts at 10.30 a.m. local time.",   # a time written with a dot
        "at 9.15 GMT",
        "Version 2.0.1 was released.",           # a version
        "Python 3.11 is out; so is version 2.0 and iOS 17.1.",
        "It runs v1.2 and v2.0.",
        "The server at 192.168.0.1 answered.",   # an IP address
        "Call 202.555.0143 or +1 202-555-0143.",  # phone numbers
        "See https://example.com/report/1.5/page?x=2.5 now.",  # a URL
        "Write to press.office@example.com or visit www.example.org/v2.5.",
        "The 9M729 missile, the SSC-8 and COVID-19.",  # codes and identifiers
        "An F-16.5 does not exist.",
        "Article 5.2 and Section 3.1 apply; see § 4.1.",
        "Items 1,2,3 and 1,20 and 1,2345.",      # not valid groupings in English
        "On 26.11.2026 and 11/26/2026.",         # dates
        "The A320neo and the 737 MAX.",
        "Forty-two percent agreed.",
    ],
)
def test_what_is_not_a_quantity_is_left_as_written(text: str) -> None:
    assert localize_numbers(text, "en", "es") == text
    assert localize_numbers(text, "en", "fr") == text


def test_from_a_comma_decimal_language_to_english() -> None:
    assert localize_numbers("1.200 casas y 4,5 metros", "es", "en") == "1,200 casas y 4.5 metros"


def test_from_a_space_grouping_language() -> None:
    assert localize_numbers(f"1{NNBSP}200,5 t", "fr", "de") == "1.200,5 t"
    # a plain space between digits may separate two numbers: it is not read as grouping
    assert localize_numbers("3 500,5 t", "fr", "en") == "3 500.5 t"


def test_languages_sharing_separators_leave_text_as_is() -> None:
    assert localize_numbers("1.200,5", "de", "es") == "1.200,5"


def test_an_unknown_language_leaves_text_as_is() -> None:
    assert symbols("xx-unknown") is None
    assert localize_numbers("4.5", "en", "xx-unknown") == "4.5"


def test_converting_there_and_back_gives_the_original() -> None:
    text = "A wave 4.5 meters high reached 1,200 homes and cost $12,345,678.90."
    assert localize_numbers(localize_numbers(text, "en", "de"), "de", "en") == text


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd", "No", "Nl", "Cs"))))
def test_text_without_digits_is_unchanged(text: str) -> None:
    assert localize_numbers(text, "en", "es") == text
    assert localize_numbers(text, "fr", "en") == text


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=999))
def test_any_grouped_decimal_converts_back_and_forth(whole: int, frac: int) -> None:
    text = f"about {whole:,}.{frac:03d} units"
    german = localize_numbers(text, "en", "de")
    assert german == f"about {whole:,}.{frac:03d} units".replace(",", "_").replace(
        ".", ",").replace("_", ".")
    assert localize_numbers(german, "de", "en") == text


@given(st.integers(min_value=1000, max_value=2999))
def test_a_bare_year_or_integer_never_changes(year: int) -> None:
    assert localize_numbers(f"in {year} and {year}", "en", "de") == f"in {year} and {year}"
