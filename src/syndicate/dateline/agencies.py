"""The news agency table: how datelines credit each agency, its credit per language, its house style.

One data file (``data/agencies.yaml``) read once, for the dateline parser, the house-style book
and the translator's segmenter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from syndicate.dateline import places
from syndicate.errors import ConfigError

__all__ = ["Agency", "load_agencies", "parse_agencies"]

_FIELDS = frozenset({"style", "markers", "bare", "aliases", "names", "tags", "domains"})


@dataclass(frozen=True, slots=True)
class Agency:
    """A news agency: its canonical name, how datelines and languages write it, its house style."""

    name: str
    #: dateline house style id; None where the agency has no style of its own
    style: str | None = None
    #: how a dateline credits it ("TASS", "ИТАР-ТАСС")
    markers: tuple[str, ...] = ()
    #: markers the agency writes bare, without brackets or slashes ("SYDNEY Nov 23 AAP -")
    bare: tuple[str, ...] = ()
    #: further spellings of its credit that localization rewrites
    aliases: tuple[str, ...] = ()
    #: (language, credit) pairs: the credit as each language's press writes it
    names: tuple[tuple[str, str], ...] = ()
    #: bracketed tags ("(Reuters)") kept untranslated in running text
    tags: tuple[str, ...] = ()
    #: its web domains ("tass.ru"): how a feed or a provider URI names it
    domains: tuple[str, ...] = ()

    def name_in(self, language: str) -> str:
        table = dict(self.names)
        for lang in places._language_chain(language):
            if lang in table:
                return table[lang]
        return self.name

    @property
    def localized(self) -> bool:
        """Whether localization rewrites its credit (it has a house style or names per language)."""
        return self.style is not None or bool(self.names)


def _strings(where: str, key: str, raw: Any) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"agencies {where}: {key} must be a list")
    return tuple(str(x) for x in raw)


def parse_agencies(data: Any, where: str = "<data>") -> tuple[Agency, ...]:
    """Validate a mapping of agency name -> entry (the ``agencies`` section) and build the table."""
    if not isinstance(data, dict):
        raise ConfigError(f"agencies {where}: expected a mapping of agency names to entries")
    agencies: list[Agency] = []
    for name, body in data.items():
        body = body or {}
        at = f"{where} agency {name!r}"
        if not isinstance(body, dict):
            raise ConfigError(f"agencies {at}: expected a mapping")
        unknown = set(body) - _FIELDS
        if unknown:
            raise ConfigError(
                f"agencies {at}: unknown fields {sorted(unknown)}; fields are {sorted(_FIELDS)}"
            )
        names = body.get("names") or {}
        if not isinstance(names, dict):
            raise ConfigError(f"agencies {at}: names must map languages to credits")
        style = body.get("style")
        agencies.append(
            Agency(
                name=str(name),
                style=str(style) if style else None,
                markers=_strings(at, "markers", body.get("markers")),
                bare=_strings(at, "bare", body.get("bare")),
                aliases=_strings(at, "aliases", body.get("aliases")),
                names=tuple((str(k), str(v)) for k, v in names.items()),
                tags=_strings(at, "tags", body.get("tags")),
                domains=_strings(at, "domains", body.get("domains")),
            )
        )
    return tuple(agencies)


@functools.cache
def load_agencies() -> tuple[Agency, ...]:
    """The agency table shipped with syndicate (``data/agencies.yaml``), read once."""
    path = Path(str(resources.files("syndicate").joinpath("data", "agencies.yaml")))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the agency table {path}: {exc}") from exc
    if not isinstance(data, dict) or "agencies" not in data:
        raise ConfigError(f"agencies {path}: expected an 'agencies' section")
    return parse_agencies(data["agencies"], str(path))
