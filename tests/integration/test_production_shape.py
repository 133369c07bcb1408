"""The README's production shape: Redis and one fresh worker per role (ingest and export on
threads, translate on processes), fed a first batch of stories in several formats at once."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pipeline_cluster import THREE_PARTNERS, Cluster, redis_available, wait_for

from syndicate import formats
from syndicate.item import Block, NewsItem
from syndicate.translate import TRANSLATED_FROM

pytestmark = pytest.mark.integration

STORIES = 50
NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
BACKGROUND = "The council meets every two weeks in the old town hall."
#: what each partner of THREE_PARTNERS gets per story: its language folder and file names
EXPECTED = {
    "diario": ("es", {"v1.newsmlg2.xml"}),
    "homewire": ("en", {"v1.newsmlg2.xml"}),
    "portal": ("es", {"v1.newsmlg2.xml", "v1.ninjs.json"}),
}


def headline(i: int) -> str:
    return f"Council approves plan number {i}"


def g2_story(i: int) -> bytes:
    return formats.renderer("newsmlg2").render(_item(i))


def ninjs_story(i: int) -> bytes:
    return formats.renderer("ninjs").render(_item(i))


def _item(i: int) -> NewsItem:
    return NewsItem(
        guid=f"urn:newsml:example.com:20261128:story-{i}",
        headline=headline(i),
        language="en",
        provider="example.com",
        body=(Block.para(f"The city council approved plan number {i} on Friday."),
              Block.para(BACKGROUND)),
        created=NOW,
    )


def nitf_story(i: int) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf version="-//IPTC//DTD NITF 3.6//EN">
 <head>
  <title>{headline(i)}</title>
  <docdata>
   <doc-id id-string="EXW-20261127-{i:04d}"/>
   <date.issue norm="20261127T101500Z"/>
  </docdata>
 </head>
 <body>
  <body.head>
   <hedline><hl1>{headline(i)}</hl1></hedline>
   <distributor>Example Wire</distributor>
  </body.head>
  <body.content>
   <p>The city council approved plan number {i} on Thursday.</p>
   <p>{BACKGROUND}</p>
  </body.content>
 </body>
</nitf>
""".encode()


def wire_story(i: int) -> bytes:
    return f"""{headline(i)}
By Jane Porter

LONDON, Nov 27 (Reuters) - The city council approved plan number {i} on Thursday, officials said.

{BACKGROUND}

(Reporting by Jane Porter; Editing by Alex Richardson)
""".encode()


#: (file extension, writer, format the codecs must detect)
KINDS = (
    ("xml", g2_story, "newsmlg2"),
    ("json", ninjs_story, "ninjs"),
    ("nitf.xml", nitf_story, "nitf"),
    ("txt", wire_story, "wiretext"),
)


def write_inbox(inbox: Path) -> None:
    inbox.mkdir(parents=True)
    for i in range(STORIES):
        ext, write, fmt = KINDS[i % len(KINDS)]
        data = write(i)
        # in this process the codecs are loaded: the samples are what they claim to be
        assert formats.detect(data, f"story-{i}.{ext}").name == fmt
        (inbox / f"story-{i:03d}.{ext}").write_bytes(data)


def wait_until_ready(cluster: Cluster, workers: int) -> None:
    """Until each worker consumes, so that the batch meets workers that are up and fresh."""

    def ready(n: int) -> bool:
        log = (cluster.logs / f"worker-{n}.log").read_text(errors="replace")
        return any(f"{cluster.tag}-{n}@" in line and " ready." in line for line in log.splitlines())

    wait_for(lambda: all(ready(n) for n in range(workers)), 90, "every worker to be ready")


@dataclass(frozen=True)
class Run:
    cluster: Cluster
    done: subprocess.CompletedProcess[str]

    def failure(self) -> str:
        return self.done.stdout + self.done.stderr + self.cluster.worker_log()


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """One production-shaped deployment and its first batch, shared by this module's tests."""
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    tmp = tmp_path_factory.mktemp("production")
    cluster = Cluster(tmp / "cluster", THREE_PARTNERS)
    try:
        inbox = tmp / "inbox"
        write_inbox(inbox)
        # the roles' own pools and sizes (`syndicate worker --role ...`): threads for ingest
        # and export, a process per core for translate; none of them has parsed anything yet
        cluster.start_worker("ingest", concurrency=8)
        cluster.start_worker("translate", concurrency=2)
        cluster.start_worker("export", concurrency=16)
        wait_until_ready(cluster, 3)
        yield Run(cluster, cluster.run_once(inbox, timeout=300))
    finally:
        cluster.stop()
        cluster.cleanup_redis()


def test_the_first_batch_is_ingested_translated_and_delivered_in_full(run: Run) -> None:
    assert run.done.returncode == 0, run.failure()
    assert (f"{STORIES} ingested, 0 rejected, {STORIES} translated, {3 * STORIES} delivered, "
            "0 failed") in run.done.stdout, run.failure()


def test_nothing_is_dead_lettered(run: Run) -> None:
    letters = run.cluster.cli("dead-letters", "--json")
    assert letters.returncode == 0, letters.stderr
    assert letters.stdout.strip() == "", letters.stdout


def partner_folders(cluster: Cluster) -> dict[str, dict[Path, set[str]]]:
    """partner -> story folder -> the file names in it."""
    found: dict[str, dict[Path, set[str]]] = defaultdict(lambda: defaultdict(set))
    for f in cluster.outputs():
        partner = f.relative_to(cluster.out).parts[0]
        found[partner][f.parent].add(f.name)
    return found


def test_each_story_reaches_each_partner_exactly_once_in_each_of_its_formats(run: Run) -> None:
    files = run.cluster.outputs()
    assert not [f for f in files if f.name.startswith(".tmp-")], "half-written files left behind"
    for partner, folders in partner_folders(run.cluster).items():
        language, names = EXPECTED[partner]
        assert len(folders) == STORIES, f"{partner}: {len(folders)} stories"
        for folder, got in folders.items():
            assert folder.relative_to(run.cluster.out / partner).parts[0] == language
            assert got == names, f"{partner}: {folder.name} has {sorted(got)}"
    assert sorted(partner_folders(run.cluster)) == sorted(EXPECTED)


def test_the_partners_get_every_original_or_its_spanish_translation(run: Run) -> None:
    folders = partner_folders(run.cluster)
    originals = {}
    for folder in folders["homewire"]:
        (item,) = formats.parse((folder / "v1.newsmlg2.xml").read_bytes()).items
        originals[item.guid] = item.headline
    assert sorted(originals.values()) == sorted(headline(i) for i in range(STORIES))
    for partner in ("diario", "portal"):
        sources = []
        for folder in folders[partner]:
            (item,) = formats.parse((folder / "v1.newsmlg2.xml").read_bytes()).items
            assert item.language == "es"
            sources += [link.residref for link in item.links if link.rel == TRANSLATED_FROM]
        assert sorted(sources) == sorted(originals), partner
    for folder in folders["portal"]:
        assert json.loads((folder / "v1.ninjs.json").read_bytes())["language"] == "es"
