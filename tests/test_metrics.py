"""Metrics: what the pipeline records, and the cluster gauges of the feed server's /metrics."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from syndicate.partners import SourceConfig, parse_config
from syndicate.store import SqliteBackend, Store
from syndicate.web.cluster_metrics import QueueState, role_of, sent_at
from syndicate.web.feeds import create_app

CONFIG = """
sources:
  - type: inbox
    name: wire
    path: {inbox}
    quiet_after: 20m
  - type: inbox
    name: photos
    path: {inbox}
partners:
  - id: acme
    languages: [es]
    destinations:
      - type: directory
        path: {inbox}/../out/acme
  - id: globex
    languages: [es]
    destinations:
      - type: directory
        path: {inbox}/../out/globex
"""
OPERATOR = {"Authorization": "Bearer op-token"}
ENV = {"SYNDICATE_OPERATOR_TOKEN": "op-token"}


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(SqliteBackend(tmp_path / "state.sqlite3"))


class Broker:
    def __init__(self) -> None:
        self.nodes: dict[str, list[str]] | None = {
            "a@h": ["p.ingest"], "b@h": ["p.translate.urgent", "p.translate"],
            "c@h": ["p.translate.urgent", "p.translate"]}

    def queues(self) -> list[QueueState]:
        return [QueueState("p.ingest", 0, None), QueueState("p.translate", 7, 42.5),
                QueueState("p.export", 3, 12.0)]

    def consumers(self) -> dict[str, list[str]] | None:
        return self.nodes


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    r = client.get("/metrics", headers=OPERATOR)
    assert r.status_code == 200, r.text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for fam in text_string_to_metric_families(r.text) for s in fam.samples}


def app(store: Store, tmp_path: Path, environ: dict[str, str] = ENV,
        broker: Broker | None = None) -> TestClient:
    config = parse_config(CONFIG.format(inbox=tmp_path / "in"))
    return TestClient(create_app(config, store, environ=environ, broker=broker,
                                 queue_prefix="p."))


def test_metrics_without_the_operator_token_are_refused(store: Store, tmp_path: Path) -> None:
    client = app(store, tmp_path)
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_metrics_are_closed_when_no_operator_token_is_configured(store: Store,
                                                                  tmp_path: Path) -> None:
    r = app(store, tmp_path, environ={}).get("/metrics", headers=OPERATOR)
    assert r.status_code == 503 and "SYNDICATE_OPERATOR_TOKEN" in r.text


def test_dead_letter_gauge_follows_adds_and_removals(store: Store, tmp_path: Path) -> None:
    client = app(store, tmp_path)
    dl = store.add_dead_letter("syndicate.export", {"guid": "g"}, RuntimeError("boom"))
    store.add_dead_letter("syndicate.export", {"guid": "h"}, RuntimeError("boom"))
    assert scrape(client)[("syndicate_dead_letters", ())] == 2
    store.remove_dead_letter(dl.id)
    assert scrape(client)[("syndicate_dead_letters", ())] == 1


def test_sources_show_last_arrival_and_quiet_after(store: Store, tmp_path: Path) -> None:
    store.note_arrival("wire", 1_700_000_000.5)
    got = scrape(app(store, tmp_path))
    assert got[("syndicate_source_last_arrival_timestamp_seconds", (("source", "wire"),))] \
        == 1_700_000_000.5
    assert ("syndicate_source_last_arrival_timestamp_seconds", (("source", "photos"),)) not in got
    assert got[("syndicate_source_quiet_after_seconds", (("source", "wire"),))] == 1200
    assert got[("syndicate_source_quiet_after_seconds", (("source", "photos"),))] == 1800


def test_partner_failures_count_the_last_fifteen_minutes_only(store: Store,
                                                              tmp_path: Path) -> None:
    now = time.time()
    store.count_outcome("deliver", "failed", "acme", now=now - 20 * 60)
    store.count_outcome("deliver", "failed", "acme", now=now - 60)
    store.count_outcome("deliver", "retrying", "acme", now=now)
    store.count_outcome("deliver", "delivered", "globex", now=now - 5)
    got = scrape(app(store, tmp_path))
    assert got[("syndicate_partner_failures_recent", (("partner", "acme"),))] == 2
    assert got[("syndicate_partner_failures_recent", (("partner", "globex"),))] == 0
    assert got[("syndicate_partner_last_delivery_timestamp_seconds",
                (("partner", "globex"),))] == pytest.approx(now - 5)


def test_queue_gauges_come_from_the_broker(store: Store, tmp_path: Path) -> None:
    got = scrape(app(store, tmp_path, broker=Broker()))
    assert got[("syndicate_queue_depth", (("queue", "translate"),))] == 7
    assert got[("syndicate_queue_oldest_age_seconds", (("queue", "translate"),))] == 42.5
    assert got[("syndicate_queue_oldest_age_seconds", (("queue", "ingest"),))] == 0
    assert got[("syndicate_queue_consumers", (("queue", "translate"),))] == 2
    assert got[("syndicate_queue_consumers", (("queue", "export"),))] == 0
    assert got[("syndicate_workers_online", (("role", "translate"),))] == 2
    assert got[("syndicate_workers_online", (("role", "export"),))] == 0


def test_no_consumer_gauges_when_the_workers_cannot_be_asked(store: Store,
                                                             tmp_path: Path) -> None:
    broker = Broker()
    broker.nodes = None
    got = scrape(app(store, tmp_path, broker=broker))
    assert ("syndicate_queue_depth", (("queue", "export"),)) in got
    assert not any(name == "syndicate_queue_consumers" for name, _ in got)


def test_scrape_reads_no_delivery_history(store: Store, tmp_path: Path) -> None:
    def refuse() -> list[object]:
        raise AssertionError("the scrape walked the delivery history")

    store.deliveries = refuse  # type: ignore[method-assign]
    store.dead_letters = refuse  # type: ignore[method-assign]
    scrape(app(store, tmp_path))


@pytest.mark.parametrize(("queues", "role"), [
    (["p.ingest"], "ingest"),
    (["p.translate.urgent", "p.translate", "p.translate.en-es"], "translate"),
    (["p.export.urgent", "p.export"], "export"),
    (["p.translate.urgent", "p.export.urgent"], "urgent"),
    (["p.translate.urgent", "p.export.urgent", "p.ingest", "p.translate", "p.export"], "all"),
])
def test_a_workers_role_shows_in_its_queues(queues: list[str], role: str) -> None:
    assert role_of(queues, "p.") == role


def test_the_send_time_is_read_from_the_message_headers() -> None:
    assert sent_at(json.dumps({"headers": {"syndicate_sent_at": 12.5}})) == 12.5
    assert sent_at(json.dumps({"headers": {}})) is None
    assert sent_at(b"not json") is None


@pytest.mark.parametrize(("given", "seconds"), [(90, 90), ("90s", 90), ("30m", 1800),
                                                ("2h", 7200), ("1d", 86400)])
def test_quiet_after_takes_seconds_or_a_unit(given: object, seconds: float) -> None:
    assert SourceConfig(type="inbox", quiet_after=given).quiet_after == seconds


def test_quiet_after_refuses_what_is_not_a_duration() -> None:
    with pytest.raises(ValueError, match="not a duration"):
        SourceConfig(type="inbox", quiet_after="soon")


def sample(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_a_pipeline_run_counts_each_stage(tmp_path: Path) -> None:
    from pipeline_support import InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item

    def counts() -> dict[str, float]:
        return {
            "ingested": sample("syndicate_items_ingested_total",
                               {"source": "test", "format": "newsmlg2"}),
            "duplicate": sample("syndicate_items_duplicate_total",
                                {"source": "test", "format": "newsmlg2"}),
            "delivered": sample("syndicate_deliveries_total", {
                "partner": "acme", "destination": "0", "outcome": "delivered"}),
            "e2e": sample("syndicate_end_to_end_seconds_count", {"partner": "acme"}),
            "deliver": sample("syndicate_stage_duration_seconds_count", {"stage": "deliver"}),
            "translate": sample("syndicate_stage_duration_seconds_count", {"stage": "translate"}),
        }

    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    before = counts()
    translations = sum(s.value for fam in REGISTRY.collect() for s in fam.samples
                       if s.name == "syndicate_translations_total")
    data = g2_bytes(sample_item())
    ingest(rt, data, d)
    d.drain(rt)
    ingest(rt, data, d)
    after = counts()
    delta = {k: after[k] - before[k] for k in before}
    assert delta == {"ingested": 1, "duplicate": 1, "delivered": 1, "e2e": 1, "deliver": 2,
                     "translate": 1}
    assert sum(s.value for fam in REGISTRY.collect() for s in fam.samples
               if s.name == "syndicate_translations_total") == translations + 1


def test_a_rejected_input_counts_and_adds_a_dead_letter(tmp_path: Path) -> None:
    from pipeline_support import InlineDispatcher, ingest, make_runtime

    rt = make_runtime(tmp_path)
    before = sample("syndicate_items_rejected_total", {"source": "test"})
    ingest(rt, b"<newsItem><broken", InlineDispatcher())
    assert sample("syndicate_items_rejected_total", {"source": "test"}) == before + 1
    assert rt.store.dead_letter_count() == 1


def test_a_failed_delivery_attempt_counts_for_its_partner(tmp_path: Path) -> None:
    from pipeline_support import InlineDispatcher, g2_bytes, ingest, make_runtime, sample_item

    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    ingest(rt, g2_bytes(sample_item()), d)
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / "acme").write_text("a file where the folder should be")
    labels = {"partner": "acme", "destination": "0", "outcome": "failed"}
    before = sample("syndicate_deliveries_total", labels)
    with pytest.raises(Exception):  # noqa: B017 - whichever error the destination raises
        d.drain(rt)
    assert sample("syndicate_deliveries_total", labels) == before + 1


def test_old_payloads_without_an_arrival_time_still_load() -> None:
    from syndicate.pipeline import ExportJob, TranslateJob, job_from_payload

    job = job_from_payload(ExportJob, {"guid": "g", "version": 1, "language": "es",
                                       "partner": "acme", "destination": "0",
                                       "formats": ["ninjs"]})
    assert job.arrived == 0.0
    assert job_from_payload(TranslateJob, {"guid": "g", "version": 1, "source_language": "en",
                                           "target": "es"}).arrived == 0.0


def test_consumers_are_asked_once_then_refreshed_in_the_background() -> None:
    from syndicate.web.cluster_metrics import CachedInspect

    calls: list[float] = []

    def ask() -> dict[str, list[str]]:
        calls.append(time.monotonic())
        time.sleep(0.3)
        return {"a@h": [f"q{len(calls)}"]}

    cached = CachedInspect(ask, ttl=0.0)
    assert cached() == {"a@h": ["q1"]}
    t0 = time.monotonic()
    assert cached() == {"a@h": ["q1"]}  # the stale answer, at once; a refresh starts
    assert time.monotonic() - t0 < 0.2
    deadline = time.monotonic() + 5
    while cached() != {"a@h": ["q2"]} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cached() in ({"a@h": ["q2"]}, {"a@h": ["q3"]})


def test_recount_takes_in_dead_letters_recorded_before_the_count(store: Store) -> None:
    import json as _json

    store.add_dead_letter("syndicate.export", {"guid": "g"}, RuntimeError("boom"))
    # as an older release recorded one: the record only
    store.b.put("dead", "20261101000000-old", _json.dumps({"id": "20261101000000-old"}))
    assert store.dead_letter_count() == 2
    assert store.recount_dead_letters() == 2
    assert store.b.smembers("dead-index", "all") == set(store.b.keys("dead"))


def test_a_worker_starts_with_an_empty_metrics_directory(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from prometheus_client import values

    from syndicate import metrics

    monkeypatch.setattr(values, "ValueClass", values.ValueClass)
    monkeypatch.delenv(metrics.MULTIPROC_ENV, raising=False)
    monkeypatch.delenv(metrics.DIR_ENV, raising=False)
    monkeypatch.delenv(metrics.PORT_ENV, raising=False)
    monkeypatch.setenv("SYNDICATE_WORKER_ROLE", "translate")
    settings = metrics.ExporterSettings.from_env(tmp_path, "translate-1@host")
    assert settings.port == 9809 and settings.host == "127.0.0.1"
    assert settings.directory == tmp_path / "metrics" / "translate-1@host"
    settings.directory.mkdir(parents=True)
    (settings.directory / "counter_4242.db").write_bytes(b"from the last run")
    assert metrics.prepare_worker(settings)
    assert list(settings.directory.iterdir()) == []
    assert os.environ[metrics.MULTIPROC_ENV] == str(settings.directory)


def test_port_zero_turns_a_workers_metrics_off(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from syndicate import metrics

    monkeypatch.setattr(metrics, "_enabled", True)
    monkeypatch.setenv(metrics.PORT_ENV, "0")
    assert not metrics.prepare_worker(metrics.ExporterSettings.from_env(tmp_path, "w@h"))
    assert metrics._get() is None


def test_a_port_that_is_not_a_number_stops_the_worker(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from syndicate import metrics
    from syndicate.errors import ConfigError

    monkeypatch.setenv(metrics.PORT_ENV, "nine")
    with pytest.raises(ConfigError, match="SYNDICATE_METRICS_PORT"):
        metrics.ExporterSettings.from_env(tmp_path, "w@h")


def test_an_arrival_is_noted_when_a_source_takes_it_and_a_replay_is_none(tmp_path: Path) -> None:
    from pipeline_support import InlineDispatcher, g2_bytes, make_runtime, sample_item
    from syndicate.partners import SourceConfig
    from syndicate.pipeline import IngestJob, handle_ingest
    from syndicate.sources import SourceEnv, collect, create

    rt = make_runtime(tmp_path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xml").write_bytes(g2_bytes(sample_item()))
    source = create(SourceConfig(type="inbox", name="wire", path=str(inbox)),  # type: ignore[call-arg]
                    0, SourceEnv(rt.store, tmp_path))
    jobs: list[IngestJob] = []
    collect(source, rt.store, jobs.append)
    (noted,) = rt.store.source_last_arrivals(["wire"]).values()
    assert noted is not None and abs(noted - time.time()) < 60
    # the replay of a dead letter goes straight to ingest: no source took anything
    blob = rt.store.put_blob(g2_bytes(sample_item(2)))
    handle_ingest(rt, IngestJob("wire", "", blob, "b.xml"), InlineDispatcher())
    assert rt.store.source_last_arrivals(["wire"]) == {"wire": noted}


def test_deliveries_carry_the_arrival_time_for_their_end_to_end_latency(tmp_path: Path) -> None:
    from pipeline_support import InlineDispatcher, g2_bytes, make_runtime, sample_item
    from syndicate.pipeline import IngestJob, handle_ingest

    rt = make_runtime(tmp_path)
    d = InlineDispatcher()
    blob = rt.store.put_blob(g2_bytes(sample_item()))
    arrived = rt.now().timestamp() - 42.0
    labels = {"partner": "acme"}
    count = sample("syndicate_end_to_end_seconds_count", labels)
    total = sample("syndicate_end_to_end_seconds_sum", labels)
    handle_ingest(rt, IngestJob("wire", "a.xml", blob, "a.xml", arrived=arrived), d)
    d.drain(rt)
    assert {j.arrived for j in d.exports} == {arrived}
    assert sample("syndicate_end_to_end_seconds_count", labels) == count + 1
    assert sample("syndicate_end_to_end_seconds_sum", labels) == pytest.approx(total + 42.0)


def test_each_role_has_its_own_default_exporter_port(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    from syndicate import metrics

    monkeypatch.delenv(metrics.PORT_ENV, raising=False)
    ports = {}
    for role in ("ingest", "translate", "export", "urgent", "all"):
        monkeypatch.setenv("SYNDICATE_WORKER_ROLE", role)
        ports[role] = metrics.ExporterSettings.from_env(tmp_path, role).port
    assert len(set(ports.values())) == 5 and ports["ingest"] == 9808
    monkeypatch.setenv(metrics.PORT_ENV, "9808")
    assert metrics.ExporterSettings.from_env(tmp_path, "x").port == 9808
