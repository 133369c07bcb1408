"""``syndicate check``: verify the configuration for one role, and that the store and broker
it uses answer; every service's health check."""

from __future__ import annotations

import argparse
import sys

from syndicate.checks import ROLES
from syndicate.commands import add_config_argument, load_configuration
from syndicate.errors import ConfigError, UsageError

HELP = ("check the configuration for a role (formats, language routes, destinations, tokens) "
        "and that the state store and broker it uses answer, without doing any work: prints "
        "ok (exit 0), or every problem (exit 1); exit 2 on a usage error")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", choices=ROLES, default="all",
                   help="what will run: a worker role (ingest, translate, export, urgent, all, "
                        "beat), `syndicate run` (run), `syndicate serve` (serve) or the push "
                        "endpoint (push); default: all")
    add_config_argument(p)
    p.add_argument("--pairs", default="",
                   help="with --role translate: only the pairs (en-es) a pinned worker takes")
    p.add_argument("--timeout", type=float, default=2.0,
                   help="seconds the store and the broker have to answer (default 2)")
    p.add_argument("--offline", action="store_true",
                   help="check the configuration only: do not try to reach the store or broker")


def run(args: argparse.Namespace) -> int:
    from syndicate import checks

    pairs = tuple(p.strip() for p in args.pairs.split(",") if p.strip())
    if pairs and args.role != "translate":
        raise UsageError("--pairs is for --role translate")
    try:
        settings, config = load_configuration(args.config)
    except ConfigError as exc:  # a file that does not validate is a problem found, not a usage error
        print(f"syndicate check: {exc}", file=sys.stderr)
        return 1
    problems = [] if args.offline else checks.reachability(args.role, settings, args.timeout)
    if not problems:  # with the store away, the configuration's own checks would only repeat it
        problems = checks.check(args.role, config, settings, pairs=pairs)
    if problems:
        n = len(problems)
        print(f"syndicate check: the configuration {settings.config_path} cannot work for the "
              f"{args.role} role ({n} problem{'s' if n > 1 else ''}):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("ok")
    return 0
