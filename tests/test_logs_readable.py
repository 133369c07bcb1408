"""Readable logs: JSON lines for machines, text on a terminal, and a task's line that names its
work without repeating its payload; dead letters listed with the full guid and shown in full."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest

from syndicate import logs
from syndicate.cli import main
from syndicate.store import SqliteBackend, Store

PAYLOAD_REPR = ("{'guid': 'urn:newsml:example.com:20261130:story-1', 'version': 2, "
                "'partner': 'acme', 'language': 'es', 'item': '" + "x" * 5000 + "'}")


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _celery_record() -> logging.LogRecord:
    data = {"id": "export:abc", "name": "syndicate.export", "return_value": "'delivered'",
            "runtime": 0.25, "args": "()", "kwargs": PAYLOAD_REPR}
    record = logging.LogRecord("celery.app.trace", logging.INFO, __file__, 1,
                               "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
                               (data,), None)
    record.data = data
    return record


def test_logs_are_json_when_the_output_is_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(logs.FORMAT_ENV, raising=False)
    assert not logs.wants_text(io.StringIO())
    assert logs.wants_text(_Tty())


def test_the_format_variable_wins_over_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(logs.FORMAT_ENV, "text")
    assert logs.wants_text(io.StringIO())
    monkeypatch.setenv(logs.FORMAT_ENV, "json")
    assert not logs.wants_text(_Tty())


def test_a_task_line_names_its_work_without_repeating_the_payload() -> None:
    line = json.loads(logs.JsonFormatter().format(_celery_record()))
    assert "data" not in line and "x" * 100 not in json.dumps(line)
    assert {k: line[k] for k in ("task", "task_id", "outcome", "guid", "version", "partner",
                                 "language")} == {
        "task": "syndicate.export", "task_id": "export:abc", "outcome": "delivered",
        "guid": "urn:newsml:example.com:20261130:story-1", "version": 2, "partner": "acme",
        "language": "es"}


def test_text_lines_are_one_readable_line_with_the_fields_after_the_message() -> None:
    text = logs.TextFormatter().format(_celery_record())
    assert "\n" not in text and "x" * 100 not in text
    assert "INFO    celery.app.trace: Task syndicate.export[export:abc] succeeded" in text
    assert "partner=acme" in text and "guid=urn:newsml:example.com:20261130:story-1" in text


def test_configure_picks_text_for_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(logs.FORMAT_ENV, raising=False)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        out = _Tty()
        logs.configure("INFO", out)
        with logs.bind(guid="g-1"):
            logging.getLogger("syndicate.test").info("hello")
        assert out.getvalue().rstrip().endswith("syndicate.test: hello  [guid=g-1]")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


@pytest.fixture
def dead_letter_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      fresh_settings: None) -> Store:
    monkeypatch.delenv("SYNDICATE_BROKER_URL", raising=False)
    monkeypatch.delenv("SYNDICATE_REDIS_URL", raising=False)
    monkeypatch.setenv("SYNDICATE_DATA_DIR", str(tmp_path))
    return Store(SqliteBackend(tmp_path / "state.sqlite3"))


GUID = "urn:newsml:agency.example.com:20261130:a-rather-long-story-slug-0001:es"


def test_dead_letters_lists_the_full_guid(dead_letter_store: Store,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    dead_letter_store.add_dead_letter("syndicate.export", {"guid": GUID}, RuntimeError("x"), GUID)
    assert main(["dead-letters"]) == 0
    assert GUID in capsys.readouterr().out


def test_dead_letters_show_prints_the_whole_error(dead_letter_store: Store,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    error = "refused: " + "y" * 300 + "\nsecond line: the fix is to move the file away"
    dl = dead_letter_store.add_dead_letter("syndicate.export", {"guid": GUID},
                                           PermissionError(error), GUID)
    assert main(["dead-letters"]) == 0
    listed = capsys.readouterr().out
    assert "second line" not in listed  # the list cuts the error to one line
    assert main(["dead-letters", "--show", dl.id]) == 0
    shown = capsys.readouterr().out
    assert "y" * 300 in shown and "second line: the fix is to move the file away" in shown
