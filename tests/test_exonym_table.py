"""The curated exonym table (src/syndicate/data/places.tsv) is well-formed, complete and unambiguous."""

from __future__ import annotations

import csv
import unicodedata
import zoneinfo
from collections import defaultdict
from pathlib import Path

import pytest
from babel import Locale

from syndicate.dateline import places

TABLE = places.builtin_table_path()

# Spellings that deliberately name more than one place. Every group must be told apart by
# the region or country a dateline adds ("PORTLAND, Ore." / "PORTLAND, Maine"); the bare
# spelling resolves to nothing rather than to a guess. Documented in docs/datelines.md.
DELIBERATELY_SHARED = {
    frozenset({"portland-oregon", "portland-maine"}),
    frozenset({"kansas-city-missouri", "kansas-city-kansas"}),
    frozenset({"arlington-virginia", "arlington-texas"}),
    frozenset({"birmingham", "birmingham-alabama"}),
    frozenset({"cambridge", "cambridge-massachusetts"}),
    frozenset({"tripoli", "tripoli-lebanon"}),
    # Chinese writes Kingston (Jamaica) and Kingstown (St Vincent) alike: 金斯敦
    frozenset({"kingston", "kingstown"}),
}


def _rows() -> list[dict[str, str]]:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _rows()


def test_header_holds_the_base_columns_then_the_thirteen_languages_then_regional_ones() -> None:
    header = TABLE.read_text(encoding="utf-8").splitlines()[0].split("\t")
    assert tuple(header) == places.COLUMNS + places.REGIONAL_LANGUAGES == (
        *places.COLUMNS, "pt-BR")
    assert places.TABLE_LANGUAGES == (
        "en", "de", "fr", "es", "it", "pt", "ru", "uk", "pl", "zh", "ja", "ar", "tr",
    )  # fmt: skip


def test_table_holds_at_least_300_places(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 300


def test_keys_are_unique(rows: list[dict[str, str]]) -> None:
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys))


def test_rows_are_sorted_by_key(rows: list[dict[str, str]]) -> None:
    keys = [r["key"] for r in rows]
    assert keys == sorted(keys)


def test_every_row_has_every_column(rows: list[dict[str, str]]) -> None:
    assert all(None not in r and all(v is not None for v in r.values()) for r in rows)


@pytest.mark.parametrize("language", places.TABLE_LANGUAGES)
def test_every_language_column_is_filled_for_every_place(rows: list[dict[str, str]], language: str) -> None:
    empty = [r["key"] for r in rows if not r[language].strip()]
    assert empty == []


def test_every_time_zone_is_a_valid_iana_zone(rows: list[dict[str, str]]) -> None:
    bad = []
    for r in rows:
        try:
            zoneinfo.ZoneInfo(r["timezone"])
        except zoneinfo.ZoneInfoNotFoundError:
            bad.append((r["key"], r["timezone"]))
    assert bad == []


def test_every_country_is_an_iso_3166_alpha2_code_known_to_cldr(rows: list[dict[str, str]]) -> None:
    territories = Locale.parse("en").territories
    bad = [
        (r["key"], r["country"]) for r in rows if len(r["country"]) != 2 or r["country"] not in territories
    ]
    assert bad == []


def test_the_table_covers_the_capitals_of_at_least_190_countries(rows: list[dict[str, str]]) -> None:
    assert len({r["country"] for r in rows}) >= 190


def test_regions_are_known_subdivisions_of_the_row_country(rows: list[dict[str, str]]) -> None:
    known = {(r.country, r.code) for r in places.regions()}
    bad = [r["key"] for r in rows if r["region"] and (r["country"], r["region"]) not in known]
    assert bad == []


def test_geonames_ids_are_blank_or_positive_integers(rows: list[dict[str, str]]) -> None:
    bad = [r["key"] for r in rows if r["geonames_id"] and not r["geonames_id"].isdigit()]
    assert bad == []
    ids = [r["geonames_id"] for r in rows if r["geonames_id"]]
    assert len(ids) == len(set(ids)), "two places share a GeoNames id"


def test_known_geonames_ids_are_the_real_ones(rows: list[dict[str, str]]) -> None:
    by_key = {r["key"]: r["geonames_id"] for r in rows}
    assert by_key["moscow"] == "524901"
    assert by_key["london"] == "2643743"
    assert by_key["paris"] == "2988507"
    assert by_key["new-delhi"] == "1261481"


def test_cells_are_nfc_and_trimmed(rows: list[dict[str, str]]) -> None:
    bad = [
        (r["key"], col)
        for r in rows
        for col, v in r.items()
        if v != v.strip() or unicodedata.normalize("NFC", v) != v
    ]
    assert bad == []


def test_aliases_have_no_empty_entries(rows: list[dict[str, str]]) -> None:
    bad = [r["key"] for r in rows if r["aliases"] and any(not a.strip() for a in r["aliases"].split("|"))]
    assert bad == []


def test_keys_are_lowercase_slugs(rows: list[dict[str, str]]) -> None:
    bad = [r["key"] for r in rows if not places._KEY_RE.match(r["key"])]
    assert bad == []


def test_no_spelling_names_two_places_unless_documented() -> None:
    table = places.load_table(())
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in table:
        for name in entry.names():
            owners[places.normalize_name(name)].add(entry.key)
    shared = {frozenset(keys) for keys in owners.values() if len(keys) > 1}
    undocumented = {group for group in shared if group not in DELIBERATELY_SHARED}
    assert undocumented == set()


@pytest.mark.parametrize("group", sorted(DELIBERATELY_SHARED, key=sorted), ids=lambda g: "/".join(sorted(g)))
def test_deliberately_shared_spellings_differ_in_country_or_region(group: frozenset[str]) -> None:
    table = places.load_table(())
    where = [(table.entries[k].country, table.entries[k].region) for k in group]
    assert len(set(where)) == len(where)


def test_the_table_loads_without_errors_and_every_row_becomes_an_entry(rows: list[dict[str, str]]) -> None:
    assert len(places.load_table(())) == len(rows)


def test_table_file_is_utf8_text_with_tab_separated_cells() -> None:
    raw = Path(TABLE).read_bytes()
    raw.decode("utf-8")
    assert b"\r" not in raw
    widths = {line.count(b"\t") for line in raw.splitlines() if line}
    assert widths == {len(places.COLUMNS) + len(places.REGIONAL_LANGUAGES) - 1}
