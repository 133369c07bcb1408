"""``syndicate trace GUID [--json]``: a story's versions, translations and deliveries."""

from __future__ import annotations

import argparse
import json

from syndicate.commands import add_config_argument, use_config

HELP = ("where a story went and when: its versions, translations, and every delivery per "
        "partner and destination with times and outcomes")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("guid", metavar="GUID", help="the story's guid (or a translation's, …:es)")
    p.add_argument("--json", action="store_true", help="one JSON document")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    use_config(args.config)
    from syndicate import desk, tasks

    found = desk.trace(tasks.runtime(), args.guid)
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return 0
    print(f"story {found.guid} ({found.language})")
    for v in found.versions:
        langs = ", ".join(v.translations) or "none"
        print(f"  v{v.version} {v.pub_status:<9} {v.created or '-':<32} {v.headline[:60]}")
        print(f"      translated into: {langs}")
    if not found.deliveries:
        print("  no delivery on record")
    for d in found.deliveries:
        where = d.location or d.error
        print(f"  {d.partner}/{d.destination} {d.language} {d.format:<9} v{d.version} "
              f"{d.outcome:<9} {d.at}  {where}")
    if found.pending:
        print(f"  {len(found.pending)} task(s) still waiting or running: "
              + ", ".join(found.pending))
    return 0
