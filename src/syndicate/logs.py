"""Structured logs: one JSON object per line, carrying guid, version, partner and language;
readable text instead on a terminal or with ``SYNDICATE_LOG_FORMAT=text``.

Stage code binds what it knows with :func:`bind` (a context variable, so it follows the
task through the worker); the formatters put it on every record. Celery's task lines carry the
task's whole payload; only the task's id, name, outcome and the fields that identify its work
(guid, version, partner, language, source) are kept.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator
from typing import Any

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "syndicate_log_context", default=None
)
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


@contextlib.contextmanager
def bind(**fields: Any) -> Iterator[None]:
    """Attach fields (guid=..., partner=...) to every log record inside the block."""
    merged = {**(_context.get() or {}), **{k: v for k, v in fields.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


#: the payload fields that say what a task works on, kept from Celery's task lines
_IDENTIFYING = ("guid", "version", "partner", "language", "target", "source", "filename")
FORMAT_ENV = "SYNDICATE_LOG_FORMAT"


def _task_fields(data: dict[str, Any]) -> dict[str, Any]:
    """What to keep of the ``data`` Celery puts on its task lines (received, succeeded, failed):
    the task's id, name, outcome and run time, and the identifying fields of its payload, not
    the whole payload again."""
    out: dict[str, Any] = {}
    for key, name in (("id", "task_id"), ("name", "task"), ("return_value", "outcome"),
                      ("runtime", "runtime")):
        if data.get(key) is not None:
            out[name] = data[key]
    if isinstance(out.get("outcome"), str):
        out["outcome"] = out["outcome"].strip("'\"")
    kwargs = data.get("kwargs")
    if isinstance(kwargs, str):  # Celery gives a repr; a literal one is read back
        try:
            kwargs = ast.literal_eval(kwargs)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            kwargs = None
    if isinstance(kwargs, dict):
        out.update({k: kwargs[k] for k in _IDENTIFYING if kwargs.get(k) not in (None, "")})
    return out


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The bound context and the record's extra fields."""
    out: dict[str, Any] = dict(_context.get() or {})
    for key, value in record.__dict__.items():
        if key in _STANDARD or key.startswith("_"):
            continue
        if key == "data" and isinstance(value, dict) and record.name.startswith("celery"):
            out.update(_task_fields(value))
        else:
            out[key] = value
    return out


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        out.update(_fields(record))
        if record.exc_info and record.exc_info[0] is not None:
            out["error_type"] = record.exc_info[0].__name__
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """One readable line: time, level, logger, message, then the fields as key=value."""

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC).strftime("%H:%M:%S.%f")[:-3]
        fields = " ".join(f"{k}={v}" for k, v in _fields(record).items()
                          if k not in ("task_id",) and v is not None)
        line = f"{when} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if fields:
            line += f"  [{fields}]"
        if record.exc_info and record.exc_info[0] is not None:
            line += "\n" + self.formatException(record.exc_info)
        return line


def wants_text(stream: Any, environ: dict[str, str] | None = None) -> bool:
    """Text on a terminal or with SYNDICATE_LOG_FORMAT=text; JSON otherwise (or with =json)."""
    choice = (os.environ if environ is None else environ).get(FORMAT_ENV, "").strip().lower()
    if choice in ("text", "json"):
        return choice == "text"
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def configure(level: str = "INFO", stream: Any = None) -> None:
    """Route every logger through one handler (workers call this at start-up): JSON lines,
    or text on a terminal or with SYNDICATE_LOG_FORMAT=text."""
    out = stream or sys.stderr
    handler = logging.StreamHandler(out)
    handler.setFormatter(TextFormatter() if wants_text(out) else JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def fields() -> dict[str, Any]:
    """The fields bound right now (for tests and for dead-letter records)."""
    return dict(_context.get() or {})

