"""State and province names follow the target language: "Pa." is "Pensilvania" in Spanish."""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from pathlib import Path

import pytest

from syndicate.dateline import localize, parse_dateline, places
from syndicate.item import Dateline

REGIONS = Path(places.__file__).resolve().parents[1] / "data" / "regions.tsv"
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _no_newsroom_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(places.OVERRIDES_ENV, raising=False)


def ap(text: str = "FORT WASHINGTON, Pa. (AP) — A fire broke out.") -> Dateline:
    found = parse_dateline(text, now=NOW)
    assert found is not None
    return found[0]


def region(iso: str) -> places.Region:
    (r,) = [r for r in places.regions() if r.iso == iso]
    return r


def rows() -> list[dict[str, str]]:
    with REGIONS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_the_region_table_has_the_place_tables_language_columns() -> None:
    with REGIONS.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    assert header == ["country", "code", "name", "aliases", *places.TABLE_LANGUAGES, "pt-BR"]


def test_every_cell_is_trimmed_nfc_and_english_is_the_name() -> None:
    for row in rows():
        assert row["en"] == row["name"]
        for value in row.values():
            assert value == value.strip() == unicodedata.normalize("NFC", value)


@pytest.mark.parametrize("country", ["US", "CA", "AU"])
def test_every_state_and_province_is_named_in_most_languages(country: str) -> None:
    for row in (r for r in rows() if r["country"] == country):
        filled = [lang for lang in places.TABLE_LANGUAGES if row[lang]]
        assert len(filled) >= 12, (row["code"], filled)


@pytest.mark.parametrize(
    ("language", "name"),
    [("en", "Pennsylvania"), ("es", "Pensilvania"), ("de", "Pennsylvania"),
     ("fr", "Pennsylvanie"), ("it", "Pennsylvania"), ("pt", "Pensilvânia"), ("ru", "Пенсильвания"),
     ("uk", "Пенсільванія"), ("pl", "Pensylwania"), ("zh", "宾夕法尼亚州"), ("ja", "ペンシルベニア州"),
     ("ar", "بنسلفانيا"), ("tr", "Pensilvanya")],
)
def test_pennsylvania_in_each_language(language: str, name: str) -> None:
    assert region("US-PA").name_in(language) == name


def test_an_empty_cell_falls_back_to_the_english_name() -> None:
    assert region("US-OR").name_in("pt") == "Oregon"


def test_a_language_without_a_column_falls_back_to_english() -> None:
    assert region("US-PA").name_in("nl") == "Pennsylvania"


def test_a_brazilian_spelling_is_used_for_pt_br_and_the_european_one_for_pt() -> None:
    ny = region("US-NY")
    assert (ny.name_in("pt-BR"), ny.name_in("pt"), ny.name_in("pt-PT")) == (
        "Nova York", "Nova Iorque", "Nova Iorque")
    # where Brazil writes it like Portugal, pt-BR falls back to pt
    assert region("US-PA").name_in("pt-BR") == "Pensilvânia"


def test_an_ap_abbreviation_is_spelled_out_in_the_target_language() -> None:
    assert localize.format_dateline(ap(), "es", "efe") == "Fort Washington, Pensilvania (AP).-"
    assert localize.format_dateline(ap(), "fr", "afp") == "Fort Washington, Pennsylvanie (AP) -"
    assert localize.format_dateline(ap(), "de", "dpa") == "Fort Washington, Pennsylvania (AP) -"
    assert localize.format_dateline(ap(), "ru", "local") == "ФОРТ-ВАШИНГТОН, Пенсильвания. /AP/."


def test_the_original_language_keeps_the_region_as_written() -> None:
    assert localize.format_dateline(ap(), "en", "ap") == "FORT WASHINGTON, Pa. (AP) —"


def test_a_canadian_province_and_an_australian_state_are_localized() -> None:
    toronto = ap("TORONTO, Ont. (AP) — Snow fell.")
    assert localize.localize_dateline(toronto, "zh").region == "安大略省"
    sydney = ap("SYDNEY, N.S.W. (AP) — Rain fell.")
    assert localize.localize_dateline(sydney, "es").region == "Nueva Gales del Sur"


def test_a_localized_region_name_resolves_to_its_subdivision() -> None:
    assert [r.iso for r in places.resolve_region("Pensilvania")] == ["US-PA"]
    assert [r.iso for r in places.resolve_region("Columbia Británica")] == ["CA-BC"]


def test_restyling_a_translated_dateline_keeps_its_localized_region() -> None:
    spanish = localize.localize_dateline(ap(), "es")
    assert localize.format_dateline(spanish, "es", "reuters") == "FORT WASHINGTON, Pensilvania (AP) -"


def test_localized_names_add_no_ambiguity_within_a_country() -> None:
    for r in places.regions():
        for _, name in r.names:
            same_country = [x for x in places.resolve_region(name) if x.country == r.country]
            assert [x.iso for x in same_country] == [r.iso], name
