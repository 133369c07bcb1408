"""The pipeline on real Redis with real `celery worker` processes: throughput and crashes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cluster import Cluster, wait_for

from syndicate import formats
from syndicate.item import Block, NewsItem

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
BACKGROUND = "The council meets every two weeks in the old town hall."


def write_items(inbox: Path, n: int, start: int = 0) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    render = formats.renderer("newsmlg2").render
    for i in range(start, start + n):
        item = NewsItem(
            guid=f"urn:newsml:example.com:20261128:story-{i}",
            headline=f"Council approves plan number {i}",
            language="en",
            provider="example.com",
            body=(Block.para(f"The city council approved plan number {i} on Friday."),
                  Block.para(BACKGROUND)),
            created=NOW,
        )
        (inbox / f"story-{i:04d}.xml").write_bytes(render(item))


def expected_outputs(n: int) -> int:
    # diario (es) + homewire (en) + portal (es, two formats)
    return 4 * n


def assert_each_output_once(cluster: Cluster, n: int) -> None:
    files = cluster.outputs()
    stray = [f for f in files if f.name.startswith(".tmp-")]
    assert not stray, f"half-written files left behind: {stray[:3]}"
    assert len(files) == expected_outputs(n), cluster.worker_log()
    for i in range(n):
        hits = [f for f in files if f"story-{i}-" in f.parent.name or
                f.parent.name.endswith(f"story-{i}")]
        assert len(hits) == 4, f"story {i}: {hits}"


def test_200_items_reach_three_partners_in_two_languages(cluster: Cluster, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_items(inbox, 200)
    cluster.start_worker("all", concurrency=2)
    done = cluster.run_once(inbox)
    assert done.returncode == 0, done.stdout + done.stderr + cluster.worker_log()
    assert "200 ingested, 0 rejected, 200 translated, 800 delivered, 0 failed" in done.stdout
    assert_each_output_once(cluster, 200)
    spanish = next((cluster.out / "diario" / "es").rglob("v1.newsmlg2.xml"))
    _, (item,) = formats.parse(spanish.read_bytes())
    assert item.language == "es" and "Consejo" in item.headline or "consejo" in item.body_text


def test_worker_killed_mid_run_loses_nothing_and_duplicates_nothing(
    cluster: Cluster, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    write_items(inbox, 60)
    first = cluster.start_worker("all", concurrency=2)
    run = cluster.start_run_once(inbox)
    wait_for(lambda: len(cluster.outputs()) >= 20, 120, "the first deliveries")
    cluster.kill_worker(first)
    cluster.start_worker("all", concurrency=2)
    out, err = run.communicate(timeout=240)
    assert run.returncode == 0, out + err + cluster.worker_log()
    assert_each_output_once(cluster, 60)
