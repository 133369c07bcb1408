"""The pipeline stages end to end in one process: fan-out, idempotency, versions, kills, embargo.

Translations go through the real Apertium engine, hence the integration mark.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pipeline_support import (
    NOW,
    InlineDispatcher,
    ensure_codecs,
    g2_bytes,
    ingest,
    make_runtime,
    outputs,
    replace,
    sample_item,
)
from syndicate import formats
from syndicate.item import PubStatus
from syndicate.pipeline import DELIVERED, DUPLICATE, INGESTED, REJECTED, SUPERSEDED

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _codecs() -> None:
    ensure_codecs()


def test_minimal_config_delivers_one_spanish_and_one_english_file(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    assert ingest(rt, g2_bytes(sample_item()), d) == INGESTED
    d.drain(rt)
    out = tmp_path / "out"
    files = outputs(out)
    assert len(files) == 2
    es = [f for f in files if f.startswith("acme/es/")]
    en = [f for f in files if f.startswith("homewire/en/")]
    assert es and en and es[0].endswith("v1.newsmlg2.xml")
    items = formats.parse((out / es[0]).read_bytes()).items
    assert items[0].language == "es"
    assert items[0].link("irel:translatedFrom") is not None


def test_spanish_output_validates_against_newsml_g2(tmp_path: Path, assert_valid_g2) -> None:  # type: ignore[no-untyped-def]
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item()), d)
    d.drain(rt)
    (es,) = (tmp_path / "out" / "acme").rglob("*.xml")
    assert_valid_g2(es.read_bytes())


def test_same_input_twice_is_ingested_once(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    data = g2_bytes(sample_item())
    assert ingest(rt, data, d) == INGESTED
    d.drain(rt)
    assert ingest(rt, data, d) == DUPLICATE
    assert not d.queue


def test_an_input_is_marked_seen_only_once_its_follow_ups_are_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Holding(InlineDispatcher):
        """Holds jobs until flushed, as the Celery dispatcher does inside a task."""

        def __init__(self) -> None:
            super().__init__()
            self.flushed = 0

        def flush(self) -> None:
            self.flushed = len(self.queue)

    rt = make_runtime(tmp_path)
    d = Holding()
    marked: list[int] = []
    mark = rt.store.mark_content_seen
    monkeypatch.setattr(rt.store, "mark_content_seen",
                        lambda *a: marked.append(d.flushed) or mark(*a))
    assert ingest(rt, g2_bytes(sample_item()), d) == INGESTED
    # a crash between the two would leave a story seen and never translated or delivered
    assert marked == [2] and len(d.queue) == 2


def test_export_run_twice_writes_the_same_file_once(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item()), d)
    d.drain(rt)
    before = outputs(tmp_path / "out")
    from syndicate.pipeline import handle_export

    assert d.exports
    for job in d.exports:
        assert handle_export(rt, job, d) == DELIVERED
        # without the content digest the store cannot tell it was sent: the destination's
        # own idempotent key still writes the same file once
        assert handle_export(rt, replace(job, rev=""), d) == DELIVERED
    assert outputs(tmp_path / "out") == before


TWO_FORMATS = """
partners:
  - id: acme
    languages: [es]
    formats: [newsmlg2, ninjs]
    destinations:
      - type: directory
        path: {out}/acme
      - type: directory
        id: archive
        path: {out}/acme-archive
