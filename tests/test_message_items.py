"""One input, many items: an item that cannot be used is left out with its reason, the others go
on, and the input is kept (dead letter, quarantine reason) for what was left out."""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline_support import InlineDispatcher, ensure_codecs, make_runtime
from syndicate import formats
from syndicate.cli import main
from syndicate.errors import MalformedInput
from syndicate.formats import ParseContext, Skipped, newsmlg2
from syndicate.pipeline import (
    DUPLICATE,
    INGESTED,
    REJECTED,
    ExportJob,
    IngestJob,
    Runtime,
    handle_ingest,
)

FIXTURES = Path(__file__).parent / "fixtures"
CTX = ParseContext(now=dt.datetime(2026, 11, 30, 16, 0, tzinfo=dt.UTC))
MIXED_G2 = FIXTURES / "newsmlg2" / "mixed-message-bad-items.xml"
MIXED_NINJS = FIXTURES / "ninjs" / "aap-ninjs2-list-mixed.json"

ONE_PARTNER = """
partners:
  - id: homewire
    languages: [en, es]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/homewire
"""


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


def message(*items: str) -> bytes:
    return (
        f'<newsMessage xmlns="{newsmlg2.G2_NS}"><header><sent>2026-11-30T11:00:00Z</sent></header>'
        f"<itemSet>{''.join(items)}</itemSet></newsMessage>"
    ).encode()


def news_item(guid: str, headline: str = "A headline", version: str = "1") -> str:
    return (
        f'<newsItem guid="{guid}" version="{version}" standard="NewsML-G2" standardversion="2.35" '
        'xml:lang="en"><itemMeta><itemClass qcode="ninat:text"/><provider literal="t"/>'
        "<versionCreated>2026-11-30T10:00:00Z</versionCreated></itemMeta>"
        f"<contentMeta><headline>{headline}</headline></contentMeta></newsItem>"
    )


# ---------------------------------------------------------------------------------------------
# the codecs


def test_a_mixed_news_message_keeps_its_good_news_items_and_lists_every_other_item() -> None:
    parsed = formats.parse(MIXED_G2.read_bytes(), "auto", CTX)
    assert [i.guid for i in parsed.items] == [
        "urn:newsml:dpa.com:20090101:261130-99-500101", "urn:newsml:efe.com:20261130:EFE-0042"]
    assert [(s.position, s.kind, s.guid) for s in parsed.skipped] == [
        (2, "packageItem", "urn:newsml:wire.example.net:20261130:pkg-top-stories"),
        (3, "newsItem", "urn:newsml:wire.example.net:20261130:empty-1"),
        (4, "newsItem", "urn:newsml:wire.example.net:20261130:bigver-1"),
        (5, "conceptItem", "urn:newsml:wire.example.net:concept:antwerp"),
    ]
    reasons = [s.reason for s in parsed.skipped]
    assert "not a news item" in reasons[0]
    assert "no headline" in reasons[1]
    assert "9007199254740992" in reasons[2]
    assert "not a news item" in reasons[3]


def test_the_reason_for_a_message_names_each_item_left_out_and_how_many_were_kept() -> None:
    reason = formats.parse(MIXED_G2.read_bytes(), "auto", CTX).skipped_reason()
    assert reason.startswith("4 of the 6 items of this input left out (the other 2 kept): ")
    assert "item 3 (newsItem urn:newsml:wire.example.net:20261130:empty-1): has no headline" in reason
    assert "item 2 (packageItem urn:newsml:wire.example.net:20261130:pkg-top-stories)" in reason


@pytest.mark.parametrize("kind", ["planningItem", "knowledgeItem", "packageItem", "conceptItem"])
def test_items_of_other_classes_in_a_message_are_left_out_by_name(kind: str) -> None:
    other = (f'<{kind} guid="urn:t:{kind}" version="1" standard="NewsML-G2" '
             f'standardversion="2.35"/>')
    parsed = formats.parse(message(other, news_item("urn:t:good")), "newsmlg2", CTX)
    assert [i.guid for i in parsed.items] == ["urn:t:good"]
    (skip,) = parsed.skipped
    assert (skip.position, skip.kind, skip.guid) == (1, kind, f"urn:t:{kind}")


