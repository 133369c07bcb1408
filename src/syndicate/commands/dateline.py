"""``syndicate dateline``: parse a dateline and print it in another language and house style."""

from __future__ import annotations

import argparse
import sys

from syndicate.commands import parse_now
from syndicate.dateline import localize, parse_dateline, styles
from syndicate.errors import UsageError

HELP = "localize a dateline: syndicate dateline 'MOSCOW, October 22. /TASS/.' --to de"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", metavar="TEXT", help="a dateline, or a paragraph that starts with one")
    p.add_argument(
        "--to", required=True, metavar="LANG", help="target language (BCP 47: de, ru, zh, pt-BR ...)"
    )
    p.add_argument(
        "--style",
        metavar="NAME",
        help="house style (default: the style of the original, else its agency's, else the "
        f"language's own); known: {', '.join(styles.known_styles())}",
    )
    p.add_argument("--from", dest="source_language", metavar="LANG", help="language of TEXT, if known")
    p.add_argument(
        "--now",
        metavar="ISO-TIME",
        help="time the dateline was written (default: now); a dateline without a year gets the "
        "latest such date not after it",
    )
    p.add_argument(
        "--exonyms",
        metavar="TSV",
        help="newsroom exonym overrides (default: the file SYNDICATE_EXONYMS names, if any)",
    )


def run(args: argparse.Namespace) -> int:
    now = parse_now(args.now)
    found = parse_dateline(args.text, now=now, language=args.source_language)
    if found is None:
        raise UsageError(
            f"no dateline found at the start of {args.text!r}; expected e.g. "
            "'MOSCOW, October 22. /TASS/.' or 'WASHINGTON (AP) —'"
        )
    dateline, _rest = found
    localized = localize.localize_dateline(dateline, args.to, args.style, exonyms=args.exonyms)
    sys.stdout.write(localized.raw + "\n")
    return 0
