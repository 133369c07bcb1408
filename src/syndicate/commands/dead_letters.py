"""``syndicate dead-letters``: tasks that failed for good, with their error (replay them by id)."""

from __future__ import annotations

import argparse
import base64
import json
from pathlib import Path

HELP = "list the tasks that failed for good (id, task, guid, error, time); replay them by id"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.add_argument("--show", metavar="ID", help="print one dead letter in full (payload included)")
    p.add_argument("--save-input", metavar="FILE", type=Path,
                   help="with --show: write the saved input bytes of an ingest to FILE")


def run(args: argparse.Namespace) -> int:
    from syndicate.settings import get_settings
    from syndicate.store import open_store

    s = get_settings()
    store = open_store(s.state_url, s.prefix, s.sqlite_path)
    if args.show:
        dl = store.get_dead_letter(args.show)
        # the whole error, every line of it, under the first
        error = f"{dl.error_type}: {dl.error}".replace("\n", "\n         ")
        print(f"id:      {dl.id}\ntask:    {dl.task}\nguid:    {dl.guid or '-'}\n"
              f"time:    {dl.at}\nerror:   {error}\npayload: {dl.payload}")
        if dl.data_b64 is not None:
            data = base64.b64decode(dl.data_b64)
            print(f"input:   {len(data)} bytes saved")
            if args.save_input:
                args.save_input.write_bytes(data)
                print(f"written to {args.save_input}")
        return 0
    letters = store.dead_letters()
    if args.json:
        for dl in letters:
            print(json.dumps({"id": dl.id, "task": dl.task, "guid": dl.guid,
                              "error": f"{dl.error_type}: {dl.error}", "time": dl.at}))
        return 0
    if not letters:
        print("no dead letters")
        return 0
    # the guid in full (it is what `syndicate trace` takes); the error cut to one line
    width = max(4, *(len(dl.guid or "-") for dl in letters))
    print(f"{'ID':<24} {'TASK':<20} {'GUID':<{width}} {'TIME':<29} ERROR")
    for dl in letters:
        error = f"{dl.error_type}: {dl.error}".replace("\n", " ")
        cut = error if len(error) <= 120 else error[:119] + "…"
        print(f"{dl.id:<24} {dl.task:<20} {dl.guid or '-':<{width}} {dl.at:<29} {cut}")
    print(f"{len(letters)} dead letter(s); `syndicate dead-letters --show ID` prints one in full; "
          "`syndicate replay ID` or `syndicate replay --all` queues them again")
    return 0
