"""``syndicate status``: queue lengths, live workers, dead letters."""

from __future__ import annotations

import argparse
import os

from syndicate.commands import add_config_argument, use_config

HELP = "show queue lengths, which workers are alive, and how many dead letters wait"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=float, default=1.0, help="seconds to wait for worker replies")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    use_config(args.config)  # its dedicated queues are counted too
    from syndicate import tasks

    s = tasks.settings
    rt = tasks.runtime()
    print(s.describe())
    for name, length in queue_lengths().items():
        print(f"queue {name:<24} {length}")
    replies = tasks.app.control.inspect(timeout=args.timeout).ping() or {}
    print(f"workers alive: {len(replies)}" + (f" ({', '.join(sorted(replies))})" if replies else ""))
    print(f"dead letters: {len(rt.store.dead_letters())}")
    return 0


def queue_lengths() -> dict[str, int]:
    """Messages waiting per queue (reserved and running ones are not counted)."""
    from syndicate import tasks

    s = tasks.settings
    names = [tasks.queue_name(s, q) for q in ("ingest", "translate", "export")]
    names += [tasks.queue_name(s, f"translate.{p}") for p in tasks.dedicated_pairs()]
    if s.embedded:
        folder = s.broker_dir / "queue"
        files = os.listdir(folder) if folder.is_dir() else []
        return {n: sum(1 for f in files if f.partition(".")[2] == f"{n}.msg") for n in names}
    with tasks.app.connection_for_write() as conn:
        out = {}
        for n in names:
            try:
                out[n] = conn.default_channel.queue_declare(n, passive=True).message_count
            except Exception:  # a queue nobody has declared yet is empty
                out[n] = 0
        return out
