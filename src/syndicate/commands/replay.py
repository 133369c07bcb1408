"""``syndicate replay``: queue dead-lettered tasks again, with their payload and saved input."""

from __future__ import annotations

import argparse

from syndicate.commands import add_config_argument, use_config
from syndicate.errors import UsageError

HELP = "queue dead-lettered tasks again (after fixing what made them fail)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("ids", nargs="*", metavar="ID", help="dead letter ids (see `syndicate dead-letters`)")
    p.add_argument("--all", action="store_true", help="replay every dead letter")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    if bool(args.ids) == bool(args.all):
        raise UsageError("name dead letter ids, or --all")
    use_config(args.config)  # a replayed translation is routed by its dedicated queues
    from syndicate import tasks

    store = tasks.runtime().store
    ids = [dl.id for dl in store.dead_letters()] if args.all else args.ids
    for dl_id in ids:
        task_id = tasks.replay(dl_id)
        print(f"replayed {dl_id} as {task_id}")
    if not ids:
        print("no dead letters")
    elif tasks.settings.embedded:
        print("queued on the embedded broker: they run at the next `syndicate run` "
              "or under `syndicate worker`")
    return 0
