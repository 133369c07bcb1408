"""``syndicate check``: verify the configuration for one role before running it."""

from __future__ import annotations

import argparse

from syndicate.checks import ROLES
from syndicate.commands import add_config_argument, load_configuration
from syndicate.errors import UsageError

HELP = ("check the configuration for a role (formats, language routes, destinations, tokens) "
        "without doing any work: prints ok, or every problem and exits 2")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", choices=ROLES, default="all",
                   help="what will run: a worker role (ingest, translate, export, all, beat), "
                        "`syndicate run` (run) or `syndicate serve` (serve); default: all")
    add_config_argument(p)
    p.add_argument("--pairs", default="",
                   help="with --role translate: only the pairs (en-es) a pinned worker takes")


def run(args: argparse.Namespace) -> int:
    from syndicate import checks

    pairs = tuple(p.strip() for p in args.pairs.split(",") if p.strip())
    if pairs and args.role != "translate":
        raise UsageError("--pairs is for --role translate")
    settings, config = load_configuration(args.config)
    checks.require(args.role, config, settings, pairs=pairs)
    print("ok")
    return 0
