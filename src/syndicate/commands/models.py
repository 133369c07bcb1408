"""``syndicate models``: list the installed translation models, install Argos packages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from syndicate.commands import add_config_argument, load_configuration
from syndicate.errors import SyndicateError, UsageError

HELP = "list installed translation models and install Argos packages"

#: where Argos publishes its package index (ARGOS_PACKAGE_INDEX overrides it, as in Argos)
ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    listing = sub.add_parser("list", help="installed language pairs per engine, with versions")
    add_config_argument(listing)
    inst = sub.add_parser(
        "install",
        help="install an Argos package: a .argosmodel file, or FROM TO from the Argos index",
    )
    inst.add_argument("what", nargs="+", metavar="PATH.argosmodel | FROM TO")
    inst.add_argument("--packages-dir", type=Path, help="Argos packages folder (default: Argos')")


def _list(config_path: Path | None) -> int:
    from syndicate.translate import installed_pairs

    # where the engines look for models is part of the configuration's translation settings
    _, config = load_configuration(config_path)
    pairs = installed_pairs(config.translation)
    if not pairs:
        print("no translation models installed", file=sys.stderr)
        return 0
    for p in sorted(pairs, key=lambda p: (p.engine, p.source, p.target)):
        print(f"{p.engine}\t{p.source}->{p.target}\t{p.model_version}")
    return 0


def _download(from_code: str, to_code: str) -> Path:
    """Fetch the pair's package through argostranslate's package index; explain failures."""
    import logging

    # Argos logs each failure on its own before we explain it in one line: keep it quiet
    argos_log = logging.getLogger("argostranslate.utils")
    was_disabled, argos_log.disabled = argos_log.disabled, True
    try:
        return _fetch(from_code, to_code)
    finally:
        argos_log.disabled = was_disabled


def _fetch(from_code: str, to_code: str) -> Path:
    import socket
    import tempfile

    from argostranslate import package as argos_package
    from argostranslate import settings as argos_settings

    offline = (
        "Without network access, copy a .argosmodel file here and run "
        "`syndicate models install FILE.argosmodel`"
    )
    # Argos reads its index address once, on import: read it now, as it would
    index_url = str(argos_settings.get_setting("ARGOS_PACKAGE_INDEX", default=ARGOS_INDEX))
    index_url = index_url.rstrip("/") + "/index.json"
    saved = argos_settings.remote_package_index, argos_settings.local_package_index
    # Argos opens its URLs with no timeout: an unanswering host would hang the command
    timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(60)
    with tempfile.TemporaryDirectory() as tmp:
        # a fresh index file tells a failed update (which Argos only logs) from a stale index
        argos_settings.remote_package_index = index_url
        argos_settings.local_package_index = Path(tmp) / "index.json"
        try:
            argos_package.update_package_index()
            if not argos_settings.local_package_index.is_file():
                raise SyndicateError(f"cannot download the Argos package index {index_url}. {offline}")
            try:
                available = argos_package.get_available_packages()
            except ValueError as exc:
                raise SyndicateError(f"the Argos package index {index_url} is unreadable: {exc}") from None
        finally:
            argos_settings.remote_package_index, argos_settings.local_package_index = saved
            socket.setdefaulttimeout(timeout)
    entry = next(
        (p for p in available if p.from_code == from_code and p.to_code == to_code and p.type == "translate"),
        None,
    )
    if entry is None:
        raise SyndicateError(f"the Argos index has no package for {from_code}->{to_code}")
    socket.setdefaulttimeout(60)
    try:
        return Path(entry.download())
    # argostranslate raises a bare Exception when every link fails
    except Exception as exc:
        raise SyndicateError(
            f"cannot download the {from_code}->{to_code} package: {exc}. {offline}"
        ) from None
    finally:
        socket.setdefaulttimeout(timeout)


def _install(what: list[str], packages_dir: Path | None) -> int:
    from syndicate.translate.argos import install_package_file

    if len(what) == 1:
        path = Path(what[0])
        if not path.is_file():
            raise UsageError(f"{path} is not a file (give a .argosmodel file, or FROM TO codes)")
        pkg = install_package_file(path, packages_dir)
    elif len(what) == 2:
        src, tgt = (w.lower() for w in what)
        download = _download(src, tgt)
        try:
            pkg = install_package_file(download, packages_dir)
        finally:
            download.unlink(missing_ok=True)
    else:
        raise UsageError("give one .argosmodel file, or FROM TO language codes")
    print(f"installed argos {pkg.from_code}->{pkg.to_code} {pkg.package_version} in {pkg.path}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        return _list(args.config)
    if args.action == "install":
        return _install(args.what, args.packages_dir)
    raise UsageError("name an action: list or install")