"""


def test_one_export_per_destination_carries_all_its_formats(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, TWO_FORMATS)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item()), d)
    d.drain(rt)
    assert [(j.destination, j.formats) for j in d.exports] == [
        ("0", ("newsmlg2", "ninjs")), ("archive", ("newsmlg2", "ninjs"))]
    for folder in ("acme", "acme-archive"):
        files = outputs(tmp_path / "out" / folder)
        assert sum(f.endswith(".newsmlg2.xml") for f in files) == 1, files
        assert sum(f.endswith(".ninjs.json") for f in files) == 1, files


def test_a_retried_export_sends_only_the_formats_that_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from syndicate.destinations.directory import DirectoryDestination
    from syndicate.errors import DeliveryFailed
    from syndicate.pipeline import handle_export

    rt = make_runtime(tmp_path, TWO_FORMATS.split("      - type: directory\n        id: archive")[0])
    d = InlineDispatcher()
    real = DirectoryDestination.deliver
    sent: list[str] = []

    def flaky(self: DirectoryDestination, delivery: Any) -> str:
        sent.append(delivery.format)
        if sent == ["newsmlg2", "ninjs"]:
            raise DeliveryFailed("the disk was briefly away")
        return real(self, delivery)

    monkeypatch.setattr(DirectoryDestination, "deliver", flaky)
    ingest(rt, g2_bytes(sample_item()), d)
    with pytest.raises(DeliveryFailed):
        d.drain(rt)
    (job,) = d.exports
    assert handle_export(rt, job, d) == DELIVERED
    assert sent == ["newsmlg2", "ninjs", "ninjs"]
    files = outputs(tmp_path / "out" / "acme")
    assert [f.rsplit(".", 2)[-2] for f in files] == ["newsmlg2", "ninjs"]


def test_newer_version_is_delivered_beside_the_older_one(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(version=1)), d)
    ingest(rt, g2_bytes(sample_item(version=2, headline="Council approves budget, update")), d)
    d.drain(rt)
    files = outputs(tmp_path / "out")
    assert any(f.endswith("v2.newsmlg2.xml") and f.startswith("acme/es") for f in files)


def test_older_version_arriving_late_is_not_delivered(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(version=2)), d)
    d.drain(rt)
    ingest(rt, g2_bytes(sample_item(version=1)), d)
    d.drain(rt)
    assert not any("v1." in f for f in outputs(tmp_path / "out"))


def test_pending_delivery_of_an_old_version_is_skipped_once_a_newer_one_exists(
    tmp_path: Path,
) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(version=1)), d)
    # v2 arrives before v1's translations and deliveries have run
    ingest(rt, g2_bytes(sample_item(version=2)), d)
    outcomes = dict(d.drain(rt))
    assert SUPERSEDED in outcomes.values()
    assert not any("v1." in f for f in outputs(tmp_path / "out"))


def test_kill_goes_to_every_partner_that_received_the_story(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(version=1)), d)
    d.drain(rt)
    ingest(rt, g2_bytes(sample_item(version=2, pub_status=PubStatus.CANCELED)), d)
    d.drain(rt)
    kills = [f for f in outputs(tmp_path / "out") if "v2." in f]
    assert sorted(k.split("/")[0] for k in kills) == ["acme", "homewire"]
    for k in kills:
        items = formats.parse((tmp_path / "out" / k).read_bytes()).items
        assert items[0].pub_status == PubStatus.CANCELED


def test_kill_of_a_story_nobody_received_delivers_nothing(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item(pub_status=PubStatus.CANCELED)), d)
    d.drain(rt)
    assert outputs(tmp_path / "out") == []


def test_embargoed_item_is_held_until_its_time(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    embargo = NOW + dt.timedelta(hours=2)
    ingest(rt, g2_bytes(sample_item(embargo=embargo)), d)
    d.drain(rt)
    assert outputs(tmp_path / "out") == []
    assert {eta for _, eta in d.held} == {embargo}
    later = dataclasses.replace(rt, now=lambda: embargo + dt.timedelta(seconds=1))
    held = [job for job, _ in d.held]
    d.held.clear()
    d.queue.extend(held)
    d.drain(later)
    assert len(outputs(tmp_path / "out")) == 2


def test_malformed_input_is_rejected_and_dead_lettered_with_its_reason(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    assert ingest(rt, b"<newsItem><broken", d) == REJECTED
    (dl,) = rt.store.dead_letters()
    assert dl.task == "syndicate.ingest"
    assert dl.error
    assert dl.data_b64 is not None
