"""Place resolution: a dateline city as written, in any language or script, to one canonical place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.dateline import places
from syndicate.errors import ConfigError


@pytest.fixture(autouse=True)
def _no_newsroom_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(places.OVERRIDES_ENV, raising=False)


# (city as written, region, country, language) -> table key
RESOLVES = [
    ("MOSCOW", None, None, None, "moscow"),
    ("Moskau", None, None, "de", "moscow"),
    ("МОСКВА", None, None, "ru", "moscow"),
    ("موسكو", None, None, "ar", "moscow"),
    ("モスクワ", None, None, "ja", "moscow"),
    ("ST. PETERSBURG", None, None, None, "saint-petersburg"),
    ("St Petersburg", None, None, None, "saint-petersburg"),
    ("Saint Petersburg", None, None, None, "saint-petersburg"),
    ("Saint-Pétersbourg", None, None, "fr", "saint-petersburg"),
    ("САНКТ-ПЕТЕРБУРГ", None, None, "ru", "saint-petersburg"),
    ("Kiev", None, None, None, "kyiv"),
    ("Kyiv", None, None, None, "kyiv"),
    ("Київ", None, None, "uk", "kyiv"),
    ("Kijów", None, None, "pl", "kyiv"),
    ("北京", None, None, "zh", "beijing"),
    ("Peking", None, None, "de", "beijing"),
    ("NEW DELHI", None, None, None, "new-delhi"),
    ("New Delhi", None, None, None, "new-delhi"),
    ("Delhi", None, None, None, "delhi"),
    ("THE HAGUE", None, None, None, "the-hague"),
    ("Den Haag", None, None, "nl", "the-hague"),
    ("SAO PAULO", None, None, None, "sao-paulo"),
    ("São Paulo", None, None, "pt", "sao-paulo"),
    ("ZURICH", None, None, None, "zurich"),
    ("Zürich", None, None, "de", "zurich"),
    ("PORT-AU-PRINCE", None, None, None, "port-au-prince"),
    ("Port au Prince", None, None, None, "port-au-prince"),
    ("N'DJAMENA", None, None, None, "ndjamena"),
    ("NDJAMENA", None, None, None, "ndjamena"),
    ("COX’S BAZAR", None, None, None, "coxs-bazar"),
    ("ABU-DHABI", None, None, None, "abu-dhabi"),
    ("Saigon", None, None, None, "ho-chi-minh-city"),
    ("ＴＯＫＹＯ", None, None, None, "tokyo"),  # full-width Latin, as some CJK systems write it
    ("İstanbul", None, None, "tr", "istanbul"),
    ("DIYARBAKIR", None, None, None, None),
    ("Tel Aviv-Yafo", None, None, None, "tel-aviv"),
    ("FORT WASHINGTON", "Pa.", None, None, "fort-washington"),
    ("FORT WORTH", "Texas", None, None, "fort-worth"),
    ("Ft. Worth", "Tex.", None, None, "fort-worth"),
    ("PORTLAND", "Ore.", None, None, "portland-oregon"),
    ("PORTLAND", "Maine", None, None, "portland-maine"),
    ("KANSAS CITY", "Mo.", None, None, "kansas-city-missouri"),
    ("KANSAS CITY", "Kan.", None, None, "kansas-city-kansas"),
    ("CAMBRIDGE", "England", None, None, "cambridge"),
    ("CAMBRIDGE", "Mass.", None, None, "cambridge-massachusetts"),
    ("TRIPOLI", "Lebanon", None, None, "tripoli-lebanon"),
    ("TRIPOLI", None, "Libya", None, "tripoli"),
    ("WASHINGTON", "D.C.", None, None, "washington"),
    ("SAN FRANCISCO", "Calif.", "US", None, "san-francisco"),
    ("NEW YORK", "N.Y.", None, None, "new-york"),
    ("PARIS", "France", None, None, "paris"),
    ("KHARKIV", None, "Ukraine", None, "kharkiv"),
    ("RAMALLAH", "West Bank", None, None, "ramallah"),
    ("MUNICH", "Bavaria", None, None, "munich"),
    ("Moskau", None, "Russland", "de", "moscow"),
]


@pytest.mark.parametrize(("city", "region", "country", "language", "key"), RESOLVES)
def test_resolves_cities_as_written(
    city: str, region: str | None, country: str | None, language: str | None, key: str | None
) -> None:
    place = places.resolve(city, region=region, country=country, language=language)
    assert (place.key if place else None) == key


@pytest.mark.parametrize("city", ["PORTLAND", "KANSAS CITY", "TRIPOLI", "BIRMINGHAM", "ARLINGTON"])
def test_a_spelling_shared_by_two_places_without_a_region_resolves_to_nothing(city: str) -> None:
    assert places.resolve(city) is None


@pytest.mark.parametrize(
    ("city", "region", "country"),
    [
        ("LONDON", "Ky.", None),  # London, Kentucky is not London, England
        ("LONDON", "Ontario", None),
        ("MOSCOW", "Idaho", None),
        ("PARIS", None, "US"),
        ("PARIS", "Texas", None),
    ],
)
def test_a_region_or_country_that_contradicts_the_place_resolves_to_nothing(
    city: str, region: str | None, country: str | None
) -> None:
    assert places.resolve(city, region=region, country=country) is None


@pytest.mark.parametrize("city", ["SMALLTOWN", "Atlantis", "", "   ", "UNITED NATIONS"])
def test_unknown_cities_are_never_guessed(city: str) -> None:
    assert places.resolve(city) is None


def test_a_resolved_place_carries_name_country_zone_key_and_geonames_id() -> None:
    place = places.resolve("МОСКВА")
    assert place is not None
    assert (place.name, place.country, place.timezone, place.key, place.geonames_id) == (
        "Moscow",
        "RU",
        "Europe/Moscow",
        "moscow",
        524901,
    )


def test_a_us_place_carries_its_iso_3166_2_region() -> None:
    place = places.resolve("PORTLAND", region="Ore.")
    assert place is not None
    assert (place.region, place.timezone) == ("US-OR", "America/Los_Angeles")


def test_places_across_time_zones_get_their_own_zone() -> None:
    zones = {c: places.resolve(c).timezone for c in ("KYIV", "VLADIVOSTOK", "HONOLULU", "KATHMANDU")}  # type: ignore[union-attr]
    assert zones == {
        "KYIV": "Europe/Kyiv",
        "VLADIVOSTOK": "Asia/Vladivostok",
        "HONOLULU": "Pacific/Honolulu",
        "KATHMANDU": "Asia/Kathmandu",
    }


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ST. PETERSBURG", "saint petersburg"),
        ("St Petersburg", "Saint-Petersburg"),
        ("Zürich", "ZURICH"),
        ("Port-au-Prince", "PORT AU PRINCE"),
        ("N’Djamena", "NDJAMENA"),
        ("Kraków", "KRAKOW"),
        ("Wrocław", "Wroclaw"),
        ("Ft. Worth", "Fort Worth"),
        ("Кишинёв", "Кишинев"),
        ("ＴＯＫＹＯ", "tokyo"),
    ],
)
def test_normalization_ignores_case_accents_punctuation_and_saint_abbreviations(a: str, b: str) -> None:
    assert places.normalize_name(a) == places.normalize_name(b)


def test_normalization_keeps_japanese_voicing_marks() -> None:
    # ガ and カ are different sounds: stripping the mark would merge different names
    assert places.normalize_name("ガザ") != places.normalize_name("カサ")


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Pa.", "US-PA"),
        ("Calif.", "US-CA"),
        ("N.Y.", "US-NY"),
        ("Texas", "US-TX"),
        ("Ont.", "CA-ON"),
        ("W.Va.", "US-WV"),
    ],
)
def test_ap_state_abbreviations_are_data(text: str, iso: str) -> None:
    assert [r.iso for r in places.resolve_region(text)] == [iso]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "RU"),
        ("Russland", "RU"),
        ("Россия", "RU"),
        ("U.S.", "US"),
        ("Britain", "GB"),
        ("Ukraine", "UA"),
        ("DE", "DE"),
    ],
)
def test_countries_resolve_from_names_in_many_languages(text: str, code: str) -> None:
    assert places.resolve_country(text) == code


def test_the_table_is_built_once_and_reused() -> None:
    assert places.default_table() is places.default_table()


def test_resolution_is_a_dictionary_look_up() -> None:
    import time

    table = places.default_table()
    start = time.perf_counter()
    for _ in range(2000):
        table.resolve("ST. PETERSBURG")
        table.resolve("PORTLAND", region="Ore.")
    # 4000 look-ups; a linear scan of the table would take far longer
    assert time.perf_counter() - start < 1.0


# --------------------------------------------------------------------------- CLDR


def test_cldr_names_a_zone_city_in_languages_the_table_lacks() -> None:
    moscow = places.default_table().get("moscow")
    assert moscow is not None
    assert places.city_name(moscow, "ko") == "모스크바"
    assert places.city_name(moscow, "nl") == "Moskou"


def test_cldr_is_ignored_for_a_city_that_is_not_its_zones_exemplar() -> None:
    # Geneva lies in Europe/Zurich: CLDR's city for that zone is Zurich, not Geneva
    table = places.default_table()
    geneva, washington = table.get("geneva"), table.get("washington")
    assert geneva is not None and washington is not None
    assert places.cldr_city(geneva, "ko") is None
    assert places.cldr_city(washington, "ko") is None
    assert places.city_name(geneva, "ko") is None


def test_cldr_names_resolve_in_languages_the_table_lacks() -> None:
    assert places.resolve("Moskou", language="nl").key == "moscow"  # type: ignore[union-attr]
    assert places.resolve("취리히", language="ko").key == "zurich"  # type: ignore[union-attr]


def test_cldr_names_are_only_consulted_for_the_language_the_text_is_in() -> None:
    assert places.resolve("Moskou") is None


def test_the_table_wins_over_cldr() -> None:
    moscow = places.default_table().get("moscow")
    assert moscow is not None
    assert places.cldr_city(moscow, "pt") == "Moscou"  # CLDR's Portuguese is Brazil's
    assert places.city_name(moscow, "pt") == "Moscovo"


def test_regional_language_tags_fall_back_to_the_language() -> None:
    moscow = places.default_table().get("moscow")
    assert moscow is not None
    assert moscow.exonym("de-AT") == "Moskau"
    assert moscow.exonym("zh-Hans-CN") == "莫斯科"


# --------------------------------------------------------------------------- overrides


def _write(tmp_path: Path, text: str, name: str = "house.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_newsroom_file_overrides_an_exonym(tmp_path: Path) -> None:
    path = _write(tmp_path, "key\ten\tde\nkyiv\tKiev\tKiew\n")
    kyiv = places.load_table(path).get("kyiv")
    assert kyiv is not None
    assert kyiv.exonym("en") == "Kiev"
    assert kyiv.exonym("fr") == "Kyiv"  # untouched columns keep the curated value


def test_an_overridden_spelling_still_resolves(tmp_path: Path) -> None:
    table = places.load_table(_write(tmp_path, "key\ten\nkyiv\tKiev\n"))
    assert places.resolve("KYIV", table=table) == places.resolve("KIEV", table=table)
    assert places.resolve("KYIV", table=table) is not None


def test_a_newsroom_file_adds_a_place(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "key\tname\tcountry\tregion\ttimezone\taliases\tde\n"
        "bakhmut\tBakhmut\tUA\t\tEurope/Kyiv\tArtemivsk|Artyomovsk\tBachmut\n",
    )
    table = places.load_table(path)
    place = places.resolve("Artyomovsk", table=table)
    assert place is not None and place.key == "bakhmut"
    assert place.geonames_id is None  # never invented
    assert table.get("bakhmut").exonym("de") == "Bachmut"  # type: ignore[union-attr]


def test_a_newsroom_file_may_add_columns_for_other_languages(tmp_path: Path) -> None:
    table = places.load_table(_write(tmp_path, "key\tpt-BR\nmoscow\tMoscou\n"))
    moscow = table.get("moscow")
    assert moscow is not None
    assert (moscow.exonym("pt-BR"), moscow.exonym("pt-PT"), moscow.exonym("pt")) == (
        "Moscou",
        "Moscovo",
        "Moscovo",
    )


def test_the_override_file_is_taken_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(places.OVERRIDES_ENV, str(_write(tmp_path, "key\ten\nkyiv\tKiev\n")))
    assert places.default_table().get("kyiv").exonym("en") == "Kiev"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("key\ttimezone\nmoscow\tEurope/Mordor\n", "IANA"),
        ("key\tname\tcountry\ttimezone\nnarnia\tNarnia\tXX\tEurope/London\n", "ISO 3166"),
        ("key\tname\nnarnia\tNarnia\n", "needs name, country and timezone"),
        ("key\tcolour\nmoscow\tred\n", "colour"),
        ("key\ten\nMoscow City\tMoscow\n", "lower-case"),
        ("key\ten\nkyiv\tKiev\nkyiv\tKyiv\n", "duplicate"),
        ("key\tgeonames_id\nkyiv\tabc\n", "geonames_id"),
    ],
)
def test_a_bad_override_file_is_a_config_error_naming_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        places.load_table(_write(tmp_path, text))


def test_a_missing_override_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        places.load_table(tmp_path / "nope.tsv")


def test_an_edited_override_file_is_read_again(tmp_path: Path) -> None:
    import os

    path = _write(tmp_path, "key\ten\nkyiv\tKiev\n")
    assert places.load_table(path).get("kyiv").exonym("en") == "Kiev"  # type: ignore[union-attr]
    path.write_text("key\ten\nkyiv\tKyiv\n", encoding="utf-8")
    os.utime(path, (1, 1))
    assert places.load_table(path).get("kyiv").exonym("en") == "Kyiv"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=40),
    st.one_of(st.none(), st.text(max_size=12)),
    st.one_of(st.none(), st.text(max_size=12)),
)
def test_resolve_answers_any_text_with_a_place_or_none(
    city: str, region: str | None, country: str | None
) -> None:
    place = places.resolve(city, region=region, country=country)
    assert place is None or place.key in places.default_table().entries


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_normalizing_a_normalized_name_changes_nothing(text: str) -> None:
    once = places.normalize_name(text)
    assert places.normalize_name(once) == once


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(places.load_table(()).entries)), st.sampled_from(["upper", "lower", "title"]))
def test_every_spelling_in_the_table_resolves_whatever_its_case(key: str, case: str) -> None:
    entry = places.load_table(()).entries[key]
    for name in entry.names():
        written = getattr(name, case)()
        cands = {c.key for c in places.load_table(()).candidates(written)}
        assert key in cands, (name, written)
