"""`syndicate run --once` on the embedded default: no Redis, no Docker, a real Celery worker."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from syndicate import formats

pytestmark = pytest.mark.integration


def _clean_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env["SYNDICATE_DATA_DIR"] = str(tmp / "var")
    return env


def test_first_run_translates_the_tass_sample_into_spanish_newsml_g2(
    tmp_path: Path, corpus_dir: Path, assert_valid_g2  # type: ignore[no-untyped-def]
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(corpus_dir / "tass_inf_treaty.txt", inbox)
    done = subprocess.run(
        [sys.executable, "-m", "syndicate", "run", "--once", "--inbox", str(inbox),
         "--timeout", "120"],
        cwd=tmp_path, env=_clean_env(tmp_path), capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 ingested, 0 rejected, 1 translated, 2 delivered, 0 failed" in done.stdout
    (spanish,) = (tmp_path / "out").rglob("es/*/v1.newsmlg2.xml")
    assert_valid_g2(spanish.read_bytes())
    (item,) = formats.parse(spanish.read_bytes()).items
    assert item.language == "es"
    assert item.link("irel:translatedFrom") is not None
    assert str(tmp_path / "out") in done.stdout
    assert (inbox / "tass_inf_treaty.txt").exists()  # --inbox reads in place


def test_second_run_over_the_same_inbox_delivers_nothing_new(
    tmp_path: Path, corpus_dir: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(corpus_dir / "tass_inf_treaty.txt", inbox)
    cmd = [sys.executable, "-m", "syndicate", "run", "--once", "--inbox", str(inbox),
           "--timeout", "120"]
    first = subprocess.run(cmd, cwd=tmp_path, env=_clean_env(tmp_path), capture_output=True,
                           text=True, timeout=180)
    assert first.returncode == 0, first.stderr
    before = sorted((tmp_path / "out").rglob("*"))
    second = subprocess.run(cmd, cwd=tmp_path, env=_clean_env(tmp_path), capture_output=True,
                            text=True, timeout=180)
    assert second.returncode == 0, second.stderr
    assert "nothing new" in second.stdout
    assert sorted((tmp_path / "out").rglob("*")) == before


REPLAY_CONFIG = """
ingest:
  format: {fmt}
partners:
  - id: homewire
    languages: [en]
    destinations:
      - type: directory
        path: {out}
"""


def _run_with(tmp: Path, fmt: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = tmp / "syndicate.yaml"
    config.write_text(REPLAY_CONFIG.format(fmt=fmt, out=tmp / "out"))
    env = _clean_env(tmp)
    env["SYNDICATE_CONFIG"] = str(config)
    return subprocess.run([sys.executable, "-m", "syndicate", *args], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=180)


def _g2_story() -> bytes:
    import datetime as dt

    from syndicate.item import Block, NewsItem

    item = NewsItem(guid="urn:newsml:example.com:20261128:replayed", language="en",
                    headline="Council approves budget", provider="example.com",
                    body=(Block.para("The council approved the budget."),),
                    created=dt.datetime(2026, 11, 28, 9, tzinfo=dt.UTC))
    return formats.renderer("newsmlg2").render(item)


def test_a_replay_that_works_runs_at_the_next_run_and_leaves_quarantine(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.xml").write_bytes(_g2_story())
    once = ("run", "--once", "--inbox", str(inbox), "--timeout", "120")
    # read as NITF by a configuration mistake: rejected, quarantined with its reason
    first = _run_with(tmp_path, "nitf", *once)
    assert first.returncode == 1 and "1 rejected" in first.stdout, first.stdout + first.stderr
    (kept,) = (tmp_path / "var" / "quarantine").rglob("story.xml")
    assert (kept.parent / "story.xml.reason.txt").exists()
    # the fix, then the replay, then the next run picks the replayed task up
    replayed = _run_with(tmp_path, "auto", "replay", "--all")
    assert replayed.returncode == 0, replayed.stderr
    second = _run_with(tmp_path, "auto", *once)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 ingested" in second.stdout and "1 delivered" in second.stdout
    assert len(list((tmp_path / "out").rglob("*.xml"))) == 1
    assert not kept.exists() and not (kept.parent / "story.xml.reason.txt").exists()
    (archived,) = (tmp_path / "var" / "quarantine" / ".archive").rglob("story.xml")
    assert (archived.parent / "story.xml.reason.txt").exists()
    assert _run_with(tmp_path, "auto", "dead-letters").stdout.startswith("no dead letters")


def test_a_replay_that_fails_again_rewrites_the_reason(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.xml").write_bytes(_g2_story())
    once = ("run", "--once", "--inbox", str(inbox), "--timeout", "120")
    assert _run_with(tmp_path, "nitf", *once).returncode == 1
    (kept,) = (tmp_path / "var" / "quarantine").rglob("story.xml")
    reason = kept.parent / "story.xml.reason.txt"
    first_reason = reason.read_text()
    assert "<nitf>" in first_reason
    assert _run_with(tmp_path, "ninjs", "replay", "--all").returncode == 0
    again = _run_with(tmp_path, "ninjs", *once)
    assert again.returncode == 1 and "1 rejected" in again.stdout, again.stdout + again.stderr
    assert kept.exists()
    assert reason.read_text() != first_reason and "<nitf>" not in reason.read_text()
