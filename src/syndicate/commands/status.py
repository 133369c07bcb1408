"""``syndicate status``: workers per role, queues and their consumers, flow per stage, the
beat, dead letters, partners and sources; exit 0 when all is well, 1 when something needs
attention, 3 when the store or broker is unreachable."""

from __future__ import annotations

import argparse
import json
import sys

from syndicate.commands import add_config_argument, load_configuration
from syndicate.ops import ATTENTION_CONDITIONS, StatusReport, ago, duration

HELP = ("workers online per role, queues and who consumes them, flow per stage over 15 minutes, "
        "the beat, dead letters, per partner the last delivery, per source the last arrival")

#: exit codes
OK, ATTENTION, UNREACHABLE = 0, 1, 3

EPILOG = ("exit status: 0 all is well; 1 something needs attention:\n"
          + "".join(f"  - {c}\n" for c in ATTENTION_CONDITIONS)
          + "2 a usage or configuration error; 3 the state store or the broker is unreachable.\n"
            "In the embedded mode (no SYNDICATE_BROKER_URL) the worker lives inside "
            "`syndicate run`: workers and consumers are shown, not required.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = EPILOG
    p.add_argument("--json", action="store_true", help="one JSON object instead of the text")
    p.add_argument("--timeout", type=float, default=1.0,
                   help="seconds to wait for workers to answer (default 1)")
    add_config_argument(p)


def run(args: argparse.Namespace) -> int:
    from syndicate import ops
    from syndicate.errors import TransientError
    from syndicate.store import open_store

    s, config = load_configuration(args.config)
    try:
        ops.require_reachable(s)
        store = open_store(s.state_url, s.prefix, s.sqlite_path)
        try:
            report = ops.gather(s, config, store, timeout=args.timeout)
        finally:
            store.close()
    except (ops.Unreachable, TransientError) as exc:
        print(f"syndicate status: {exc}", file=sys.stderr)
        return UNREACHABLE
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(render_text(report))
    return OK if report.ok else ATTENTION


def render_text(r: StatusReport) -> str:
    now = r.at
    lines: list[str] = []
    if r.ok:
        lines.append("all well")
    else:
        lines.append(f"{len(r.attention)} thing(s) need attention:")
        lines += [f"  ! {a}" for a in r.attention]
    lines.append("")
    lines.append(f"broker: {r.broker}")
    roles = r.roles_online()
    if not r.workers_asked:
        lines.append("workers: could not be asked (this broker does not answer broadcasts)")
    else:
        counts = ", ".join(f"{role} {n}" for role, n in sorted(roles.items())) or "none online"
        lines.append(f"workers online: {counts}"
                     + (" (embedded: the worker runs inside `syndicate run`)" if r.embedded else ""))
        for w in r.workers:
            when = "" if w.online else (
                f"stopped {ago(w.stopped, now)}" if w.stopped is not None
                else f"last seen {ago(w.seen, now)}")
            lines.append(f"  {w.node:<34} {w.role:<10} {w.state:<14} {when or ', '.join(w.queues)}")
    lines.append("")
    lines.append(f"{'queue':<34} {'waiting':>8}  consumers")
    for q in r.queues:
        depth = "?" if q.depth is None else str(q.depth)
        who = ", ".join(q.consumers) if q.consumers else (
            "NONE" if r.workers_asked and not r.embedded else "-")
        lines.append(f"  {q.name:<32} {depth:>8}  {who}")
    lines.append("")
    lines.append("flow over the last 15 minutes (per minute on average):")
    for st in r.stages:
        parts = [f"{o.outcome} {o.total} ({o.rate:.1f}/min)" for o in st.outcomes if o.total]
        lines.append(f"  {st.stage:<10} {', '.join(parts) or 'nothing'}")
    lines.append("")
    beat = "alive" if r.beat.alive else ("not running" if r.beat.needed else "not needed")
    lines.append(f"beat: last poll {ago(r.beat.last_seen, now)} ({beat})")
    lines.append(f"dead letters: {r.dead_letter_count}")
    for d in r.dead_letters[:10]:
        first = f"{d.error_type}: {d.error}".splitlines()[0] if d.error else d.error_type
        lines.append(f"  {d.id}  {d.task}  {d.guid or '-'}  {first[:100]}")
    if r.dead_letter_count > 10:
        lines.append(f"  ... {r.dead_letter_count - 10} more: `syndicate dead-letters`")
    if r.partners:
        lines.append("")
        lines.append(f"{'partner':<24} {'last delivery':<16} failures (15 min)")
        for p in r.partners:
            lines.append(f"  {p.id:<22} {ago(p.last_delivery, now):<16} {p.failures_recent}")
    if r.sources:
        lines.append("")
        lines.append(f"{'source':<24} {'last arrival':<16} quiet after")
        for src in r.sources:
            flag = "  QUIET" if src.quiet else ""
            lines.append(f"  {src.name:<22} {ago(src.last_arrival, now):<16} "
                         f"{duration(src.quiet_after)}{flag}")
    return "\n".join(lines)


def queue_lengths() -> dict[str, int]:
    """Messages waiting per queue (the feed server's queue gauges read them)."""
    from syndicate import ops, tasks
    from syndicate.tasks.operations import all_queues

    s = tasks.settings
    return {n: d or 0 for n, d in ops.queue_depths(s, all_queues(s)).items()}
