"""Metrics on real Redis with real workers: each role's exporter and the feed server's /metrics
move with a batch, and every metric the dashboard draws is there to be drawn."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pipeline_cluster import SYNDICATE, THREE_PARTNERS, Cluster, free_port, redis_available, wait_for
from prometheus_client.parser import text_string_to_metric_families

from syndicate import formats
from syndicate.item import Block, NewsItem

pytestmark = pytest.mark.integration

DASHBOARD = Path(__file__).resolve().parents[2] / "configs" / "grafana" / "dashboards" / \
    "syndicate.json"
TOKEN = "operator-test-token"
CONFIG = THREE_PARTNERS + """
sources:
  - type: inbox
    name: wire
    path: {out}/../inbox
    quiet_after: 10m
"""
ITEMS = 4
NOW = dt.datetime(2026, 11, 30, 6, 0, tzinfo=dt.UTC)



def write_items(inbox: Path, n: int) -> None:
    inbox.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        item = NewsItem(guid=f"urn:newsml:example.com:20261130:metrics-{i}",
                        headline=f"Council approves plan number {i}", language="en",
                        provider="example.com", created=NOW,
                        body=(Block.para(f"The city council approved plan number {i}."),))
        (inbox / f"story-{i}.xml").write_bytes(formats.renderer("newsmlg2").render(item))


Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str, token: str | None = None) -> tuple[str, Samples]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    r = httpx.get(url, headers=headers, timeout=10)
    r.raise_for_status()
    samples = {(s.name, tuple(sorted(s.labels.items()))): s.value
               for fam in text_string_to_metric_families(r.text) for s in fam.samples}
    return r.text, samples


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of ``name``'s samples whose labels include ``labels``."""
    want = set(labels.items())
    return sum(v for (n, lbl), v in samples.items() if n == name and want <= set(lbl))


@dataclass
class Run:
    cluster: Cluster
    exporters: dict[str, str]
    serve_url: str
    before: dict[str, Samples]
    after: dict[str, Samples]
    texts: dict[str, str]

    def delta(self, who: str, name: str, **labels: str) -> float:
        return total(self.after[who], name, **labels) - total(self.before[who], name, **labels)


def run_once(cluster: Cluster) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SYNDICATE, "run", "--once", "--timeout", "180"], env=cluster.env,
                          cwd=cluster.tmp, capture_output=True, text=True, timeout=240)


