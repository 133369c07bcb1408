"""``syndicate worker``: run one worker role (ingest, translate, export, all) or the beat."""

from __future__ import annotations

import argparse
import os

from syndicate.errors import UsageError

HELP = "run a Celery worker for one role (ingest, translate, export, all) or the beat scheduler"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--role", choices=["ingest", "translate", "export", "all", "beat"],
                   default="all", help="which queues to consume (default: all)")
    p.add_argument("--concurrency", "-c", type=int, default=None,
                   help="processes or threads (default: per role, cores for translate)")
    p.add_argument("--pairs", default="",
                   help="translate role only: comma-separated pairs (en-es) whose dedicated "
                        "queues this worker takes, and whose models it preloads")
    p.add_argument("--hostname", "-n", default=None, help="worker node name")
    p.add_argument("--loglevel", "-l", default="INFO")


def run(args: argparse.Namespace) -> int:
    from syndicate import checks, tasks
    from syndicate.partners import load_config
    from syndicate.settings import get_settings

    settings = get_settings()
    pairs = tuple(p.strip() for p in args.pairs.split(",") if p.strip())
    if pairs and args.role != "translate":
        raise UsageError("--pairs is for --role translate")
    # a role that cannot work stops here, before celery starts taking tasks it would fail
    checks.require(args.role, load_config(settings.config_path), settings, pairs=pairs)
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
