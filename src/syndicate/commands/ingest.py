"""``syndicate ingest``: turn wire files into NewsML-G2 files, quarantining what cannot be used."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from syndicate import formats
from syndicate.commands import parse_now
from syndicate.destinations import relative_key
from syndicate.errors import SyndicateError, UnsupportedFormat, UsageError
from syndicate.quarantine import quarantine
from syndicate.timeparse import time_zone

HELP = "ingest wire files and folders, writing one NewsML-G2 file per item"

log = logging.getLogger(__name__)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of wire copy")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder for the NewsML-G2 files (LANG/GUID-SLUG/vN.newsmlg2.xml)")
    p.add_argument(
        "--format",
        default="auto",
        metavar="NAME",
        help="input format: auto (the default: detect it), wiretext, anpa1312, iptc7901, nitf, "
        "newsmlg2, ninjs, apjson, feed, email",
    )
    p.add_argument("--language", metavar="LANG", help="language of the input, if known (BCP 47)")
    p.add_argument("--provider", metavar="NAME", help="provider to assume where the input names none")
    p.add_argument(
        "--timezone",
        metavar="ZONE",
        help="IANA time zone of the source (e.g. Europe/Berlin): times the input writes without a "
        "zone are read in it (default: UTC, or the dateline city's zone for wire text)",
    )
    p.add_argument(
        "--email-form",
        action="store_true",
        help="the e-mails are forms: labelled fields (Headline:, Byline:, Dateline:, Body: ...) "
        "win over Subject and From; a form without Body: is rejected",
    )
    p.add_argument(
        "--now",
        metavar="ISO-TIME",
        help="time of ingest (default: now); a dateline without a year gets the latest such "
        "date not after it",
    )


def _walk(paths: list[Path], skip: Path) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and Path(root, d).resolve() != skip)
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root, name)
        else:
            yield path


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    paths = [Path(p) for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")
    if args.format != "auto":
        try:
            formats.get(args.format)  # an unknown name is a usage error, found before any work
        except UnsupportedFormat as exc:
            raise UsageError(str(exc)) from None
    now = parse_now(args.now)
    try:
        zone = time_zone(args.timezone) if args.timezone else None
    except ValueError as exc:
        raise UsageError(f"--timezone: {exc}") from None
    render = formats.renderer("newsmlg2").render
    out.mkdir(parents=True, exist_ok=True)
    rejected_dir = out / "rejected"
    files = used = items = rejected = partial = 0
    for path in _walk(paths, skip=out.resolve()):
        files += 1
        try:
            data = path.read_bytes()
        except OSError as exc:
            print(f"rejected {path}: cannot be read ({exc.strerror})", file=sys.stderr)
            rejected += 1
            continue
        ctx = formats.ParseContext(now=now, filename=path.name, language=args.language,
                                   provider=args.provider, timezone=zone,
                                   email_form=args.email_form)
        try:
            parsed = formats.parse(data, args.format, ctx)
            # named as the pipeline's destinations name them: same guid and version, same path
            documents = [(relative_key(it.language, it.guid, it.version, "newsmlg2"), render(it))
                         for it in parsed.items]
        except SyndicateError as exc:
            reason = str(exc)
        except Exception as exc:  # a bug must not stop the run or lose the input
            log.exception("internal error on %s", path)
            reason = f"internal error while reading it ({type(exc).__name__}: {exc}); please report it"
        else:
            for name, doc in documents:
                target = out / name
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                tmp.write_bytes(doc)
                os.replace(tmp, target)
            used += 1
            items += len(documents)
            for skip in parsed.skipped:
                if not skip.fault:
                    print(f"left out of {path} by design: {skip}", file=sys.stderr)
            if parsed.faults:
                # the usable items are written; the input is kept for what was left out
                partial += 1
                copy = quarantine(data, path.name, parsed.skipped_reason(), rejected_dir)
                for skip in parsed.faults:
                    print(f"left out of {path}: {skip}", file=sys.stderr)
                print(f"{path}: {len(documents)} item{'s' if len(documents) != 1 else ''} "
                      f"written, {len(parsed.skipped)} left out (copy in {copy})", file=sys.stderr)
            continue
        rejected += 1
        copy = quarantine(data, path.name, reason, rejected_dir)
        print(f"rejected {path}: {reason} (copy in {copy})", file=sys.stderr)
    print(
        f"ingest: {files} input{'s' if files != 1 else ''}, {used} used, {items} item"
        f"{'s' if items != 1 else ''} written to {out}, {rejected} rejected"
        + (f", {partial} with items left out" if partial else "")
        + (f" (see {rejected_dir})" if rejected or partial else "")
    )
    return 1 if rejected or partial else 0
