"""``syndicate models``: list the installed translation models, install Argos packages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from syndicate.errors import SyndicateError, UsageError

HELP = "list installed translation models and install Argos packages"

#: where Argos publishes its package index (ARGOS_PACKAGE_INDEX overrides it, as in Argos)
ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.add_parser("list", help="installed language pairs per engine, with versions")
    inst = sub.add_parser(
        "install",
        help="install an Argos package: a .argosmodel file, or FROM TO from the Argos index",
    )
    inst.add_argument("what", nargs="+", metavar="PATH.argosmodel | FROM TO")
    inst.add_argument("--packages-dir", type=Path, help="Argos packages folder (default: Argos')")


def _list() -> int:
    from syndicate.translate import installed_pairs, load_settings

    pairs = installed_pairs(load_settings())
    if not pairs:
        print("no translation models installed", file=sys.stderr)
        return 0
    for p in sorted(pairs, key=lambda p: (p.engine, p.source, p.target)):
        print(f"{p.engine}\t{p.source}->{p.target}\t{p.model_version}")
    return 0


def _download(from_code: str, to_code: str, dest: Path) -> Path:
    """Fetch the pair's package from the Argos index into ``dest``; explain failures."""
    import json
    import os
    import urllib.error
    import urllib.request

    offline = (
        "Without network access, copy a .argosmodel file here and run "
        "`syndicate models install FILE.argosmodel`"
    )
    index_url = os.environ.get("ARGOS_PACKAGE_INDEX", ARGOS_INDEX).rstrip("/") + "/index.json"
    try:
        with urllib.request.urlopen(index_url, timeout=15) as resp:
            index = json.load(resp)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SyndicateError(
            f"cannot download the Argos package index {index_url}: {reason}. {offline}"
        ) from None
    entry = next(
        (
            e
            for e in index
            if isinstance(e, dict)
            and e.get("from_code") == from_code
            and e.get("to_code") == to_code
            and e.get("type", "translate") == "translate"
        ),
        None,
    )
    if entry is None:
        raise SyndicateError(f"the Argos index has no package for {from_code}->{to_code}")
    target = dest / f"translate-{from_code}_{to_code}.argosmodel"
    last: object = None
    for link in entry.get("links", []):
        try:
            with urllib.request.urlopen(link, timeout=60) as resp, target.open("wb") as fh:
                while chunk := resp.read(1 << 20):
                    fh.write(chunk)
            return target
        except (urllib.error.URLError, OSError) as exc:
            last = getattr(exc, "reason", exc)
    raise SyndicateError(f"cannot download the {from_code}->{to_code} package: {last}. {offline}")


def _install(what: list[str], packages_dir: Path | None) -> int:
    import tempfile

    from syndicate.translate.argos import install_package_file

    if len(what) == 1:
        path = Path(what[0])
        if not path.is_file():
            raise UsageError(f"{path} is not a file (give a .argosmodel file, or FROM TO codes)")
        pkg = install_package_file(path, packages_dir)
    elif len(what) == 2:
        src, tgt = (w.lower() for w in what)
        with tempfile.TemporaryDirectory() as tmp:
            pkg = install_package_file(_download(src, tgt, Path(tmp)), packages_dir)
    else:
        raise UsageError("give one .argosmodel file, or FROM TO language codes")
    print(f"installed argos {pkg.from_code}->{pkg.to_code} {pkg.package_version} in {pkg.path}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list()
    if args.action == "install":
        return _install(args.what, args.packages_dir)
    raise UsageError("name an action: list or install")
