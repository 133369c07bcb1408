"""States, Länder, cantons and provinces of federal countries beyond the US, Canada and Australia.

"MUNICH, Bavaria" is "Bayern" in German and "Baviera" in Spanish; "BELEM, Para, Brazil" keeps
Pará. ISO 3166-2 codes clash across countries ("PA" is Pennsylvania and Pará): a code is read in
the country of the place, and the bare code of a country other than the US, Canada or
Australia never names a subdivision by itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from babel import Locale

from syndicate.dateline import localize, parse_dateline, places
from syndicate.item import Dateline

REGIONS = Path(places.__file__).resolve().parent.parent / "data" / "regions.tsv"
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
LANGUAGES = ("de", "es", "fr", "pt", "pt-BR", "ru")

# the units of each country, as ISO 3166-2 lists them
COUNTRY_ROWS = {
    "DE": 16, "AT": 9, "CH": 26, "BR": 27, "MX": 32, "IN": 36, "AR": 24, "MY": 16, "NG": 37,
    "US": 52, "CA": 13, "AU": 8,
}  # fmt: skip

# Subdivisions that share a name with a country CLDR names: the country wins where a dateline
# writes the name alone ("NIAMEY, Niger"); the subdivision needs its country after it
# ("MINNA, Niger, Nigeria").
HOMONYMS_OF_COUNTRIES = {"US-GA", "US-PR", "NG-NI"}


@pytest.fixture(autouse=True)
def _no_newsroom_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(places.OVERRIDES_ENV, raising=False)


def rows() -> list[dict[str, str]]:
    with REGIONS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def parse(text: str) -> Dateline:
    found = parse_dateline(text, now=NOW)
    assert found is not None, text
    return found[0]


def region_iso(dateline: Dateline) -> str | None:
    """The subdivision the dateline names: its place's, else the one its region text names in
    the country the dateline gives (or, without one, by name alone)."""
    if dateline.place is not None and dateline.place.region:
        return dateline.place.region
    if not dateline.region:
        return None
    country = places.resolve_country(dateline.country) if dateline.country else None
    subs = places.resolve_region(dateline.region, country)
    return subs[0].iso if len(subs) == 1 else None


def isos(text: str, country: str | None = None) -> list[str]:
    return [r.iso for r in places.resolve_region(text, country)]


# --------------------------------------------------------------------------- the table


def test_every_row_has_every_column() -> None:
    header = REGIONS.read_text(encoding="utf-8").splitlines()[0].split("\t")
    for row in rows():
        assert None not in row and all(v is not None for v in row.values()), row
        assert len(row) == len(header)


def test_country_and_code_pairs_are_unique_and_sorted() -> None:
    keys = [(r["country"], r["code"]) for r in rows()]
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert keys == sorted(keys)


def test_codes_are_iso_3166_2_of_a_cldr_country() -> None:
    territories = {str(k) for k in Locale.parse("en").territories}
    for row in rows():
        assert row["country"] in territories, row["country"]
        assert re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", f"{row['country']}-{row['code']}"), row


def test_no_name_is_empty_and_no_cell_has_outer_spaces() -> None:
    for row in rows():
        assert row["name"] and row["en"] == row["name"]
        for column, value in row.items():
            assert value == value.strip(), (row["code"], column, value)
            assert value == unicodedata.normalize("NFC", value), (row["code"], column)
        for alias in row["aliases"].split("|") if row["aliases"] else ():
            assert alias and alias == alias.strip(), (row["code"], alias)


@pytest.mark.parametrize(("country", "count"), sorted(COUNTRY_ROWS.items()))
def test_each_federal_country_has_all_its_first_level_units(country: str, count: int) -> None:
    assert sum(1 for r in rows() if r["country"] == country) == count


def test_no_subdivision_repeats_a_country_name_cldr_already_has() -> None:
    countries: set[str] = set()
    for language in places.TABLE_LANGUAGES:
        countries.update(
            places.normalize_name(str(name)) for code, name in Locale.parse(language).territories.items()
            if len(str(code)) == 2
        )
    clashes = {
        r.iso for r in places.regions()
        for name in (r.name, *(n for _, n in r.names))
        if places.normalize_name(name) in countries
    }
    assert clashes == HOMONYMS_OF_COUNTRIES


def test_no_name_outside_the_bare_code_countries_is_another_subdivisions_code() -> None:
    codes: dict[str, list[str]] = {}
    for r in places.regions():
        codes.setdefault(places.normalize_name(r.code), []).append(r.iso)
    for r in places.regions():
        if r.country in places.BARE_CODE_COUNTRIES:
            continue  # AP's "Pa.", "Ga.", "La." are what those codes mean in US copy
        for name in (r.name, *r.aliases, *(n for _, n in r.names)):
            others = [iso for iso in codes.get(places.normalize_name(name), []) if iso != r.iso]
            assert others == [], (r.iso, name)


# --------------------------------------------------------------------------- datelines

# dateline -> (ISO 3166-2 code, {language: region as that language writes it})
DATELINES = {
    "MUNICH, Bavaria (AP) — Police said.": ("DE-BY", {
        "de": "Bayern", "es": "Baviera", "fr": "Bavière", "pt": "Baviera", "pt-BR": "Baviera",
        "ru": "Бавария"}),
    "BELEM, Para, Brazil (AP) — Delegates met.": ("BR-PA", {
        "de": "Pará", "es": "Pará", "fr": "Pará", "pt": "Pará", "pt-BR": "Pará", "ru": "Пара"}),
    "GUADALAJARA, Jalisco (AP) — Rain fell.": ("MX-JAL", {
        "de": "Jalisco", "es": "Jalisco", "fr": "Jalisco", "pt": "Jalisco", "pt-BR": "Jalisco",
        "ru": "Халиско"}),
    "MUMBAI, Maharashtra, Nov 27 (Reuters) - Shares rose.": ("IN-MH", {
        "de": "Maharashtra", "es": "Maharashtra", "fr": "Maharashtra", "pt": "Maharashtra",
        "pt-BR": "Maharashtra", "ru": "Махараштра"}),
    "INNSBRUCK, Tyrol (AP) — Snow fell.": ("AT-7", {
        "de": "Tirol", "es": "Tirol", "fr": "Tyrol", "pt": "Tirol", "pt-BR": "Tirol",
        "ru": "Тироль"}),
    "PHILADELPHIA, Pa. (AP) — A fire broke out.": ("US-PA", {
        "de": "Pennsylvania", "es": "Pensilvania", "fr": "Pennsylvanie", "pt": "Pensilvânia",
        "pt-BR": "Pensilvânia", "ru": "Пенсильвания"}),
    "MACEIO, Alagoas (AP) — Fishermen said.": ("BR-AL", {
        "de": "Alagoas", "es": "Alagoas", "fr": "Alagoas", "pt": "Alagoas", "pt-BR": "Alagoas",
        "ru": "Алагоас"}),
    "HANOVER, Lower Saxony (AP) — Voters went.": ("DE-NI", {
        "de": "Niedersachsen", "es": "Baja Sajonia", "fr": "Basse-Saxe", "pt": "Baixa Saxónia",
        "pt-BR": "Baixa Saxônia", "ru": "Нижняя Саксония"}),
    "LAUSANNE, Vaud (AP) — The court ruled.": ("CH-VD", {
        "de": "Waadt", "es": "Vaud", "fr": "Vaud", "pt": "Vaud", "pt-BR": "Vaud", "ru": "Во"}),
    "KLAGENFURT, Carinthia (AP) — Police said.": ("AT-2", {
        "de": "Kärnten", "es": "Carintia", "fr": "Carinthie", "pt": "Caríntia",
        "pt-BR": "Caríntia", "ru": "Каринтия"}),
    "TIJUANA, Baja California (AP) — Migrants waited.": ("MX-BCN", {
        "de": "Baja California", "es": "Baja California", "fr": "Basse-Californie",
        "pt": "Baixa Califórnia", "pt-BR": "Baixa Califórnia", "ru": "Нижняя Калифорния"}),
    "CHENNAI, Tamil Nadu (AP) — Floods hit.": ("IN-TN", {
        "de": "Tamil Nadu", "es": "Tamil Nadu", "fr": "Tamil Nadu", "pt": "Tamil Nadu",
        "pt-BR": "Tamil Nadu", "ru": "Тамилнад"}),
}


@pytest.mark.parametrize("text", DATELINES)
def test_a_federal_dateline_resolves_to_its_subdivision(text: str) -> None:
    assert region_iso(parse(text)) == DATELINES[text][0]


@pytest.mark.parametrize(
    ("text", "language"), [(text, language) for text in DATELINES for language in LANGUAGES]
)
def test_a_federal_dateline_names_its_subdivision_in_the_target_language(
    text: str, language: str
) -> None:
    assert localize.localize_dateline(parse(text), language).region == DATELINES[text][1][language]


def test_the_whole_dateline_in_a_partners_style() -> None:
    munich = parse("MUNICH, Bavaria (AP) — Police said.")
    assert localize.format_dateline(munich, "es", "efe") == "Múnich, Baviera (AP).-"
    assert localize.format_dateline(munich, "de", "dpa") == "München, Bayern (AP) -"
    belem = parse("BELEM, Para, Brazil (AP) — Delegates met.")
    assert localize.format_dateline(belem, "pt-BR", "afp") == "BELEM, Pará, Brasil (AP) -"


def test_the_original_language_keeps_the_region_as_written() -> None:
    assert localize.localize_dateline(parse("BELEM, Para, Brazil (AP) — x"), "en").region == "Para"


def test_a_place_in_the_table_carries_the_subdivision_the_dateline_names() -> None:
    place = places.resolve("MUNICH", region="Bavaria")
    assert place is not None and (place.key, place.region) == ("munich", "DE-BY")
    place = places.resolve("Zürich", region="Zürich")
    assert place is not None and place.region == "CH-ZH"


def test_a_region_of_another_country_still_rules_a_place_out() -> None:
    assert places.resolve("MUNICH", region="Ontario") is None
    assert places.resolve("PORTLAND", region="Bavaria") is None
    assert places.resolve("GUADALAJARA", region="Para") is None


def test_belem_in_para_is_not_bethlehem() -> None:
    # Portuguese writes Bethlehem "Belém": Pará, a Brazilian state, rules the West Bank out
    assert places.resolve("BELEM") is not None
    assert parse("BELEM, Para (AP) — x").place is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Bayern", "DE-BY"), ("Bavaria", "DE-BY"), ("Nordrhein-Westfalen", "DE-NW"),
     ("North Rhine-Westphalia", "DE-NW"), ("NRW", "DE-NW"), ("São Paulo", "BR-SP"),
     ("Sao Paulo", "BR-SP"), ("Minas Gerais", "BR-MG"), ("Jalisco", "MX-JAL"),
     ("Baja California", "MX-BCN"), ("Baja California Sur", "MX-BCS"),
     ("Maharashtra", "IN-MH"), ("Tamil Nadu", "IN-TN"), ("Orissa", "IN-OD"), ("Zürich", "CH-ZH"),
     ("Zurich", "CH-ZH"), ("ZUERICH", "CH-ZH"), ("Genève", "CH-GE"), ("Geneva", "CH-GE"),
     ("Genf", "CH-GE"), ("Kärnten", "AT-2"), ("Carinthia", "AT-2"), ("Tirol", "AT-7"),
     ("Tyrol", "AT-7"), ("Wien", "AT-9"), ("St. Gallen", "CH-SG"), ("Sankt Gallen", "CH-SG"),
     ("Córdoba", "AR-X"), ("Penang", "MY-07"), ("Pulau Pinang", "MY-07"), ("Lagos", "NG-LA"),
     ("Баварія", "DE-BY"), ("巴伐利亚州", "DE-BY")],
)
def test_native_english_and_localized_spellings_name_the_subdivision(text: str, iso: str) -> None:
    assert isos(text) == [iso]


# --------------------------------------------------------------------------- code clashes

BRAZIL_CODES = ["PA", "AL", "MT", "MS", "SC", "RO", "AC", "AM", "AP", "MA", "PR", "RN", "SE",
                "TO", "GO", "CE", "BA", "PE", "PI", "ES", "RJ", "RS", "DF", "SP", "MG", "PB"]


@pytest.mark.parametrize("code", BRAZIL_CODES)
def test_a_brazilian_code_names_a_brazilian_state_only_in_brazil(code: str) -> None:
    assert isos(code, "BR") == [f"BR-{code}"]
    assert all(not iso.startswith("BR-") for iso in isos(code))


@pytest.mark.parametrize(
    ("code", "iso"),
    [("PA", "US-PA"), ("AL", "US-AL"), ("MT", "US-MT"), ("MS", "US-MS"), ("SC", "US-SC"),
     ("MA", "US-MA"), ("PR", "US-PR"), ("SE", None), ("ES", None), ("RJ", None)],
)
def test_a_bare_code_is_a_us_state_or_nothing(code: str, iso: str | None) -> None:
    assert isos(code) == ([iso] if iso else [])


@pytest.mark.parametrize(
    ("text", "key", "iso"),
    [("PHILADELPHIA, PA (AP) — x", "philadelphia", "US-PA"),
     ("PHILADELPHIA, Pa. (AP) — x", "philadelphia", "US-PA"),
     ("BIRMINGHAM, AL (AP) — x", "birmingham-alabama", "US-AL"),
     ("SAO PAULO, SP (AP) — x", "sao-paulo", "BR-SP"),
     ("BRASILIA, DF (AP) — x", "brasilia", "BR-DF"),
     ("MUNICH, BY (AP) — x", "munich", "DE-BY"),
     ("BERN, BE (AP) — x", "bern", "CH-BE"),
     ("GENEVA, GE (AP) — x", "geneva", "CH-GE"),
     ("BERLIN, BE (AP) — x", "berlin", "DE-BE")],
)
def test_a_code_is_read_in_the_country_of_the_place(text: str, key: str, iso: str) -> None:
    place = parse(text).place
    assert place is not None and (place.key, place.region) == (key, iso)


def test_a_code_of_a_country_the_place_is_not_in_names_nothing() -> None:
    place = places.resolve("SAO PAULO", region="TX")
    assert place is None  # a US state: São Paulo is not in it
    # Brazil's "ES" is Espírito Santo only for a place in Brazil: Madrid stays in Spain
    madrid = parse("MADRID, ES (AP) — x")
    assert madrid.place is not None and (madrid.place.key, madrid.place.region) == ("madrid", None)
    assert localize.localize_dateline(madrid, "de").region == "ES"


def test_a_name_two_countries_share_is_told_apart_by_the_country() -> None:
    assert sorted(isos("Distrito Federal")) == ["BR-DF", "MX-CMX"]
    assert isos("Distrito Federal", "BR") == ["BR-DF"]
    assert isos("Distrito Federal", "MX") == ["MX-CMX"]
    # with no place and no country the region is kept as written
    unknown = parse("TAGUATINGA, Distrito Federal (AP) — x")
    assert localize.localize_dateline(unknown, "de").region == "Distrito Federal"
    assert localize.localize_dateline(unknown, "fr").region == "Distrito Federal"


# --------------------------------------------------------------------------- unchanged

@pytest.mark.parametrize(
    ("text", "key", "region", "country"),
    [("LONDON, Ontario (AP) — x", None, "Ontario", None),
     ("PARIS, TX (AP) — x", None, "TX", None),
     ("BOISE, Idaho (AP) — x", "boise", "Idaho", None),
     ("LAGOS, Nigeria (AP) — x", "lagos", None, "Nigeria"),
     ("NIAMEY, Niger (AP) — x", "niamey", None, "Niger"),
     ("MINSK, BY (AP) — x", "minsk", "BY", None),
     ("BRUSSELS, BE (AP) — x", "brussels", "BE", None)],
)
def test_datelines_that_are_plainly_something_else_are_unchanged(
    text: str, key: str | None, region: str | None, country: str | None
) -> None:
    dateline = parse(text)
    assert (dateline.region, dateline.country) == (region, country)
    assert (dateline.place.key if dateline.place else None) == key


def test_a_country_after_the_city_is_still_a_country() -> None:
    lagos = parse("LAGOS, Nigeria (AP) — x")
    assert localize.localize_dateline(lagos, "ru").country == "Нигерия"
    assert lagos.place is not None and lagos.place.region is None
    niamey = parse("NIAMEY, Niger (AP) — x")
    assert localize.localize_dateline(niamey, "es").country == "Níger"
    # Niger State is named with its country after it
    minna = parse("MINNA, Niger, Nigeria (AP) — x")
    assert region_iso(minna) == "NG-NI"


def test_a_us_state_stays_a_us_state() -> None:
    for text, iso in [("BOISE, Idaho (AP) — x", "US-ID"), ("PARIS, TX (AP) — x", "US-TX"),
                      ("FORT WASHINGTON, Pa. (AP) — x", "US-PA")]:
        assert region_iso(parse(text)) == iso
    assert localize.localize_dateline(parse("PARIS, TX (AP) — x"), "ru").region == "Техас"
