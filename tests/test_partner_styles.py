"""Each partner gets every dateline in its own house style, from one translation per language.

Translations go through the real Apertium engine, hence the integration mark.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline_support import (
    NOW,
    InlineDispatcher,
    ensure_codecs,
    g2_bytes,
    ingest,
    make_runtime,
    outputs,
    sample_item,
)
from syndicate import formats
from syndicate.dateline import parse_dateline
from syndicate.dateline.localize import format_dateline
from syndicate.item import Block, NewsItem

pytestmark = pytest.mark.integration

THREE_PARTNERS = """
partners:
  - id: diario
    languages: [es]
    style: efe
    destinations:
      - type: directory
        path: {out}/diario
  - id: agencia
    languages: [es]
    style: reuters
    destinations:
      - type: directory
        path: {out}/agencia
  - id: gazette
    languages: [en]
    style: ap
    destinations:
      - type: directory
        path: {out}/gazette
"""

#: one story from each of four agencies, each written in that agency's own style
LEADS = (
    "ST. PETERSBURG, November 26. /TASS/. The forum opened on Wednesday.",
    "BRUSSELS, Nov 27 (Reuters) - The ministers met on Thursday.",
    "BEIJING, Nov. 26 (Xinhua) -- The council met on Wednesday.",
    "FORT WASHINGTON, Pa. (AP) — The council met on Friday.",
)

PARTNER_STYLE = {"diario": ("es", "efe"), "agencia": ("es", "reuters"), "gazette": ("en", "ap")}


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


def story(n: int, lead: str) -> NewsItem:
    found = parse_dateline(lead, now=NOW)
    assert found is not None
    dateline, _ = found
    return sample_item(n, dateline=dateline,
                       body=(Block.para(lead), Block.para("The vote was unanimous.")))


def delivered(tmp_path: Path) -> dict[str, list[NewsItem]]:
    """Partner -> the items it received, parsed back from the files."""
    out = tmp_path / "out"
    got: dict[str, list[NewsItem]] = {}
    for name in outputs(out):
        items = formats.parse((out / name).read_bytes()).items
        got.setdefault(name.split("/")[0], []).extend(items)
    return got


@pytest.fixture
def received(tmp_path: Path) -> dict[str, list[NewsItem]]:
    rt = make_runtime(tmp_path, THREE_PARTNERS)
    d = InlineDispatcher()
    for n, lead in enumerate(LEADS, start=1):
        ingest(rt, g2_bytes(story(n, lead)), d, name=f"{n}.xml")
    d.drain(rt)
    return delivered(tmp_path)


def test_every_partner_receives_every_story(received: dict[str, list[NewsItem]]) -> None:
    assert {p: len(items) for p, items in received.items()} == {
        "diario": 4, "agencia": 4, "gazette": 4}


def test_every_delivered_dateline_is_in_its_partners_style(
    received: dict[str, list[NewsItem]],
) -> None:
    originals = {story(n, lead).guid: story(n, lead) for n, lead in enumerate(LEADS, start=1)}
    for partner, items in received.items():
        language, style = PARTNER_STYLE[partner]
        for item in items:
            source = originals[item.link("irel:translatedFrom").residref  # type: ignore[union-attr]
                               if item.language != "en" else item.guid]
            assert source.dateline is not None and item.dateline is not None
            expected = format_dateline(source.dateline, language, style)
            assert item.dateline.raw == expected, (partner, item.dateline.raw)
            assert item.dateline.style == style
            assert item.body[0].text.startswith(expected)


def test_two_spanish_partners_get_two_styles_of_one_translation(
    received: dict[str, list[NewsItem]],
) -> None:
    efe = sorted(i.dateline.raw for i in received["diario"] if i.dateline)
    reuters = sorted(i.dateline.raw for i in received["agencia"] if i.dateline)
    assert efe == [
        "Bruselas, 27 nov (Reuters).-",
        "Fort Washington, Pensilvania (AP).-",
        "Pekín, 26 nov (Xinhua).-",
        "San Petersburgo, 26 nov (TASS).-",
    ]
    assert reuters == [
        "BRUSELAS, 27 nov (Reuters) -",
        "FORT WASHINGTON, Pensilvania (AP) -",
        "PEKÍN, 26 nov (Xinhua) -",
        "SAN PETERSBURGO, 26 nov (TASS) -",
    ]
    # the same translation under both: only the dateline differs
    by_guid = {i.guid: i for i in received["agencia"]}
    for item in received["diario"]:
        assert item.headline == by_guid[item.guid].headline
        assert item.body[1:] == by_guid[item.guid].body[1:]


def test_the_english_original_is_restyled_for_an_english_partner(
    received: dict[str, list[NewsItem]],
) -> None:
    assert sorted(i.dateline.raw for i in received["gazette"] if i.dateline) == [
        "BEIJING (Xinhua) —",
        "BRUSSELS (Reuters) —",
        "FORT WASHINGTON, Pa. (AP) —",
        "ST. PETERSBURG (TASS) —",
    ]


def test_a_partner_without_a_style_gets_its_languages_default(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, """
partners:
  - id: plain
    languages: [es, en]
    destinations:
      - type: directory
        path: {out}/plain
""")
    d = InlineDispatcher()
    ingest(rt, g2_bytes(story(1, LEADS[0])), d)
    d.drain(rt)
    got = {i.language: i.dateline.raw for i in delivered(tmp_path)["plain"] if i.dateline}
    assert got == {"es": "SAN PETERSBURGO, 26 de noviembre (TASS).-",
                   "en": "ST. PETERSBURG, November 26 (TASS) -"}


def test_numbers_follow_each_partners_language(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, THREE_PARTNERS)
    d = InlineDispatcher()
    body = (Block.para("The wave was 4.5 meters high."), Block.para("It reached 1,200 homes."))
    ingest(rt, g2_bytes(sample_item(9, body=body)), d)
    d.drain(rt)
    got = delivered(tmp_path)
    (es,) = got["diario"]
    text = " ".join(b.text for b in es.body)
    assert "4,5" in text and "1.200" in text and "4.5" not in text
    (en,) = got["gazette"]
    assert [b.text for b in en.body] == [b.text for b in body]


def test_a_feed_partner_gets_its_style_too(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, """
partners:
  - id: portal
    languages: [es]
    style: reuters
    feed_token_env: PORTAL_FEED_TOKEN
    destinations:
      - type: feed
""")
    d = InlineDispatcher()
    ingest(rt, g2_bytes(story(1, LEADS[0])), d)
    d.drain(rt)
    entries = rt.store.feed_entries("portal")
    (item,) = rt.store.feed_items("portal", entries)
    assert item is not None and item.dateline is not None
    assert item.dateline.raw == "SAN PETERSBURGO, 26 nov (TASS) -"
