"""`syndicate status` and the report behind it: counters per minute, last times, what needs
attention, and the exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from syndicate import ops
from syndicate.partners import SourceConfig, parse_config
from syndicate.settings import Settings
from syndicate.store import SqliteBackend, Store

CONFIG = """
partners:
  - id: acme
    languages: [en]
    destinations:
      - type: directory
        path: {out}
sources:
  - type: inbox
    name: wire
    path: {inbox}
    quiet_after: 10m
  - type: inbox
    name: slow
    path: {inbox}
"""
T = 1_800_000_000.0  # a fixed "now", on a minute boundary


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(SqliteBackend(tmp_path / "state.sqlite3"))


@pytest.fixture
def config(tmp_path: Path):  # type: ignore[no-untyped-def]
    return parse_config(CONFIG.format(out=tmp_path / "out", inbox=tmp_path / "in"))


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(data_dir=tmp_path / "var", **kw)  # type: ignore[arg-type]


def _gather(tmp_path: Path, config, store: Store, replies=None, broker: bool = True,  # type: ignore[no-untyped-def]
            now: float = T) -> ops.StatusReport:
    s = _settings(tmp_path, broker_url="redis://127.0.0.1:1/0" if broker else None)
    return ops.gather(s, config, store, inspector=lambda timeout: replies,
                      depths=lambda names: dict.fromkeys(names, 0), now=now)


def test_outcome_counts_are_kept_per_minute_and_only_for_the_last_15_minutes(store: Store) -> None:
    store.count_outcome("ingest", "ingested", now=T - 20 * 60)  # too old to count
    store.count_outcome("ingest", "ingested", now=T - 60)
    store.count_outcome("ingest", "ingested", now=T + 5)
    store.count_outcome("ingest", "ingested", now=T + 30)
    counts = store.outcome_counts([("ingest", "ingested")], now=T + 30)
    assert counts[("ingest", "ingested")][-2:] == [1, 2]
    assert sum(counts[("ingest", "ingested")]) == 3


def test_a_delivery_moves_the_partners_last_delivery_and_a_failure_counts_against_it(
        store: Store) -> None:
    store.count_outcome("deliver", "delivered", "acme", now=T)
    store.count_outcome("deliver", "retrying", "acme", now=T + 10)
    store.count_outcome("deliver", "failed", "acme", now=T + 20)
    assert store.partner_last_deliveries(["acme", "other"]) == {"acme": T, "other": None}
    assert store.partner_recent_failures(["acme", "other"], now=T + 20) == {"acme": 2, "other": 0}
    assert store.partner_recent_failures(["acme"], now=T + 16 * 60) == {"acme": 0}


def test_quiet_after_takes_seconds_or_a_duration_and_defaults_to_30_minutes() -> None:
    assert SourceConfig(type="inbox").quiet_after == 1800
    assert SourceConfig(type="inbox", quiet_after="2h").quiet_after == 7200  # type: ignore[arg-type]
    assert SourceConfig(type="inbox", quiet_after="1h30m").quiet_after == 5400  # type: ignore[arg-type]
    assert SourceConfig(type="inbox", quiet_after=90).quiet_after == 90
    with pytest.raises(ValueError, match="not a duration"):
        SourceConfig(type="inbox", quiet_after="soon")  # type: ignore[arg-type]


def test_all_is_well_when_every_queue_has_a_consumer_and_nothing_failed(
        tmp_path: Path, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    from syndicate.tasks.operations import all_queues

    queues = tuple(all_queues(_settings(tmp_path, broker_url="redis://127.0.0.1:1/0")))
    store.note_beat(now=T - 5)
    store.note_arrival("wire", now=T - 60)
    report = _gather(tmp_path, config, store, replies={"all-1@host": queues})
    assert report.attention == ()
    assert report.roles_online() == {"all": 1}
    assert report.ok


def test_a_queue_without_consumer_a_crashed_worker_and_a_dead_letter_need_attention(
        tmp_path: Path, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.note_worker("export-7@host", "export", ["export"], now=T - 120)
    store.note_worker("ingest-1@host", "ingest", ["ingest"], now=T - 120)
    store.note_worker_stopped("ingest-1@host", now=T - 100)
    store.add_dead_letter("syndicate.export", {"guid": "g1"}, RuntimeError("disk on fire"), "g1")
    store.note_beat(now=T)
    report = _gather(tmp_path, config, store, replies={})
    text = "\n".join(report.attention)
    assert "queue export has no worker consuming it" in text
    assert "worker export-7@host (export) stopped answering without shutting down" in text
    assert "ingest-1@host" not in text  # shut down on purpose
    assert "1 dead letter(s) wait" in text
    states = {w.node: w.state for w in report.workers}
    assert states == {"export-7@host": "not answering", "ingest-1@host": "stopped"}


def test_a_source_is_quiet_only_after_its_own_quiet_after(
        tmp_path: Path, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.note_arrival("wire", now=T - 11 * 60)  # quiet_after 10m
    store.note_arrival("slow", now=T - 11 * 60)  # the default, 30m
    report = _gather(tmp_path, config, store, broker=False)
    quiet = {s.name: s.quiet for s in report.sources}
    assert quiet == {"wire": True, "slow": False}
    assert any("source wire: nothing arrived for longer than 10m" in a for a in report.attention)


def test_the_embedded_mode_does_not_require_workers_or_the_beat(
        tmp_path: Path, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    report = _gather(tmp_path, config, store, replies={}, broker=False)
    assert report.attention == ()
    assert report.embedded and not report.beat.needed


def test_failing_partner_deliveries_need_attention(
        tmp_path: Path, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.count_outcome("deliver", "retrying", "acme", now=T - 30)
    report = _gather(tmp_path, config, store, broker=False)
    assert report.attention == ("partner acme: 1 failed deliveries in the last 15 minutes",)


def test_status_json_carries_the_report(tmp_path: Path, config, store: Store) -> None:  # type: ignore[no-untyped-def]
    store.count_outcome("translate", "translated", now=T - 30)
    out = _gather(tmp_path, config, store, broker=False).to_json()
    json.dumps(out)
    assert out["stages"]["translate"]["translated"]["last_15_min"] == 1  # type: ignore[index]


def test_status_exits_3_with_one_line_when_redis_is_unreachable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        fresh_settings: None) -> None:
    from syndicate.cli import main

    monkeypatch.setenv("SYNDICATE_BROKER_URL", f"redis://127.0.0.1:{_free_port()}/0")
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path / "var"))
    assert main(["status"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unreachable" in err and "Traceback" not in err


def test_status_in_the_embedded_mode_exits_0_when_all_is_well(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        fresh_settings: None) -> None:
    from syndicate.cli import main

    monkeypatch.delenv("SYNDICATE_BROKER_URL", raising=False)
    monkeypatch.delenv("SYNDICATE_REDIS_URL", raising=False)
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.chdir(tmp_path)
    assert main(["status", "--timeout", "0.2"]) == 0
    assert capsys.readouterr().out.startswith("all well")


def test_status_help_lists_every_condition_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    from syndicate.cli import main

    with pytest.raises(SystemExit):
        main(["status", "--help"])
    out = capsys.readouterr().out
    for condition in ops.ATTENTION_CONDITIONS:
        assert condition in out
    assert "3 the state store or the broker is unreachable" in out


def _free_port() -> int:
    """A loopback port nothing listens on: a Redis there is unreachable."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_dead_letters_written_before_the_index_are_still_listed_and_removed(store: Store) -> None:
    import dataclasses

    old = store.add_dead_letter("syndicate.export", {"guid": "g0"}, RuntimeError("x"), "g0")
    # as the store wrote them before the index: the record only
    store.b.apply([("srem", "dead-index", "all", old.id), ("delete", "dead-index", "built")])
    store.b.put("dead", "20200101000000-olderone",
                json.dumps(dataclasses.asdict(dataclasses.replace(old, id="20200101000000-olderone"))))
    assert sorted(d.id for d in store.dead_letters()) == ["20200101000000-olderone", old.id]
    store.remove_dead_letter(old.id)
    assert [d.id for d in store.dead_letters()] == ["20200101000000-olderone"]


def test_a_worker_not_seen_for_a_day_is_forgotten(store: Store) -> None:
    store.note_worker("w1@host", "ingest", ["ingest"], now=T)
    assert [w.node for w in store.workers_seen()] == ["w1@host"]
    store.b.delete("worker", "w1@host")  # as its day-long sighting expiring does
    assert store.workers_seen() == []
    assert store.b.smembers("worker-index", "all") == set()
