"""A partner's filter: which stories its contract lets it receive."""

from __future__ import annotations

import pytest

from pipeline_support import sample_item
from syndicate.contracts import PartnerFilter, provider_matches, subject_within
from syndicate.errors import ConfigError
from syndicate.item import Dateline, ItemClass, Place, PubStatus, Subject
from syndicate.partners import parse_config

MOSCOW = Dateline("MOSCOW, Nov 29 /TASS/", city="MOSCOW", place=Place("Moscow", "RU"))
BEIJING = Dateline("BEIJING, Nov 29 (Xinhua)", city="BEIJING", place=Place("Beijing", "CN"))
WASHINGTON = Dateline("WASHINGTON (AP)", city="WASHINGTON", place=Place("Washington", "US"))
SPORT = Subject("medtop:15000000")
POLITICS = Subject("medtop:11000000")


def f(**keys: object) -> PartnerFilter:
    return PartnerFilter.model_validate(keys)


@pytest.mark.parametrize(("provider", "names"), [
    ("TASS", ["TASS"]),
    ("tass", ["TASS"]),
    ("ITAR-TASS", ["TASS"]),
    ("nprov:AP", ["AP"]),
    ("Associated Press", ["AP"]),
    ("https://www.xinhuanet.com/", ["Xinhua"]),
    ("http://english.news.cn", ["Xinhua"]),
    ("Xinhua News Agency", ["xinhua"]),
    ("reuters.com", ["Reuters"]),
])
def test_a_provider_is_known_however_the_format_writes_it(provider: str, names: list[str]) -> None:
    assert provider_matches(provider, names)


@pytest.mark.parametrize(("provider", "names"), [
    ("AFP", ["AP"]),
    ("example.com", ["TASS", "Xinhua"]),
    (None, ["TASS"]),
    ("http://apnews.example.org", ["AP"]),
])
def test_another_provider_is_not_taken_for_a_wanted_one(provider: str | None,
                                                        names: list[str]) -> None:
    assert not provider_matches(provider, names)


@pytest.mark.parametrize(("code", "broader", "within"), [
    ("medtop:15000000", "medtop:15000000", True),
    ("subj:15000000", "medtop:15000000", True),       # the shared top-level numbers
    ("subj:15054000", "medtop:15000000", True),       # a subject code's digits name its branch
    ("subj:15054001", "subj:15054000", True),
    ("subj:15054001", "subj:15008000", False),
    ("medtop:20000822", "medtop:15000000", False),    # media topics do not nest by digits
    ("medtop:11000000", "medtop:15000000", False),
    ("ansa:SPO", "medtop:15000000", False),
])
def test_subject_codes_match_their_broader_codes_where_the_code_tells(
        code: str, broader: str, within: bool) -> None:
    assert subject_within(code, broader) is within


def test_an_empty_filter_takes_everything() -> None:
    assert f().refusal(sample_item()) is None


def test_providers_take_only_those_agencies() -> None:
    only = f(providers=["TASS", "Xinhua"])
    assert only.refusal(sample_item(provider="TASS")) is None
    assert only.refusal(sample_item(provider="https://english.news.cn/")) is None
    assert "provider AP" in (only.refusal(sample_item(provider="AP")) or "")


def test_excluded_subjects_keep_a_story_out_whatever_else_it_is_about() -> None:
    no_sport = f(exclude_subjects=["medtop:15000000"])
    assert no_sport.refusal(sample_item(subjects=(POLITICS,))) is None
    assert no_sport.refusal(sample_item(subjects=(POLITICS, SPORT))) is not None
    assert no_sport.refusal(sample_item(subjects=(Subject("subj:15054000"),))) is not None
    assert no_sport.refusal(sample_item(subjects=(
        Subject(uri="http://cv.iptc.org/newscodes/mediatopic/15000000"),))) is not None


