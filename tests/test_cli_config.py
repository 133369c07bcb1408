"""``--config`` on every command that reads the configuration: the file it names wins over
SYNDICATE_CONFIG, and reaches the processes a command starts (celery, server processes)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from syndicate.cli import main

GOOD = """
partners:
  - id: acme
    languages: [es]
    destinations:
      - type: directory
        path: {out}
"""

#: a configuration file with a misspelt key, which every command must refuse naming the file
BAD = "partners:\n  - id: acme\n    langauges: [es]\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_settings: None
          ) -> tuple[Path, Path]:
    """(good, bad): SYNDICATE_CONFIG names the good file; --config will name the other."""
    from syndicate.tasks import process

    good = tmp_path / "good.yaml"
    good.write_text(GOOD.format(out=tmp_path / "out"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD)
    monkeypatch.setenv("SYNDICATE_CONFIG", str(good))
    # commands may set these for the processes they start: restored after the test
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path / "var"))
    for var in ("SYNDICATE_BROKER_URL", "SYNDICATE_REDIS_URL"):
        monkeypatch.delenv(var, raising=False)
    # a runtime another test built in this process would hide the configuration this one reads
    monkeypatch.setattr(process._proc, "runtime", None)
    return good, bad


@pytest.mark.parametrize("command", [
    ["run", "--once"],
    ["serve"],
    ["worker", "--role", "export"],
    ["check"],
    ["status"],
    ["replay", "--all"],
    ["translate", "item.xml", "--to", "es", "--out", "translated"],
    ["models", "list"],
])
def test_each_command_reads_the_file_config_names(
    command: list[str], files: tuple[Path, Path], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, bad = files
    monkeypatch.chdir(tmp_path)
    # `check` is every service's health check: a problem is 1 (2 is a usage error there)
    assert main([*command, "--config", str(bad)]) == (1 if command == ["check"] else 2)
    err = capsys.readouterr().err
    assert str(bad) in err and "partners.0.langauges" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "translated").exists()


def test_the_worker_hands_config_to_celery(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "chosen.yaml"
    chosen.write_text(GOOD.format(out=tmp_path / "chosen-out"))
    started: list[tuple[list[str], dict[str, str]]] = []

    def execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        started.append((argv, env))

    monkeypatch.setattr(os, "execve", execve)
    assert main(["worker", "--role", "export", "--config", str(chosen)]) == 0
    ((argv, env),) = started
    assert "worker" in argv and env["SYNDICATE_CONFIG"] == str(chosen.resolve())


def test_serve_serves_what_config_names(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import uvicorn

    chosen = tmp_path / "chosen.yaml"
    chosen.write_text(GOOD.format(out=tmp_path / "chosen-out"))
    served: list[Any] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(app))
    assert main(["serve", "--config", str(chosen)]) == 0
    assert len(served) == 1
    # the server processes of --workers N read it from the environment
    assert os.environ["SYNDICATE_CONFIG"] == str(chosen.resolve())
    assert f"config={chosen.resolve()}" in capsys.readouterr().out
