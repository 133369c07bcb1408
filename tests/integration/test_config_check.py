"""A configuration that cannot work stops the real commands at start, exit 2, naming the partner
and the key, before anything is ingested (embedded mode: no broker, no Redis)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

SYNDICATE = [sys.executable, "-m", "syndicate"]
SAMPLE = "tass_inf_treaty.txt"

PARTNER = """
partners:
  - id: acme
    languages: {languages}
    formats: {formats}
    destinations:
      - type: directory
        path: {out}
"""


def write_config(tmp: Path, languages: str = "[es]", formats: str = "[newsmlg2]",
                 out: Path | None = None) -> Path:
    path = tmp / "syndicate.yaml"
    path.write_text(PARTNER.format(languages=languages, formats=formats,
                                   out=out or tmp / "out" / "acme"))
    return path


def environment(tmp: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SYNDICATE_")}
    env.update(SYNDICATE_CONFIG=str(config), SYNDICATE_DATA_DIR=str(tmp / "var"))
    return env


def syndicate(tmp: Path, config: Path, *args: str, timeout: float = 60
              ) -> subprocess.CompletedProcess[str]:
    """The command in its own session, so that if it ever got as far as starting a worker,
    the worker's whole process group is stopped with it."""
    proc = subprocess.Popen([*SYNDICATE, *args], cwd=tmp, env=environment(tmp, config),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"`syndicate {' '.join(args)}` did not stop at its check:\n{out}\n{err}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def inbox(tmp_path: Path, corpus_dir: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(corpus_dir / SAMPLE, folder)
    return folder


def assert_nothing_was_done(tmp: Path, inbox: Path, before: os.stat_result) -> None:
    assert not (tmp / "out").exists(), "an output folder was created"
    assert not (tmp / "var" / "logs").exists(), "a worker was started"
    assert not (tmp / "var" / "quarantine").exists()
    assert sorted(p.name for p in inbox.iterdir()) == [SAMPLE], "the inbox was touched"
    after = (inbox / SAMPLE).stat()
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)


def test_the_machine_has_no_route_to_german(tmp_path: Path) -> None:
    # the premise of the `[de]` case below: only Apertium eng-spa, no Argos package
    listed = syndicate(tmp_path, write_config(tmp_path), "models", "list")
    assert listed.returncode == 0, listed.stderr
    assert "en->es" in listed.stdout
    assert "->de" not in listed.stdout and "de->" not in listed.stdout


def blocked_destination(tmp: Path) -> Path:
    """A configuration whose destination folder is a file."""
    blocked = tmp / "acme-out"
    blocked.write_text("a file where the partner's folder should be")
    return write_config(tmp, out=blocked)


@pytest.mark.parametrize(("make_config", "expected"), [
    pytest.param(lambda tmp: write_config(tmp, formats="[newsml-g2, docx]"),
                 ["partner acme: formats[0]: 'newsml-g2'", "did you mean 'newsmlg2'",
                  "partner acme: formats[1]: 'docx'"], id="unknown-formats"),
    pytest.param(lambda tmp: write_config(tmp, languages="[klingon]"),
                 ["partner acme: languages[0]: 'klingon' is not a language code"],
                 id="not-a-language"),
    pytest.param(lambda tmp: write_config(tmp, languages="[de]"),
                 ["partner acme: languages[0]: 'de': no engine translates en->de",
                  "syndicate models install en de", "apertium-eng-deu"],
                 id="no-installed-pair"),
    pytest.param(blocked_destination,
                 ["partner acme: destinations[0].path: ", "acme-out is a file, not a folder"],
                 id="destination-is-a-file"),
])
def test_run_stops_at_start_naming_partner_and_key_and_ingests_nothing(
    tmp_path: Path, inbox: Path, make_config: Callable[[Path], Path], expected: list[str]
) -> None:
    path = make_config(tmp_path)
    before = (inbox / SAMPLE).stat()
    done = syndicate(tmp_path, path, "run", "--once", "--inbox", str(inbox), "--timeout", "60")
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("syndicate run: the configuration ")
    for text in expected:
        assert text in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert "ingested" not in done.stdout
    assert_nothing_was_done(tmp_path, inbox, before)


def test_an_export_worker_with_a_blocked_destination_exits_2_before_celery_starts(
    tmp_path: Path
) -> None:
    done = syndicate(tmp_path, blocked_destination(tmp_path), "worker", "--role", "export")
    assert done.returncode == 2, done.stdout + done.stderr
    assert (f"partner acme: destinations[0].path: {tmp_path / 'acme-out'} is a file, not a "
            "folder") in done.stderr
    assert "celery" not in (done.stdout + done.stderr).lower()


def test_check_of_the_translate_role_exits_1_for_a_language_that_is_no_language(
    tmp_path: Path
) -> None:
    path = write_config(tmp_path, languages="[klingon]")
    done = syndicate(tmp_path, path, "check", "--role", "translate")
    assert done.returncode == 1
    assert "partner acme: languages[0]: 'klingon' is not a language code" in done.stderr
    assert "did you mean 'tlh'" in done.stderr
    # the other roles do not need languages: an export worker may start
    export = syndicate(tmp_path, path, "check", "--role", "export")
    assert (export.returncode, export.stdout) == (0, "ok\n"), export.stderr