def test_subjects_take_only_stories_about_one_of_them() -> None:
    politics = f(subjects=["medtop:11000000"])
    assert politics.refusal(sample_item(subjects=(POLITICS,))) is None
    assert politics.refusal(sample_item(subjects=(SPORT,))) is not None
    assert politics.refusal(sample_item()) is not None  # no subject: not shown to be politics


def test_max_urgency_counts_a_story_without_urgency_as_normal() -> None:
    urgent = f(max_urgency=4)
    assert urgent.refusal(sample_item(urgency=1)) is None
    assert urgent.refusal(sample_item(urgency=4)) is None
    assert urgent.refusal(sample_item(urgency=5)) is not None
    assert urgent.refusal(sample_item()) is not None
    assert f(max_urgency=5).refusal(sample_item()) is None


def test_countries_go_by_the_datelined_place() -> None:
    region = f(countries=["ru", "CN"])
    assert region.refusal(sample_item(dateline=MOSCOW)) is None
    assert region.refusal(sample_item(dateline=BEIJING)) is None
    assert "US" in (region.refusal(sample_item(dateline=WASHINGTON)) or "")
    assert "unknown" in (region.refusal(sample_item()) or "")


def test_item_classes_in_the_filter() -> None:
    text = f(item_classes=["text"])
    assert text.refusal(sample_item()) is None
    picture = sample_item(item_class=ItemClass.PICTURE)
    assert text.refusal(picture) is not None


def test_every_key_must_hold() -> None:
    both = f(providers=["TASS"], countries=["RU"], max_urgency=3)
    assert both.refusal(sample_item(provider="TASS", dateline=MOSCOW, urgency=2)) is None
    assert both.refusal(sample_item(provider="TASS", dateline=BEIJING, urgency=2)) is not None
    assert both.refusal(sample_item(provider="TASS", dateline=MOSCOW, urgency=6)) is not None


ACME = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2]
    filter:
      providers: [TASS, Xinhua]
      exclude_subjects: [medtop:15000000]
      max_urgency: 4
      countries: [RU, CN]
      item_classes: [text]
    glossary:
      en-es: {"Baltic": "Báltico"}
    do_not_translate: [TASS]
"""


def test_the_documented_contract_reads_as_written() -> None:
    (acme,) = parse_config(ACME).partners
    assert acme.filter.providers == ("TASS", "Xinhua")
    assert acme.item_classes == (ItemClass.TEXT,)
    assert acme.glossary_for("en-GB", "es") == {"Baltic": "Báltico"}
    assert acme.glossary_for("en", "fr") == {}
    assert acme.translates_own_way("en", "es")
    story = sample_item(provider="TASS", dateline=MOSCOW, urgency=3, subjects=(POLITICS,))
    assert acme.accepts(story)
    assert not acme.accepts(story.replace(subjects=(SPORT,)))


def test_a_kill_is_never_refused_by_the_contract() -> None:
    (acme,) = parse_config(ACME).partners
    kill = sample_item(provider="AP", pub_status=PubStatus.CANCELED)
    assert acme.accepts(kill)


@pytest.mark.parametrize(("snippet", "message"), [
    ("filter: {max_urgency: 0}", "max_urgency"),
    ("filter: {countries: [Russia]}", "not an ISO 3166-1 alpha-2"),
    ("filter: {exclude_subjects: [sport]}", "not a subject QCode"),
    ("filter: {providers: []}", "name at least one"),
    ("filter: {provider: [TASS]}", "provider"),
    ("glossary: {english-spanish: {a: b}}", "SOURCE-TARGET"),
    ("glossary: {en-es: {Baltic: ''}}", "empty term"),
    ("item_classes: [text]\n    filter: {item_classes: [picture]}", "item_classes is given twice"),
])
def test_a_contract_that_does_not_make_sense_stops_the_start(snippet: str, message: str) -> None:
    text = f"""
partners:
  - id: acme
    languages: [es]
    {snippet}
"""
    with pytest.raises(ConfigError, match=message):
        parse_config(text)
