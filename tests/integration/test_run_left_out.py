"""`syndicate run --once` over an input with items it cannot use: the others go out, and the run
says what was left out and where the input is kept."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

MIXED = Path(__file__).resolve().parent.parent / "fixtures" / "ninjs" / "aap-ninjs2-list-mixed.json"


def test_a_run_delivers_the_usable_items_and_names_the_ones_left_out(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(MIXED, inbox)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env["SYNDICATE_DATA_DIR"] = str(tmp_path / "var")
    done = subprocess.run(
        [sys.executable, "-m", "syndicate", "run", "--once", "--inbox", str(inbox),
         "--timeout", "120"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 ingested, 0 rejected" in done.stdout
    assert "items left out of an input" in done.stdout
    assert "2 of the 4 items of this input left out" in done.stderr
    assert "item 2 (ninjs object urn:newsml:aap.com.au:20261130:SYD-0102)" in done.stderr
    # the story went out; the kill of a story nobody had went nowhere
    assert {p.name for p in (tmp_path / "out").rglob("*.newsmlg2.xml")} == {"v1.newsmlg2.xml"}
    (reason,) = (tmp_path / "var").rglob("*.reason.txt")
    assert "SYD-0103" in reason.read_text()
