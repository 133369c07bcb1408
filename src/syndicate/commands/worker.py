"""``syndicate worker``: run one worker role (ingest, translate, export, all) or the beat."""

from __future__ import annotations

import argparse
import os

from syndicate.commands import add_config_argument, load_configuration
from syndicate.errors import UsageError

HELP = "run a Celery worker for one role (ingest, translate, export, all) or the beat scheduler"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", choices=["ingest", "translate", "export", "urgent", "all", "beat"],
                   default="all", help="which queues to consume (default: all); urgent: only "
                                       "the urgent lanes of translate and export")
    p.add_argument("--concurrency", "-c", type=int, default=None,
                   help="processes or threads (default: per role, cores for translate)")
    p.add_argument("--pairs", default="",
                   help="translate role only: comma-separated pairs (en-es) whose dedicated "
                        "queues this worker takes, and whose models it preloads")
    p.add_argument("--hostname", "-n", default=None, help="worker node name")
    p.add_argument("--loglevel", "-l", default="INFO")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    from syndicate import checks

    pairs = tuple(p.strip() for p in args.pairs.split(",") if p.strip())
    if pairs and args.role not in ("translate", "urgent"):
        raise UsageError("--pairs is for --role translate or urgent")
    # --config is put in this process's environment (SYNDICATE_CONFIG), which celery inherits
    settings, config = load_configuration(args.config)
    # a role that cannot work stops here, before celery starts taking tasks it would fail
    checks.require(args.role, config, settings, pairs=pairs)
    from syndicate import tasks

    env = tasks.role_environment(args.role)
    if args.role == "beat":
        argv = tasks.beat_argv(settings, args.loglevel)
    else:
        if pairs:
            env["SYNDICATE_TRANSLATE_PAIRS"] = ",".join(pairs)
        role = tasks.roles(pairs)[args.role]
        argv = tasks.worker_argv(role, settings, args.concurrency, args.hostname, args.loglevel)
    os.execve(argv[0], argv, env)
    return 0  # not reached