def test_a_message_whose_every_news_item_is_unusable_is_refused_naming_each() -> None:
    data = message(news_item("urn:t:a", headline=""), news_item("urn:t:b", version="0"))
    with pytest.raises(MalformedInput, match=r"no usable news item.*item 1 \(newsItem urn:t:a\).*"
                                             r"item 2 \(newsItem urn:t:b\)"):
        formats.parse(data, "newsmlg2", CTX)


def test_a_single_news_item_that_cannot_be_used_is_still_refused_whole() -> None:
    with pytest.raises(MalformedInput, match="no headline"):
        formats.parse(news_item_document(headline=""), "newsmlg2", CTX)


def news_item_document(headline: str) -> bytes:
    return news_item("urn:t:single", headline).replace(
        "<newsItem ", f'<newsItem xmlns="{newsmlg2.G2_NS}" ', 1).encode()


def test_a_ninjs_list_keeps_its_good_objects_and_lists_the_others() -> None:
    parsed = formats.parse(MIXED_NINJS.read_bytes(), "auto", CTX)
    assert [(i.guid, i.version) for i in parsed.items] == [
        ("urn:newsml:aap.com.au:20261130:SYD-0101", 1), ("urn:newsml:aap.com.au:20261130:SYD-0099", 4)]
    assert [(s.position, s.guid) for s in parsed.skipped] == [
        (2, "urn:newsml:aap.com.au:20261130:SYD-0102"), (3, "urn:newsml:aap.com.au:20261130:SYD-0103")]
    assert "no headline" in parsed.skipped[0].reason
    assert "'deleted'" in parsed.skipped[1].reason
    assert "not usable, withheld or canceled" in parsed.skipped[1].reason


def test_a_ninjs_list_entry_that_is_no_object_is_left_out_by_position() -> None:
    data = json.dumps([{"uri": "urn:t:1", "headline": "H"}, "text", None]).encode()
    parsed = formats.parse(data, "ninjs", CTX)
    assert [i.guid for i in parsed.items] == ["urn:t:1"]
    assert [(s.position, s.guid, s.reason) for s in parsed.skipped] == [
        (2, None, "a JSON str, not a ninjs object"), (3, None, "a JSON NoneType, not a ninjs object")]


def test_a_ninjs_list_of_only_unusable_objects_is_refused() -> None:
    data = json.dumps([{"uri": "urn:t:1"}, {"headline": "no uri"}]).encode()
    with pytest.raises(MalformedInput, match=r"no usable news item in the ninjs input: item 1"):
        formats.parse(data, "ninjs", CTX)


def test_a_skipped_item_reads_as_a_sentence() -> None:
    assert str(Skipped(2, "newsItem", "urn:x", "has no headline")) == (
        "item 2 (newsItem urn:x): has no headline")
    assert str(Skipped(3, "ninjs object", None, "a JSON str")) == "item 3 (ninjs object): a JSON str"


# ---------------------------------------------------------------------------------------------
# the pipeline


def arrive(rt: Runtime, data: bytes, d: InlineDispatcher, ref: str = "mixed.xml",
           quarantined: str | None = None) -> str:
    blob = rt.store.put_blob(data)
    job = IngestJob("inbox", ref, blob, ref, arrival=ref, quarantined=quarantined)
    return handle_ingest(rt, job, d)


