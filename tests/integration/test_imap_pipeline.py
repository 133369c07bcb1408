"""E-mailed stories through the whole pipeline: an IMAP mailbox on a real Dovecot, Redis, and a
fresh worker per role, restarted between runs; every message is ingested exactly once."""

from __future__ import annotations

import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import yaml
from pipeline_cluster import SYNDICATE, THREE_PARTNERS, Cluster, redis_available, wait_for

from dovecot_server import PASSWORD, Dovecot, message, running
from syndicate import formats

pytestmark = pytest.mark.integration

MAILBOX = "Stringers"
GOOD = 4
#: no Subject: the codec refuses it (the subject line is the headline)
BAD = (b"From: Ana Reyes <ana.reyes@stringers.example.org>\r\n"
       b"Date: Sun, 29 Nov 2026 11:00:00 -0500\r\n"
       b"Message-ID: <no-subject@stringers.example.org>\r\n\r\nRIVERTON - Forgot the subject.\r\n")


@dataclass
class Desk:
    server: Dovecot
    cluster: Cluster
    runs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)

    def run_once(self) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*SYNDICATE, "run", "--once", "--timeout", "240"],
                              env=self.cluster.env, cwd=self.cluster.tmp, capture_output=True,
                              text=True, timeout=300)
        self.runs.append(done)
        return done

    def start_workers(self) -> None:
        first = len(self.cluster.workers)
        self.cluster.start_worker("ingest", concurrency=4)
        self.cluster.start_worker("translate", concurrency=2)
        self.cluster.start_worker("export", concurrency=8)

        def ready(n: int) -> bool:
            log = (self.cluster.logs / f"worker-{n}.log").read_text(errors="replace")
            return f"{self.cluster.tag}-{n}@" in log and " ready." in log

        wait_for(lambda: all(ready(n) for n in range(first, first + 3)), 90, "workers ready")

    def restart_workers(self) -> None:
        """A crash of every worker: the next run meets fresh processes."""
        for proc in self.cluster.workers:
            if proc.poll() is None:
                self.cluster.kill_worker(proc)
        self.start_workers()

    def failure(self) -> str:
        return "\n".join(r.stdout + r.stderr for r in self.runs) + self.cluster.worker_log() + \
            self.server.log()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    tmp = tmp_path_factory.mktemp("imap")
    with running() as server:
        server.create_mailbox(MAILBOX)
        source = {"name": "stringers", **server.source_options(MAILBOX),
                  "timezone": "America/New_York"}
        config = THREE_PARTNERS + yaml.safe_dump({"sources": [source]}, sort_keys=False)
        cluster = Cluster(tmp / "cluster", config, SYNDICATE_TEST_IMAP_PASSWORD=PASSWORD)
        desk = Desk(server, cluster)
        try:
            for i in range(GOOD):
                server.append(message(i), MAILBOX)
            server.append(BAD, MAILBOX)
            desk.start_workers()
            yield desk
        finally:
            cluster.stop()
            cluster.cleanup_redis()


def partner_stories(cluster: Cluster) -> dict[str, dict[str, list[str]]]:
    """partner -> headline of each delivered story (original or translated) -> its files."""
    found: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in cluster.outputs():
        partner = f.relative_to(cluster.out).parts[0]
        if f.name.endswith(".newsmlg2.xml"):
            (item,) = formats.parse(f.read_bytes()).items
            found[partner][item.guid].append(f.name)
    return found


def test_mailbox_to_partners_exactly_once_across_worker_restarts(desk: Desk) -> None:
    first = desk.run_once()
    assert (f"{GOOD} ingested, 1 rejected, {GOOD} translated, {3 * GOOD} delivered, 0 failed"
            in first.stdout), desk.failure()

    # every worker crashes and comes back fresh: the mailbox holds nothing new for them
    desk.restart_workers()
    again = desk.run_once()
    assert again.returncode == 0, desk.failure()
    assert "0 ingested, 0 rejected" in again.stdout, desk.failure()
    assert "nothing new in stringers" in again.stdout, desk.failure()

    late = desk.server.append(message(GOOD, subject="Bridge reopens after flood repairs"),
                              MAILBOX)
    desk.restart_workers()
    third = desk.run_once()
    assert third.returncode == 0, desk.failure()
    assert "1 ingested, 0 rejected, 1 translated, 3 delivered, 0 failed" in third.stdout, \
        desk.failure()

    stories = partner_stories(desk.cluster)
    assert sorted(stories) == ["diario", "homewire", "portal"]
    for partner, by_guid in stories.items():
        assert len(by_guid) == GOOD + 1, f"{partner}: {sorted(by_guid)}"
        assert all(files == ["v1.newsmlg2.xml"] for files in by_guid.values()), \
            f"{partner}: {dict(by_guid)}"

    flags = desk.server.flags(MAILBOX)
    assert all("$Syndicated" in f for f in flags.values()), flags
    assert [uid for uid, f in flags.items() if "$SyndicateRejected" in f] == [GOOD + 1]
    assert late in flags and not any("\\Seen" in f for f in flags.values())


def test_the_rejected_message_is_quarantined_with_its_reason(desk: Desk) -> None:
    kept = sorted((desk.cluster.tmp / "var" / "quarantine" / "stringers").glob("*.eml"))
    if not kept:
        pytest.fail("no quarantined copy (the pipeline test must run first): " + desk.failure())
    (copy,) = kept
    assert copy.read_bytes() == BAD
    reason = copy.with_name(copy.name + ".reason.txt").read_text()
    assert "Subject" in reason


def test_the_delivered_story_keeps_the_mail_as_the_stringer_wrote_it(desk: Desk) -> None:
    home = sorted((desk.cluster.out / "homewire").rglob("v1.newsmlg2.xml"))
    items = [formats.parse(p.read_bytes()).items[0] for p in home]
    mine = next((i for i in items if i.headline == "Bridge reopens after flood repairs"), None)
    assert mine is not None, [i.headline for i in items]
    assert mine.byline == "Ana Reyes"
    assert mine.body[0].text.startswith("Flood waters began to recede")
    assert mine.dateline is not None and mine.dateline.raw.startswith("RIVERTON")
