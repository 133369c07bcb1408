"""The ``syndicate`` command line: one subcommand per module in ``syndicate.commands``."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from syndicate import __version__
from syndicate.errors import SyndicateError, UsageError

#: subcommand name -> module in syndicate.commands exposing ``add_arguments(parser)``,
#: ``run(args) -> int`` and a one-line ``HELP``
COMMANDS: dict[str, str] = {
    "ingest": "syndicate.commands.ingest",
    "translate": "syndicate.commands.translate",
    "dateline": "syndicate.commands.dateline",
    "models": "syndicate.commands.models",
    "run": "syndicate.commands.run",
    "worker": "syndicate.commands.worker",
    "dead-letters": "syndicate.commands.dead_letters",
    "replay": "syndicate.commands.replay",
    "kill": "syndicate.commands.kill",
    "redeliver": "syndicate.commands.redeliver",
    "trace": "syndicate.commands.trace",
    "serve": "syndicate.commands.serve",
    "status": "syndicate.commands.status",
    "check": "syndicate.commands.check",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="syndicate", description="News syndication and translation pipeline.")
    parser.add_argument("--version", action="version", version=f"syndicate {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, modname in COMMANDS.items():
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name == modname:
                continue  # a command not built into this installation
            raise
        p = sub.add_parser(name, help=mod.HELP, description=mod.HELP)
        mod.add_arguments(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "_run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args._run(args))
    except UsageError as exc:
        print(f"syndicate {args.command}: {exc}", file=sys.stderr)
        return 2
    except SyndicateError as exc:
        print(f"syndicate {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