def test_the_usable_items_of_a_mixed_message_go_on(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    d = InlineDispatcher()
    assert arrive(rt, MIXED_G2.read_bytes(), d) == INGESTED
    # each in its own language (translations are not run here)
    assert sorted((j.guid, j.language) for j in d.queue if isinstance(j, ExportJob)) == [
        ("urn:newsml:dpa.com:20090101:261130-99-500101", "en"),
        ("urn:newsml:efe.com:20261130:EFE-0042", "es")]


def test_a_mixed_message_leaves_a_dead_letter_with_the_whole_input_and_each_reason(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    data = MIXED_G2.read_bytes()
    arrive(rt, data, InlineDispatcher())
    (dl,) = rt.store.dead_letters()
    assert dl.task == "syndicate.ingest"
    assert base64.b64decode(dl.data_b64 or "") == data
    assert dl.error_type == "MalformedInput"
    assert "4 of the 6 items" in dl.error
    for guid in ("pkg-top-stories", "empty-1", "bigver-1", "concept:antwerp"):
        assert guid in dl.error


def test_the_source_is_told_which_items_were_left_out(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    arrive(rt, MIXED_G2.read_bytes(), InlineDispatcher())
    outcome = rt.store.pop_outcome("inbox", "mixed.xml")
    assert outcome is not None
    ok, reason = outcome
    assert not ok and reason is not None
    assert "item 3 (newsItem urn:newsml:wire.example.net:20261130:empty-1): has no headline" in reason


def test_an_input_whose_items_all_go_on_leaves_no_dead_letter(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    assert arrive(rt, message(news_item("urn:t:1"), news_item("urn:t:2")), InlineDispatcher()) == INGESTED
    assert rt.store.dead_letters() == []
    assert rt.store.pop_outcome("inbox", "mixed.xml") == (True, None)


PACKAGE = (
    '<packageItem guid="urn:t:pkg" version="1" standard="NewsML-G2" standardversion="2.35">'
    '<itemMeta><itemClass qcode="ninat:composite"/><provider literal="t"/>'
    "<versionCreated>2026-11-30T10:00:00Z</versionCreated></itemMeta></packageItem>"
)


def test_a_package_beside_the_news_items_is_left_out_by_design_not_quarantined(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    data = message(news_item("urn:t:1"), PACKAGE, news_item("urn:t:2"))
    assert arrive(rt, data, InlineDispatcher()) == INGESTED
    assert rt.store.dead_letters() == []
    assert rt.store.pop_outcome("inbox", "mixed.xml") == (True, None)


def test_syndicate_ingest_names_a_package_it_left_out_and_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    src = tmp_path / "message.xml"
    src.write_bytes(message(news_item("urn:t:1"), PACKAGE))
    out = tmp_path / "out"
    assert main(["ingest", str(src), "--out", str(out), "--now", "2026-11-30T16:00:00Z"]) == 0
    assert "by design: item 2 (packageItem urn:t:pkg)" in capsys.readouterr().err
    assert not (out / "rejected").exists()


def test_replaying_the_input_brings_its_good_items_back_as_duplicates(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    d = InlineDispatcher()
    data = MIXED_G2.read_bytes()
    arrive(rt, data, d)
    d.queue.clear()
    (dl,) = rt.store.dead_letters()
    assert arrive(rt, base64.b64decode(dl.data_b64 or ""), d, ref="") == DUPLICATE
    assert not d.queue


def test_a_replay_that_still_leaves_items_out_says_so_beside_the_quarantined_copy(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    copy = tmp_path / "quarantine" / "mixed.xml"
    copy.parent.mkdir()
    copy.write_bytes(MIXED_G2.read_bytes())
    (tmp_path / "quarantine" / "mixed.xml.reason.txt").write_text("old reason\n")
    arrive(rt, MIXED_G2.read_bytes(), InlineDispatcher(), ref="", quarantined=str(copy))
    assert copy.exists(), "still quarantined: items are still left out"
    assert "empty-1" in (tmp_path / "quarantine" / "mixed.xml.reason.txt").read_text()


def test_a_message_with_no_usable_item_is_rejected_as_before(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, ONE_PARTNER)
    d = InlineDispatcher()
    data = message(news_item("urn:t:a", headline=""))
    assert arrive(rt, data, d) == REJECTED
    assert not d.queue
    (dl,) = rt.store.dead_letters()
    assert "no usable news item" in dl.error


# ---------------------------------------------------------------------------------------------
# syndicate ingest


def test_syndicate_ingest_writes_the_good_items_and_prints_each_left_out_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    code = main(["ingest", str(MIXED_NINJS), "--out", str(out), "--now", "2026-11-30T16:00:00Z"])
    assert code == 1
    written = sorted(p.name for p in out.rglob("*.xml") if "rejected" not in p.parts)
    assert written == ["v1.newsmlg2.xml", "v4.newsmlg2.xml"]
    err = capsys.readouterr().err
    assert f"left out of {MIXED_NINJS}: item 2 (ninjs object urn:newsml:aap.com.au:20261130:SYD-0102)" in err
    assert "item 3 (ninjs object urn:newsml:aap.com.au:20261130:SYD-0103)" in err
    assert "'deleted'" in err
    (reason,) = (out / "rejected").glob("*.reason.txt")
    assert "2 of the 4 items" in reason.read_text()
