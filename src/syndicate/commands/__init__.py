"""One module per CLI subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args) -> int``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from syndicate.errors import UsageError


def add_config_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, default=None,
                   help="pipeline configuration (default: SYNDICATE_CONFIG, configs/syndicate.yaml, "
                        "or the packaged default)")


def use_config(path: Path | None) -> None:
    """Make ``--config`` the configuration of this process and of the processes it starts."""
    if path is None:
        return
    if not path.is_file():
        raise UsageError(f"--config {path}: no such file")
    os.environ["SYNDICATE_CONFIG"] = str(path.resolve())
    from syndicate.settings import get_settings

    get_settings.cache_clear()


def parse_now(text: str | None) -> dt.datetime:
    """The ``--now`` option: an ISO 8601 time (UTC when it names no zone), or the current time."""
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        now = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 time such as 2026-11-28T09:00:00Z") from None
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)
