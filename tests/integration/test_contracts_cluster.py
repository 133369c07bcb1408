"""Partner contracts and the desk's actions with real Redis and a fresh worker per role: the
documented filter delivers exactly what it allows, `syndicate kill` reaches every partner that
had the story and only those, `syndicate trace` matches the destinations, and
`syndicate redeliver` brings back a lost file without doubling anything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pipeline_cluster import Cluster, redis_available, wait_for

from pipeline_support import g2_bytes
from syndicate import formats
from syndicate.item import NewsItem
from test_partner_contracts import CONTRACTS, STORIES

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    tmp = tmp_path_factory.mktemp("contracts")
    cluster = Cluster(tmp / "cluster", "translation:\n  engine: apertium\n" + CONTRACTS)
    try:
        inbox = tmp / "inbox"
        inbox.mkdir()
        for n, (item, _) in STORIES.items():
            (inbox / f"story-{n}.xml").write_bytes(g2_bytes(item))
        for role, concurrency in (("ingest", 4), ("translate", 2), ("export", 8), ("urgent", 1)):
            cluster.start_worker(role, concurrency=concurrency)
        done = cluster.run_once(inbox, timeout=240)
        assert done.returncode == 0, done.stdout + done.stderr + cluster.worker_log()
        yield cluster
    finally:
        cluster.stop()
        cluster.cleanup_redis()


def got(cluster: Cluster, partner: str, suffix: str = ".newsmlg2.xml") -> dict[str, NewsItem]:
    """source guid -> the newest version the partner holds."""
    found: dict[str, NewsItem] = {}
    for path in sorted((cluster.out / partner).rglob(f"*{suffix}")):
        (item,) = formats.parse(path.read_bytes()).items
        guid = item.guid.removesuffix(":es")
        if guid not in found or item.version > found[guid].version:
            found[guid] = item
    return found


def test_the_documented_filter_delivers_exactly_what_it_allows(desk: Cluster) -> None:
    allowed = {item.guid for item, takes in STORIES.values() if takes}
    everyone = {item.guid for item, _ in STORIES.values()}
    assert set(got(desk, "acme")) == allowed
    assert set(got(desk, "acme", ".nitf.xml")) == allowed
    assert set(got(desk, "diario")) == everyone
    assert set(got(desk, "homewire")) == everyone
    assert all("cabildo" in item.headline for item in got(desk, "acme").values())


def test_a_kill_reaches_every_partner_that_had_the_story_and_only_those(desk: Cluster) -> None:
    story = STORIES[3][0]  # AP: outside acme's contract
    done = desk.cli("kill", story.guid, "--reason", "Legal: withdrawn")
    assert done.returncode == 0, done.stderr
    assert "diario, homewire" in done.stdout

    def killed(partner: str) -> bool:
        item = got(desk, partner).get(story.guid)
        return item is not None and item.version == 2

    wait_for(lambda: killed("diario") and killed("homewire"), 60, "the kill to arrive")
    for partner in ("diario", "homewire"):
        item = got(desk, partner)[story.guid]
        assert str(item.pub_status) == "canceled"
        assert any("Legal: withdrawn" in n.text for n in item.notes)
    assert story.guid not in got(desk, "acme")

    trace = json.loads(desk.cli("trace", story.guid, "--json").stdout)
    assert [v["pub_status"] for v in trace["versions"]] == ["usable", "canceled"]
    delivered = {(d["partner"], d["format"], d["version"]) for d in trace["deliveries"]
                 if d["outcome"] == "delivered"}
    assert delivered == {("diario", "newsmlg2", 2), ("homewire", "newsmlg2", 2)}
    for d in trace["deliveries"]:
        assert Path(d["location"]).is_file(), d


def test_a_redelivery_brings_back_a_lost_file_and_doubles_nothing(desk: Cluster) -> None:
    story = STORIES[1][0]
    before = {p: p.read_bytes() for p in desk.outputs()}
    lost = [p for p in before if "acme" in p.parts and story.guid.rsplit(":", 1)[-1] in str(p)]
    assert lost, sorted(before)
    for path in lost:
        path.unlink()
    done = desk.cli("redeliver", "--partner", "acme", story.guid)
    assert done.returncode == 0, done.stderr
    wait_for(lambda: all(p.exists() for p in lost), 60, "the redelivery")
    after = {p: p.read_bytes() for p in desk.outputs()}
    assert after == before
