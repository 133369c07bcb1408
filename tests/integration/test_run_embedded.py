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
    _, (item,) = formats.parse(spanish.read_bytes())
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
