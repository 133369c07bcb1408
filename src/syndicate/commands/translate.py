"""``syndicate translate``: machine-translate NewsML-G2 items into one or more languages."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from syndicate import formats
from syndicate.commands import add_config_argument, load_configuration
from syndicate.destinations import relative_key
from syndicate.errors import SyndicateError, UsageError
from syndicate.formats import ParseContext
from syndicate.item import NewsItem

HELP = "translate NewsML-G2 items, writing one NewsML-G2 file per item and language"

_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="ITEM", help="NewsML-G2 files to translate")
    p.add_argument(
        "--to", required=True, metavar="LANG[,LANG...]", help="target languages (BCP 47), comma separated"
    )
    p.add_argument("--engine", metavar="NAME",
                   help="engine to use (default: the configuration's translation.engine, else "
                        "its choice per language pair)")
    p.add_argument("--style", metavar="NAME",
                   help="house style for the localized dateline (default: translation.style)")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="folder for the translated files (LANG/GUID-SLUG/vN.newsmlg2.xml)")
    p.add_argument(
        "--format",
        default="newsmlg2",
        metavar="NAME",
        help="input format (default: newsmlg2; 'auto' detects it, e.g. for wire text)",
    )
    add_config_argument(p)


def _languages(text: str) -> list[str]:
    langs = [x.strip() for x in text.split(",") if x.strip()]
    if not langs:
        raise UsageError("--to names no language")
    bad = [x for x in langs if not _LANG.match(x)]
    if bad:
        raise UsageError(f"--to: {', '.join(bad)} is not a BCP 47 language tag (e.g. es, pt-BR)")
    return list(dict.fromkeys(langs))


def _read(paths: list[str], fmt: str) -> list[NewsItem]:
    items: list[NewsItem] = []
    for name in paths:
        path = Path(name)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            parsed = formats.parse(data, fmt, ParseContext(filename=path.name))
        except SyndicateError as exc:
            raise SyndicateError(f"{path}: {exc}") from None
        for skip in parsed.skipped:
            print(f"left out of {path}: {skip}", file=sys.stderr)
        items.extend(parsed.items)
    return items


def run(args: argparse.Namespace) -> int:
    from syndicate.translate import open_cache, translate_items

    targets = _languages(args.to)
    settings, config = load_configuration(args.config)
    translation = config.translation
    # the sentence cache the pipeline's workers fill, in the state store's Redis if any
    cache = open_cache(translation.cache, settings.state_url)
    engine = args.engine or translation.engine
    style = args.style or translation.style
    items = _read(args.paths, args.format)
    writer = formats.renderer("newsmlg2")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for lang in targets:
        todo = [it for it in items if it.language.split("-")[0].lower() != lang.split("-")[0].lower()]
        for item in translate_items(todo, lang, engine=engine, style=style,
                                    settings=translation, cache=cache):
            # named as the pipeline's destinations name them, under the translation's own guid
            path = out / relative_key(item.language, item.guid, item.version, "newsmlg2")
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(writer.render(item))
            tmp.replace(path)
            print(path)
    return 0
