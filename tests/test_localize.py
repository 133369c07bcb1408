"""Localized datelines: the partner's language and house style, the original's place and date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from syndicate.cli import main
from syndicate.dateline import localize, places, styles
from syndicate.errors import ConfigError
from syndicate.item import Dateline

OCT22 = dt.date(2026, 10, 22)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "datelines"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def _no_newsroom_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(places.OVERRIDES_ENV, raising=False)


def dateline(
    city: str | None,
    source: str | None = None,
    style: str | None = None,
    *,
    region: str | None = None,
    country: str | None = None,
    date: dt.date | None = OCT22,
    language: str = "en",
) -> Dateline:
    place = places.resolve(city, region=region, country=country) if city else None
    return Dateline(
        raw=f"{city} ...",
        city=city,
        region=region,
        country=country,
        date=date,
        source=source,
        style=style,
        language=language,
        place=place,
    )


TASS_MOSCOW = dateline("MOSCOW", "TASS", "tass")


# --------------------------------------------------------------------------- every language

# A TASS story localized with no style named: TASS's own pattern where TASS has one
# (en, ru, uk, de), else the language's own press convention, always crediting TASS.
TASS_IN_EVERY_LANGUAGE = [
    ("en", "MOSCOW, October 22. /TASS/."),
    ("de", "MOSKAU, 22. Oktober /TASS/."),
    ("fr", "MOSCOU, 22 octobre (TASS) -"),
    ("es", "MOSCÚ, 22 de octubre (TASS).-"),
    ("it", "(TASS) - MOSCA, 22 OTT -"),
    ("pt", "Moscovo, 22 de outubro (TASS) -"),
    ("ru", "МОСКВА, 22 октября. /ТАСС/."),
    ("uk", "МОСКВА, 22 жовтня. /ТАСС/."),
    ("pl", "MOSKWA, 22 października (TASS) -"),
    ("zh", "塔斯社莫斯科10月22日电"),
    ("ja", "【モスクワ10月22日 タス通信】"),
    ("ar", "موسكو، 22 أكتوبر (تاس) -"),
    ("tr", "MOSKOVA, 22 Ekim (TASS) -"),
]


@pytest.mark.parametrize(("language", "expected"), TASS_IN_EVERY_LANGUAGE)
def test_a_tass_dateline_in_every_table_language(language: str, expected: str) -> None:
    assert localize.format_dateline(TASS_MOSCOW, language) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "MOSKOU, 22 oktober (TASS) -"), ("ko", "모스크바, 10월 22일 (TASS) -")]
)
def test_languages_beyond_the_table_take_zone_cities_from_cldr(language: str, expected: str) -> None:
    assert localize.format_dateline(TASS_MOSCOW, language).upper() == expected.upper()


# --------------------------------------------------------------------------- every style

SAMPLES = {
    "tass": dateline("MOSCOW", "TASS", "tass"),
    "ap": dateline("WASHINGTON", "AP", "ap"),
    "reuters": dateline("LONDON", "Reuters", "reuters"),
    "afp": dateline("PARIS", "AFP", "afp"),
    "dpa": dateline("BERLIN", "dpa", "dpa"),
    "efe": dateline("MADRID", "EFE", "efe"),
    "xinhua": dateline("BEIJING", "Xinhua", "xinhua"),
    "ansa": dateline("ROME", "ANSA", "ansa"),
    "aap": dateline("SYDNEY", "AAP", "aap"),
    "local": dateline("GENEVA", "Keystone-SDA"),
}

EVERY_STYLE = [
    ("tass", "en", "MOSCOW, October 22. /TASS/."),
    ("tass", "ru", "МОСКВА, 22 октября. /ТАСС/."),
    ("tass", "uk", "МОСКВА, 22 жовтня. /ТАСС/."),
    ("tass", "de", "MOSKAU, 22. Oktober /TASS/."),
    ("ap", "en", "WASHINGTON (AP) —"),
    ("ap", "es", "WASHINGTON (AP) —"),
    ("reuters", "en", "LONDON, Oct 22 (Reuters) -"),
    ("reuters", "de", "London (Reuters) -"),
    ("reuters", "fr", "LONDRES, 22 octobre (Reuters) -"),
    ("reuters", "es", "LONDRES, 22 oct (Reuters) -"),
    ("reuters", "it", "LONDRA, 22 ottobre (Reuters) -"),
    ("reuters", "pt", "LONDRES, 22 de out. (Reuters) -"),
    ("reuters", "ru", "ЛОНДОН, 22 окт. (Рейтер) -"),
    ("reuters", "ja", "［ロンドン 22日 ロイター］ -"),
    ("reuters", "zh", "路透伦敦10月22日 -"),
    ("reuters", "ar", "لندن (رويترز) -"),
    ("afp", "en", "Paris (AFP) -"),
    ("afp", "fr", "Paris (AFP) -"),
    ("afp", "de", "Paris (AFP) -"),
    ("afp", "es", "París, 22 oct 2026 (AFP) -"),
    ("afp", "pt", "Paris, 22 de out. de 2026 (AFP) -"),
    ("afp", "ar", "باريس (أ ف ب) -"),
    ("dpa", "de", "Berlin (dpa) -"),
    ("dpa", "en", "Berlin (dpa) -"),
    ("dpa", "es", "Berlín, 22 oct (dpa) -"),
    ("dpa", "ar", "برلين (د ب أ) -"),
    ("efe", "es", "Madrid, 22 oct (EFE).-"),
    ("efe", "en", "Madrid, Oct 22 (EFE).-"),
    ("efe", "pt", "Madrid, 22 de out. (EFE).-"),
    ("xinhua", "en", "BEIJING, Oct. 22 (Xinhua) --"),
    ("xinhua", "zh", "新华社北京10月22日电"),
    ("xinhua", "ja", "【新華社北京10月22日】"),
    ("xinhua", "es", "PEKÍN, 22 oct (Xinhua) --"),
    ("xinhua", "fr", "PÉKIN, 22 octobre (Xinhua) --"),
    ("xinhua", "pt", "Pequim, 22 de out. (Xinhua) --"),
    ("xinhua", "de", "Peking, 22. Oktober (Xinhua) --"),
    ("xinhua", "ru", "Пекин, 22 октября /Синьхуа/ --"),
    ("xinhua", "ar", "بكين 22 أكتوبر 2026 (شينخوا)"),
    ("xinhua", "tr", "Pekin, 22 Ekim (Şinhua) --"),
    ("ansa", "it", "(ANSA) - ROMA, 22 OTT -"),
    ("ansa", "en", "(ANSA) - Rome, October 22 -"),
    ("aap", "en", "SYDNEY, Oct 22 AAP -"),
    ("local", "en", "GENEVA, October 22 (Keystone-SDA) -"),
    ("local", "de", "Genf (Keystone-SDA) -"),
    ("local", "fr", "GENÈVE, 22 octobre (Keystone-SDA) -"),
    ("local", "es", "GINEBRA, 22 de octubre (Keystone-SDA).-"),
    ("local", "it", "(Keystone-SDA) - GINEVRA, 22 OTT -"),
    ("local", "pt", "Genebra, 22 de outubro (Keystone-SDA) -"),
    ("local", "ru", "ЖЕНЕВА, 22 октября. /Keystone-SDA/."),
    ("local", "uk", "ЖЕНЕВА, 22 жовтня. /Keystone-SDA/."),
    ("local", "pl", "GENEWA, 22 października (Keystone-SDA) -"),
    ("local", "zh", "Keystone-SDA日内瓦10月22日电"),
    ("local", "ja", "【ジュネーブ10月22日 Keystone-SDA】"),
    ("local", "ar", "جنيف، 22 أكتوبر (Keystone-SDA) -"),
    ("local", "tr", "CENEVRE, 22 Ekim (Keystone-SDA) -"),
]


@pytest.mark.parametrize(("style", "language", "expected"), EVERY_STYLE)
def test_every_house_style_in_each_of_its_languages(style: str, language: str, expected: str) -> None:
    assert localize.format_dateline(SAMPLES[style], language, style) == expected


def test_the_style_table_above_covers_every_style_and_language_in_the_data() -> None:
    book = styles.load_styles()
    in_data = {(name, lang) for name, st in book.styles.items() for lang in st.languages if lang != "*"}
    assert in_data == {(s, lang) for s, lang, _ in EVERY_STYLE}


def test_every_template_in_the_data_renders_without_leftover_fields() -> None:
    book = styles.load_styles()
    for name, style in book.styles.items():
        for lang in style.languages:
            target = "nl" if lang == "*" else lang
            text = localize.format_dateline(SAMPLES["tass"], target, name)
            assert "{" not in text and "}" not in text and text.strip() == text, (name, lang, text)


# --------------------------------------------------------------------------- dates

DATES = [
    ("de", "MMMMd", "22. Oktober"),
    ("de", "MMMd", "22. Okt."),
    ("ru", "MMMMd", "22 октября"),  # genitive: CLDR's format context, not "октябрь"
    ("uk", "MMMMd", "22 жовтня"),
    ("pl", "MMMMd", "22 października"),
    ("zh", "MMMMd", "10月22日"),
    ("ja", "MMMMd", "10月22日"),
    ("es", "MMMMd", "22 de octubre"),
    ("fr", "MMMMd", "22 octobre"),
    ("it", "MMMd", "22 ott"),
    ("pt", "MMMMd", "22 de outubro"),
    ("tr", "MMMMd", "22 Ekim"),
    ("ar", "MMMMd", "22 أكتوبر"),
    ("en", "MMMMd", "October 22"),
    ("en", "yMMMMd", "October 22, 2026"),
    ("zh", "yMMMMd", "2026年10月22日"),
]


@pytest.mark.parametrize(("language", "skeleton", "expected"), DATES)
def test_dates_are_written_as_each_language_writes_them(language: str, skeleton: str, expected: str) -> None:
    assert localize.format_date(OCT22, language, skeleton) == expected


def test_a_style_may_bring_its_own_month_abbreviations() -> None:
    ap_months = (
        "Jan.",
        "Feb.",
        "March",
        "April",
        "May",
        "June",
        "July",
        "Aug.",
        "Sept.",
        "Oct.",
        "Nov.",
        "Dec.",
    )
    assert localize.format_date(dt.date(2026, 9, 3), "en", "MMMd", months=ap_months) == "Sept. 3"
    assert localize.format_date(dt.date(2026, 3, 3), "en", "MMMd", months=ap_months) == "March 3"


def test_the_date_is_not_shifted_by_time_zones() -> None:
    # Dateline.date is already the local date in the dateline city; Tokyo stays on the 22nd
    tokyo = dateline("TOKYO", "Reuters", "reuters")
    assert localize.format_dateline(tokyo, "en") == "TOKYO, Oct 22 (Reuters) -"


# --------------------------------------------------------------------------- scripts and case


@pytest.mark.parametrize("language", ["zh", "ja", "ar"])
def test_caseless_scripts_are_never_upper_cased(language: str) -> None:
    unknown_latin = dateline("Smallville", "TASS", "tass")
    text = localize.format_dateline(unknown_latin, language, "local")
    assert "Smallville" in text


def test_turkish_upper_case_keeps_the_dotted_i() -> None:
    assert localize.format_dateline(dateline("ISTANBUL", "AA"), "tr") == "İSTANBUL, 22 Ekim (AA) -"
    assert localize.upper("Diyarbakır", "tr") == "DİYARBAKIR"  # dotted i up to İ, dotless ı to I
    assert localize.upper("Diyarbakır", "en") == "DIYARBAKIR"


def test_right_to_left_text_gets_no_bidi_controls_and_is_not_reordered() -> None:
    text = localize.format_dateline(TASS_MOSCOW, "ar")
    assert not BIDI_CONTROLS.search(text)
    assert text.startswith("موسكو")  # logical order: the city comes first in memory


def test_chinese_qualifiers_use_the_chinese_comma() -> None:
    paris = dateline("PARIS", "Xinhua", "xinhua", country="France")
    assert localize.format_dateline(paris, "zh") == "新华社巴黎，法国10月22日电"


def test_arabic_qualifiers_use_the_arabic_comma() -> None:
    paris = dateline("PARIS", "Reuters", "reuters", country="France")
    assert localize.format_dateline(paris, "ar") == "باريس، فرنسا (رويترز) -"


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(
    ("source", "language", "expected"),
    [
        ("TASS", "ru", "ТАСС"),
        ("TASS", "uk", "ТАСС"),
        ("TASS", "de", "TASS"),
        ("ТАСС", "en", "TASS"),
        ("Xinhua", "zh", "新华社"),
        ("Xinhua", "ja", "新華社"),
        ("新华社", "en", "Xinhua"),
        ("AFP", "fr", "AFP"),
        ("AFP", "de", "AFP"),
        ("EFE", "es", "EFE"),
        ("EFE", "pt", "EFE"),
        ("Reuters", "ru", "Рейтер"),
        ("Ukrinform", "ru", "Ukrinform"),  # an agency we know nothing of is kept as written
    ],
)
def test_the_credited_source_is_localized_where_agencies_do_so(
    source: str, language: str, expected: str
) -> None:
    assert localize.source_name(source, language) == expected


# --------------------------------------------------------------------------- style choice


def test_without_a_style_the_original_house_style_is_kept() -> None:
    reuters = dateline("KYIV", "Reuters", "reuters")
    assert localize.format_dateline(reuters, "de") == "Kiew (Reuters) -"


def test_without_a_recorded_style_the_credited_agencys_style_is_used() -> None:
    xinhua = dateline("BEIJING", "Xinhua", None)
    assert localize.format_dateline(xinhua, "zh") == "新华社北京10月22日电"


def test_an_agency_style_without_the_target_language_falls_back_to_that_languages_own() -> None:
    # TASS has no Spanish pattern: Spanish press convention, still crediting TASS
    assert localize.format_dateline(TASS_MOSCOW, "es") == "MOSCÚ, 22 de octubre (TASS).-"


def test_a_partner_may_pick_a_style_and_the_credit_stays_with_the_original_agency() -> None:
    assert localize.format_dateline(TASS_MOSCOW, "de", "dpa") == "Moskau (TASS) -"


def test_style_names_are_case_insensitive() -> None:
    assert localize.format_dateline(TASS_MOSCOW, "de", "DPA") == "Moskau (TASS) -"


def test_an_unknown_style_is_a_config_error_naming_the_known_styles() -> None:
    with pytest.raises(ConfigError, match=r"unknown dateline style 'bogus'; known styles: .*tass.*xinhua"):
        localize.localize_dateline(TASS_MOSCOW, "de", "bogus")


def test_an_unknown_language_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown language"):
        localize.localize_dateline(TASS_MOSCOW, "xx-nowhere")


# --------------------------------------------------------------------------- the result


def test_the_localized_dateline_keeps_place_and_date_and_changes_text_city_language() -> None:
    out = localize.localize_dateline(TASS_MOSCOW, "ru")
    assert out.raw == "МОСКВА, 22 октября. /ТАСС/."
    assert out.city == "Москва"
    assert out.language == "ru"
    assert out.source == "ТАСС"
    assert out.style == "tass"
    assert out.place == TASS_MOSCOW.place
    assert out.date == TASS_MOSCOW.date


def test_localizing_does_not_change_the_original() -> None:
    before = dataclasses.replace(TASS_MOSCOW)
    localize.localize_dateline(TASS_MOSCOW, "zh")
    assert before == TASS_MOSCOW


def test_an_unknown_city_is_kept_as_written_and_date_and_source_are_still_localized() -> None:
    out = localize.localize_dateline(dateline("SMALLTOWN", "TASS", "tass"), "ru")
    assert out.raw == "SMALLTOWN, 22 октября. /ТАСС/."
    assert out.city == "SMALLTOWN"
    assert out.place is None


def test_a_city_the_parser_did_not_resolve_is_resolved_for_localizing() -> None:
    unresolved = dataclasses.replace(TASS_MOSCOW, place=None)
    assert localize.format_dateline(unresolved, "de") == "MOSKAU, 22. Oktober /TASS/."


@pytest.mark.parametrize(
    ("city", "region", "language", "expected"),
    [
        ("ST. PETERSBURG", None, "de", "SANKT PETERSBURG, 22. Oktober /TASS/."),
        ("ST. PETERSBURG", None, "ru", "САНКТ-ПЕТЕРБУРГ, 22 октября. /ТАСС/."),
        ("NEW DELHI", None, "fr", "NEW DELHI, 22 octobre (TASS) -"),
        ("THE HAGUE", None, "es", "LA HAYA, 22 de octubre (TASS).-"),
        ("PORT-AU-PRINCE", None, "zh", "塔斯社太子港10月22日电"),
        ("ABU DHABI", None, "ar", "أبوظبي، 22 أكتوبر (تاس) -"),
        ("RIO DE JANEIRO", None, "ja", "【リオデジャネイロ10月22日 タス通信】"),
    ],
)
def test_cities_with_spaces_dots_and_hyphens(
    city: str, region: str | None, language: str, expected: str
) -> None:
    assert localize.format_dateline(dateline(city, "TASS", "tass", region=region), language) == expected


def test_ap_state_abbreviations_stay_in_english() -> None:
    portland = dateline("PORTLAND", "AP", "ap", region="Ore.")
    assert localize.format_dateline(portland, "en") == "PORTLAND, Ore. (AP) —"


def test_ap_state_abbreviations_are_spelled_out_in_other_languages() -> None:
    portland = dateline("PORTLAND", "AP", "ap", region="Ore.")
    assert localize.format_dateline(portland, "de") == "Portland, Oregon (AP) -"
    assert localize.localize_dateline(portland, "es").region == "Oregón"


def test_a_country_qualifier_is_written_in_the_target_language() -> None:
    kharkiv = dateline("KHARKIV", "Reuters", "reuters", country="Ukraine")
    assert localize.format_dateline(kharkiv, "de") == "Charkiw, Ukraine (Reuters) -"
    # only the city takes the style's capitals, as AP writes "PARIS, France"
    assert localize.format_dateline(kharkiv, "fr") == "KHARKIV, Ukraine, 22 octobre (Reuters) -"
    assert localize.format_dateline(kharkiv, "ru") == "ХАРЬКОВ, Украина, 22 окт. (Рейтер) -"


def test_a_dateline_without_a_source_drops_the_credit_and_its_brackets() -> None:
    bare = dateline("MOSCOW", None, "tass")
    assert localize.format_dateline(bare, "ru") == "МОСКВА, 22 октября."
    assert localize.format_dateline(dateline("BERLIN"), "de") == "Berlin"
    # the closing dash announces the credit; without one it goes too
    assert localize.format_dateline(dateline("MADRID"), "es") == "MADRID, 22 de octubre"


def test_a_dateline_without_a_date_drops_the_date() -> None:
    undated = dateline("BEIJING", "Xinhua", "xinhua", date=None)
    assert localize.format_dateline(undated, "zh") == "新华社北京电"
    assert localize.format_dateline(undated, "en") == "BEIJING (Xinhua) --"


# --------------------------------------------------------------------------- newsroom data


def test_a_newsroom_exonym_file_sets_house_spellings(tmp_path: Path) -> None:
    house = tmp_path / "house.tsv"
    house.write_text("key\ten\nkyiv\tKiev\n", encoding="utf-8")
    kyiv = dateline("KYIV", "Reuters", "reuters")
    assert localize.format_dateline(kyiv, "en", exonyms=house) == "KIEV, Oct 22 (Reuters) -"
    assert localize.format_dateline(kyiv, "en") == "KYIV, Oct 22 (Reuters) -"


def test_a_newsroom_exonym_file_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    house = tmp_path / "house.tsv"
    house.write_text("key\tde\nkyiv\tKyjiw\n", encoding="utf-8")
    monkeypatch.setenv(places.OVERRIDES_ENV, str(house))
    assert localize.format_dateline(dateline("KYIV", "dpa", "dpa"), "de") == "Kyjiw (dpa) -"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"styles": {}}, "'local' style must exist"),
        ({"styles": {"local": {"templates": {"*": {"pattern": "{town}"}}}}}, "unknown fields"),
        (
            {"styles": {"local": {"templates": {"*": {"pattern": "{city}", "city_case": "shout"}}}}},
            "city_case",
        ),
        ({"styles": {"local": {"templates": {"*": {"pattern": "{city}", "months": ["Jan"]}}}}}, "twelve"),
        (
            {"styles": {"local": {"templates": {"*": "{city}"}}}, "sources": {"X": {"style": "nope"}}},
            "unknown style",
        ),
        ([1, 2], "mapping"),
    ],
)
def test_invalid_style_data_is_a_config_error(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        styles.parse_styles(data)


def test_a_partner_style_file_can_add_a_style(tmp_path: Path) -> None:
    path = tmp_path / "styles.yaml"
    path.write_text(
        "styles:\n"
        "  kyodo:\n"
        "    templates:\n"
        "      ja: {pattern: '【{city}共同】'}\n"
        "  local:\n"
        "    templates:\n"
        "      '*': {pattern: '{city}, {date}', date: MMMMd}\n",
        encoding="utf-8",
    )
    book = styles.load_styles(path)
    assert localize.format_dateline(TASS_MOSCOW, "ja", "kyodo", styles=book) == "【モスクワ共同】"


# --------------------------------------------------------------------------- command line


def test_cli_prints_the_localized_dateline(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["dateline", "MOSCOW, October 22. /TASS/.", "--to", "de", "--now", "2026-11-01T00:00:00Z"])
    assert (code, capsys.readouterr().out) == (0, "MOSKAU, 22. Oktober /TASS/.\n")


def test_cli_takes_a_style_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["dateline", "MOSCOW, October 22. /TASS/.", "--to", "de", "--style", "dpa", "--now", "2026-11-01"]
    )
    assert (code, capsys.readouterr().out) == (0, "Moskau (TASS) -\n")


def test_cli_reads_a_paragraph_and_prints_only_the_dateline(capsys: pytest.CaptureFixture[str]) -> None:
    text = "BEIJING, Oct. 22 (Xinhua) -- China said on Wednesday that talks would resume."
    code = main(["dateline", text, "--to", "zh", "--now", "2026-11-01"])
    assert (code, capsys.readouterr().out) == (0, "新华社北京10月22日电\n")


def test_cli_exits_2_when_the_text_holds_no_dateline(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["dateline", "no dateline here at all", "--to", "de"])
    assert code == 2
    assert "no dateline found" in capsys.readouterr().err


def test_cli_exits_2_naming_the_styles_for_an_unknown_style(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["dateline", "MOSCOW, October 22. /TASS/.", "--to", "de", "--style", "bogus"])
    assert code == 2
    assert "known styles" in capsys.readouterr().err


# --------------------------------------------------------------------------- coverage


def _frequent_cities() -> list[tuple[str, str | None]]:
    out = []
    for line in (FIXTURES / "frequent_cities.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            city, _, qualifier = line.partition(",")
            out.append((city.strip(), qualifier.strip() or None))
    return out


def coverage() -> tuple[int, dict[str, int]]:
    """How many of the 100 frequent dateline cities resolve, and get a name per language."""
    cities = _frequent_cities()
    table = places.load_table(())
    resolved = [table.resolve(c, region=q) for c, q in cities]
    named = {
        lang: sum(1 for e in resolved if e is not None and places.city_name(e, lang))
        for lang in (*places.TABLE_LANGUAGES, "nl", "sv", "ko", "he", "el")
    }
    return sum(e is not None for e in resolved), named


def test_the_frequent_cities_list_holds_100_datelines() -> None:
    assert len(_frequent_cities()) == 100


def test_nearly_all_frequent_dateline_cities_resolve_and_localize_into_every_table_language() -> None:
    resolved, named = coverage()
    print(f"\nresolved {resolved}/100; named per language: {named}")
    assert resolved >= 98  # UNITED NATIONS and ABOARD AIR FORCE ONE are no places
    assert all(named[lang] == resolved for lang in places.TABLE_LANGUAGES)


def test_a_dateline_without_a_city_drops_the_city_and_its_separator() -> None:
    cityless = dateline(None, "TASS", "tass")
    assert localize.format_dateline(cityless, "ru") == "22 октября. /ТАСС/."
    assert localize.format_dateline(cityless, "it", "ansa") == "(TASS) - 22 OTT -"


@pytest.mark.parametrize("language", places.TABLE_LANGUAGES)
def test_every_place_in_the_table_localizes_to_its_exonym(language: str) -> None:
    table = places.load_table(())
    rules = styles.load_styles().rules(language)
    for entry in table:
        d = Dateline(raw="x", city=entry.name, date=OCT22, source="TASS", place=entry.place, language="en")
        out = localize.localize_dateline(d, language, "local")
        assert out.city == entry.exonym(language), entry.key
        assert not BIDI_CONTROLS.search(out.raw)
        assert "{" not in out.raw
        if rules.caseless:
            assert entry.exonym(language) in out.raw, entry.key
