"""One module per CLI subcommand: ``HELP``, ``add_arguments(parser)``, ``run(args) -> int``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from syndicate.errors import UsageError

if TYPE_CHECKING:
    from syndicate.partners import PipelineConfig
    from syndicate.settings import Settings


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


def load_configuration(path: Path | None) -> tuple[Settings, PipelineConfig]:
    """The process settings and the configuration file they name, ``--config`` (``path``)
    first: partners, sources, ingest and translation, validated (ConfigError names the file)."""
    from syndicate.partners import load_config
    from syndicate.settings import get_settings

    use_config(path)
    settings = get_settings()
    return settings, load_config(settings.config_path)


def parse_now(text: str | None) -> dt.datetime:
    """The ``--now`` option: an ISO 8601 time (UTC when it names no zone), or the current time."""
    if not text:
        return dt.datetime.now(dt.UTC)
    try:
        now = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--now {text!r} is not an ISO 8601 time such as 2026-11-28T09:00:00Z") from None
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)
