"""The inbox folder source: claim by rename, archive on success, quarantine with a reason."""

from __future__ import annotations

from pathlib import Path

from syndicate.partners import SourceConfig
from syndicate.pipeline import IngestJob
from syndicate.sources import SourceEnv, collect, create
from syndicate.store import SqliteBackend, Store


def _setup(tmp: Path, claim: str = "move"):  # type: ignore[no-untyped-def]
    store = Store(SqliteBackend(tmp / "s.db"))
    inbox = tmp / "inbox"
    inbox.mkdir()
    cfg = SourceConfig.model_validate({"type": "inbox", "name": "in", "path": str(inbox),
                                       "claim": claim})
    return store, inbox, create(cfg, 0, SourceEnv(store, tmp / "var"))


def test_file_is_claimed_once_by_rename(tmp_path: Path) -> None:
    store, inbox, src = _setup(tmp_path)
    (inbox / "a.txt").write_bytes(b"copy")
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    collect(src, store, jobs.append)
    assert len(jobs) == 1
    assert not (inbox / "a.txt").exists() and (inbox / ".processing" / "a.txt").exists()


def test_ingested_file_is_archived(tmp_path: Path) -> None:
    store, inbox, src = _setup(tmp_path)
    (inbox / "a.txt").write_bytes(b"copy")
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    store.set_outcome("in", jobs[0].ref, None)
    collect(src, store, jobs.append)
    assert [p.name for p in (inbox / ".archive").rglob("*") if p.is_file()] == ["a.txt"]
    assert not any((inbox / ".processing").iterdir())


def test_rejected_file_is_quarantined_beside_its_reason(tmp_path: Path) -> None:
    store, inbox, src = _setup(tmp_path)
    (inbox / "bad.xml").write_bytes(b"<x")
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    store.set_outcome("in", jobs[0].ref, "MalformedInput: unclosed tag")
    collect(src, store, jobs.append)
    reason = inbox / ".quarantine" / "bad.xml.reason.txt"
    assert "unclosed tag" in reason.read_text()
    assert (inbox / ".quarantine" / "bad.xml").read_bytes() == b"<x"


def test_readme_and_hidden_files_are_left_alone(tmp_path: Path) -> None:
    store, inbox, src = _setup(tmp_path)
    (inbox / "README.md").write_text("drop wire copy here")
    (inbox / ".partial").write_text("x")
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    assert jobs == []


def test_keep_mode_leaves_files_in_place_and_takes_each_once(tmp_path: Path) -> None:
    store, inbox, src = _setup(tmp_path, claim="keep")
    (inbox / "a.txt").write_bytes(b"copy")
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    collect(src, store, jobs.append)
    assert len(jobs) == 1 and (inbox / "a.txt").exists()


def test_file_claimed_by_a_poller_that_died_is_queued_again(tmp_path: Path) -> None:
    store, inbox, src = _setup(tmp_path)
    (inbox / ".processing").mkdir()
    (inbox / ".processing" / "orphan.txt").write_bytes(b"left behind")
    jobs: list[IngestJob] = []
    collect(src, store, jobs.append)
    assert [j.ref for j in jobs] == ["orphan.txt"]
