"""One module per CLI subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args) -> int``."""

from __future__ import annotations

import datetime as dt

from syndicate.errors import UsageError


def parse_now(text: str | None) -> dt.datetime:
    """The ``--now`` option: an ISO 8601 time (UTC when it names no zone), or the current time."""
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        now = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 time such as 2026-11-28T09:00:00Z") from None
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)
