"""The desk's actions on a story, through the pipeline: kill, redeliver, trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline_support import InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item
from syndicate import desk, formats
from syndicate.errors import UsageError
from syndicate.item import Dateline, NewsItem, Place, PubStatus
from syndicate.pipeline import Runtime

MOSCOW = Dateline("MOSCOW, Nov 29 /TASS/", city="MOSCOW", place=Place("Moscow", "RU"))

CONFIG = """
partners:
  - id: acme
    languages: [es]
    filter:
      providers: [TASS]
    glossary:
      en-es:
        council: cabildo
    destinations:
      - type: directory
        path: {out}/acme
  - id: diario
    languages: [es]
    formats: [newsmlg2, ninjs]
    destinations:
      - type: directory
        path: {out}/diario
  - id: homewire
    languages: [en]
    destinations:
      - type: directory
        path: {out}/homewire
"""


def tass(n: int) -> NewsItem:
    return sample_item(n, provider="TASS", dateline=MOSCOW)


def other(n: int) -> NewsItem:
    return sample_item(n, provider="Example Wire")


def run_stories(tmp: Path, *items: NewsItem) -> tuple[Runtime, InlineDispatcher]:
    rt = make_runtime(tmp, CONFIG)
    dispatcher = InlineDispatcher()
    for item in items:
        ingest(rt, g2_bytes(item), dispatcher)
    dispatcher.drain(rt)
    return rt, dispatcher


def files(tmp: Path, partner: str) -> dict[str, bytes]:
    root = tmp / "out" / partner
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def newest(tmp: Path, partner: str, source_guid: str) -> NewsItem | None:
    found = None
    for name, data in files(tmp, partner).items():
        if name.endswith(".newsmlg2.xml"):
            (item,) = formats.parse(data).items
            if item.guid.split(":es")[0] == source_guid and (found is None
                                                             or item.version > found.version):
                found = item
    return found


def test_a_kill_reaches_every_partner_that_had_the_story_and_only_those(tmp_path: Path) -> None:
    story = other(1)  # not TASS: acme's contract never took it
    rt, dispatcher = run_stories(tmp_path, story)
    assert newest(tmp_path, "acme", story.guid) is None
    done = desk.kill(rt, story.guid, "Legal: withdrawn at the source's request", dispatcher)
    dispatcher.drain(rt)
    assert done.version == 2 and done.partners == ("diario", "homewire")
    for partner in ("diario", "homewire"):
        killed = newest(tmp_path, partner, story.guid)
        assert killed is not None and killed.version == 2, partner
        assert killed.pub_status is PubStatus.CANCELED
        assert any("Legal: withdrawn at the source's request" in n.text for n in killed.notes)
    assert newest(tmp_path, "acme", story.guid) is None


def test_a_kill_by_a_translations_guid_withdraws_the_story_and_every_translation(
        tmp_path: Path) -> None:
    story = tass(2)
    rt, dispatcher = run_stories(tmp_path, story)
    done = desk.kill(rt, story.guid + ":es", "Factual error", dispatcher)
    dispatcher.drain(rt)
    assert done.guid == story.guid
    assert done.partners == ("acme", "diario", "homewire")
    for partner in done.partners:
        killed = newest(tmp_path, partner, story.guid)
        assert killed is not None and killed.pub_status is PubStatus.CANCELED, partner
    # the kill went through the urgent lane
    assert all(j.lane == "urgent" for j in dispatcher.exports if j.version == 2)


def test_a_story_is_killed_once_and_only_with_a_reason(tmp_path: Path) -> None:
    story = other(3)
    rt, dispatcher = run_stories(tmp_path, story)
    with pytest.raises(UsageError, match="reason"):
        desk.kill(rt, story.guid, "  ", dispatcher)
    desk.kill(rt, story.guid, "Legal", dispatcher)
    with pytest.raises(UsageError, match="already killed"):
        desk.kill(rt, story.guid, "Legal", dispatcher)
    with pytest.raises(UsageError, match="no story"):
        desk.kill(rt, "urn:newsml:nowhere:1", "Legal", dispatcher)


def test_a_redelivery_brings_back_what_a_partner_lost_and_doubles_nothing(
        tmp_path: Path) -> None:
    story = tass(4)
    rt, dispatcher = run_stories(tmp_path, story)
    before = files(tmp_path, "diario")
    assert len(before) == 2  # NewsML-G2 and ninjs
    for path in (tmp_path / "out" / "diario").rglob("*.ninjs.json"):
        path.unlink()
    done = desk.redeliver(rt, "diario", dispatcher, [story.guid])
    dispatcher.drain(rt)
    assert len(done.jobs) == 1 and done.jobs[0].formats == ("newsmlg2", "ninjs")
    assert files(tmp_path, "diario") == before
    desk.redeliver(rt, "diario", dispatcher, [story.guid])
    dispatcher.drain(rt)
    assert files(tmp_path, "diario") == before


def test_a_redelivery_sends_the_partner_its_own_translation(tmp_path: Path) -> None:
    story = tass(5)
    rt, dispatcher = run_stories(tmp_path, story)
    before = files(tmp_path, "acme")
    assert any(b"cabildo" in data for data in before.values())
    for path in (tmp_path / "out" / "acme").rglob("*.xml"):
        path.unlink()
    done = desk.redeliver(rt, "acme", dispatcher, [story.guid + ":es"])
    dispatcher.drain(rt)
    assert done.jobs[0].profile == "acme"
    assert files(tmp_path, "acme") == before


def test_a_redelivery_since_a_time_takes_every_story_delivered_since(tmp_path: Path) -> None:
    rt, dispatcher = run_stories(tmp_path, other(6), other(7))
    for path in (tmp_path / "out" / "homewire").rglob("*.xml"):
        path.unlink()
    done = desk.redeliver(rt, "homewire", dispatcher, since=rt.now().replace(year=2020))
    dispatcher.drain(rt)
    assert {j.guid for j in done.jobs} == {other(6).guid, other(7).guid}
    assert len(files(tmp_path, "homewire")) == 2
    later = desk.redeliver(rt, "homewire", dispatcher, since=rt.now().replace(year=2099))
    assert later.jobs == ()


def test_a_story_a_partner_never_received_is_named_not_sent(tmp_path: Path) -> None:
    story = other(8)
    rt, dispatcher = run_stories(tmp_path, story)
    done = desk.redeliver(rt, "acme", dispatcher, [story.guid, "urn:newsml:nowhere:2"])
    assert done.jobs == () and done.unknown == (story.guid, "urn:newsml:nowhere:2")


def test_the_trace_of_a_story_matches_its_destinations(tmp_path: Path) -> None:
    story = tass(9)
    rt, dispatcher = run_stories(tmp_path, story)
    desk.kill(rt, story.guid, "Legal", dispatcher)
    dispatcher.drain(rt)
    found = desk.trace(rt, story.guid)
    assert [(v.version, v.pub_status) for v in found.versions] == [(1, "usable"),
                                                                    (2, "canceled")]
    assert found.versions[0].translations == ("es", "es~acme")
    got = {(d.partner, d.destination, d.language, d.format, d.version, d.outcome)
           for d in found.deliveries}
    assert got == {
        ("acme", "0", "es", "newsmlg2", 2, "delivered"),
        ("diario", "0", "es", "newsmlg2", 2, "delivered"),
        ("diario", "0", "es", "ninjs", 2, "delivered"),
        ("homewire", "0", "en", "newsmlg2", 2, "delivered"),
    }
    on_disk = {p for partner in ("acme", "diario", "homewire")
               for p in files(tmp_path, partner) if p.endswith(("v2.newsmlg2.xml",
                                                               "v2.ninjs.json"))}
    assert len(on_disk) == 3  # acme, diario and homewire hold v2 each in their own folders
    assert all(d.location for d in found.deliveries)
    assert found.partners_received == ("acme", "diario", "homewire")


def test_the_trace_names_a_failed_delivery_with_its_reason(tmp_path: Path) -> None:
    story = other(10)
    rt, _ = run_stories(tmp_path, story)
    rt.store.add_dead_letter("syndicate.export", {
        "guid": story.guid, "version": 1, "language": "es", "partner": "diario",
        "destination": "0", "formats": ["ninjs"]}, OSError("disk full"), guid=story.guid)
    failed = [d for d in desk.trace(rt, story.guid).deliveries if d.outcome == "failed"]
    assert len(failed) == 1 and "disk full" in failed[0].error
