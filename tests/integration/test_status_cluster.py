"""`syndicate status` against real Redis and real workers: a worker killed, the queues it left
without a consumer, a dead letter, the flow that led there, and Redis going away."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pipeline_cluster import SYNDICATE, Cluster, OwnRedis, redis_available, wait_for

from syndicate import formats
from syndicate.item import Block, NewsItem

pytestmark = pytest.mark.integration

ONE_PARTNER = """
partners:
  - id: homewire
    languages: [en]
    formats: [newsmlg2]
    destinations:
      - type: directory
        path: {out}/homewire
"""


def write_item(inbox: Path) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    item = NewsItem(guid="urn:newsml:example.com:20261130:status-1",
                    headline="Council approves the plan", language="en",
                    provider="example.com",
                    body=(Block.para("The city council approved the plan on Friday."),),
                    created=dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC))
    (inbox / "story.xml").write_bytes(formats.renderer("newsmlg2").render(item))


def status(cluster: Cluster) -> tuple[int, dict[str, Any]]:
    done = cluster.cli("status", "--json", "--timeout", "1")
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def one_partner(tmp_path: Path) -> Any:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    c = Cluster(tmp_path, ONE_PARTNER)
    try:
        yield c
    finally:
        c.stop()
        c.cleanup_redis()


def test_status_reports_a_killed_worker_its_queues_without_consumer_and_a_dead_letter(
        one_partner: Cluster, tmp_path: Path) -> None:
    c = one_partner
    ingest = c.start_worker("ingest")
    export = c.start_worker("export")

    def both_online() -> bool:
        return set(status(c)[1]["roles_online"]) >= {"ingest", "export"}

    wait_for(both_online, 60, "the ingest and export workers to answer")
    inbox = tmp_path / "inbox"
    write_item(inbox)
    # what no format reads: rejected at ingest, kept as a dead letter
    (inbox / "garbage.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    c.run_once(inbox, timeout=90)
    wait_for(lambda: (c.out / "homewire").is_dir() and any((c.out / "homewire").rglob("*.xml")),
             30, "the story to reach the partner")

    c.kill_worker(export)
    code, report = status(c)
    assert code == 1
    attention = "\n".join(report["attention"])
    assert f"queue {c.tag}.export has no worker consuming it" in attention
    assert f"queue {c.tag}.export.urgent has no worker consuming it" in attention
    assert "stopped answering without shutting down" in attention
    assert "1 dead letter(s) wait" in attention
    states = {w["role"]: w["state"] for w in report["workers"]}
    assert states == {"ingest": "online", "export": "not answering"}
    consumers = {q["name"]: q["consumers"] for q in report["queues"]}
    assert consumers[f"{c.tag}.ingest"] and not consumers[f"{c.tag}.export"]
    assert report["dead_letter_count"] == 1
    assert report["dead_letters"][0]["task"] == "syndicate.ingest"
    assert report["stages"]["ingest"]["ingested"]["last_15_min"] == 1
    assert report["stages"]["ingest"]["rejected"]["last_15_min"] == 1
    assert report["stages"]["deliver"]["delivered"]["last_15_min"] == 1
    partner = report["partners"][0]
    assert partner["id"] == "homewire" and partner["last_delivery"] is not None

    # a worker stopped on purpose is named as stopped, not as something to look at
    ingest.terminate()
    ingest.wait(timeout=30)
    code, report = status(c)
    states = {w["role"]: w["state"] for w in report["workers"]}
    assert states == {"ingest": "stopped", "export": "not answering"}
    assert not any("ingest" in a and "stopped answering" in a for a in report["attention"])

    text = c.cli("status")
    assert text.returncode == 1
    print(text.stdout)
    assert "thing(s) need attention:" in text.stdout and "dead letters: 1" in text.stdout


def test_status_exits_3_with_one_line_when_redis_goes_away(tmp_path: Path) -> None:
    own = OwnRedis(tmp_path)
    own.start()
    c = Cluster(tmp_path / "c", ONE_PARTNER, redis_url=own.url)
    try:
        assert c.cli("status").returncode == 1  # no workers: queues without consumers
        own.kill()
        done = subprocess.run([*SYNDICATE, "status"], env=c.env, cwd=c.tmp, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 3
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1 and "unreachable" in done.stderr
        assert "Traceback" not in done.stderr
        # the health check of every role says the same, with 1
        check = c.cli("check", "--role", "export")
        assert check.returncode == 1 and "unreachable" in check.stderr
    finally:
        own.stop()
    assert sys.executable  # the same interpreter ran every command