def scrape_all(exporters: dict[str, str], serve_url: str) -> tuple[dict[str, str], dict[str, Samples]]:
    texts, samples = {}, {}
    for who, url in {**exporters, "serve": serve_url}.items():
        texts[who], samples[who] = scrape(url, TOKEN if who == "serve" else None)
    return texts, samples


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    tmp = tmp_path_factory.mktemp("metrics")
    cluster = Cluster(tmp, CONFIG, SYNDICATE_OPERATOR_TOKEN=TOKEN)
    serve: subprocess.Popen[bytes] | None = None
    try:
        exporters = {}
        for role, concurrency in (("ingest", 2), ("translate", 2), ("export", 2)):
            port = free_port()
            cluster.start_worker(role, concurrency, SYNDICATE_METRICS_PORT=str(port))
            exporters[role] = f"http://127.0.0.1:{port}/metrics"
        port = free_port()
        serve = subprocess.Popen([*SYNDICATE, "serve", "--port", str(port)], env=cluster.env,
                                 cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        serve_url = f"http://127.0.0.1:{port}/metrics"

        def answering() -> bool:
            try:
                scrape_all(exporters, serve_url)
                return True
            except httpx.HTTPError:
                return False

        wait_for(answering, 60, "the worker exporters and the feed server")
        _, before = scrape_all(exporters, serve_url)
        write_items(tmp / "inbox", ITEMS)
        first_story = (tmp / "inbox" / "story-0.xml").read_bytes()
        done = run_once(cluster)
        assert done.returncode == 0, done.stdout + done.stderr + cluster.worker_log()
        (tmp / "inbox" / "broken.xml").write_bytes(b"<newsItem><broken")
        # the first story again under another name: a duplicate
        (tmp / "inbox" / "again.xml").write_bytes(first_story)
        run_once(cluster)  # exits non-zero: the input is rejected
        texts, after = scrape_all(exporters, serve_url)
        yield Run(cluster, exporters, serve_url, before, after, texts)
    finally:
        if serve is not None:
            serve.terminate()
            serve.wait(timeout=15)
        cluster.stop()
        cluster.cleanup_redis()


def test_ingest_worker_counts_items_duplicates_and_the_rejected_input(run: Run) -> None:
    assert run.delta("ingest", "syndicate_items_ingested_total", source="wire") == ITEMS
    assert run.delta("ingest", "syndicate_items_rejected_total", source="wire") == 1
    assert run.delta("ingest", "syndicate_items_duplicate_total", source="wire") == 1
    assert run.delta("ingest", "syndicate_stage_duration_seconds_count", stage="ingest") >= ITEMS


def test_translate_worker_counts_its_prefork_childrens_translations(run: Run) -> None:
    assert run.delta("translate", "syndicate_translations_total", pair="en-es") == ITEMS
    assert run.delta("translate", "syndicate_translation_sentences_total") > 0
    assert run.delta("translate", "syndicate_stage_duration_seconds_count",
                     stage="translate") == ITEMS


def test_export_worker_counts_deliveries_and_their_latency(run: Run) -> None:
    # diario, homewire and portal: three deliveries per story
    assert run.delta("export", "syndicate_deliveries_total", outcome="delivered") == 3 * ITEMS
    assert run.delta("export", "syndicate_stage_duration_seconds_count",
                     stage="deliver") == 3 * ITEMS
    assert run.delta("export", "syndicate_end_to_end_seconds_count") == 3 * ITEMS
    assert run.delta("export", "syndicate_end_to_end_seconds_sum") > 0


def test_feed_server_gauges_move_with_the_batch(run: Run) -> None:
    assert run.delta("serve", "syndicate_dead_letters") == 1
    now = time.time()
    arrival = total(run.after["serve"], "syndicate_source_last_arrival_timestamp_seconds",
                    source="wire")
    assert now - 300 < arrival <= now
    assert total(run.after["serve"], "syndicate_source_quiet_after_seconds", source="wire") == 600
    for partner in ("diario", "homewire", "portal"):
        assert total(run.after["serve"], "syndicate_partner_last_delivery_timestamp_seconds",
                     partner=partner) > now - 300
    assert total(run.after["serve"], "syndicate_workers_online", role="translate") == 1
    assert total(run.after["serve"], "syndicate_queue_consumers", queue="export") == 1
    assert total(run.after["serve"], "syndicate_queue_depth") == 0


def metric_names(expr: str) -> set[str]:
    """The syndicate metric names a PromQL expression reads (histogram series named as such)."""
    return set(re.findall(r"\bsyndicate_[a-z_]+", expr))


def test_every_metric_the_dashboard_draws_is_exposed(run: Run) -> None:
    exposed = set()
    for text in run.texts.values():
        for fam in text_string_to_metric_families(text):
            exposed |= {s.name for s in fam.samples}
    panels = json.loads(DASHBOARD.read_text())["panels"]
    missing = {}
    for panel in panels:
        for target in panel.get("targets", []):
            absent = metric_names(target["expr"]) - exposed
            if absent:
                missing[panel["title"]] = sorted(absent)
    assert not missing, missing
    assert sum(len(p.get("targets", [])) for p in panels) >= 8


def test_a_queue_nobody_takes_shows_its_depth_age_and_no_consumer(tmp_path: Path) -> None:
    if not redis_available():
        pytest.fail("Redis is expected at 127.0.0.1:6379 for the integration tests")
    cluster = Cluster(tmp_path, CONFIG, SYNDICATE_OPERATOR_TOKEN=TOKEN)
    serve: subprocess.Popen[bytes] | None = None
    run_proc: subprocess.Popen[str] | None = None
    try:
        cluster.start_worker("ingest", 2)  # and no translate worker
        port = free_port()
        serve = subprocess.Popen([*SYNDICATE, "serve", "--port", str(port)], env=cluster.env,
                                 cwd=tmp_path, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL, start_new_session=True)
        url = f"http://127.0.0.1:{port}/metrics"
        write_items(tmp_path / "inbox", 2)
        run_proc = subprocess.Popen([*SYNDICATE, "run", "--once", "--timeout", "60"],
                                    env=cluster.env, cwd=tmp_path, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, text=True,
                                    start_new_session=True)

        def translate_waiting() -> bool:
            try:
                samples = scrape(url, TOKEN)[1]
            except httpx.HTTPError:
                return False
            return (total(samples, "syndicate_queue_depth", queue="translate") == 2
                    and total(samples, "syndicate_queue_oldest_age_seconds", queue="translate") > 1
                    # the workers' answer is refreshed every 10 s: the ingest worker shows
                    and total(samples, "syndicate_queue_consumers", queue="ingest") == 1)

        wait_for(translate_waiting, 60, "two translations waiting a second in their queue")
        samples = scrape(url, TOKEN)[1]
        assert total(samples, "syndicate_queue_consumers", queue="translate") == 0
        assert total(samples, "syndicate_queue_consumers", queue="ingest") == 1
        assert total(samples, "syndicate_workers_online", role="translate") == 0
        assert total(samples, "syndicate_workers_online", role="ingest") == 1
    finally:
        for proc in (run_proc, serve):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=15)
        cluster.stop()
        cluster.cleanup_redis()
