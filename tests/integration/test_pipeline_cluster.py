"""The pipeline on real Redis with real `celery worker` processes: throughput and crashes."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from pipeline_cluster import Cluster, OwnRedis, wait_for

from conftest import THREE_PARTNERS
from syndicate import formats
from syndicate.destinations import guid_slug
from syndicate.item import Block, NewsItem
from syndicate.translate import translated_guid

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
    # diario (es) + homewire (en) + portal (es, two formats): three deliveries, four files
    return 4 * n


def assert_each_output_once(cluster: Cluster, n: int) -> None:
    files = cluster.outputs()
    stray = [f for f in files if f.name.startswith(".tmp-")]
    assert not stray, f"half-written files left behind: {stray[:3]}"
    assert len(files) == expected_outputs(n), cluster.worker_log()
    for i in range(n):
        # English copy under the story's guid, Spanish copy under its translation's
        source = f"urn:newsml:example.com:20261128:story-{i}"
        folders = {guid_slug(source), guid_slug(translated_guid(source, "es"))}
        hits = [f for f in files if f.parent.name in folders]
        assert len(hits) == 4, f"story {i}: {hits}"


def test_200_items_reach_three_partners_in_two_languages(cluster: Cluster, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    write_items(inbox, 200)
    cluster.start_worker("all", concurrency=2)
    done = cluster.run_once(inbox)
    assert done.returncode == 0, done.stdout + done.stderr + cluster.worker_log()
    assert "200 ingested, 0 rejected, 200 translated, 600 delivered, 0 failed" in done.stdout
    assert_each_output_once(cluster, 200)
    spanish = next((cluster.out / "diario" / "es").rglob("v1.newsmlg2.xml"))
    (item,) = formats.parse(spanish.read_bytes()).items
    assert (item.language == "es" and "Consejo" in item.headline) or "consejo" in item.body_text


@pytest.mark.chaos
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


@pytest.mark.chaos
def test_redis_restarted_mid_run_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    own = OwnRedis(tmp_path)
    own.start()
    cluster = Cluster(tmp_path / "c", THREE_PARTNERS, redis_url=own.url)
    try:
        inbox = tmp_path / "inbox"
        write_items(inbox, 60)
        worker = cluster.start_worker("all", concurrency=2)
        run = cluster.start_run_once(inbox)
        wait_for(lambda: len(cluster.outputs()) >= 20, 120, "the first deliveries")
        own.kill()
        time.sleep(1.0)
        own.start()
        # the worker rides out the restart by itself: nobody starts it again
        out, err = run.communicate(timeout=240)
        assert worker.poll() is None, "the worker died with the broker\n" + cluster.worker_log()
        assert run.returncode == 0, out + err + cluster.worker_log()
        assert_each_output_once(cluster, 60)
    finally:
        cluster.stop()
        if own.proc is not None and own.proc.poll() is None:
            own.proc.terminate()
            own.proc.wait()


ONE_PARTNER_AT = """
partners:
  - id: homewire
    languages: [en]
    destinations:
      - type: directory
        path: {out}/homewire
"""


def test_poison_input_is_quarantined_and_dead_lettered_and_the_worker_lives_on(
    tmp_path: Path,
) -> None:
    cluster = Cluster(tmp_path / "c", ONE_PARTNER_AT)
    try:
        inbox = tmp_path / "inbox"
        write_items(inbox, 2)
        whole = (inbox / "story-0000.xml").read_bytes()
        (inbox / "garbage.xml").write_bytes(whole[: len(whole) // 2])  # cut off in transit
        worker = cluster.start_worker("all", concurrency=1)
        done = cluster.run_once(inbox, timeout=120)
        assert done.returncode == 1
        assert "2 ingested, 1 rejected" in done.stdout
        assert worker.poll() is None
        listing = cluster.cli("dead-letters", "--json")
        assert "syndicate.ingest" in listing.stdout and "MalformedInput" in listing.stdout
        (reason,) = (cluster.tmp / "var" / "quarantine").rglob("garbage.xml.reason.txt")
        assert "MalformedInput" in reason.read_text()
        assert len(cluster.outputs()) == 2
    finally:
        cluster.stop()
        cluster.cleanup_redis()


def test_delivery_refused_for_good_is_dead_lettered_at_once_and_replays_after_the_fix(
    tmp_path: Path,
) -> None:
    cluster = Cluster(tmp_path / "c", ONE_PARTNER_AT)
    try:
        # below the partner's folder, which the start-up check finds writable: only the
        # delivery itself meets the file
        blocker = cluster.out / "homewire" / "en"
        blocker.parent.mkdir(parents=True)
        blocker.write_text("a file where the language folder should be")
        inbox = tmp_path / "inbox"
        write_items(inbox, 1)
        cluster.start_worker("all", concurrency=1)
        start = time.monotonic()
        done = cluster.run_once(inbox, timeout=120)
        assert done.returncode == 1, done.stdout + done.stderr
        assert time.monotonic() - start < 30  # not retried for minutes
        assert "1 failed" in done.stdout
        # said as it happened, with the reason; the summary never calls it delivered
        assert "run: FAILED export homewire/0: DeliveryRejected" in done.stderr
        assert "FAILED for homewire (en)" in done.stdout
        assert "results for homewire" not in done.stdout
        listing = cluster.cli("dead-letters", "--json")
        assert "syndicate.export" in listing.stdout and "DeliveryRejected" in listing.stdout
        assert "is a file where a folder should be" in listing.stdout
        blocker.unlink()  # the fix
        replay = cluster.cli("replay", "--all")
        assert replay.returncode == 0, replay.stderr
        wait_for(lambda: len(cluster.outputs()) == 1, 60, "the replayed delivery")
        assert cluster.cli("dead-letters").stdout.startswith("no dead letters")
    finally:
        cluster.stop()
        cluster.cleanup_redis()


def test_embargoed_item_reaches_partners_only_when_the_embargo_lifts(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "c", ONE_PARTNER_AT)
    try:
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        cluster.start_worker("all", concurrency=1)
        # long enough for a loaded machine to start the worker, ingest and translate first
        lifts = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=25)
        item = NewsItem(guid="urn:newsml:example.com:20261128:embargoed", language="en",
                        headline="Central bank rate decision", provider="example.com",
                        body=(Block.para("The bank kept its rate unchanged."),), created=NOW,
                        embargo=lifts)
        (inbox / "embargoed.xml").write_bytes(formats.renderer("newsmlg2").render(item))
        done = cluster.run_once(inbox, timeout=60)
        ended = dt.datetime.now(dt.UTC)
        assert done.returncode == 0, done.stdout + done.stderr
        if ended < lifts:
            # the run ended under the embargo: it says the item is held, and nothing went out
            assert "1 held" in done.stdout, done.stdout
            assert cluster.outputs() == []
        wait_for(lambda: len(cluster.outputs()) == 1, 60, "the delivery after the embargo")
        (delivered,) = cluster.outputs()
        # whenever the run ended, the copy was written only once the embargo had lifted
        assert delivered.stat().st_mtime >= lifts.timestamp()
    finally:
        cluster.stop()
        cluster.cleanup_redis()
