"""``syndicate redeliver --partner P (GUID... | --since ISO)``: send stories to a partner again."""

from __future__ import annotations

import argparse
import datetime as dt

from syndicate.commands import add_config_argument, use_config
from syndicate.errors import UsageError

HELP = ("send a partner again what it last received of some stories (by guid, or every one "
        "since a time): the same versions under the same keys, so nothing is doubled")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("guids", nargs="*", metavar="GUID", help="the stories' guids")
    p.add_argument("--partner", required=True, help="the partner's id")
    p.add_argument("--since", metavar="ISO",
                   help="every story delivered to the partner since this time (ISO 8601; "
                        "UTC when it names no zone)")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    if bool(args.guids) == bool(args.since):
        raise UsageError("name the stories' guids, or --since a time")
    since = None
    if args.since:
        try:
            since = dt.datetime.fromisoformat(args.since)
        except ValueError:
            raise UsageError(f"--since {args.since!r} is not an ISO 8601 time "
                             "(2026-11-30T06:00:00Z)") from None
    use_config(args.config)
    from syndicate import desk, tasks

    rt = tasks.runtime()
    done = desk.redeliver(rt, args.partner, tasks.CeleryDispatcher(rt.store), args.guids, since)
    for guid in done.unknown:
        print(f"{args.partner} never received {guid}: nothing to send again")
    stories = len({(j.guid, j.language) for j in done.jobs})
    print(f"queued {len(done.jobs)} redeliver(ies) of {stories} story version(s) to "
          f"{args.partner}")
    if done.jobs and tasks.settings.embedded:
        print("queued on the embedded broker: they run at the next `syndicate run` or under "
              "`syndicate worker`")
    return 1 if done.unknown and not done.jobs else 0
