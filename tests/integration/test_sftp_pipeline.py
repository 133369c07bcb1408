"""Stories through the whole pipeline to partners' SFTP servers: Redis, real `celery worker`
processes and Debian's OpenSSH server; each delivery arrives once, whole, and a kill replaces
the story."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from pipeline_cluster import Cluster, redis_available

from sshd_server import Sshd, running
from syndicate import formats
from syndicate.item import Block, NewsItem, PubStatus

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.UTC)
STORIES = 20
KILLED = (3, 7)


def story(i: int, version: int = 1, status: PubStatus = PubStatus.USABLE) -> bytes:
    item = NewsItem(
        guid=f"urn:newsml:example.com:20261128:story-{i}",
        version=version,
        pub_status=status,
        headline=f"Council approves plan number {i}",
        language="en",
        provider="example.com",
        body=(Block.para(f"The city council approved plan number {i} on Friday."),
              Block.para("The council meets every two weeks in the old town hall.")),
        created=NOW,
    )
    return formats.renderer("newsmlg2").render(item)


@pytest.fixture
def sshd() -> Iterator[Sshd]:
    with running() as server:
        yield server


def config(server: Sshd) -> str:
    def sftp(path: Path, **more: object) -> dict[str, object]:
        return {"type": "sftp", **server.options(path=str(path)), **more}

    return yaml.safe_dump({
        "translation": {"engine": "apertium"},
        "partners": [
            # a server of its own: the path is the partner's already
            {"id": "homewire", "languages": ["en"], "formats": ["newsmlg2", "ninjs"],
             "destinations": [sftp(server.root / "homewire", partner_subdir=False)]},
            # a shared server: the partner's folder first
            {"id": "diario", "languages": ["es"], "formats": ["newsmlg2"],
             "destinations": [sftp(server.root / "shared")]},
        ],
    }, sort_keys=False)


def uploaded(server: Sshd) -> list[Path]:
    return sorted(p for p in server.root.rglob("*") if p.is_file())


def test_workers_deliver_to_sftp_once_each_and_a_kill_replaces_the_story(
    sshd: Sshd, tmp_path: Path
) -> None:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    cluster = Cluster(tmp_path / "c", config(sshd))
    try:
        inbox = tmp_path / "inbox"
        inbox.mkdir()
        for i in range(STORIES):
            (inbox / f"story-{i:03d}.xml").write_bytes(story(i))
        cluster.start_worker("all", concurrency=4)
        done = cluster.run_once(inbox)
        failure = done.stdout + done.stderr + cluster.worker_log() + sshd.log()
        assert done.returncode == 0, failure
        assert (f"{STORIES} ingested, 0 rejected, {STORIES} translated, {2 * STORIES} "
                "delivered, 0 failed") in done.stdout, failure

        # the summary names the server with the folder
        server = f"sftp://{sshd.user}@127.0.0.1:{sshd.port}"
        assert (f"results for homewire (en): {server}{sshd.root}/homewire ({STORIES} delivered)"
                in done.stdout), done.stdout
        assert f"results for diario (es): {server}{sshd.root}/shared" in done.stdout

        files = uploaded(sshd)
        assert not [f for f in files if f.name.startswith(".tmp-")], files
        home = [f.relative_to(sshd.root / "homewire") for f in files
                if f.is_relative_to(sshd.root / "homewire")]
        spanish = [f.relative_to(sshd.root / "shared") for f in files
                   if f.is_relative_to(sshd.root / "shared")]
        assert len(home) == 2 * STORIES and all(p.parts[0] == "en" for p in home), home
        assert len(spanish) == STORIES and all(p.parts[:2] == ("diario", "es") for p in spanish)
        for f in files:
            (item,) = formats.parse(f.read_bytes()).items  # whole documents, every one
            assert item.version == 1
        # connections are kept: far fewer logins than deliveries
        logins = (sshd.folder / "sshd.log").read_text(errors="replace").count("Accepted publickey")
        assert 0 < logins < 2 * STORIES, logins

        kills = tmp_path / "kills"
        kills.mkdir()
        for i in KILLED:
            (kills / f"kill-{i}.xml").write_bytes(story(i, 2, PubStatus.CANCELED))
        killed = cluster.run_once(kills)
        assert killed.returncode == 0, killed.stdout + killed.stderr + cluster.worker_log()

        after = uploaded(sshd)
        assert len(after) == len(files) + 3 * len(KILLED), after
        versions = Counter((f.parent, f.name.split(".")[0]) for f in after)
        assert all(n in (1, 2) for n in versions.values())
        for f in after:
            if f.name.startswith("v2."):
                (item,) = formats.parse(f.read_bytes()).items
                assert item.pub_status is PubStatus.CANCELED
                assert any(item.guid.startswith(f"urn:newsml:example.com:20261128:story-{i}")
                           and item.guid[len(f"urn:newsml:example.com:20261128:story-{i}"):]
                           in ("", ":es") for i in KILLED), item.guid
    finally:
        cluster.stop()
        cluster.cleanup_redis()
