"""Dateline parsing: agency house styles taken apart into city, region, country, date, source."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate.dateline import (
    find_agency,
    infer_date,
    looks_like_dateline,
    month_number,
    parse_dateline,
    split_dateline,
)
from syndicate.dateline.parse import _month_table

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)


def parse(text: str, **kw: object):  # type: ignore[no-untyped-def]
    kw.setdefault("now", NOW)
    found = parse_dateline(text, **kw)  # type: ignore[arg-type]
    assert found is not None, f"no dateline found in {text!r}"
    return found


# (text, style, city, region, country, (month, day) or None, source, raw, rest)
HOUSE_STYLES = [
    # TASS, English and Russian (genitive month)
    ("MOSCOW, October 22. /TASS/. Russia’s possible response", "tass", "MOSCOW", None, None,
     (10, 22), "TASS", "MOSCOW, October 22. /TASS/.", "Russia’s possible response"),
    ("ST. PETERSBURG, Sept. 3. /TASS/. The forum opened", "tass", "ST. PETERSBURG", None, None,
     (9, 3), "TASS", "ST. PETERSBURG, Sept. 3. /TASS/.", "The forum opened"),
    ("NEW YORK, December 1. /TASS correspondent Ivan Petrov/. The UN", "tass", "NEW YORK", None,
     None, (12, 1), "TASS correspondent Ivan Petrov",
     "NEW YORK, December 1. /TASS correspondent Ivan Petrov/.", "The UN"),
    ("МОСКВА, 22 октября. /ТАСС/. Песков заявил", "tass", "МОСКВА", None, None, (10, 22), "ТАСС",
     "МОСКВА, 22 октября. /ТАСС/.", "Песков заявил"),
    ("САНКТ-ПЕТЕРБУРГ, 3 сентября. /ТАСС/. Форум открылся", "tass", "САНКТ-ПЕТЕРБУРГ", None, None,
     (9, 3), "ТАСС", "САНКТ-ПЕТЕРБУРГ, 3 сентября. /ТАСС/.", "Форум открылся"),
    ("ВЛАДИВОСТОК, 1 марта. /ТАСС/. Во Владивостоке", "tass", "ВЛАДИВОСТОК", None, None, (3, 1),
     "ТАСС", "ВЛАДИВОСТОК, 1 марта. /ТАСС/.", "Во Владивостоке"),
    # AP: em dash, en dash, double hyphen; US state and country after the city
    ("WASHINGTON (AP) — The economy grew", "ap", "WASHINGTON", None, None, None, "AP",
     "WASHINGTON (AP) —", "The economy grew"),
    ("FORT WASHINGTON, Pa. (AP) — A man was", "ap", "FORT WASHINGTON", "Pa.", None, None, "AP",
     "FORT WASHINGTON, Pa. (AP) —", "A man was"),
    ("KYIV, Ukraine (AP) -- Russia fired", "ap", "KYIV", None, "Ukraine", None, "AP",
     "KYIV, Ukraine (AP) --", "Russia fired"),
    ("NEW DELHI (AP) – India said", "ap", "NEW DELHI", None, None, None, "AP", "NEW DELHI (AP) –",
     "India said"),
    ("RIO DE JANEIRO (AP) — Brazil’s president", "ap", "RIO DE JANEIRO", None, None, None, "AP",
     "RIO DE JANEIRO (AP) —", "Brazil’s president"),
    ("WASHINGTON (AP)—The economy", "ap", "WASHINGTON", None, None, None, "AP", "WASHINGTON (AP)—",
     "The economy"),
    # Reuters
    ("BRUSSELS, Nov 27 (Reuters) - The European Union", "reuters", "BRUSSELS", None, None,
     (11, 27), "Reuters", "BRUSSELS, Nov 27 (Reuters) -", "The European Union"),
    ("RIO DE JANEIRO, Jan 5 (Reuters) - Brazil", "reuters", "RIO DE JANEIRO", None, None, (1, 5),
     "Reuters", "RIO DE JANEIRO, Jan 5 (Reuters) -", "Brazil"),
    ("LONDON, Ontario, March 3 (Reuters) - A city", "reuters", "LONDON", "Ontario", None, (3, 3),
     "Reuters", "LONDON, Ontario, March 3 (Reuters) -", "A city"),
    # AFP, with and without date
    ("GENEVA, Nov 25, 2026 (AFP) - The WHO said", "afp", "GENEVA", None, None, (11, 25), "AFP",
     "GENEVA, Nov 25, 2026 (AFP) -", "The WHO said"),
    ("Paris (AFP) - Le gouvernement", "afp", "Paris", None, None, None, "AFP", "Paris (AFP) -",
     "Le gouvernement"),
    # dpa, English style and German with date
    ("Berlin (dpa) - Die Bundesregierung", "dpa", "Berlin", None, None, None, "dpa",
     "Berlin (dpa) -", "Die Bundesregierung"),
    ("Berlin, 22. Oktober (dpa) - Die Koalition", "dpa", "Berlin", None, None, (10, 22), "dpa",
     "Berlin, 22. Oktober (dpa) -", "Die Koalition"),
    ("Frankfurt am Main, 3. März (dpa) - Die Börse", "dpa", "Frankfurt am Main", None, None,
     (3, 3), "dpa", "Frankfurt am Main, 3. März (dpa) -", "Die Börse"),
    # EFE, Spanish and English
    ("Madrid, 20 nov (EFE).- El Gobierno", "efe", "Madrid", None, None, (11, 20), "EFE",
     "Madrid, 20 nov (EFE).-", "El Gobierno"),
    ("Madrid, Nov 24 (EFE).- The Spanish government", "efe", "Madrid", None, None, (11, 24), "EFE",
     "Madrid, Nov 24 (EFE).-", "The Spanish government"),
    ("Ginebra (Suiza), 2 dic (EFE).- La OMS", "efe", "Ginebra", None, "Suiza", (12, 2), "EFE",
     "Ginebra (Suiza), 2 dic (EFE).-", "La OMS"),
    ("Río de Janeiro, 14 ago (EFE).- Brasil", "efe", "Río de Janeiro", None, None, (8, 14), "EFE",
     "Río de Janeiro, 14 ago (EFE).-", "Brasil"),
    # Xinhua, English and Chinese
    ("BEIJING, Nov. 26 (Xinhua) -- China will", "xinhua", "BEIJING", None, None, (11, 26),
     "Xinhua", "BEIJING, Nov. 26 (Xinhua) --", "China will"),
    ("UNITED NATIONS, Sept. 9 (Xinhua) -- The UN", "xinhua", "UNITED NATIONS", None, None, (9, 9),
     "Xinhua", "UNITED NATIONS, Sept. 9 (Xinhua) --", "The UN"),
    ("新华社北京11月26日电（记者 张伟）中国和巴西", "xinhua", "北京", None, None, (11, 26), "新华社",
     "新华社北京11月26日电（记者 张伟）", "中国和巴西"),
    # ANSA puts the agency first
    ("(ANSA) - Rome, November 22 - Italy's premier", "ansa", "Rome", None, None, (11, 22), "ANSA",
     "(ANSA) - Rome, November 22 -", "Italy's premier"),
    ("(ANSA) - ROMA, 22 NOV - Il governo", "ansa", "ROMA", None, None, (11, 22), "ANSA",
     "(ANSA) - ROMA, 22 NOV -", "Il governo"),
    # AAP: no comma, no brackets
    ("SYDNEY Nov 23 AAP - A man has been charged", "aap", "SYDNEY", None, None, (11, 23), "AAP",
     "SYDNEY Nov 23 AAP -", "A man has been charged"),
    ("MELBOURNE, Feb 2 AAP - Victoria", "aap", "MELBOURNE", None, None, (2, 2), "AAP",
     "MELBOURNE, Feb 2 AAP -", "Victoria"),
    # other agencies and none: the generic form
    ("New Delhi, Nov 22 (PTI) - The government", "generic", "New Delhi", None, None, (11, 22),
     "PTI", "New Delhi, Nov 22 (PTI) -", "The government"),
    ("TOKYO, Nov. 19 (Kyodo) -- Japan's exports", "generic", "TOKYO", None, None, (11, 19),
     "Kyodo", "TOKYO, Nov. 19 (Kyodo) --", "Japan's exports"),
    ("KYIV, Nov 20 (Ukrinform) - Ukraine", "generic", "KYIV", None, None, (11, 20), "Ukrinform",
     "KYIV, Nov 20 (Ukrinform) -", "Ukraine"),
    ("PARIS, June 4 - French unions", "generic", "PARIS", None, None, (6, 4), None,
     "PARIS, June 4 -", "French unions"),
    ("LONDON — Britain's prime minister", "generic", "LONDON", None, None, None, None, "LONDON —",
     "Britain's prime minister"),
    ("Washington (CNN) - The president", "generic", "Washington", None, None, None, "CNN",
     "Washington (CNN) -", "The president"),
    ("Москва. 22 октября. ИНТЕРФАКС - Президент", "generic", "Москва", None, None, (10, 22),
     "ИНТЕРФАКС", "Москва. 22 октября. ИНТЕРФАКС -", "Президент"),
    ("Київ. 22 жовтня. ІНТЕРФАКС-УКРАЇНА - Уряд", "generic", "Київ", None, None, (10, 22),
     "ІНТЕРФАКС-УКРАЇНА", "Київ. 22 жовтня. ІНТЕРФАКС-УКРАЇНА -", "Уряд"),
    ("МОСКВА, 22 окт — РИА Новости. Президент", "generic", "МОСКВА", None, None, (10, 22),
     "РИА Новости", "МОСКВА, 22 окт — РИА Новости.", "Президент"),
    ("WASHINGTON, Oct. 5 (UPI) -- The Senate", "generic", "WASHINGTON", None, None, (10, 5), "UPI",
     "WASHINGTON, Oct. 5 (UPI) --", "The Senate"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "style", "city", "region", "country", "month_day", "source", "raw", "rest"),
    HOUSE_STYLES,
    ids=[case[0][:32] for case in HOUSE_STYLES],
)
def test_house_style_is_taken_apart(
    text: str,
    style: str,
    city: str,
    region: str | None,
    country: str | None,
    month_day: tuple[int, int] | None,
    source: str | None,
    raw: str,
    rest: str,
) -> None:
    dateline, body = parse(text)
    assert dateline.style == style
    assert dateline.city == city
    assert dateline.region == region
    assert dateline.country == country
    assert dateline.source == source
    assert dateline.raw == raw
    assert body == rest
    if month_day is None:
        assert dateline.date is None
    else:
        assert dateline.date is not None
        assert (dateline.date.month, dateline.date.day) == month_day


NOT_DATELINES = [
    "Kremlin vows to respond to US pullout from INF by measures to restore military balance",
    "The breaking of the INF Treaty’s provisions forces Russia to take measures, Peskov said",
    "MOSCOW-based analysts said the move was expected.",
    "RUSSIA VOWS RESPONSE — KREMLIN",
    "Gazprom (MOEX: GAZP) - the company said on Monday",
    "He said (Reuters) - nothing more",
    '"We absolutely disagree that Russia violates the INF Treaty," Peskov said.',
    "Washington (file photo) said the talks were over",
    "All news",
    "",
    "   ",
    "Paris, November 22. The talks resumed",
]


@pytest.mark.parametrize("text", NOT_DATELINES)
def test_ordinary_text_is_not_a_dateline(text: str) -> None:
    assert parse_dateline(text, now=NOW) is None
    assert not looks_like_dateline(text)


def test_dateline_on_a_line_of_its_own_leaves_an_empty_rest() -> None:
    dateline, rest = parse("MOSCOW, October 22. /TASS/.")
    assert dateline.city == "MOSCOW"
    assert rest == ""


@pytest.mark.parametrize(
    ("text", "city", "region", "month_day", "source"),
    [
        ("WASHINGTON, Nov. 22", "WASHINGTON", None, (11, 22), None),
        ("Berlin", "Berlin", None, None, None),
        ("FORT WASHINGTON, Pa.", "FORT WASHINGTON", "Pa.", None, None),
        ("MOSCOW, October 22. /TASS/.", "MOSCOW", None, (10, 22), "TASS"),
        ("Madrid, 20 nov (EFE)", "Madrid", None, (11, 20), "EFE"),
    ],
)
def test_standalone_dateline_needs_no_closing_dash(
    text: str, city: str, region: str | None, month_day: tuple[int, int] | None, source: str | None
) -> None:
    dateline, rest = parse(text, standalone=True)
    assert rest == ""
    assert dateline.raw == text
    assert (dateline.city, dateline.region, dateline.source) == (city, region, source)
    parsed_day = (dateline.date.month, dateline.date.day) if dateline.date else None
    assert parsed_day == month_day


@pytest.mark.parametrize("text", ["WASHINGTON, Nov. 22 The president said", "the talks", ""])
def test_standalone_dateline_must_be_the_whole_text(text: str) -> None:
    assert parse_dateline(text, now=NOW, standalone=True) is None


def test_split_dateline_returns_the_paragraph_unchanged_without_a_dateline() -> None:
    text = "The Kremlin spokesman stressed that the US is in violation of the treaty."
    assert split_dateline(text, now=NOW) == (None, text)


def test_language_is_recorded_on_the_dateline() -> None:
    dateline, _ = parse("Madrid, 20 nov (EFE).- El Gobierno", language="es")
    assert dateline.language == "es"


def test_month_abbreviations_of_every_supported_language_are_known() -> None:
    # "out" is October in Portuguese, "paź" in Polish, "eki" in Turkish
    for text in (
        "Lisboa, 5 out (Lusa) - O Governo",
        "Warszawa, 5 paź (PAP) - Rząd",
        "Ankara, 5 Eki (AA) - Hükümet",
    ):
        dateline, _ = parse(text)
        assert dateline.date is not None and dateline.date.month == 10, text


def test_no_month_name_means_different_months_in_different_languages() -> None:
    # so a dateline's month never depends on guessing its language right
    for token, senses in _month_table().items():
        assert len(set(senses.values())) == 1, (token, senses)


def test_explicit_year_is_kept() -> None:
    dateline, _ = parse("GENEVA, Nov 25, 2019 (AFP) - The WHO")
    assert dateline.date == dt.date(2019, 11, 25)


def test_impossible_day_leaves_the_date_empty_but_keeps_the_dateline() -> None:
    dateline, rest = parse("BRUSSELS, Nov 31 (Reuters) - The EU")
    assert dateline.date is None
    assert dateline.city == "BRUSSELS"
    assert rest == "The EU"


# ------------------------------------------------------------------ year inference


def test_year_is_the_latest_date_not_after_ingest() -> None:
    now = dt.datetime(2018, 11, 1, 12, 0, tzinfo=dt.UTC)
    assert infer_date(10, 22, now=now) == dt.date(2018, 10, 22)


def test_year_goes_back_when_the_date_is_later_in_the_year_than_ingest() -> None:
    now = dt.datetime(2019, 1, 3, 12, 0, tzinfo=dt.UTC)
    assert infer_date(12, 30, now=now) == dt.date(2018, 12, 30)


def test_date_of_ingest_itself_is_this_year() -> None:
    now = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
    assert infer_date(11, 28, now=now) == dt.date(2026, 11, 28)


def test_year_is_inferred_in_the_given_time_zone() -> None:
    # 22:30 UTC on Dec 31 is already Jan 1 in Moscow: a Moscow "January 1" is today
    now = dt.datetime(2025, 12, 31, 22, 30, tzinfo=dt.UTC)
    moscow = dt.timezone(dt.timedelta(hours=3))
    assert infer_date(1, 1, now=now, tz=moscow) == dt.date(2026, 1, 1)
    assert infer_date(1, 1, now=now, tz=dt.UTC) == dt.date(2025, 1, 1)


def test_february_29_goes_back_to_the_latest_leap_year() -> None:
    now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    assert infer_date(2, 29, now=now) == dt.date(2024, 2, 29)
    assert infer_date(2, 29, now=dt.datetime(2024, 2, 29, 8, tzinfo=dt.UTC)) == dt.date(2024, 2, 29)
    assert infer_date(2, 29, now=dt.datetime(2024, 2, 28, 8, tzinfo=dt.UTC)) == dt.date(2020, 2, 29)


def test_naive_now_is_taken_as_utc() -> None:
    assert infer_date(10, 22, now=dt.datetime(2018, 11, 1)) == dt.date(2018, 10, 22)


def test_no_such_day_gives_no_date() -> None:
    assert infer_date(4, 31, now=NOW) is None
    assert infer_date(2, 30, now=NOW, year=2024) is None


def test_dateline_year_follows_the_time_of_ingest() -> None:
    early = dt.datetime(2018, 11, 1, tzinfo=dt.UTC)
    dateline, _ = parse("MOSCOW, October 22. /TASS/. Text", now=early)
    assert dateline.date == dt.date(2018, 10, 22)
    dateline, _ = parse("MOSCOW, October 22. /TASS/. Text", now=NOW)
    assert dateline.date == dt.date(2026, 10, 22)


def test_year_is_inferred_in_the_dateline_citys_time_zone() -> None:
    # 21:30 UTC on Oct 21 is already Oct 22 in Moscow
    now = dt.datetime(2026, 10, 21, 21, 30, tzinfo=dt.UTC)
    dateline, _ = parse("MOSCOW, October 22. /TASS/. Text", now=now)
    assert dateline.place is not None and dateline.place.timezone == "Europe/Moscow"
    assert dateline.date == dt.date(2026, 10, 22)


def test_without_a_resolved_place_the_year_is_inferred_in_utc() -> None:
    now = dt.datetime(2026, 10, 21, 21, 30, tzinfo=dt.UTC)
    dateline, _ = parse("NOWHERESVILLE, October 22 (Reuters) - Text", now=now)
    assert dateline.place is None
    assert dateline.date == dt.date(2025, 10, 22)


# ------------------------------------------------------------------ places


def test_city_is_resolved_to_a_place() -> None:
    dateline, _ = parse("МОСКВА, 22 октября. /ТАСС/. Текст", language="ru")
    assert dateline.place is not None
    assert dateline.place.country == "RU"
    assert dateline.place.timezone == "Europe/Moscow"


def test_country_after_the_city_helps_resolve_the_place() -> None:
    dateline, _ = parse("KYIV, Ukraine (AP) — Text")
    assert dateline.place is not None
    assert dateline.place.country == "UA"


# ------------------------------------------------------------------ agencies and months


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("TASS", "TASS"),
        ("ТАСС", "TASS"),
        ("ITAR-TASS", "TASS"),
        ("TASS correspondent Ivan Petrov", "TASS"),
        ("AP", "AP"),
        ("Reuters", "Reuters"),
        ("dpa-AFX", "dpa"),
        ("新华社", "Xinhua"),
        ("Yonhap", "Yonhap"),
        ("RIA Novosti", "RIA Novosti"),
    ],
)
def test_agency_as_written_is_normalized(written: str, name: str) -> None:
    agency = find_agency(written)
    assert agency is not None
    assert agency.name == name


def test_unknown_agency_is_none() -> None:
    assert find_agency("Daily Planet") is None


@pytest.mark.parametrize(
    ("token", "language", "month"),
    [
        ("Sept", None, 9),
        ("Sept.", None, 9),
        ("Nov.", None, 11),
        ("октября", "ru", 10),
        ("октябрь", "ru", 10),
        ("листопада", "uk", 11),
        ("Oktober", "de", 10),
        ("März", "de", 3),
        ("nov", "es", 11),
        ("dic", "es", 12),
        ("août", "fr", 8),
        ("NOV", None, 11),
    ],
)
def test_month_names_come_from_cldr_and_agency_usage(token: str, language: str | None, month: int) -> None:
    assert month_number(token, language) == month


# ------------------------------------------------------------------ properties

CITIES = ["MOSCOW", "ST. PETERSBURG", "NEW DELHI", "RIO DE JANEIRO", "BRUSSELS", "SAO PAULO", "KYIV"]
RU_CITIES = ["МОСКВА", "САНКТ-ПЕТЕРБУРГ", "НЬЮ-ЙОРК", "КИЕВ"]
MIXED_CITIES = ["Berlin", "Madrid", "Rome", "Frankfurt am Main", "Río de Janeiro", "Paris"]
EN_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
EN_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]
AP_ABBR = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
RU_GEN = [
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
]  # fmt: skip
DE_MONTHS = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
    "Oktober", "November", "Dezember",
]  # fmt: skip
ES_ABBR = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"]

# style -> (city list, template, source as written, has date)
TEMPLATES = {
    "tass": (CITIES, "{city}, {en} {d}. /TASS/.", "TASS", True),
    "tass-ru": (RU_CITIES, "{city}, {d} {ru}. /ТАСС/.", "ТАСС", True),
    "ap": (CITIES, "{city} (AP) —", "AP", False),
    "reuters": (CITIES, "{city}, {abbr} {d} (Reuters) -", "Reuters", True),
    "afp": (CITIES, "{city}, {abbr} {d}, {y} (AFP) -", "AFP", True),
    "dpa": (MIXED_CITIES, "{city}, {d}. {de} (dpa) -", "dpa", True),
    "efe": (MIXED_CITIES, "{city}, {d} {es} (EFE).-", "EFE", True),
    "xinhua": (CITIES, "{city}, {ap} {d} (Xinhua) --", "Xinhua", True),
    "ansa": (MIXED_CITIES, "(ANSA) - {city}, {en} {d} -", "ANSA", True),
    "aap": (CITIES, "{city} {abbr} {d} AAP -", "AAP", True),
}
BODIES = ["The government said on Monday.", "Russia’s response was swift.", "«Это важно», — сказал он."]


@st.composite
def datelines(draw: st.DrawFn) -> tuple[str, str, str, str, int, int, int, str]:
    style = draw(st.sampled_from(sorted(TEMPLATES)))
    cities, template, source, _ = TEMPLATES[style]
    city = draw(st.sampled_from(cities))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28))
    year = draw(st.integers(1990, 2026))
    text = template.format(
        city=city,
        d=day,
        y=year,
        en=EN_MONTHS[month - 1],
        abbr=EN_ABBR[month - 1],
        ap=AP_ABBR[month - 1],
        ru=RU_GEN[month - 1],
        de=DE_MONTHS[month - 1],
        es=ES_ABBR[month - 1],
    )
    body = draw(st.sampled_from(BODIES))
    return style, text, city, source, month, day, year, body


@settings(max_examples=150, deadline=None)
@given(datelines())
def test_generated_datelines_round_trip_to_their_parts(
    case: tuple[str, str, str, str, int, int, int, str],
) -> None:
    style, text, city, source, month, day, year, body = case
    dateline, rest = parse(f"{text} {body}")
    assert dateline.raw == text
    assert rest == body
    assert dateline.city == city
    assert dateline.source == source
    assert dateline.style == style.split("-")[0]
    if TEMPLATES[style][3]:
        assert dateline.date is not None
        assert (dateline.date.month, dateline.date.day) == (month, day)
        if style == "afp":
            # the year as written, even one after today (a dated advance, a forward date)
            assert dateline.date.year == year
        else:
            # no year written: the latest such date not after today (a day's grace for zones)
            assert dateline.date <= NOW.date() + dt.timedelta(days=1)
    else:
        assert dateline.date is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_crashes_and_only_cuts_a_prefix(text: str) -> None:
    found = parse_dateline(text, now=NOW)
    if found is not None:
        dateline, rest = found
        assert text.lstrip().startswith(dateline.raw)
        assert text.endswith(rest)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([t[0] for t in HOUSE_STYLES]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
)
def test_parser_never_crashes_on_datelines_with_noise(prefix: str, noise: str) -> None:
    for text in (prefix[: len(prefix) // 2] + noise, noise + prefix, prefix + noise):
        found = parse_dateline(text, now=NOW)
        if found is not None:
            assert text.endswith(found[1])
