"""``syndicate kill GUID --reason TEXT``: withdraw a story from every partner that received it."""

from __future__ import annotations

import argparse

from syndicate.commands import add_config_argument, use_config

HELP = ("withdraw a story (and its translations) from every partner that received it, with "
        "the reason as the editorial note")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("guid", metavar="GUID", help="the story's guid (or a translation's, …:es)")
    p.add_argument("--reason", required=True,
                   help="why (legal, factual ...): the partners get it as the editorial note")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    use_config(args.config)
    from syndicate import desk, tasks

    rt = tasks.runtime()
    done = desk.kill(rt, args.guid, args.reason, tasks.CeleryDispatcher(rt.store))
    partners = ", ".join(done.partners) or "no partner has received it yet"
    print(f"kill of {done.guid} queued as version {done.version} in the urgent lane; it goes "
          f"to: {partners}")
    print(f"follow it with `syndicate trace {done.guid}`")
    _embedded_note(tasks.settings.embedded)
    return 0


def _embedded_note(embedded: bool) -> None:
    if embedded:
        print("queued on the embedded broker: it runs at the next `syndicate run` or under "
              "`syndicate worker`")
